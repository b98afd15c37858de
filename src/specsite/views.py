"""What a template receives: one row type, named fields, built by the page planner.

Templates never unpack tuples or read dicts: every row of every generated table is a
``Row`` with the spec (or reference) it shows and the link to it, plus the few
computed values that table needs. Escaping stays the renderer's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from specsite.model import Item, Spec
from specsite.problems import Mentions


@dataclass(frozen=True)
class Row:
    """One row of a generated table (catalog, index, conformance, report, references)."""

    href: str  # the link from the page being rendered to the row's spec or reference
    spec: Spec | None = None
    item: Item | None = None  # index rows: the item this row lists
    rank: int = 0  # the spec status's place in the lifecycle, for sorting
    counts: tuple[Any, ...] = ()  # per kind: a number, or (number, first item id)
    problems: int = 0  # warnings and errors of the spec
    score: str = ""  # conformance: required sections present, "5/6"
    states: Mapping[str, str] = field(default_factory=dict)  # conformance: section -> state
    groups: tuple[Mentions, ...] = ()  # report: the spec's problems, repeated ones once
    name: str = ""  # references: the reference's file name
    on_page: bool = False  # references: the reference page lists its citing specs itself
    count: int = 0  # references: how many specs cite it
    citing: tuple[Row, ...] = ()  # references: the citing specs, when listed here
    more: int = 0  # references: citing specs beyond those listed (the page stays bounded)
    more_href: str = ""  # references: the catalog view of every spec citing it
