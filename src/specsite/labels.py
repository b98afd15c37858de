"""The label and kind vocabulary: which words name a kind, a section, an item's attribute.

Authors mark structure with words, not markup: '### Risks', '**Blockers:**',
'**Mitigation:** ...', 'None identified.', 'TBD'. This module holds every such
word list and the rules that read them, built once per build from the
configuration and the prompt; it keeps no per-spec state.
"""

from __future__ import annotations

import re

from specsite.blocks import Block, Inline, Paragraph
from specsite.config import Config
from specsite.headings import Vocabulary, alternatives, normalize
from specsite.plaintext import inline_text, leading_strong
from specsite.prompt import Prompt

_NONE = re.compile(
    r"^(?:none|n/?a|nil|nothing|not applicable)"
    r"(?:\s+(?:identified|known|found|expected|yet|so far|at (?:this|the moment|present)"
    r"|time|moment|present|currently|for now))*\s*(?:$|[.;:,(!]|[—–-]\s)"
    r"|^(?:there (?:are|is) |we (?:have|see) )?no (?:[\w-]+ ){0,3}"
    r"(?:blockers?|risks?|items?|questions?|issues?|concerns?|unknowns?|dependencies)\b",
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
# 'Risk — flag debt', 'Blocker: vendor licence': a kind word, then the item's own name
_NAMED_LABEL = re.compile(r"^(?P<kind>[^—–:]+?)\s*(?:[—–]|\s-\s|:)\s*(?P<name>\S.*)$")

# (kind or None, text after the label, whether the label starts a new section)
Label = tuple[str | None, str, bool]


def is_attribute(label: str) -> bool:
    """'**Mitigation:**', '**Likelihood:** Medium', '**Decision:** ...': part of an item."""
    return normalize(label) in _ITEM_ATTRIBUTES  # '**Impact on routing:** ...' is an item


def starts_with_attribute(text: str) -> bool:
    """'Mitigation: a feature gate.' in plain text: it describes the item above."""
    head, colon, _ = text.partition(":")
    return bool(colon) and len(head) < 30 and is_attribute(head)


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

    def kind_of(self, title: str) -> str | None:
        """The kind a heading or label names ('Risks & Concerns' -> None, 'Risks' -> risk)."""
        return self._kinds.best(title)

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
        return (
            text.strip() in self._raw_placeholders
            or words in self._placeholders
            or (bool(words) and words in self._guidance)
        )

    def label(self, block: Block) -> Label | None:
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
