"""Numbering: the walk's candidates become items with stable ids ('risk-1', 'open-question-2').

Ids count per kind in document order, so the same input always gives the same
anchors (they are part of ``specs.json``'s contract); items are listed in the
configured kind order, then by line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from specsite.model import AnchorStyle, Item
from specsite.plaintext import fold


@dataclass
class Candidate:
    """An item found by the walk, before it is numbered."""

    kind: str
    text: str
    body_line: int
    style: AnchorStyle
    resolved: bool | None = None
    detail: str = ""  # nested text: mitigation, decision, notes (plain)
    fields: dict[str, str] = field(default_factory=dict)  # severity, mitigation, owner...


def item_id(kind: str, number: int) -> str:
    """The anchor of the ``number``-th item of ``kind`` in its spec."""
    return f"{kind.replace('_', '-')}-{number}"


def number_items(candidates: list[Candidate], body_line: int, kinds: Sequence[str]) -> list[Item]:
    """Number ``candidates`` per kind; ``body_line`` is the file line where the body starts."""
    order = {kind: index for index, kind in enumerate(kinds)}
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
                id=item_id(candidate.kind, counters[candidate.kind]),
                text=fold(candidate.text),
                line=body_line + candidate.body_line + 1,
                resolved=candidate.resolved,
                body_line=candidate.body_line,
                style=candidate.style,
                detail=fold(candidate.detail),
                fields={k: fold(v) for k, v in candidate.fields.items() if fold(v)},
            )
        )
    items.sort(key=lambda i: (order.get(i.kind, len(order)), i.body_line))
    return items
