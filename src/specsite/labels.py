"""The label and kind vocabulary: which words name a kind, a section, an item's attribute.

Authors mark structure with words, not markup: '### Risks', '**Blockers:**',
'**Mitigation:** ...', 'None identified.', 'TBD'. This module holds every such
word list and the rules that read them, built once per build from the
configuration and the prompt; it keeps no per-spec state.
"""

from __future__ import annotations

import re

from specsite.blocks import (
    Block,
    Heading,
    Html,
    Inline,
    ListItem,
    Paragraph,
    parse_blocks,
    walk,
)
from specsite.config import Config
from specsite.headings import Vocabulary, alternatives, normalize
from specsite.plaintext import inline_text, leading_strong
from specsite.prompt import Prompt

_NONE = re.compile(
    r"^no$|^(?:none|n/?a|nil|nothing|not applicable)"
    r"(?:\s+(?:identified|known|found|expected|yet|so far|at (?:this|the moment|present)"
    r"|as of (?:yet|now|today|writing|this writing)"
    r"|time|moment|present|currently|for now|to report|noted|particularly|in particular"
    r"|specific|significant|major|obvious|that we know of|that i know of|I can think of"
    r"|come to mind|known to me|considered|planned|needed|required|outstanding|remaining"
    r"|left|open))*\s*(?:$|[.;:,(!]|[—–-]\s|that (?:i|we) (?:know|am aware|are aware)\b)"
    # 'Not currently aware of any (other than ...)', 'We are not aware of any.'
    r"|^(?:(?:i am|i'm|we are|we're) )?not (?:currently |yet )?aware of any\b"
    r"|^(?:i|we) (?:can't|cannot|can not|couldn't|could not) think of any\b"
    r"|^(?:there (?:are|is|were) |we (?:have|see|know of) |i (?:see|know of) )"
    r"(?:none|nothing)\b"
    r"|^(?:there (?:are|is|were) |we (?:have|see|know of) |i (?:see|know of) )?"
    r"(?:no|not any) (?:[\w-]+ ){0,3}"
    r"(?:blockers?|risks?|items?|questions?|issues?|concerns?|unknowns?|dependencies"
    r"|drawbacks?|downsides?|limitations?)\b"
    # 'All questions have now been resolved.': everything settled, nothing listed
    r"|^all (?:the )?(?:open |outstanding |unresolved )?(?:questions?|issues?|concerns?|items?)"
    r"(?: \w+)? (?:have|has|are|were)(?: now| since| all)? (?:been )?"
    r"(?:resolved|answered|addressed|closed|settled)\b",
    re.IGNORECASE,
)
# 'See: #1234', 'See the design doc', 'Refer to ...': a pointer, not an item of its own
_POINTER = re.compile(
    r"^(?:see(?:\s+also)?\b|refer to\b|cf\.|for (?:more )?details,? see\b|tracked (?:in|at)\b"
    r"|more (?:details|information|info) (?:in|at|on)\b)",
    re.IGNORECASE,
)
# Headings that structure a section rather than name one item of it.
GENERIC_HEADINGS = frozenset(
    {
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
)
# Sub-headings that explain the items of a section rather than hold items of it:
# what is under them belongs to the items above ('#### Mitigations').
EXPLANATORY_HEADINGS = frozenset(
    {
        "mitigation",
        "mitigations",
        "notes",
        "note",
        "discussion",
        "background",
        "context",
        "details",
        "analysis",
        "appendix",
        "references",
        "example",
        "examples",
        "rationale",
        "alternative",
        "alternatives",
        "alternative solutions",
        "test plan",
        "testing",
    }
)
# Sections that describe the present (the problem, the situation today): a risk or
# performance sub-section there is today's problem, not one of the proposal's items.
PRESENT_SECTIONS = frozenset(
    {
        "motivation",
        "background",
        "context",
        "problem",
        "problem statement",
        "the problem",
        "current state",
        "status quo",
        "prior art",
    }
)
# The attributes an item may carry as ``fields`` (severity, mitigation, ...), by label.
FIELD_NAMES = {
    "severity": "severity",
    "priority": "severity",
    "likelihood": "likelihood",
    "probability": "likelihood",
    "impact": "impact",
    "mitigation": "mitigation",
    "mitigations": "mitigation",
    "workaround": "mitigation",
    "owner": "owner",
    "owners": "owner",
    "assignee": "owner",
    "decision": "decision",
    "decided": "decision",
    "resolution": "decision",
    "answer": "decision",
    "resolved": "decision",
}
# Bold leads that describe the item above them rather than open a new one.
_ITEM_ATTRIBUTES = frozenset(
    {
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
)
# the last word of a lead that says how the items above are handled
_HANDLING = frozenset(
    {"approach", "mitigation", "mitigations", "plan", "strategy", "workaround", "improvements"}
)
# 'Risk — flag debt', 'Blocker: vendor licence': a kind word, then the item's own name
_NAMED_LABEL = re.compile(r"^(?P<kind>[^—–:]+?)\s*(?:[—–]|\s-\s|:)\s*(?P<name>\S.*)$")

# (kind or None, text after the label, whether the label starts a new section)
Label = tuple[str | None, str, bool]


def is_attribute(label: str) -> bool:
    """'**Mitigation:**', '**Likelihood:** Medium', '**Decision:** ...': part of an item;
    so is a lead naming a way of handling it ('**Alpha approach:**', '**Rollout plan:**')."""
    words = normalize(label).split()
    if not words:
        return False
    # '**Impact on routing:** ...' is an item
    return " ".join(words) in _ITEM_ATTRIBUTES or (len(words) <= 3 and words[-1] in _HANDLING)


def starts_with_attribute(text: str) -> bool:
    """'Mitigation: a feature gate.' in plain text: it describes the item above."""
    head, colon, _ = text.partition(":")
    return bool(colon) and len(head) < 30 and is_attribute(head)


def field_name(label: str) -> str | None:
    """'**Mitigation:**' -> 'mitigation', 'Probability' -> 'likelihood', else None."""
    return FIELD_NAMES.get(normalize(label))


def is_pointer(text: str) -> bool:
    """'See: KEP-1234', 'Refer to the runbook.': points elsewhere, no item of its own."""
    stripped = text.strip(" *_-—:")
    if re.match(r"(?:the )?same as\b", stripped, re.IGNORECASE) and len(stripped) < 80:
        return True  # 'Same as the graceful shutdown KEP.'
    return _POINTER.match(stripped) is not None and len(text) < 240


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


class Labels:
    """The words of one schema (configured kinds, prompt sections, placeholders)."""

    def __init__(self, config: Config, prompt: Prompt) -> None:
        self.prompt = prompt
        self._kinds = Vocabulary((kind.key, kind.headings) for kind in config.kinds)
        self._kind_names = {
            alt for kind in config.kinds for name in kind.headings for alt in alternatives(name)
        }
        self._raw_placeholders = set(config.placeholders)
        self._placeholders = {normalize(p) or p for p in config.placeholders}
        self._guidance = {
            normalize(text) for section in prompt.sections for text in section.guidance
        }
        self._kind_alternatives = {
            kind.key: {alt for name in kind.headings for alt in alternatives(name)}
            for kind in config.kinds
        }
        self._template = _template_texts(prompt.body)
        self._scope_kinds = frozenset(
            key
            for key, names in self._kind_alternatives.items()
            if any(re.search(r"\b(?:goals?|scope)\b", name) for name in names)
        )
        self._template_headings, self._questionnaires = _questionnaires(prompt.body)
        self._instruction_questions = [
            words
            for question, words in _instruction_questions(prompt.body)
            if not self.names_a_kind(question)
        ]
        self._template_by_start: dict[str, list[frozenset[str]]] = {}
        for sentence in self._template:
            split = sentence.split()
            self._template_by_start.setdefault(" ".join(split[:3]), []).append(frozenset(split))

    def describes_present(self, title: str) -> bool:
        """'## Motivation', '### Background': describes the situation the proposal changes."""
        if normalize(title) in PRESENT_SECTIONS:
            return True
        section = self.prompt.section_for(title)
        return section is not None and normalize(section.title) in PRESENT_SECTIONS

    def is_scope_kind(self, kind: str) -> bool:
        """A kind that states the proposal's scope ('Non-Goals', 'Out of Scope'): the
        motivation is where authors bound it, so it is the kind's there too."""
        return kind in self._scope_kinds

    def kind_of(self, title: str) -> str | None:
        """The kind a heading or label names ('Risks & Concerns' -> None, 'Risks' -> risk)."""
        return self._kinds.best(title)

    def exact_kind(self, title: str) -> str | None:
        """The kind a heading or label names exactly ('Risks', not 'Risks of doing nothing')."""
        parts = alternatives(title)
        for key, names in self._kind_alternatives.items():
            if any(part in names for part in parts):
                return key
        return None

    def kind_in(self, text: str) -> str | None:
        """The kind a sentence names inside it ('... consider out of scope for this RFC?')."""
        words = f" {normalize(text)} "
        for key, names in self._kind_alternatives.items():
            if any(f" {name} " in words for name in names if " " in name):
                return key
        return None

    def states_kind(self, text: str) -> str | None:
        """The kind a sentence files itself under ('... is out of scope for this RFC'),
        not a phrase that merely contains its words ('... when it goes out of scope')."""
        words = normalize(text)
        for key, names in self._kind_alternatives.items():
            for name in names:
                if " " in name and re.search(
                    rf"\b(?:is|are|be|remains?|considered|left) (?:\w+ )?{re.escape(name)}\b", words
                ):
                    return key
        return None

    def names_kind(self, text: str, kind: str) -> bool:
        """Whether a sentence names ``kind`` ('some explicit *non*-goals', 'two risks')."""
        words = f" {normalize(text)} "
        names = self._kind_alternatives.get(kind, set())
        return any(
            f" {name} " in words or (name.endswith("s") and f" {name[:-1]} " in words)
            for name in names
            if name
        )

    def kinds_named(self, text: str) -> list[str]:
        """Every kind a sentence names ('Blockers, risks and performance ...': three)."""
        return [key for key in self._kind_alternatives if self.names_kind(text, key)]

    def names_a_kind(self, text: str) -> bool:
        """'Technical risks', 'Questions for legal': a heading that groups items of a kind."""
        words = f" {normalize(text)} "
        return any(f" {name} " in words for name in self._kind_names if name)

    def is_template_text(self, text: str) -> bool:
        """The template's own words (its questionnaire, its instructions): not content.

        Also a template question followed by its answer ('Will enabling ... new API
        calls? No.'), and an older wording of it (most words shared).
        """
        words = normalize(text)
        if len(words) < 20:
            return False
        if words in self._template:
            return True
        split = words.split()
        for end in range(4, len(split)):
            if " ".join(split[:end]) in self._template:
                return True  # the template's sentence, then the author's answer
        return self._similar(split)

    def answers_instruction(self, text: str) -> bool:
        """An answer to a question the template asks in its hidden instructions about
        something other than items ('How will security be reviewed, and by whom?' over
        the KEP's risks): 'Security will continue to be reviewed by SIG Security.'"""
        if not self._instruction_questions:
            return False
        words = _stems(re.split(r"(?<=[.!?;])\s", text, maxsplit=1)[0])  # its first clause
        return any(question <= words for question in self._instruction_questions)

    def is_questionnaire(self, text: str, ancestors: list[str]) -> bool:
        """A heading the template gives a questionnaire ('### Scalability' over
        '###### Will enabling ... new API calls?'): what is written under it answers
        the template's questions, and an answer is no item (2). The same words under
        another of the template's sections ('Design Details > Scalability') are the
        author's own section. ``ancestors``: the headings above it in the spec."""
        parents = self._questionnaires.get(normalize(text))
        if parents is None:
            return False
        return not any(
            normalize(a) in self._template_headings and normalize(a) not in parents
            for a in ancestors
        )

    def _similar(self, split: list[str]) -> bool:
        for template in self._template_by_start.get(" ".join(split[:3]), ()):
            shared = template & set(split)
            if len(shared) >= 0.8 * max(len(template), 1) and len(template) >= 5:
                return True
        return False

    def is_section_name(self, text: str) -> bool:
        """'# Summary' is a section of the document, not its title."""
        return (
            self.prompt.section_for(text) is not None
            or self.kind_of(text) is not None
            or normalize(text) in GENERIC_HEADINGS
        )

    def is_item_heading(self, text: str) -> bool:
        """A sub-heading that names one item, not a part of the section ('Mitigations')."""
        words = normalize(text).split()
        return bool(words) and words[0] not in GENERIC_HEADINGS and not self.is_section_name(text)

    def is_placeholder(self, text: str) -> bool:
        """'TBD', '<fill in>' or the prompt's own guidance text: not written yet."""
        words = normalize(text)
        first = text.strip().split(maxsplit=1)[0].rstrip(":.") if text.strip() else ""
        return (
            text.strip() in self._raw_placeholders
            or (first.isupper() and first in self._raw_placeholders)  # 'TODO for SIG-AWS'
            or words in self._placeholders
            or (bool(words) and words in self._guidance)
        )

    def label_kind(self, label: str, context: str | None) -> str | None:
        """The kind a bold label names: exactly ('**Risks:**'), or loosely only inside
        a kind's context ('**Risk of breakage:**' in an alternative names no kind)."""
        exact = self.exact_kind(label)
        if exact is not None or context is None:
            return exact
        return self.kind_of(label)

    def label(self, block: Block, context: str | None = None) -> Label | None:
        """A bold label paragraph: (its kind or None, the text after it, whether it
        starts a new section, like '**6. Recommendation**' written instead of a heading)."""
        if not isinstance(block, Paragraph):
            return None
        lead = leading_strong(block.inline)
        if lead is None:
            return None
        label, rest = lead
        if is_attribute(label.rstrip(":")):
            return None  # '**Mitigation:**' describes the item above
        kind = self.label_kind(label.rstrip(":"), context)
        if kind is not None and (label.endswith(":") or not rest):
            return kind, rest, False
        if not rest and self.prompt.section_for(label.rstrip(":")) is not None:
            return None, rest, True
        if label.endswith(":") and not rest:
            return None, rest, False
        return None

    def label_text(self, label: str, rest: str, inline: Inline) -> str:
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


def _questionnaires(body: str) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """The template's headings, and its questionnaire headings (those most of whose
    sub-headings are questions) with their ancestors, all normalised."""
    headings = [
        (block.level, inline_text(block.inline))
        for block in parse_blocks(body)
        if isinstance(block, Heading)
    ]
    found: dict[str, frozenset[str]] = {}
    stack: list[tuple[int, str]] = []
    for index, (level, text) in enumerate(headings):
        while stack and stack[-1][0] >= level:
            stack.pop()
        below = []
        for other_level, other in headings[index + 1 :]:
            if other_level <= level:
                break
            below.append(other)
        questions = [q for q in below if q.rstrip().endswith("?")]
        if len(questions) >= 2 and 2 * len(questions) >= len(below):
            found[normalize(text)] = frozenset(normalize(t) for _, t in stack)
        stack.append((level, text))
    return frozenset(normalize(t) for _, t in headings), found


_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "how",
        "if",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "should",
        "that",
        "the",
        "there",
        "this",
        "to",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


def _stems(text: str) -> frozenset[str]:
    """The content words of a sentence, cut to five letters ('reviewed' ~ 'reviews')."""
    return frozenset(w[:5] for w in normalize(text).split() if w not in _STOPWORDS)


def _instruction_questions(body: str) -> list[tuple[str, frozenset[str]]]:
    """The questions the template asks inside its ``<!-- -->`` instructions, with their
    content words (exactly two: a pointed question like 'How will UX be reviewed?',
    which an answer repeats, not 'Why should this KEP not be implemented?')."""
    found = []
    for comment in re.findall(r"<!--(.*?)-->", body, re.DOTALL):
        for sentence in re.split(r"(?<=[.?!])\s+", " ".join(comment.split())):
            if sentence.endswith("?"):
                words = _stems(sentence)
                if len(words) == 2:
                    found.append((sentence, words))
    return found


def _template_texts(body: str) -> frozenset[str]:
    """Every heading, paragraph and list item of the template, normalised."""
    found: set[str] = set()
    blocks = parse_blocks(body)
    comments = [b.source for b in walk(blocks) if isinstance(b, Html) and "<!--" in b.source]
    for comment in comments:  # the template's instructions, hidden in HTML comments
        blocks += parse_blocks(re.sub(r"<!--|-->", "\n", comment))
    for block in walk(blocks):
        text = None
        if isinstance(block, Heading | Paragraph):
            text = inline_text(block.inline)
        elif isinstance(block, ListItem) and block.first_inline is not None:
            text = inline_text(block.first_inline)
        if text:
            found.add(normalize(text))
            found.update(normalize(s) for s in re.split(r"(?<=[.?!:])\s+", text))
    return frozenset(w for w in found if len(w) >= 20)
