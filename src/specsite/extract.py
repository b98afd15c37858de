"""Extract indexed items and section conformance from one spec's block tree.

The walk keeps a *context kind*: a heading or bold label that names a kind
('### Risks', '**Blockers:**', '* **Open Questions:**') opens it, and every
top-level list item, table row or bold lead-in paragraph inside it becomes an
item of that kind. Nested content belongs to its parent item. Plain paragraphs
count as items only where a context holds nothing more structured.
"""

from __future__ import annotations

import re
from collections import Counter
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
from specsite.config import Config
from specsite.headings import Vocabulary, alternatives, normalize
from specsite.model import AnchorStyle, Item, SectionCondition, SectionState
from specsite.plaintext import fold, inline_text, leading_strong, task_state
from specsite.problems import Problem
from specsite.prompt import Prompt, Section

_NONE = re.compile(
    r"^(?:none|n/?a|nil|nothing|not applicable)"
    r"(?:\s+(?:identified|known|found|expected|yet|so far|at (?:this|the moment|present)"
    r"|time|moment|present|currently|for now))*\s*(?:$|[.;:,(!]|[—–-]\s)"
    r"|^(?:there (?:are|is) |we (?:have|see) )?no (?:[\w-]+ ){0,3}"
    r"(?:blockers?|risks?|items?|questions?|issues?|concerns?|unknowns?|dependencies)\b",
    re.IGNORECASE,
)
# Headings that structure a section rather than name one item of it.
_GENERIC_HEADINGS = {
    "summary",
    "abstract",
    "overview",
    "introduction",
    "motivation",
    "background",
    "context",
    "details",
    "notes",
    "note",
    "discussion",
    "mitigation",
    "mitigations",
    "approach",
    "approaches",
    "option",
    "options",
    "analysis",
    "general",
    "other",
    "misc",
    "miscellaneous",
    "appendix",
    "references",
    "table",
    "status",
    "resolved",
    "open",
    "decided",
    "answered",
}
# Bold leads that describe the item above them rather than open a new one.
_ITEM_ATTRIBUTES = {
    "mitigation",
    "mitigations",
    "likelihood",
    "probability",
    "impact",
    "severity",
    "owner",
    "status",
    "decision",
    "decided",
    "resolved",
    "resolution",
    "answer",
    "answered",
    "proposal",
    "proposed",
    "leaning",
    "workaround",
    "rationale",
    "note",
    "notes",
    "example",
}
_CATEGORY_HEADERS = {"category", "type", "kind", "class", "classification"}
# columns that key a row rather than describe it ('| ID |', '| Scale | What breaks |')
_SKIP_HEADERS = {"", "id", "no", "number", "ref", "scale", "load", "multiplier", "factor", "tier"}
_DESCRIPTION_HEADERS = (
    "description",
    "details",
    "summary",
    "detail",
)
# 'Risk — flag debt', 'Blocker: vendor licence': a kind word, then the item's own name
_NAMED_LABEL = re.compile(r"^(?P<kind>[^—–:]+?)\s*(?:[—–]|\s-\s|:)\s*(?P<name>\S.*)$")
_RESOLVED_CELL = re.compile(r"\b(?:resolved|decided|closed|done|answered|yes)\b|✅|✔", re.I)
# columns whose filled cell is the answer itself ('| Question | Answer |')
_ANSWER_HEADERS = {"answer", "answers", "resolution"}
# an answer cell that records no answer yet
_UNANSWERED = {"open", "pending", "unknown", "unresolved", "unanswered", "tbd", "tbc", "todo"}


def _starts_with_attribute(text: str) -> bool:
    """'Mitigation: a feature gate.' in plain text: it describes the item above."""
    head, colon, _ = text.partition(":")
    return bool(colon) and len(head) < 30 and is_attribute(head)


def is_attribute(label: str) -> bool:
    """'**Mitigation:**', '**Likelihood:** Medium', '**Decision:** ...': part of an item."""
    return normalize(label) in _ITEM_ATTRIBUTES  # '**Impact on routing:** ...' is an item


def is_none(text: str) -> bool:
    """'None', 'None identified.', 'N/A' and the like: a section with no items.

    'None at this time — the points raised in review are answered above.' is one too:
    only the opening clause must be short.
    """
    stripped = text.strip(" *_-—:.")
    if _NONE.match(stripped) is None:
        return False
    head = re.split(r"\s[—–-]\s|[.;:(]", stripped, maxsplit=1)[0]
    return len(head) < 120


@dataclass
class _Candidate:
    kind: str
    text: str
    body_line: int
    style: AnchorStyle
    resolved: bool | None = None


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
    last: _Candidate | None = None  # the latest item: a 'Decision: ...' paragraph may follow
    # blocks inside '<details>': supporting material, items only if nothing else is
    details: list[Block] = field(default_factory=list)


@dataclass
class Extraction:
    title: str | None
    items: list[Item]
    sections: list[SectionState]
    problems: list[Problem]


class Extractor:
    """Holds the schema once per build; ``extract`` runs once per spec."""

    def __init__(self, config: Config, prompt: Prompt) -> None:
        self.config = config
        self.prompt = prompt
        self._kinds = Vocabulary((kind.key, kind.headings) for kind in config.kinds)
        self._resolvable = {kind.key for kind in config.kinds if kind.resolvable}
        markers = "|".join(r"(?<!\w)" + re.escape(m) for m in config.resolved_markers)
        self._resolved_marker = re.compile(markers, re.IGNORECASE) if markers else None
        self._placeholders = {normalize(p) or p for p in config.placeholders}
        self._kind_names = {
            alt for kind in config.kinds for name in kind.headings for alt in alternatives(name)
        }
        self._guidance = {
            normalize(text) for section in prompt.sections for text in section.guidance
        }

    def kind_of(self, title: str) -> str | None:
        return self._kinds.best(title)

    def _label_text(self, label: str, rest: str, inline: Inline) -> str:
        """The item text after a kind label: '**Risks:** X' gives 'X'.

        A label that also names the item ('**Risk — flag debt:** X') keeps that name:
        the whole line is the item.
        """
        named = _NAMED_LABEL.match(label.rstrip(":").strip())
        if named is not None and any(
            alt in self._kind_names for alt in alternatives(named.group("kind"))
        ):
            return inline_text(inline)
        return rest

    # -- the walk ---------------------------------------------------------------

    def extract(self, blocks: list[Block], lines: list[str], body_line: int) -> Extraction:
        self._lines = lines
        candidates: list[_Candidate] = []
        title: str | None = None
        seen_h1 = False
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
                if block.level == 1 and not seen_h1:
                    seen_h1 = True  # only the first H1 can be the title, if it names no section
                    title = None if self._is_section_name(text) else text
                # under an item heading ('#### R1: ...'), sub-headings explain that item
                explains_item = (
                    segment.heading is not None
                    and not segment.structured
                    and segment.heading.level < block.level
                )
                candidates += self._close(segment)
                while stack and stack[-1][0] >= block.level:
                    stack.pop()
                if explains_item:
                    stack[-1] = (stack[-1][0], None)
                is_top = section_level is None or block.level <= section_level
                inherited = stack[-1][1] if stack and not is_top else None
                kind = self.kind_of(text) or inherited
                segment = _Segment(kind, end=block.end)
                if kind is not None and kind == inherited and self._is_item_heading(text):
                    # '#### R1: Migration downtime' under Risks may name one item; decided
                    # when the segment closes (a list or table below makes it a group)
                    segment.heading = block
                stack.append((block.level, kind))
                continue
            segment.end = max(segment.end, block.end)
            if details:
                segment.details.append(block)
                continue
            lead = self._label(block)
            if lead is not None:
                candidates += self._close(segment)
                label_kind, rest, new_section = lead
                kind = label_kind if new_section else label_kind or segment.kind
                segment = _Segment(kind)
                if rest and kind is not None and not is_none(rest) and isinstance(block, Paragraph):
                    label = leading_strong(block.inline)
                    text = rest if label is None else self._label_text(label[0], rest, block.inline)
                    candidates.append(self._candidate(kind, text, block, "paragraph", segment))
                    segment.structured = True
                continue
            candidates += self._block(block, segment)
        candidates += self._close(segment)
        items = self._number(candidates, body_line)
        sections, problems = self._conformance(blocks)
        return Extraction(title, items, sections, problems)

    def _is_section_name(self, text: str) -> bool:
        """'# Summary' is a section of the document, not its title."""
        return (
            self.prompt.section_for(text) is not None
            or self.kind_of(text) is not None
            or normalize(text) in _GENERIC_HEADINGS
        )

    def _is_item_heading(self, text: str) -> bool:
        """A sub-heading that names one item, not a part of the section ('Mitigations')."""
        words = normalize(text).split()
        return bool(words) and words[0] not in _GENERIC_HEADINGS and not self._is_section_name(text)

    def _section_level(self, blocks: list[Block]) -> int | None:
        found: dict[int, set[str]] = {}
        for block in blocks:
            if isinstance(block, Heading):
                section = self.prompt.section_for(inline_text(block.inline))
                if section is not None:
                    found.setdefault(block.level, set()).add(section.title)
        if not found:
            return None
        return max(sorted(found), key=lambda level: len(found[level]))

    def _label(self, block: Block) -> tuple[str | None, str, bool] | None:
        """A bold label paragraph: (its kind or None, the text after it, whether it
        starts a new section, like '**6. Recommendation**' written instead of a heading)."""
        if not isinstance(block, Paragraph):
            return None
        lead = leading_strong(block.inline)
        if lead is None:
            return None
        label, rest = lead
        kind = self.kind_of(label.rstrip(":"))
        if kind is not None and (label.endswith(":") or not rest):
            return kind, rest, False
        if not rest and self.prompt.section_for(label.rstrip(":")) is not None:
            return None, rest, True
        if label.endswith(":") and not rest:
            return None, rest, False
        return None

    def _block(self, block: Block, segment: _Segment) -> list[_Candidate]:
        found: list[_Candidate] = []
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
                segment.last = self._candidate(segment.kind, text, block, "paragraph", segment)
                found.append(segment.last)
                segment.structured = True
            else:
                self._note_decision(block, segment)
                segment.paragraphs.append(block)
        elif isinstance(block, Quote):
            for child in block.children:
                found += self._block(child, segment)
        return found

    def _list_item(self, item: ListItem, segment: _Segment) -> list[_Candidate]:
        inline = item.first_inline
        lead = leading_strong(inline) if inline is not None else None
        nested = [child for child in item.children if isinstance(child, ListBlock | Table)]
        if lead is not None:
            label, rest = lead
            kind = self.kind_of(label.rstrip(":"))
            is_label = kind is not None and label.endswith(":")
            if is_label or (label.endswith(":") and not rest and nested):
                inner = _Segment(kind or segment.kind)
                found: list[_Candidate] = []
                if nested:
                    for child in nested:
                        found += self._block(child, inner)
                elif rest and inner.kind is not None and not is_none(rest):
                    text = self._label_text(label, rest, inline) if inline is not None else rest
                    found.append(self._candidate(inner.kind, text, item, "list", inner, inline))
                return found
        if segment.kind is None or inline is None:
            return []
        text = inline_text(inline)
        if not text or is_none(text):
            return []
        segment.structured = True
        candidate = self._candidate(segment.kind, text, item, "list", segment, inline)
        segment.last = candidate
        return [candidate]

    def _table(self, table: Table, segment: _Segment) -> list[_Candidate]:
        headers = [normalize(inline_text(cell)) for cell in table.header]
        category = next((i for i, h in enumerate(headers) if h in _CATEGORY_HEADERS), None)
        if segment.kind is None and category is None:
            return []
        column = self._description_column(headers, category)
        status = next(
            (i for i, h in enumerate(headers) if h in ("status", "resolved", "state", "decision")),
            None,
        )
        answer = next((i for i, h in enumerate(headers) if h in _ANSWER_HEADERS), None)
        found: list[_Candidate] = []
        for row in table.rows:
            if column >= len(row.cells):
                continue
            kind = segment.kind
            if category is not None and category < len(row.cells):
                kind = self.kind_of(inline_text(row.cells[category])) or kind
            text = inline_text(row.cells[column])
            if (
                kind is None
                or not text
                or (is_none(text) and self._row_is_none(row, column, category))
            ):
                continue
            candidate = self._candidate(kind, text, row, "row", segment)
            if kind in self._resolvable and status is not None and status < len(row.cells):
                cell = inline_text(row.cells[status])
                candidate.resolved = bool(candidate.resolved) or bool(_RESOLVED_CELL.search(cell))
            if kind in self._resolvable and answer is not None and answer < len(row.cells):
                candidate.resolved = bool(candidate.resolved) or self._is_answer(
                    inline_text(row.cells[answer])
                )
            found.append(candidate)
        if found:
            segment.structured = True
        return found

    def _note_decision(self, paragraph: Paragraph, segment: _Segment) -> None:
        """'Decision: ...' under a question item (not indented into it) resolves that item."""
        last = segment.last
        marker = self._resolved_marker
        if last is None or last.resolved is None or marker is None:
            return
        if marker.match(inline_text(paragraph.inline)) is not None:
            last.resolved = True

    def _is_answer(self, cell: str) -> bool:
        """'Yes, include it.' answers; '', 'TBD', 'Open', '-' and '?' do not."""
        words = normalize(cell)
        return bool(words) and words not in _UNANSWERED and not self._is_placeholder(cell)

    @staticmethod
    def _row_is_none(row: TableRow, column: int, category: int | None) -> bool:
        """'| Blocker | None | - |' is no item; '| 1x | Nothing breaks | Single worker |' is."""
        others = [
            inline_text(cell).strip(" -—–")
            for index, cell in enumerate(row.cells)
            if index not in (column, category)
        ]
        return all(not text or is_none(text) for text in others)

    def _description_column(self, headers: list[str], category: int | None) -> int:
        usable = [i for i, h in enumerate(headers) if i != category and h not in _SKIP_HEADERS]
        for index in usable:
            if any(word in headers[index] for word in _DESCRIPTION_HEADERS):
                return index
        for index in usable:
            if self.kind_of(headers[index]) is not None or headers[index] in ("item", "question"):
                return index
        return usable[0] if usable else 0

    def _candidate(
        self,
        kind: str,
        text: str,
        block: Paragraph | ListItem | TableRow | Heading,
        style: AnchorStyle,
        segment: _Segment,
        inline: Inline | None = None,
        *,
        end: int | None = None,
    ) -> _Candidate:
        resolved: bool | None = None
        if kind in self._resolvable:
            state = task_state(inline) if inline is not None else None
            whole = " ".join(self._lines[block.line : end or block.end])
            marker = self._resolved_marker
            resolved = bool(state) or (marker is not None and marker.search(whole) is not None)
        return _Candidate(kind, text, block.line, style, resolved)

    def _close(self, segment: _Segment) -> list[_Candidate]:
        """The segment's items; a collapsed '<details>' block counts only when the
        context holds nothing else (its table of benchmark rows is no item list)."""
        found = self._close_main(segment)
        if found or segment.structured or segment.kind is None or not segment.details:
            return found
        inner = _Segment(segment.kind, end=segment.end)
        for block in segment.details:
            found += self._block(block, inner)
        return found + self._close_main(inner)

    def _close_main(self, segment: _Segment) -> list[_Candidate]:
        """Paragraph items for a context that held no list, table or bold lead-in.

        Under an item heading, that prose is the heading's explanation: the heading
        is the one item.
        """
        if segment.kind is None:
            return []
        if segment.structured:
            if segment.listed:
                return []
            # prose with some bold lead-ins: the plain paragraphs before the first one
            # are items too (an intro ending with ':' is not)
            return [
                self._candidate(segment.kind, text, p, "paragraph", segment, p.inline)
                for p in segment.leading_prose
                if (text := inline_text(p.inline))
                and not text.rstrip().endswith(":")
                and not is_none(text)
                and not self._is_placeholder(text)
            ]
        if segment.heading is not None:
            text = inline_text(segment.heading.inline)
            return [
                self._candidate(
                    segment.kind, text, segment.heading, "heading", segment, end=segment.end
                )
            ]
        found = []
        for paragraph in segment.paragraphs:
            text = inline_text(paragraph.inline)
            lead = leading_strong(paragraph.inline)
            if (lead is not None and is_attribute(lead[0])) or _starts_with_attribute(text):
                continue  # '**Mitigation:** ...' or 'Mitigation: ...' after an item belongs to it
            if text and not is_none(text) and not self._is_placeholder(text):
                found.append(
                    self._candidate(
                        segment.kind, text, paragraph, "paragraph", segment, paragraph.inline
                    )
                )
        return found

    def _number(self, candidates: list[_Candidate], body_line: int) -> list[Item]:
        order = {kind.key: index for index, kind in enumerate(self.config.kinds)}
        counters: Counter[str] = Counter()
        items = []
        seen: set[int] = set()
        for candidate in sorted(candidates, key=lambda c: c.body_line):
            if candidate.body_line in seen:  # two items can never share an anchor line
                continue
            seen.add(candidate.body_line)
            counters[candidate.kind] += 1
            items.append(
                Item(
                    kind=candidate.kind,
                    id=f"{candidate.kind.replace('_', '-')}-{counters[candidate.kind]}",
                    text=fold(candidate.text),
                    line=body_line + candidate.body_line + 1,
                    resolved=candidate.resolved if candidate.kind in self._resolvable else None,
                    body_line=candidate.body_line,
                    style=candidate.style,
                )
            )
        items.sort(key=lambda i: (order.get(i.kind, len(order)), i.body_line))
        return items

    # -- conformance -------------------------------------------------------------

    def _is_placeholder(self, text: str) -> bool:
        words = normalize(text)
        return (
            text.strip() in self.config.placeholders
            or words in self._placeholders
            or (bool(words) and words in self._guidance)
        )

    def _conformance(self, blocks: list[Block]) -> tuple[list[SectionState], list[Problem]]:
        headings = [b for b in blocks if isinstance(b, Heading)]
        bold_titles: dict[str, Paragraph] = {}
        for block in blocks:
            if isinstance(block, Paragraph):
                lead = leading_strong(block.inline)
                if lead is not None and not lead[1]:
                    bold_titles.setdefault(lead[0].rstrip(":"), block)
        states: list[SectionState] = []
        problems: list[Problem] = []
        for section in self.prompt.sections:
            matches = [h for h in headings if self._matches(h, section)]
            if not matches and any(
                self.prompt.section_for(label) is section for label in bold_titles
            ):
                # '**3. Risks & Concerns**' written as a bold line instead of a heading
                line = next(
                    b.line + 1
                    for label, b in bold_titles.items()
                    if self.prompt.section_for(label) is section
                )
                states.append(SectionState(section.title, section.required, "present", line))
                continue
            if not matches:
                states.append(SectionState(section.title, section.required, "missing"))
                if section.required:
                    problems.append(
                        Problem(
                            "warning",
                            "missing-section",
                            f"required section '{section.title}' is missing",
                        )
                    )
                continue
            state: SectionCondition = "present"
            contents = [self._section_text(h, blocks) for h in matches]
            if all(not text for text in contents):
                state = "empty"
            elif all(self._placeholder_text(text) for text in contents):
                state = "placeholder"
            line = matches[0].line + 1
            states.append(SectionState(section.title, section.required, state, line))
            if state != "present" and section.required:
                problems.append(
                    Problem(
                        "warning",
                        f"{state}-section",
                        f"required section '{section.title}' is {state}"
                        + (" (still placeholder text)" if state == "placeholder" else ""),
                        line,
                    )
                )
        return states, problems

    def _matches(self, heading: Heading, section: Section) -> bool:
        return self.prompt.section_for(inline_text(heading.inline)) is section

    def _section_text(self, heading: Heading, blocks: list[Block]) -> list[str]:
        start = blocks.index(heading) + 1
        texts: list[str] = []
        for block in blocks[start:]:
            if isinstance(block, Heading):
                if block.level <= heading.level:
                    break
                continue
            raw = " ".join(self._lines[block.line : block.end])
            cleaned = fold(re.sub(r"[#*_`>|\-\[\]:]+", " ", raw))
            if cleaned:
                texts.append(cleaned)
        return texts

    def _placeholder_text(self, texts: list[str]) -> bool:
        return all(self._is_placeholder(text) for text in texts)
