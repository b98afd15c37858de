"""The impact page: which specs touch which module, and which cite which reference.

A module row counts the specs that name it (front matter ``modules``) and their open
blockers and risks, each number linking to the explorer view that lists exactly
those rows; a reference row counts the specs that cite it. Each row names its first
few specs and links to the view for the rest, and modules come ``page_size`` to a
page: the page stays bounded whatever the size of the collection. Superseded and
rejected specs (the views' hidden statuses) are left out of module counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from specsite.config import Config
from specsite.dashboard import BLOCKER, QUESTION, RISK
from specsite.explorer import modules_of
from specsite.model import Spec
from specsite.paging import pager_links
from specsite.references import References
from specsite.viewlinks import ViewLinks

IMPACT_PAGE = "impact.md"
IMPACT_PAGES = "impact"
SHOWN = 5  # specs named in a row; the count links to all of them


def impact_uri(number: int) -> str:
    return IMPACT_PAGE if number == 1 else f"{IMPACT_PAGES}/{number}.md"


@dataclass(frozen=True)
class Count:
    value: int
    href: str | None


@dataclass(frozen=True)
class ImpactRow:
    name: str
    name_href: str | None
    specs: Count
    counts: tuple[Count, ...]  # per kind column
    first: tuple[tuple[str, str], ...]  # (title, link) of the first specs


def module_specs(config: Config, specs: list[Spec]) -> dict[str, list[Spec]]:
    """Module -> the live specs that name it, in collection order."""
    touched: dict[str, list[Spec]] = {}
    for spec in specs:
        if config.statuses.is_hidden(spec.status):
            continue
        for module in modules_of(spec):
            touched.setdefault(module, []).append(spec)
    return touched


def shared_components(config: Config, specs: list[Spec]) -> list[tuple[str, list[Spec]]]:
    """Components named by two live specs or more, the most shared first; at most
    ``page_size`` of them (the page stays bounded; the rest are one filter away)."""
    named: dict[str, list[Spec]] = {}
    for spec in specs:
        if config.statuses.is_hidden(spec.status):
            continue
        for name in spec.components:
            named.setdefault(name, []).append(spec)
    shared = [(name, here) for name, here in named.items() if len(here) > 1]
    shared.sort(key=lambda entry: (-len(entry[1]), entry[0].casefold()))
    return shared[: config.page_size]


def impact_pages(
    config: Config,
    specs: list[Spec],
    references: References,
    links_for: Callable[[str], ViewLinks],  # page -> its links into the views
    spec_link: Callable[[Spec, str], str],  # (spec, page) -> URL
    render_page: Callable[..., str],
) -> dict[str, str]:
    kinds = [k for k in (BLOCKER, RISK, QUESTION) if any(c.key == k for c in config.kinds)]
    titles = {c.key: c.title for c in config.kinds}
    touched = module_specs(config, specs)

    def weight(module: str) -> tuple[int, str]:
        open_total = sum(len(s.open_items(k)) for s in touched[module] for k in (BLOCKER, RISK))
        return (-open_total, module.casefold())

    modules = sorted(touched, key=weight)
    size = config.page_size
    chunks = [modules[i : i + size] for i in range(0, max(len(modules), 1), size)] or [[]]
    uris = [impact_uri(n) for n in range(1, len(chunks) + 1)]
    citing: dict[str, list[Spec]] = {}
    for spec in specs:
        for name in spec.references:
            citing.setdefault(name, []).append(spec)
    pages: dict[str, str] = {}
    for uri, chunk in zip(uris, chunks, strict=True):
        links = links_for(uri)
        rows = []
        for module in chunk:
            here = touched[module]
            counts = []
            for kind in kinds:
                value = sum(len(s.open_items(kind)) for s in here)
                counts.append(Count(value, links.items(kind, module=module) if value else None))
            rows.append(
                ImpactRow(
                    module,
                    None,
                    Count(len(here), links.catalog(module=module)),
                    tuple(counts),
                    tuple((s.title, spec_link(s, uri)) for s in here[:SHOWN]),
                )
            )
        ref_rows = []
        component_rows = []
        if uri == IMPACT_PAGE:
            for name, here in shared_components(config, specs):
                component_rows.append(
                    ImpactRow(
                        name,
                        None,
                        Count(len(here), links.catalog(component=name)),
                        (),
                        tuple((s.title, spec_link(s, uri)) for s in here[:SHOWN]),
                    )
                )
            for name in sorted(set(citing) | {n for n, t in references.targets.items() if t}):
                here = citing.get(name, [])
                ref_rows.append(
                    ImpactRow(
                        name,
                        _reference_link(references, name, links),
                        Count(len(here), links.catalog(ref=name, all="1") if here else None),
                        (),
                        tuple((s.title, spec_link(s, uri)) for s in here[:SHOWN]),
                    )
                )
        ranges = [(c[0], c[-1] if len(c) > 1 else None) if c else ("", None) for c in chunks]
        pager = pager_links(uris, ranges, [links.to(target) for target in uris], uri)
        pages[uri] = render_page(
            "impact.md.j2",
            rows=rows,
            ref_rows=ref_rows,
            component_rows=component_rows,
            kind_titles=[_heading(titles[k], k) for k in kinds],
            module_total=len(modules),
            shown=SHOWN,
            pager=pager,
        )
    return pages


def _reference_link(references: References, name: str, links: ViewLinks) -> str | None:
    target = references.targets.get(name)
    if target is None:
        return None
    return references.link_from(IMPACT_PAGE, name) if "://" in target else links.to(target)


def _heading(title: str, kind: str) -> str:
    """'Open blockers', 'Risks', 'Open questions': a column heading for a kind."""
    if kind == RISK or title.lower().startswith("open "):
        return title[:1].upper() + title[1:].lower()
    return f"Open {title.lower()}"
