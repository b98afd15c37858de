"""The status lifecycle: the order statuses sort in, which are hidden by default, and aliases.

Statuses are free text in front matter ("In review", "Approved"); the explorer,
the index pages and their sorting all go through :func:`StatusConfig.normalize`
so that one spelling sorts and filters as one status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StatusConfig:
    order: tuple[str, ...]  # lifecycle order, lower case
    hidden: frozenset[str]  # hidden in the explorer views unless the reader asks for them
    aliases: dict[str, str]  # other spelling (lower case) -> a status of ``order``

    def normalize(self, status: str | None) -> str | None:
        """The status as the views show and filter it: trimmed, lower case, alias resolved."""
        if status is None:
            return None
        key = " ".join(status.split()).lower()
        if not key or key in self.order:  # a status of the lifecycle is never an alias
            return key or None
        return self.aliases.get(key, key)

    def rank(self, status: str | None) -> int:
        """Sort key: lifecycle position; unknown statuses after known ones, no status last."""
        normal = self.normalize(status)
        if normal is None:
            return len(self.order) + 1
        try:
            return self.order.index(normal)
        except ValueError:
            return len(self.order)

    def is_hidden(self, status: str | None) -> bool:
        return self.normalize(status) in self.hidden


NO_LIFECYCLE = StatusConfig((), frozenset(), {})  # statuses sort by name, none hidden


def _words(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(
            f"specsite config 'statuses.{key}': expected a list of strings, got {value!r}"
        )
    return tuple(" ".join(v.split()).lower() for v in value)


def parse_statuses(value: Any) -> StatusConfig:
    """Validate the ``statuses`` config key (a ValueError names the sub-key at fault)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ValueError(f"specsite config 'statuses': expected a mapping, got {value!r}")
    unknown = sorted(set(value) - {"order", "hidden", "aliases"})
    if unknown:
        raise ValueError(
            f"specsite config 'statuses': unknown key(s) {', '.join(map(str, unknown))}; "
            "known keys: aliases, hidden, order"
        )
    aliases = value.get("aliases") or {}
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()
    ):
        raise ValueError(
            f"specsite config 'statuses.aliases': expected a mapping of strings, got {aliases!r}"
        )
    return StatusConfig(
        order=_words(value.get("order"), "order"),
        hidden=frozenset(_words(value.get("hidden"), "hidden")),
        aliases={
            " ".join(k.split()).lower(): " ".join(v.split()).lower() for k, v in aliases.items()
        },
    )
