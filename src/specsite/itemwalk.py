"""The item walk: one pass over one spec's top-level blocks, finding its items.

The walk keeps a *context kind*: a heading or bold label that names a kind
('### Risks', '**Blockers:**', '* **Open Questions:**') opens it. Its principles:

1. A kind's items come from its own section and that section's sub-sections; below
   the section level only a heading naming the kind exactly ('### Risks' under an
   approach) opens it: 'Risks of doing nothing' in the summary does not, nor does
   a label inside an item ('**Risk of breakage:**' in an alternative).
2. The template's own text (its questionnaire, its instructions) is not content.
3. When a section mixes prose and lists, the items are what the author enumerates;
   a list that only supports a paragraph (a reference list, 'the cases are:' after
   prose) leaves the prose paragraphs as the items.
4. A table gives items only when a column names them; a data table belongs to the
   item above it.
5. A sub-heading inside a kind section is one item with everything under it, unless
   it groups items ('Technical risks', '### Resolved') or explains them ('Mitigations').
6. 'None', 'there are no drawbacks', 'all questions have been resolved' are no items.
7. A sentence introducing a list, or a context paragraph before labelled items, is
   not an item.

Items keep their nested text as ``detail`` and recognised attributes ('**Mitigation:**',
'Severity: High', a Likelihood column) as ``fields``. An ``ItemWalk`` is made for
each spec and holds that spec's state; the vocabulary it reads is shared by the build.
"""

from __future__ import annotations

import re
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
from specsite.headings import normalize
from specsite.labels import (
    EXPLANATORY_HEADINGS,
    Labels,
    field_name,
    is_attribute,
    is_none,
    is_pointer,
    starts_with_attribute,
)
from specsite.model import AnchorStyle
from specsite.numbering import Candidate
from specsite.plaintext import fold, inline_text, leading_strong
from specsite.resolution import Resolution
from specsite.tables import column_headers, table_items

# 'Severity: High', 'Likelihood: medium', '(High)' at the end of an item
_SHORT_FIELD = re.compile(
    r"\b(severity|priority|likelihood|probability|impact)\s*[:=]\s*"
    r"([A-Za-z][\w-]*(?:\s*/\s*[A-Za-z][\w-]*)?)",
    re.IGNORECASE,
)
_DECISION = re.compile(r"\b(?:decision|decided|resolved|answer)\s*:\s*(\S.*)$", re.IGNORECASE)
_TRAILING_LEVEL = re.compile(r"\((critical|high|medium|med|low)\)\s*\.?$", re.IGNORECASE)
# 'R2: ', 'Q1. ', 'P-3 — ': the author's number of a heading item, not its text
_ID_PREFIX = re.compile(r"^[A-Z]{1,3}-?\d+[a-z]?\s*(?:[:.)]|\s[—–-])\s*(?=\S)")
_LEADING_LEVEL = re.compile(r"^[\[(](critical|high|medium|med|low)[\])]\s*", re.IGNORECASE)
# 'We identified two risks.', 'This RFC has two costs.': announces the items below
_ANNOUNCES = re.compile(
    r"(?:^|[.!?]\s+)(?:[\w-]+\s){0,5}(?:has|have|identified|identify|see|list|are|include"
    r"|includes|raises|brings|carries|comes with)\s+(?:\w+\s)?(?:two|three|four|five|six"
    r"|several|a few|some|the following|these|main|key)\s+(?:[\w-]+\s){0,2}(?:risks?|costs?"
    r"|drawbacks?|concerns?|issues?|questions?|problems?|downsides?|limitations?|blockers?)"
    r"\b[^.!?]{0,30}[.:]$",
    re.IGNORECASE,
)
_MITIGATES = re.compile(r"\b(?:mitigat\w*|workarounds?|address(?:es|ed)?|avoid\w*)\b", re.I)
# 'Non-goal #1: ...', 'Risk 2. ...': a kind word and the author's number open an item
_NUMBERED_LABEL = re.compile(r"^(?P<label>[A-Za-z][\w -]{1,30}?)\s*#?\s*\d+[a-z]?\s*[:.)—–-]\s+\S")
# 'However, ...', 'That said, ...': a paragraph that goes on from the one above
_CONTINUES = re.compile(
    r"^(?:however|nevertheless|nonetheless|but|and|still|that said|with that said|that is"
    r"|in particular|for example|for instance|e\.g\.|instead|on the other hand|in practice"
    r"|fortunately|hopefully|admittedly|even so|to mitigate|we (?:will|can|plan to|could) mitigate"
    r"|(?:the|one|a|our) mitigation"
    r"|(?:this|that|the) (?:risk |issue |concern |problem |drawback )?"
    r"(?:is|can be|could be|would be|will be|has been)"
    r" (?:mitigated|addressed|avoided|reduced|minimi[sz]ed))\b",
    re.IGNORECASE,
)
# '... does not strictly depend on this question being resolved': about the item above
_REFERS_BACK = re.compile(
    r"\b(?:this|that|the above|these) (?:question|risk|drawback|issue|concern|problem)s?\b"
    r"(?! (?:is|are) (?:whether|how|what|if)\b)",
    re.IGNORECASE,
)
# a paragraph set wholly in italics: an editorial note
_EMPHASISED = re.compile(r"^(\*|_)(?!\1)[^*_].*(?<![*_])\1$", re.DOTALL)
_NOTE_HEADERS = frozenset({"note", "notes", "comment", "comments", "remarks"})
_LINK_ONLY = re.compile(r"^\s*(?:[-*+]\s+)?(?:<[^>]+>|\[[^\]]*\]\([^)]*\)|https?://\S+)[\s.,;]*$")


@dataclass
class _Unit:
    """One block of a segment and the items it gives (a list, a table, a bold lead-in)."""

    block: Block
    items: list[Candidate] = field(default_factory=list)
    enumerates: bool = False  # its items are the segment's items (not support of prose)


@dataclass
class _Segment:
    """The blocks under one kind context; decided when it closes."""

    kind: str | None
    heading: Heading | None = None  # a sub-heading that is one item itself (principle 5)
    units: list[_Unit] = field(default_factory=list)
    end: int = 0  # last line of the segment so far
    last: Candidate | None = None  # the latest item: a 'Decision: ...' paragraph may follow
    attribute: str | None = None  # '**Mitigation:**' just above: the next list belongs to it
    context: bool = False  # its prose only introduces the item sub-headings below
    level: int | None = None  # the level of the heading that opened it
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
        # the headings above: (level, kind, is an item, text, inside a questionnaire)
        stack: list[tuple[int, str | None, bool, str, bool]] = []
        segment = _Segment(None)
        details = 0  # depth of open '<details>' elements
        answering = False  # under the template's questionnaire: answers, no items (2)
        for block in blocks:
            if isinstance(block, Html):
                source = block.source.lower()
                details = max(0, details + source.count("<details") - source.count("</details"))
                continue
            if isinstance(block, Heading):
                if segment.heading is not None and block.level > segment.heading.level:
                    segment.units.append(_Unit(block))  # explains the item heading above
                    segment.end = max(segment.end, block.end)
                    continue
                while stack and stack[-1][0] >= block.level:
                    stack.pop()
                title = inline_text(block.inline)
                answering = (bool(stack) and stack[-1][4]) or self.labels.is_questionnaire(
                    title, [entry[3] for entry in stack]
                )
                is_top = section_level is None or block.level <= section_level
                parent = stack[-1][1] if stack and not is_top else None
                kind, is_item = self._heading_kind(title, is_top, parent)
                if answering:
                    kind, is_item = None, False
                present = any(self.labels.describes_present(entry[3]) for entry in stack)
                if present and kind is not None and not self.labels.is_scope_kind(kind):
                    # 'Motivation > Performance': today's problem, not the proposal's (1)
                    kind, is_item = None, False
                if is_item and segment.kind == kind and segment.heading is None:
                    segment.context = True  # prose before its item sub-headings (7)
                if (
                    kind is not None
                    and not is_item
                    and segment.level is not None
                    and block.level > segment.level
                    and self._introduces(segment)
                ):
                    segment.context = True  # 'Blockers, risks and ...' over those sections (7)
                found += self._close(segment)
                segment = _Segment(kind, end=block.end, level=block.level)
                if is_item:
                    segment.heading = block
                stack.append((block.level, kind, is_item, title, answering))
                continue
            segment.end = max(segment.end, block.end)
            if answering:
                continue
            if details:
                segment.details.append(block)
                continue
            lead = self.labels.label(block, segment.kind)
            if (
                lead is not None
                and lead[0] is not None
                and not self.labels.is_scope_kind(lead[0])
                and any(self.labels.describes_present(entry[3]) for entry in stack)
            ):
                lead = None  # '**Performance:**' in the motivation describes today (1)
            if lead is not None and (segment.heading is None or lead[0] is not None):
                label_kind, rest, new_section = lead
                strong = leading_strong(block.inline) if isinstance(block, Paragraph) else None
                if (
                    label_kind is not None
                    and label_kind == segment.kind
                    and segment.heading is None
                    and strong is not None
                    and rest
                    and not is_none(rest)
                    and isinstance(block, Paragraph)
                ):
                    # '**Risk — hot accounts:** ...' among the risks: one more item of this
                    # context, so the context paragraph above stays no item (7)
                    text = self.labels.label_text(strong[0], rest, block.inline)
                    segment.last = self._candidate(label_kind, text, block, "paragraph")
                    segment.units.append(_Unit(block, [segment.last], enumerates=True))
                    continue
                found += self._close(segment)
                kind = label_kind if new_section else label_kind or segment.kind
                segment = _Segment(kind)
                if (
                    rest
                    and kind is not None
                    and isinstance(block, Paragraph)
                    and not is_none(rest)
                    and not self.labels.is_placeholder(rest)
                    and not self.labels.is_template_text(rest)
                ):
                    label = leading_strong(block.inline)
                    text = (
                        rest
                        if label is None
                        else self.labels.label_text(label[0], rest, block.inline)
                    )
                    segment.last = self._candidate(kind, text, block, "paragraph")
                    segment.units.append(_Unit(block, [segment.last], enumerates=True))
                continue
            self._block(block, segment)
        found += self._close(segment)
        return found

    def _introduces(self, segment: _Segment) -> bool:
        """A section's one paragraph before its kind sub-sections, naming several kinds or
        set in italics as a note: it introduces those sub-sections, it is no item."""
        if segment.kind is None or len(segment.units) != 1 or segment.units[0].items:
            return False
        block = segment.units[0].block
        if not isinstance(block, Paragraph):
            return False
        text = inline_text(block.inline)
        italic = _EMPHASISED.match(block.inline.source.strip()) is not None
        return italic or len(self.labels.kinds_named(text)) >= 2

    def _heading_kind(self, text: str, is_top: bool, parent: str | None) -> tuple[str | None, bool]:
        """(the kind a heading opens or None, whether it is one item of its parent's kind)."""
        labels = self.labels
        if is_top:
            return labels.kind_of(text), False
        exact = labels.exact_kind(text)
        if exact is not None:
            return exact, False
        if labels.is_template_text(text):
            return None, False  # the template's question: not the author's content
        if parent is None:
            return None, False  # merely contains a kind word, outside the kind's section
        loose = labels.kind_of(text)
        if loose is not None:
            return loose, False  # 'Performance considerations' inside Risks & Concerns
        if text.rstrip().endswith("?") and parent not in self.resolution.resolvable:
            return None, False  # a questionnaire's question: it and its answer are no items
        words = normalize(text)
        if words in EXPLANATORY_HEADINGS or (words.split() or [""])[0] in EXPLANATORY_HEADINGS:
            return None, False  # '#### Mitigations': explains the items above
        if labels.names_a_kind(text) or not labels.is_item_heading(text):
            return parent, False  # groups items: 'Technical risks', '### Resolved'
        return parent, True

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

    def _block(self, block: Block, segment: _Segment) -> None:
        if isinstance(block, ListBlock):
            if segment.attribute is not None and segment.last is not None:
                _attach(segment.last, segment.attribute, _plain([block]))
                segment.units.append(_Unit(block))
                return
            items: list[Candidate] = []
            for item in block.items:
                items += self._list_item(item, segment)
            segment.units.append(_Unit(block, items, enumerates=self._enumerates(block, segment)))
        elif isinstance(block, Table):
            items = self._table(block, segment)
            if not items and segment.last is not None:
                _add_detail(segment.last, _plain([block]))  # a data table under an item
            segment.units.append(_Unit(block, items, enumerates=bool(items)))
        elif isinstance(block, Paragraph):
            segment.attribute = None
            text = inline_text(block.inline)
            lead = leading_strong(block.inline)
            attribute = lead[0] if lead is not None and is_attribute(lead[0]) else None
            if attribute is None and starts_with_attribute(text):
                attribute = text.partition(":")[0]
            if attribute is not None:
                self._note_decision(block, segment)
                if segment.last is not None:
                    rest = lead[1] if lead is not None else text.partition(":")[2]
                    if rest.strip():
                        _attach(segment.last, attribute, rest)
                    else:
                        segment.attribute = attribute  # the list below holds its value
                segment.units.append(_Unit(block))
                return
            if (
                segment.kind is not None
                and lead is not None
                and text
                and not is_none(text)
                and segment.heading is None
                and not self.labels.is_template_text(text)
                and not self._asks(block.inline, segment)
            ):
                segment.last = self._candidate(segment.kind, text, block, "paragraph")
                segment.units.append(_Unit(block, [segment.last], enumerates=True))
                segment.attribute = _closing_attribute(text)  # '... Mitigations:' then a list
                if segment.attribute is not None:
                    head = segment.last.text[: segment.last.text.rfind(segment.attribute)]
                    segment.last.text = head.rstrip() or segment.last.text
                return
            if segment.last is not None and self._note_decision(block, segment):
                _attach(segment.last, "decision", text.partition(":")[2] or text)
            segment.units.append(_Unit(block))
        elif isinstance(block, Quote):
            for child in block.children:
                self._block(child, segment)

    def _asks(self, inline: Inline | None, segment: _Segment) -> bool:
        """A bold question in a section of a kind that is no question: a questionnaire's
        ('**Will enabling this feature result in new API calls?**'); what follows answers it.
        A plain sentence ending with '?' ('Clarify the licence: may we ship it?') is an item."""
        if inline is None or segment.kind in self.resolution.resolvable:
            return False
        lead = leading_strong(inline)
        return lead is not None and not lead[1] and lead[0].rstrip().endswith("?")

    def _asks_all(self, block: ListBlock, segment: _Segment) -> bool:
        return bool(block.items) and all(self._asks(i.first_inline, segment) for i in block.items)

    def _enumerates(self, block: ListBlock, segment: _Segment) -> bool:
        """Whether a list is the author's enumeration, or supports the prose around it."""
        texts = [
            self.lines[item.line] if item.line < len(self.lines) else "" for item in block.items
        ]
        if texts and all(_LINK_ONLY.match(t) for t in texts):
            return False  # a reference list
        paragraphs = [u for u in segment.units if isinstance(u.block, Paragraph) and not u.items]
        previous = segment.units[-1] if segment.units else None
        if previous is None or not isinstance(previous.block, Paragraph) or previous.items:
            return True
        intro = inline_text(previous.block.inline).rstrip()
        if _rebuts(intro):
            return False  # '... in the ecosystem. However:' then the author's answers (3)
        if not intro.endswith(":") or len(paragraphs) < 2:
            return True
        # '... some explicit non-goals, to set expectations:' introduces the items (7);
        # '... the validated cases are:' after prose: the list supports that prose (3)
        return (
            segment.kind is not None
            and self.labels.names_kind(intro, segment.kind)
            and not _MITIGATES.search(intro)
        )

    def _list_item(self, item: ListItem, segment: _Segment) -> list[Candidate]:
        inline = item.first_inline
        lead = leading_strong(inline) if inline is not None else None
        nested = [child for child in item.children if isinstance(child, ListBlock | Table)]
        if lead is not None:
            label, rest = lead
            if is_attribute(label) and segment.last is not None:
                _attach(segment.last, label, rest or _plain(item.children[1:]))
                return []
            kind = self.labels.label_kind(label.rstrip(":"), segment.kind)
            is_label = kind is not None and label.endswith(":")
            if is_label or (label.endswith(":") and not rest and nested):
                inner = _Segment(kind or segment.kind)
                found: list[Candidate] = []
                if nested:
                    for child in nested:
                        self._block(child, inner)
                    found = [c for unit in inner.units for c in unit.items]
                elif rest and inner.kind is not None and not is_none(rest):
                    text = (
                        self.labels.label_text(label, rest, inline) if inline is not None else rest
                    )
                    found.append(self._candidate(inner.kind, text, item, "list", inline))
                return found
        if segment.kind is None or inline is None:
            return []
        text = inline_text(inline)
        lists = [child for child in nested if isinstance(child, ListBlock)]
        if lists and text.rstrip().endswith("?"):
            # a prompt's question over the author's answers ('- What parts of the design
            # do you expect to resolve...?' then '    - Should env-file ...?'): the
            # nested entries are the items, of the kind the question names, if any
            named = self.labels.kind_in(text)
            answers = [i.first_inline for block in lists for i in block.items]
            all_questions = all(
                a is not None and inline_text(a).rstrip().endswith("?") for a in answers
            )
            # a question to the author ('do you expect') over questions is a template's
            addressed = all_questions and re.search(r"\byour?\b", text, re.I) is not None
            if (
                self.labels.is_template_text(text)
                or addressed
                or (named is not None and named != segment.kind)
            ):
                inner = _Segment(named or segment.kind)
                for child in lists:
                    self._block(child, inner)
                return [c for unit in inner.units for c in unit.items]
        settles = segment.kind in self.resolution.resolvable and self.resolution.decides(text)
        if starts_with_attribute(text) and not settles:  # 'Severity: High' is no item
            if segment.last is not None:
                head, _, rest = text.partition(":")
                _attach(segment.last, head, rest)
            return []
        if (
            not text
            or is_none(text)
            or is_pointer(text)
            or self.labels.is_placeholder(text)
            or self.labels.is_template_text(text)
            or self.labels.answers_instruction(text)
            or self._asks(inline, segment)
        ):
            return []
        candidate = self._candidate(segment.kind, text, item, "list", inline)
        _item_fields(candidate, item.children[1:], self)
        segment.last = candidate
        return [candidate]

    def _table(self, table: Table, segment: _Segment) -> list[Candidate]:
        found = []
        headers = column_headers(table)
        for row in table_items(table, segment.kind, self.labels, self.resolution):
            candidate = self._candidate(row.kind, row.text, row.row, "row")
            if row.settled:
                candidate.resolved = True
            for index, cell in enumerate(row.row.cells):
                if index >= len(headers) or index == row.column:
                    continue
                value = inline_text(cell)
                name = field_name(headers[index])
                if name is not None and value:
                    candidate.fields.setdefault(name, value)
                elif value and headers[index].strip():
                    _add_detail(candidate, f"{headers[index]}: {value}")
                    if row.settled and normalize(headers[index]) in _NOTE_HEADERS:
                        candidate.fields.setdefault("decision", value)  # a settled row's note
            found.append(candidate)
        return found

    def _note_decision(self, paragraph: Paragraph, segment: _Segment) -> bool:
        """'Decision: ...' under a question item (not indented into it) resolves that item."""
        last = segment.last
        if last is None or last.resolved is None:
            return False
        if self.resolution.decides(inline_text(paragraph.inline)):
            last.resolved = True
            return True
        return False

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
        candidate = Candidate(
            kind, text, block.line, style, self.resolution.of_item(kind, inline, lines)
        )
        _short_fields(candidate, text)
        _split_text(candidate)
        return candidate

    def _close(self, segment: _Segment) -> list[Candidate]:
        """The segment's items; a collapsed '<details>' block counts only when the
        context holds nothing else (its table of benchmark rows is no item list)."""
        found = self._close_main(segment)
        if found or segment.kind is None or not segment.details:
            return found
        if any(unit.items for unit in segment.units):
            return found
        inner = _Segment(segment.kind, end=segment.end)
        for block in segment.details:
            self._block(block, inner)
        return self._close_main(inner)

    def _close_main(self, segment: _Segment) -> list[Candidate]:
        """The items the segment enumerates; else its prose paragraphs, one item each."""
        if segment.kind is None:
            return []
        if segment.heading is not None and not _lists_only(segment):
            text = _ID_PREFIX.sub("", inline_text(segment.heading.inline))
            candidate = self._candidate(
                segment.kind, text, segment.heading, "heading", end=segment.end
            )
            blocks = [unit.block for unit in segment.units]
            candidate.detail = _plain(blocks)
            for unit in segment.units:
                for item in unit.items:
                    for key, value in item.fields.items():
                        candidate.fields.setdefault(key, value)
            _block_fields(candidate, blocks)
            return [candidate]
        enumerated = [c for unit in segment.units if unit.enumerates for c in unit.items]
        if enumerated:
            return enumerated  # the context paragraphs around them are no items (7)
        if segment.context:
            return []
        numbered = self._numbered_paragraphs(segment)
        if numbered:
            return numbered
        found: list[Candidate] = []
        current: Candidate | None = None
        is_placeholder = self.labels.is_placeholder
        answering = False  # after a template question, paragraphs answer it (2)
        for unit in segment.units:
            if not isinstance(unit.block, Paragraph):
                if isinstance(unit.block, ListBlock) and self._asks_all(unit.block, segment):
                    answering, current = True, None  # '* **Will enabling ...?**' then answers
                if current is not None:
                    _add_detail(current, _plain([unit.block]))
                continue
            paragraph = unit.block
            text = inline_text(paragraph.inline)
            lead = leading_strong(paragraph.inline)
            if (lead is not None and is_attribute(lead[0])) or starts_with_attribute(text):
                continue  # '**Mitigation:** ...' after an item belongs to it
            if self.labels.is_template_text(text) or self._asks(paragraph.inline, segment):
                answering, current = True, None
                continue
            if not found and current is None and _ANNOUNCES.search(text) and len(text) < 160:
                continue  # 'This RFC has two costs.': announces the items (7)
            if current is not None and (
                _CONTINUES.match(text) or _REFERS_BACK.search(re.split(r"[.!?]\s", text)[0])
            ):
                _add_detail(current, text)  # 'However, ...': answers the item above (3)
                continue
            if _rebuts(text):
                text = _last_sentence.sub("", text.rstrip())  # the item, then 'However:'
            if (
                answering
                or not text
                or is_none(text)
                or is_placeholder(text)
                or is_pointer(text)
                or self.labels.answers_instruction(text)
                or text.rstrip().endswith(":")
            ):
                current = None  # what follows supports this paragraph, not the item above
                continue
            kind = segment.kind
            named = self.labels.states_kind(text)
            if named is not None and kind in self.resolution.resolvable and "?" not in text:
                kind = named  # '... is out of scope for this RFC.' among the questions
            current = self._candidate(kind, text, paragraph, "paragraph", paragraph.inline)
            found.append(current)
        return found

    def _numbered_paragraphs(self, segment: _Segment) -> list[Candidate]:
        """'Non-goal #1: ...' paragraphs: the author's numbered items of the kind. A
        paragraph before the first introduces them (7); one after an item explains it."""
        kind = segment.kind
        if kind is None:
            return []
        found: list[Candidate] = []
        for unit in segment.units:
            block = unit.block
            text = inline_text(block.inline) if isinstance(block, Paragraph) else ""
            label = _NUMBERED_LABEL.match(text)
            if (
                isinstance(block, Paragraph)
                and label is not None
                and self.labels.names_kind(label.group("label"), kind)
            ):
                found.append(self._candidate(kind, text, block, "paragraph", block.inline))
                continue
            if found:
                _add_detail(found[-1], _plain([block]))
        return found


_ADVERSATIVE = re.compile(
    r"^(?:however|but|nevertheless|nonetheless|still|that said|with that said|on the other hand"
    r"|even so|admittedly)\b",
    re.IGNORECASE,
)
_last_sentence = re.compile(r"\s*(?<=[.!?])\s+[^.!?]+:$|^[^.!?]+:$")


def _rebuts(text: str) -> bool:
    """'There are other implementations. However:': the list below answers the item."""
    last = re.split(r"(?<=[.!?])\s+", text.rstrip())[-1]
    return last.endswith(":") and len(last) < 40 and _ADVERSATIVE.match(last) is not None


def _closing_attribute(text: str) -> str | None:
    """'... on upgrade. Mitigations:': the item's last words name the attribute the list
    below gives."""
    last = re.split(r"(?<=[.!?])\s+", text.rstrip())[-1]
    if last.endswith(":") and is_attribute(last[:-1]):
        return last[:-1]
    return None


def _plain(blocks: list[Block]) -> str:
    """The plain text of blocks (nested lists and tables included), for ``detail``."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            parts.append(inline_text(block.inline))
        elif isinstance(block, ListBlock):
            for item in block.items:
                parts.append(_plain(item.children))
        elif isinstance(block, Table):
            if any(inline_text(cell) for cell in block.header):  # what the figures mean
                parts.append(" | ".join(inline_text(cell) for cell in block.header))
            for row in block.rows:
                parts.append(" | ".join(inline_text(cell) for cell in row.cells))
        elif isinstance(block, Quote):
            parts.append(_plain(block.children))
    return fold(" ".join(p for p in parts if p))


def _add_detail(candidate: Candidate, text: str) -> None:
    text = fold(text)
    if text:
        candidate.detail = f"{candidate.detail} {text}".strip()


def _attach(candidate: Candidate, label: str, value: str) -> None:
    """'**Mitigation:** X' under an item: a field of it, and part of its detail."""
    value = fold(value)
    if not value:
        return
    name = field_name(label.rstrip(":"))
    if name is not None:
        candidate.fields.setdefault(name, value)
    _add_detail(candidate, f"{label.rstrip(':')}: {value}")


def _short_fields(candidate: Candidate, text: str) -> None:
    """'Severity: High' written in the item's own line, or a trailing '(High)'."""
    for match in _SHORT_FIELD.finditer(text):
        name = field_name(match.group(1))
        if name is not None:
            candidate.fields.setdefault(name, match.group(2))
    leading = _LEADING_LEVEL.match(candidate.text)
    if leading is not None:
        candidate.fields.setdefault("severity", leading.group(1).capitalize())
        candidate.text = candidate.text[leading.end() :]
    decision = _DECISION.search(text)
    if decision is not None and candidate.resolved is not None:
        candidate.fields.setdefault("decision", decision.group(1).strip())
    trailing = _TRAILING_LEVEL.search(text)
    if trailing is not None:
        candidate.fields.setdefault("severity", trailing.group(1).capitalize())


# '... at once. (High)': a severity marker after the item's sentence
_TRAILING_MARK = re.compile(r"\s*[\[(](?:critical|high|medium|med|low)[\])]\s*\.?$", re.IGNORECASE)
# '... worked before. Mitigation: announce it.': an attribute after the item's sentence
_INLINE_ATTRIBUTE = re.compile(
    r"(?:(?<=[.;!?)])\s+|\s+[—–-]\s+)(?:\*\*)?(?P<name>mitigations?|workaround|severity|likelihood"
    r"|impact|owner)(?:\*\*)?\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)


def _split_text(candidate: Candidate) -> None:
    """The item's own words: a trailing severity marker or a 'Mitigation: ...' after its
    sentence are its fields (the register shows them in their columns), not its text. A
    question keeps its 'Resolved: ...': the questions index shows the answer with it."""
    text = candidate.text
    marker = _TRAILING_MARK.search(text)
    if marker is not None and marker.start() > 0:
        text = text[: marker.start()]
    attribute = _INLINE_ATTRIBUTE.search(text)
    if attribute is not None and attribute.start() > 0:
        name = field_name(attribute.group("name"))
        if name is not None and name != "decision":
            candidate.fields.setdefault(name, attribute.group("value").strip())
            text = text[: attribute.start()]
    candidate.text = text.rstrip(" —–-") or candidate.text


def _item_fields(candidate: Candidate, children: list[Block], walk: ItemWalk) -> None:
    """A list item's nested blocks: its detail, and 'Mitigation: ...' sub-bullets as fields."""
    if not children:
        return
    candidate.detail = _plain(children)
    _block_fields(candidate, children)
    if candidate.resolved is False and walk.resolution.decides(candidate.detail):
        candidate.resolved = True


def _block_fields(candidate: Candidate, blocks: list[Block]) -> None:
    for block in blocks:
        inlines: list[Inline] = []
        if isinstance(block, Paragraph):
            inlines.append(block.inline)
        elif isinstance(block, ListBlock):
            inlines += [i.first_inline for i in block.items if i.first_inline is not None]
        for inline in inlines:
            text = inline_text(inline)
            lead = leading_strong(inline)
            if lead is not None and field_name(lead[0].rstrip(":")) is not None and lead[1]:
                candidate.fields.setdefault(field_name(lead[0].rstrip(":")) or "", lead[1])
            elif starts_with_attribute(text):
                head, _, rest = text.partition(":")
                name = field_name(head)
                if name is not None and rest.strip():
                    candidate.fields.setdefault(name, rest.strip())
            _short_fields(candidate, text)


def _lists_only(segment: _Segment) -> bool:
    """A sub-section that is nothing but a list of items: a group, not one item."""
    return any(u.items for u in segment.units) and all(
        isinstance(u.block, ListBlock) and u.enumerates and u.items for u in segment.units
    )
