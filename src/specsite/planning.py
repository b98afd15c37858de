"""The planning view: every open question and blocker of the specs not yet approved,
grouped by owner, then spec, for the planning meeting (and its printout).

"Not yet approved" is a status before ``approved`` in the configured lifecycle, or
an unknown or missing status. Pages hold at most ``page_size`` items (a spec is never
split), so the view stays bounded whatever the size of the collection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from specsite.config import Config
from specsite.dashboard import BLOCKER, NONE, QUESTION, is_approved, status_of
from specsite.explorer import owner_of
from specsite.model import Item, Spec
from specsite.paging import pager_links, paginate, title_ranges
from specsite.render import render

PLANNING_PAGE = "planning.md"
PLANNING_PAGES = "planning"


def planning_uri(number: int) -> str:
    return PLANNING_PAGE if number == 1 else f"{PLANNING_PAGES}/{number}.md"


@dataclass(frozen=True)
class PlannedSpec:
    spec: Spec
    href: str
    status: str
    items: tuple[tuple[str, Item, str], ...]  # kind title, item, link to it


@dataclass(frozen=True)
class OwnerGroup:
    owner: str
    specs: tuple[PlannedSpec, ...]


def planning_kinds(config: Config) -> list[str]:
    keys = {kind.key for kind in config.kinds}
    return [k for k in (BLOCKER, QUESTION) if k in keys]


def open_items(spec: Spec, kinds: list[str]) -> list[Item]:
    return [item for item in spec.items if item.kind in kinds and not item.resolved]


def planned(config: Config, specs: list[Spec]) -> list[Spec]:
    """The specs not yet approved with open items, by owner then title."""
    kinds = planning_kinds(config)
    chosen = [s for s in specs if not is_approved(s, config) and open_items(s, kinds)]
    chosen = [s for s in chosen if not config.statuses.is_hidden(s.status)]
    return sorted(
        chosen,
        key=lambda s: (
            (owner_of(s) or NONE) == NONE,
            (owner_of(s) or NONE).casefold(),
            s.title.casefold(),
            s.slug,
        ),
    )


def planning_pages(
    config: Config,
    specs: list[Spec],
    href: Callable[[str, str], str],  # (target docs uri, page) -> URL
    spec_uri: Callable[[Spec], str],
) -> dict[str, str]:
    """Every page of the planning view, keyed by docs uri."""
    kinds = planning_kinds(config)
    titles = {kind.key: kind.title for kind in config.kinds}
    chosen = planned(config, specs)
    chunks = paginate(chosen, lambda s: len(open_items(s, kinds)), config.page_size)
    uris = [planning_uri(n) for n in range(1, len(chunks) + 1)]
    totals = {k: sum(1 for s in chosen for i in open_items(s, [k])) for k in kinds}
    pages: dict[str, str] = {}
    for uri, chunk in zip(uris, chunks, strict=True):
        groups: list[OwnerGroup] = []
        for spec in chunk:
            owner = owner_of(spec) or NONE
            link = href(spec_uri(spec), uri)
            entry = PlannedSpec(
                spec,
                link,
                "" if status_of(spec, config) == NONE else status_of(spec, config),
                tuple((titles[i.kind], i, f"{link}#{i.id}") for i in open_items(spec, kinds)),
            )
            if groups and groups[-1].owner == owner:
                groups[-1] = OwnerGroup(owner, (*groups[-1].specs, entry))
            else:
                groups.append(OwnerGroup(owner, (entry,)))
        hrefs = [href(target, uri) for target in uris]
        pager = pager_links(uris, title_ranges(chunks), hrefs, uri)
        pages[uri] = render(
            "planning.md.j2",
            groups=groups,
            pager=pager,
            spec_total=len(chosen),
            totals=[(titles[k], n) for k, n in totals.items()],
        )
    return pages
