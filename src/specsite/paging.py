"""Pagination that keeps every generated page bounded, whatever the size of the collection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from specsite.config import IndexConfig
from specsite.model import Spec


@dataclass(frozen=True)
class PagerLink:
    label: str
    href: str
    current: bool


def pager_links(
    uris: list[str],
    ranges: list[tuple[str, str | None]],
    hrefs: list[str],
    page: str,
) -> list[PagerLink]:
    """Links to every page of a paginated listing ('3: Alerts … Watchlists'), each named by
    the first and last entry it holds (``None``: no range) and linked from ``page`` by
    ``hrefs``; none for a single page."""
    if len(uris) < 2:
        return []
    return [
        PagerLink(f"{number}: {first}" + ("" if last is None else f" … {last}"), href, uri == page)
        for number, (uri, (first, last), href) in enumerate(
            zip(uris, ranges, hrefs, strict=True), start=1
        )
    ]


def title_ranges(chunks: list[list[Spec]]) -> list[tuple[str, str | None]]:
    """The first and last spec title of each page (one spec: no range)."""
    return [(c[0].title, c[-1].title if len(c) > 1 else None) if c else ("", None) for c in chunks]


def paginate(specs: list[Spec], rows: Callable[[Spec], int], size: int) -> list[list[Spec]]:
    """Split specs, in order, into pages of at most ``size`` rows; a spec is never split.

    Keeps every generated page bounded whatever the size of the collection; an
    empty collection still gets one (empty) page.
    """
    pages: list[list[Spec]] = [[]]
    filled = 0
    for spec in specs:
        count = rows(spec)
        if pages[-1] and filled + count > size:
            pages.append([])
            filled = 0
        pages[-1].append(spec)
        filled += count
    return pages


def index_rows(index: IndexConfig) -> Callable[[Spec], int]:
    """How many rows a spec adds to an index."""

    def rows(spec: Spec) -> int:
        return sum(len(spec.items_of(kind)) for kind in index.kinds)

    return rows


def report_rows(spec: Spec) -> int:
    """How many lines a spec takes in the build report: one per distinct problem, at least one."""
    return max(1, len({(p.severity, p.code, p.message) for p in spec.problems}))
