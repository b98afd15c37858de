"""Resolved state: whether an item of a resolvable kind (an open question) is settled.

An item is resolved by a ticked box ('- [x] ...'), a resolved marker anywhere in
its lines ('Resolved:', 'Decision:'), a 'Decision: ...' paragraph just below it,
or in a table by a status cell ('Resolved', '✅') or a filled answer cell.
Built once per build; items of other kinds carry no resolved state (None).
"""

from __future__ import annotations

import re

from specsite.blocks import Inline
from specsite.config import Config
from specsite.headings import normalize
from specsite.labels import Labels
from specsite.plaintext import task_state

_RESOLVED_CELL = re.compile(r"\b(?:resolved|decided|closed|done|answered|yes)\b|✅|✔", re.I)
# an answer cell that records no answer yet
_UNANSWERED = {"open", "pending", "unknown", "unresolved", "unanswered", "tbd", "tbc", "todo"}
# columns that say whether a row is settled ('| Status |') or hold the answer itself
STATUS_HEADERS = ("status", "resolved", "state", "decision")
ANSWER_HEADERS = frozenset({"answer", "answers", "resolution"})


class Resolution:
    """The configured resolvable kinds and resolved markers."""

    def __init__(self, config: Config, labels: Labels) -> None:
        self.resolvable = frozenset(kind.key for kind in config.kinds if kind.resolvable)
        markers = "|".join(r"(?<!\w)" + re.escape(m) for m in config.resolved_markers)
        self._marker = re.compile(markers, re.IGNORECASE) if markers else None
        self._labels = labels

    def of_item(self, kind: str, inline: Inline | None, lines: list[str]) -> bool | None:
        """None for a kind that is not resolvable; else a ticked box or a marker in its lines."""
        if kind not in self.resolvable:
            return None
        state = task_state(inline) if inline is not None else None
        marker = self._marker
        return bool(state) or (marker is not None and marker.search(" ".join(lines)) is not None)

    def decides(self, text: str) -> bool:
        """'Decision: ...' as a paragraph of its own: it resolves the item above."""
        return self._marker is not None and self._marker.match(text) is not None

    @staticmethod
    def status_closes(cell: str) -> bool:
        """A status cell that says the row is settled ('Resolved', 'Done', '✅')."""
        return _RESOLVED_CELL.search(cell) is not None

    def answers(self, cell: str) -> bool:
        """'Yes, include it.' answers; '', 'TBD', 'Open', '-' and '?' do not."""
        words = normalize(cell)
        return bool(words) and words not in _UNANSWERED and not self._labels.is_placeholder(cell)
