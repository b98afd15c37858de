"""The item walk: one pass over one spec's top-level blocks, finding its items.

The walk keeps a *context kind*: a heading or bold label that names a kind
('### Risks', '**Blockers:**', '* **Open Questions:**') opens it, and every
top-level list item, table row or bold lead-in paragraph inside it becomes an
item of that kind. Nested content belongs to its parent item. Plain paragraphs
count as items only where a context holds nothing more structured.

An ``ItemWalk`` is made for each spec and holds that spec's state (its lines, the
open segment); the vocabulary and resolved rules it reads are shared by the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specsite.blocks import (
    Block,
    Heading,
    Html,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Table,
    TableRow,
)
from specsite.labels import Labels, is_attribute, is_none, starts_with_attribute
from specsite.model import AnchorStyle
from specsite.numbering import Candidate
from specsite.plaintext import inline_text, leading_strong
from specsite.resolution import Resolution
from specsite.tables import table_items


@dataclass
class _Segment:
    """The blocks under one kind context; its paragraphs wait to see if it has a list."""

    kind: str | None
    structured: bool = False
    listed: bool = False  # holds a list or table (not only bold lead-in paragraphs)
    paragraphs: list[Paragraph] = field(default_factory=list)
    # plain paragraphs before the first bold lead-in item: prose items of their own
    leading_prose: list[Paragraph] = field(default_factory=list)
    heading: Heading | None = None  # a sub-heading that may be an item itself
    end: int = 0  # last line of the segment so far
    last: Candidate | None = None  # the latest item: a 'Decision: ...' paragraph may follow
    # blocks inside '<details>': supporting material, items only if nothing else is
    details: list[Block] = field(default_factory=list)


class ItemWalk:
    """The walk over one spec; ``lines`` is its body, the blocks' line numbers index it."""

    def __init__(self, labels: Labels, resolution: Resolution, lines: list[str]) -> None:
        self.labels = labels
        self.resolution = resolution
        self.lines = lines

    def candidates(self, blocks: list[Block]) -> list[Candidate]:
        """Every item candidate of the spec, in walk order (numbering sorts them)."""
        found: list[Candidate] = []
        section_level = self._section_level(blocks)
        stack: list[tuple[int, str | None]] = []  # (level, kind) of the open headings
        segment = _Segment(None)
        details = 0  # depth of open '<details>' elements
        for block in blocks:
            if isinstance(block, Html):
                source = block.source.lower()
                details = max(0, details + source.count("<details") - source.count("</details"))
                continue
            if isinstance(block, Heading):
                text = inline_text(block.inline)
                # under an item heading ('#### R1: ...'), sub-headings explain that item
                explains_item = (
                    segment.heading is not None
                    and not segment.structured
                    and segment.heading.level < block.level
                )
                found += self._close(segment)
                while stack and stack[-1][0] >= block.level:
                    stack.pop()
                if explains_item:
                    stack[-1] = (stack[-1][0], None)
                is_top = section_level is None or block.level <= section_level
                inherited = stack[-1][1] if stack and not is_top else None
                kind = self.labels.kind_of(text) or inherited
                segment = _Segment(kind, end=block.end)
                if kind is not None and kind == inherited and self.labels.is_item_heading(text):
                    # '#### R1: Migration downtime' under Risks may name one item; decided
                    # when the segment closes (a list or table below makes it a group)
                    segment.heading = block
                stack.append((block.level, kind))
                continue
            segment.end = max(segment.end, block.end)
            if details:
                segment.details.append(block)
                continue
            lead = self.labels.label(block)
            if lead is not None:
                found += self._close(segment)
                label_kind, rest, new_section = lead
                kind = label_kind if new_section else label_kind or segment.kind
                segment = _Segment(kind)
                if rest and kind is not None and not is_none(rest) and isinstance(block, Paragraph):
                    label = leading_strong(block.inline)
                    text = (
                        rest
                        if label is None
                        else self.labels.label_text(label[0], rest, block.inline)
                    )
                    found.append(self._candidate(kind, text, block, "paragraph"))
                    segment.structured = True
                continue
            found += self._block(block, segment)
        found += self._close(segment)
        return found

    def _section_level(self, blocks: list[Block]) -> int | None:
        """The heading level the spec's sections are written at (the one naming most)."""
        found: dict[int, set[str]] = {}
        for block in blocks:
            if isinstance(block, Heading):
                section = self.labels.prompt.section_for(inline_text(block.inline))
                if section is not None:
                    found.setdefault(block.level, set()).add(section.title)
        if not found:
            return None
        return max(sorted(found), key=lambda level: len(found[level]))

    def _block(self, block: Block, segment: _Segment) -> list[Candidate]:
        found: list[Candidate] = []
        if isinstance(block, ListBlock):
            for item in block.items:
                found += self._list_item(item, segment)
            segment.listed = segment.listed or bool(found)
        elif isinstance(block, Table):
            found += self._table(block, segment)
            segment.listed = segment.listed or bool(found)
        elif isinstance(block, Paragraph) and segment.kind is not None:
            lead = leading_strong(block.inline)
            text = inline_text(block.inline)
            if lead is not None and text and not is_none(text) and not is_attribute(lead[0]):
                if not segment.structured and segment.heading is None:
                    segment.leading_prose = list(segment.paragraphs)
                segment.last = self._candidate(segment.kind, text, block, "paragraph")
                found.append(segment.last)
                segment.structured = True
            else:
                self._note_decision(block, segment)
                segment.paragraphs.append(block)
        elif isinstance(block, Quote):
            for child in block.children:
                found += self._block(child, segment)
        return found

    def _list_item(self, item: ListItem, segment: _Segment) -> list[Candidate]:
        inline = item.first_inline
        lead = leading_strong(inline) if inline is not None else None
        nested = [child for child in item.children if isinstance(child, ListBlock | Table)]
        if lead is not None:
            label, rest = lead
            kind = self.labels.kind_of(label.rstrip(":"))
            is_label = kind is not None and label.endswith(":")
            if is_label or (label.endswith(":") and not rest and nested):
                inner = _Segment(kind or segment.kind)
                found: list[Candidate] = []
                if nested:
                    for child in nested:
                        found += self._block(child, inner)
                elif rest and inner.kind is not None and not is_none(rest):
                    text = (
                        self.labels.label_text(label, rest, inline) if inline is not None else rest
                    )
                    found.append(self._candidate(inner.kind, text, item, "list", inline))
                return found
        if segment.kind is None or inline is None:
            return []
        text = inline_text(inline)
        if not text or is_none(text):
            return []
        segment.structured = True
        candidate = self._candidate(segment.kind, text, item, "list", inline)
        segment.last = candidate
        return [candidate]

    def _table(self, table: Table, segment: _Segment) -> list[Candidate]:
        found = []
        for row in table_items(table, segment.kind, self.labels, self.resolution):
            candidate = self._candidate(row.kind, row.text, row.row, "row")
            if row.settled:
                candidate.resolved = True
            found.append(candidate)
        if found:
            segment.structured = True
        return found

    def _note_decision(self, paragraph: Paragraph, segment: _Segment) -> None:
        """'Decision: ...' under a question item (not indented into it) resolves that item."""
        last = segment.last
        if last is None or last.resolved is None:
            return
        if self.resolution.decides(inline_text(paragraph.inline)):
            last.resolved = True

    def _candidate(
        self,
        kind: str,
        text: str,
        block: Paragraph | ListItem | TableRow | Heading,
        style: AnchorStyle,
        inline: Inline | None = None,
        *,
        end: int | None = None,
    ) -> Candidate:
        lines = self.lines[block.line : end or block.end]
        return Candidate(
            kind, text, block.line, style, self.resolution.of_item(kind, inline, lines)
        )

    def _close(self, segment: _Segment) -> list[Candidate]:
        """The segment's items; a collapsed '<details>' block counts only when the
        context holds nothing else (its table of benchmark rows is no item list)."""
        found = self._close_main(segment)
        if found or segment.structured or segment.kind is None or not segment.details:
            return found
        inner = _Segment(segment.kind, end=segment.end)
        for block in segment.details:
            found += self._block(block, inner)
        return found + self._close_main(inner)

    def _close_main(self, segment: _Segment) -> list[Candidate]:
        """Paragraph items for a context that held no list, table or bold lead-in.

        Under an item heading, that prose is the heading's explanation: the heading
        is the one item.
        """
        if segment.kind is None:
            return []
        is_placeholder = self.labels.is_placeholder
        if segment.structured:
            if segment.listed:
                return []
            # prose with some bold lead-ins: the plain paragraphs before the first one
            # are items too (an intro ending with ':' is not)
            return [
                self._candidate(segment.kind, text, p, "paragraph", p.inline)
                for p in segment.leading_prose
                if (text := inline_text(p.inline))
                and not text.rstrip().endswith(":")
                and not is_none(text)
                and not is_placeholder(text)
            ]
        if segment.heading is not None:
            text = inline_text(segment.heading.inline)
            return [
                self._candidate(segment.kind, text, segment.heading, "heading", end=segment.end)
            ]
        found = []
        for paragraph in segment.paragraphs:
            text = inline_text(paragraph.inline)
            lead = leading_strong(paragraph.inline)
            if (lead is not None and is_attribute(lead[0])) or starts_with_attribute(text):
                continue  # '**Mitigation:** ...' or 'Mitigation: ...' after an item belongs to it
            if text and not is_none(text) and not is_placeholder(text):
                found.append(
                    self._candidate(segment.kind, text, paragraph, "paragraph", paragraph.inline)
                )
        return found
