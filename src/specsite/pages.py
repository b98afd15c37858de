"""Every page specsite adds to a site, as Markdown keyed by its path in the docs tree.

This is the whole site plan in plain data: the MkDocs hook only turns it into
``File.generated`` objects, and a command line could write it anywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from specsite import api
from specsite.cache import SpecCache, fingerprint, memo_map
from specsite.citing import CITED_LIMIT, citing
from specsite.config import Config, IndexConfig
from specsite.dashboard import dashboard_html
from specsite.explorer import ExplorerData, explorer_data, item_fields, open_count, view_config
from specsite.export import export_json
from specsite.headings import match_score
from specsite.impact import IMPACT_PAGE, impact_pages
from specsite.model import Collection, Endpoint, Event, Item, Spec
from specsite.paging import PagerLink, index_rows, pager_links, paginate, report_rows, title_ranges
from specsite.parallel import worker_count
from specsite.planning import PLANNING_PAGE, planning_pages
from specsite.problems import grouped
from specsite.prompt import Prompt
from specsite.references import References
from specsite.render import render
from specsite.sanitize import html_text
from specsite.specpage import spec_markdown, spec_page_uri, subpages
from specsite.timeline import build_day
from specsite.urls import page_url, relative, url_between
from specsite.viewlinks import ViewLinks
from specsite.views import Row

REPORT_PAGES = "build-report"

PROMPT_PAGE = "prompt.md"
CONFORMANCE_PAGE = "conformance.md"
CONFORMANCE_PAGES = "conformance"
REFERENCES_PAGE = "references.md"
REPORT_PAGE = "build-report.md"
EXPORT_FILE = "specs.json"
CATALOG_PAGES = "catalog"
HOME_PAGE = "index.md"
CATALOG_MARKER = "<!-- specsite:catalog -->"


@dataclass
class SitePlan:
    pages: dict[str, str] = field(default_factory=dict)  # docs uri -> Markdown
    files: dict[str, str] = field(default_factory=dict)  # site path -> text (specs.json)
    appendices: dict[str, str] = field(default_factory=dict)  # existing page -> Markdown to add
    nav: list[Any] = field(default_factory=list)  # a default MkDocs nav
    attachments: dict[str, Path] = field(default_factory=dict)  # site path -> file, as it is


class SiteBuilder:
    """Plans the generated pages for one build."""

    def __init__(
        self,
        config: Config,
        prompt: Prompt,
        collection: Collection,
        references: References,
        *,
        directory_urls: bool = True,
        cache: SpecCache | None = None,
    ) -> None:
        self.config = config
        self.cache = cache
        self.prompt = prompt
        self.collection = collection
        self.references = references
        self.directory_urls = directory_urls
        self.kinds = [(kind.key, kind.title) for kind in config.kinds]
        self.today: datetime.date | None = None  # the dashboard's day (None: build_day())

    def spec_uri(self, spec: Spec) -> str:
        return spec_page_uri(spec, self.config.specs_url)

    def index_uri(self, index: IndexConfig, number: int = 1) -> str:
        return f"{index.slug}.md" if number == 1 else f"{index.slug}/{number}.md"

    def pager(self, uris: list[str], chunks: list[list[Spec]], page: str) -> list[PagerLink]:
        """Links to every page of a paginated listing, named by the specs each one holds."""
        return pager_links(uris, title_ranges(chunks), [self.href(u, page) for u in uris], page)

    def _spec_pages(self) -> dict[str, str]:
        """Every spec's page: those not cached (all of them in a build, the edited ones
        under ``serve``) made on every core, like the parse."""
        specs = self.collection.specs
        uris = [self.spec_uri(spec) for spec in specs]

        def inputs(index: int) -> object:
            return ("spec-page", specs[index], uris[index], self.kinds, self.directory_urls)

        def make(index: int) -> str:
            return spec_markdown(
                specs[index], self.references, uris[index], self.kinds, self.directory_urls
            )

        workers = worker_count(self.config.workers)
        pages = memo_map(len(specs), inputs, make, self.cache, workers=workers)
        return dict(zip(uris, pages, strict=True))

    def _memo(self, inputs: object, render: Callable[[], str]) -> str:
        """Generated text whose inputs are unchanged since the last ``serve`` build comes
        from the cache (specs in ``inputs`` count by their token: cheap to compare)."""
        if self.cache is None:
            return render()
        return self.cache.page((inputs, self.directory_urls), render)

    def _shown(
        self, label: object, specs: list[Spec], shown: Callable[[Spec], object]
    ) -> list[object]:
        """What a listing page shows of each spec, as memo keys: under ``serve`` a page is
        rendered again only when something it shows changed (editing a risk's text
        re-renders its register page, not the catalog or the page of open questions
        that list the same spec)."""
        cache = self.cache
        if cache is None:
            return list(specs)
        return [cache.memo((label, spec), partial(_digest, shown, spec)) for spec in specs]

    def _listed(self, index: IndexConfig, specs: list[Spec]) -> list[object]:
        """An index page shows each spec's fields and the items of the index's kinds."""
        kinds = set(index.kinds)
        return self._shown(
            ("index-listing", index.slug),
            specs,
            lambda spec: (
                spec.slug,
                spec.title,
                spec.status,
                spec.info,
                [i for i in spec.items if i.kind in kinds],
            ),
        )

    def _catalogued(self, specs: list[Spec]) -> list[object]:
        """A catalog row: title, recommendation, status, the displayed fields, the counts
        of each kind and of problems (see ``catalog``)."""
        return self._shown(
            "catalog-listing",
            specs,
            lambda spec: (
                spec.slug,
                spec.title,
                spec.recommendation,
                spec.status,
                self.status_rank(spec),
                [spec.shown(name) for name in ("owner", "date", "updated")],
                [open_count(spec, kind) for kind in self.config.kinds],
                [p.severity for p in spec.problems],
            ),
        )

    def _conforming(self, specs: list[Spec]) -> list[object]:
        """A conformance row: the spec's title and the state of each section."""
        return self._shown(
            "conformance-listing",
            specs,
            lambda spec: (
                spec.slug,
                spec.title,
                [(s.title, s.state, s.required) for s in spec.sections],
            ),
        )

    def plan(self, doc_uris: set[str], *, has_home: bool) -> SitePlan:
        """Every generated page; with ``has_home`` the catalog goes into the user's home page."""
        plan = SitePlan()
        plan.pages.update(self._spec_pages())
        plan.pages.update(
            subpages(self.collection, self.references, self.config.specs_url, self.directory_urls)
        )
        plan.attachments = {a.uri: a.path for a in self.collection.attachments}
        for index in self.config.indexes:
            chunks = paginate(self.collection.specs, index_rows(index), self.config.page_size)
            uris = [self.index_uri(index, number) for number in range(1, len(chunks) + 1)]
            for number, chunk in enumerate(chunks, start=1):
                uri = uris[number - 1]
                pager = self.pager(uris, chunks, uri)
                plan.pages[uri] = self._memo(
                    ("index", index.slug, uri, self._listed(index, chunk), pager),
                    partial(self.index_page, index, uri, chunk, pager),
                )
        plan.pages.update(self.cached_api_pages())
        plan.pages[PROMPT_PAGE] = self.prompt_page()
        chunks = paginate(self.collection.specs, lambda spec: 1, self.config.page_size)
        uris = [CONFORMANCE_PAGE] + [
            f"{CONFORMANCE_PAGES}/{n}.md" for n in range(2, len(chunks) + 1)
        ]
        total = len(self.collection.specs)
        for uri, chunk in zip(uris, chunks, strict=True):
            pager = self.pager(uris, chunks, uri)
            plan.pages[uri] = self._memo(
                ("conformance", uri, self._conforming(chunk), pager, total),
                partial(self.conformance_page, uri, chunk, pager),
            )
        plan.pages[REFERENCES_PAGE] = self.references_page()
        report_chunks = paginate(self.collection.specs, report_rows, self.config.page_size)
        report_uris = [REPORT_PAGE] + [
            f"{REPORT_PAGES}/{n}.md" for n in range(2, len(report_chunks) + 1)
        ]
        summary = (  # what the report's first page says of the whole collection
            self.problem_codes,
            sum(1 for s in self.collection.specs if s.problems),
            self.collection.problems,
            self.collection.skipped,
            self.prompt.problems,
        )
        for uri, chunk in zip(report_uris, report_chunks, strict=True):
            pager = self.pager(report_uris, report_chunks, uri)
            plan.pages[uri] = self._memo(
                ("report", uri, chunk, pager, summary),
                partial(self.report_page, uri, chunk, pager),
            )
        chunks = paginate(self.collection.specs, lambda spec: 1, self.config.page_size)
        uris = [HOME_PAGE] + [f"{CATALOG_PAGES}/{n}.md" for n in range(2, len(chunks) + 1)]
        for uri, chunk in zip(uris, chunks, strict=True):
            pager = self.pager(uris, chunks, uri)
            catalog = Markup(
                self._memo(
                    ("catalog", uri, self._catalogued(chunk), pager, total),
                    partial(self.catalog, uri, chunk, pager),
                )
            )
            if uri == HOME_PAGE:  # "where do we stand?" above the catalog
                catalog = self.dashboard() + "\n\n" + catalog
            if uri != HOME_PAGE:
                plan.pages[uri] = render("home.md.j2", catalog=catalog)
            elif not has_home:
                plan.pages[HOME_PAGE] = render("home.md.j2", catalog=catalog)
            else:
                plan.appendices[HOME_PAGE] = catalog
        for name, target in sorted(self.references.targets.items()):
            if target is not None and target in doc_uris:
                plan.appendices[target] = self.cited_by(name, target)
        plan.pages.update(self.planning_pages())
        plan.pages.update(self.impact_pages())
        plan.files.update(self.explorer.files)
        plan.files[EXPORT_FILE] = export_json(
            self.collection,
            self.prompt,
            self.url_of_item,
            self.spec_url,
            memo=None if self.cache is None else self._memo,
        )
        plan.nav = self.nav(doc_uris)
        return plan

    @cached_property
    def explorer(self) -> ExplorerData:
        """The explorer views' data files, rendered once from the model."""
        memo = None if self.cache is None else self._memo
        return explorer_data(self.config, self.collection.specs, self.spec_url, memo=memo)

    # -- dashboard, planning, impact (dashboard.py, planning.py, impact.py) ---------

    def links(self, page: str) -> ViewLinks:
        return ViewLinks(self.config, page, HOME_PAGE, self.directory_urls)

    def dashboard(self) -> Markup:
        links = self.links(HOME_PAGE)
        return dashboard_html(
            self.config,
            self.collection.specs,
            links,
            lambda spec: self.href(self.spec_uri(spec), HOME_PAGE),
            today=self.today or build_day(),
            planning=links.to(PLANNING_PAGE),
            impact=links.to(IMPACT_PAGE),
        )

    def planning_pages(self) -> dict[str, str]:
        return planning_pages(self.config, self.collection.specs, self.href, self.spec_uri)

    def impact_pages(self) -> dict[str, str]:
        return impact_pages(
            self.config,
            self.collection.specs,
            self.references,
            self.links,
            lambda spec, page: self.href(self.spec_uri(spec), page),
            render,
        )

    def view(self, page: str, index: IndexConfig | None = None) -> str:
        return view_config(
            self.config, self.explorer, page, directory_urls=self.directory_urls, index=index
        )

    def status_rank(self, spec: Spec) -> int:
        return self.config.statuses.rank(spec.status)

    # -- URLs ------------------------------------------------------------------

    def spec_url(self, spec: Spec) -> str:
        return page_url(self.spec_uri(spec), self.directory_urls)

    def href(self, target: str, page: str) -> str:
        return url_between(target, page, self.directory_urls)

    def url_of_item(self, spec: Spec, item: Item) -> str:
        return f"{self.spec_url(spec)}#{item.id}"

    # -- pages -----------------------------------------------------------------

    def catalog(self, page: str, specs_here: list[Spec], pager: list[PagerLink]) -> str:
        specs = [
            Row(
                self.href(self.spec_uri(spec), page),
                spec,
                counts=tuple(open_count(spec, kind) for kind in self.config.kinds),
                rank=self.status_rank(spec),
                problems=len([p for p in spec.problems if p.severity != "info"]),
            )
            for spec in specs_here
        ]
        return render(
            "catalog.md.j2",
            specs=specs,
            total=len(self.collection.specs),
            kinds=self.config.kinds,
            report=self.href(REPORT_PAGE, page),
            pager=pager,
            view=self.view(page),
        )

    def index_page(
        self, index: IndexConfig, page: str, specs: list[Spec], pager: list[PagerLink]
    ) -> str:
        """One page of an index: the items of ``specs``, grouped by kind (and resolved state)."""
        groups = []
        columns: list[str] = []
        for key in index.kinds:
            kind = self.config.kind(key)
            rows = [
                Row(
                    self.href(self.spec_uri(spec), page),
                    spec,
                    item=item,
                    rank=self.status_rank(spec),
                )
                for spec in specs
                for item in spec.items_of(key)
            ]
            if kind.resolvable:
                for state, resolved in (("open", False), ("resolved", True)):
                    title = f"{kind.title}: {state}"
                    chosen = [
                        r for r in rows if r.item is not None and bool(r.item.resolved) == resolved
                    ]
                    groups.append((title, anchor_id(title), chosen))
                    columns.append(title)
            else:
                groups.append((kind.title, anchor_id(kind.title), rows))
                columns.append(kind.title)
        per_spec = [
            Row(
                self.href(self.spec_uri(spec), page),
                spec,
                counts=tuple(self._counts(spec, index)),
                rank=self.status_rank(spec),
            )
            for spec in specs
        ]
        # the risk register shows each item's severity and mitigation (itemwalk fields)
        fields = list(item_fields(index))
        return render(
            "index.md.j2",
            index=index,
            groups=groups,
            item_fields=fields,
            per_spec=per_spec,
            columns=columns,
            kind_titles=[self.config.kind(k).title for k in index.kinds],
            pager=pager,
            view=self.view(page, index),
        )

    def _counts(self, spec: Spec, index: IndexConfig) -> list[int]:
        counts = []
        for key in index.kinds:
            if self.config.kind(key).resolvable:
                still_open = len(spec.open_items(key))
                counts += [still_open, len(spec.items_of(key)) - still_open]
            else:
                counts.append(len(spec.items_of(key)))
        return counts

    def cached_api_pages(self) -> dict[str, str]:
        """The API catalog; under ``serve`` rebuilt only when some spec's API part changed."""
        cache = self.cache
        if cache is None:
            return self.api_pages()
        signatures = [
            cache.memo(
                ("api-signature", spec),
                partial(
                    fingerprint,
                    spec.slug,
                    spec.source,
                    spec.title,
                    spec.status,
                    spec.endpoints,
                    spec.events,
                ),
            )
            for spec in self.collection.specs
        ]
        conflicts = [
            (c.key, c.label, c.first, c.first_line, c.later, c.later_line, c.fields)
            for c in self.collection.api_conflicts
        ]
        key = ("api-pages", signatures, conflicts, self.directory_urls)
        return cache.memo(key, self.api_pages)

    def api_pages(self) -> dict[str, str]:
        """The API catalog, in pages of ``page_size`` rows."""
        conflicts = self.collection.api_conflicts
        rows = api.catalog_rows(self.collection.specs, conflicts)
        chunks = api.catalog_chunks(rows, self.config.page_size)
        uris = [api.catalog_uri(number) for number in range(1, len(chunks) + 1)]
        pages = {}
        for uri, chunk in zip(uris, chunks, strict=True):
            pager = pager_links(
                uris,
                [(api.row_label(c[0]) if c else "", None) for c in chunks],
                [self.href(target, uri) for target in uris],
                uri,
            )
            # each row's own conflict (a later definition's, or the first one a first
            # definition takes part in): a key defined by hundreds of specs does not put
            # every one of its conflicts on each page its rows reach
            numbers = {row.conflict for row in chunk if row.conflict is not None}
            shown = [
                (
                    number,
                    conflict,
                    self.href(self.spec_uri(conflict.first), uri)
                    + "#"
                    + self._entry_id(conflict.first, conflict.key),
                    self.href(self.spec_uri(conflict.later), uri)
                    + "#"
                    + self._entry_id(conflict.later, conflict.key),
                )
                for number, conflict in enumerate(conflicts, start=1)
                if number in numbers
            ]
            linked = [
                (row, f"{self.href(self.spec_uri(row.spec), uri)}#{row.entry.id}") for row in chunk
            ]
            pages[uri] = render(
                "api.md.j2",
                endpoints=[(r, h) for r, h in linked if isinstance(r.entry, Endpoint)],
                events=[(r, h) for r, h in linked if isinstance(r.entry, Event)],
                conflicts=shown,
                endpoint_total=sum(len(s.endpoints) for s in self.collection.specs),
                event_total=sum(len(s.events) for s in self.collection.specs),
                conflict_total=len(conflicts),
                pager=pager,
            )
        return pages

    @staticmethod
    def _entry_id(spec: Spec, key: str) -> str:
        for endpoint in spec.endpoints:
            if api.endpoint_key(endpoint.method, endpoint.path) == key:
                return endpoint.id
        return next((e.id for e in spec.events if f"event {e.name}" == key), "")

    def prompt_page(self) -> str:
        kinds_by_section: dict[str, list[str]] = {}
        for kind in self.config.kinds:
            for section in self.prompt.sections:
                if match_score(section.title, kind.headings) or any(
                    match_score(part, kind.headings) for part in section.parts
                ):
                    kinds_by_section.setdefault(section.title, []).append(kind.title)
        return render(
            "prompt.md.j2",
            prompt=self.prompt,
            kinds_by_section=kinds_by_section,
            prompt_body=Markup(self.prompt.body),
        )

    def conformance_page(self, page: str, specs: list[Spec], pager: list[PagerLink]) -> str:
        """One page of the conformance table: ``page_size`` specs, so it stays bounded."""
        rows = []
        for spec in specs:
            states = {s.title: s.state for s in spec.sections}
            required = [s for s in spec.sections if s.required]
            done = sum(1 for s in required if s.state == "present")
            rows.append(
                Row(
                    self.href(self.spec_uri(spec), page),
                    spec,
                    states=states,
                    score=f"{done}/{len(required)}",
                )
            )
        return render(
            "conformance.md.j2",
            sections=self.prompt.sections,
            rows=rows,
            pager=pager,
            total=len(self.collection.specs),
        )

    @cached_property
    def citing(self) -> dict[str, list[Spec]]:
        """Reference name -> the specs that cite it, in collection order (built once)."""
        cited: dict[str, list[Spec]] = {}
        for spec in self.collection.specs:
            for name in spec.references:
                cited.setdefault(name, []).append(spec)
        return cited

    def references_page(self) -> str:
        cited = self.citing
        rows = []
        for name in sorted(set(self.references.targets) | set(cited)):
            href = self.references.link_from(REFERENCES_PAGE, name)
            citing = cited.get(name, [])
            # a docs page lists its citing specs itself; keep this page bounded
            on_page = href is not None and not self.references.is_url(name)
            specs = (
                ()
                if on_page
                else tuple(
                    Row(relative(self.spec_uri(s), REFERENCES_PAGE), s)
                    for s in citing[:CITED_LIMIT]
                )
            )
            more = len(citing) - CITED_LIMIT if not on_page and len(citing) > CITED_LIMIT else 0
            everyone = self.links(REFERENCES_PAGE).catalog(ref=name, all="1") if more else ""
            rows.append(
                Row(
                    href or "",
                    name=name,
                    on_page=on_page,
                    count=len(citing),
                    citing=specs,
                    more=more,
                    more_href=everyone,
                )
            )
        return render("references.md.j2", rows=rows)

    def cited_by(self, name: str, page: str) -> str:
        """'Cited by specs' on a reference page: each spec with its citing sentence, capped;
        the rest are in the catalog view filtered by the reference."""
        cited, total = citing(self.citing.get(name, []), name, CITED_LIMIT)
        shown = [(Row(relative(self.spec_uri(c.spec), page), c.spec), c.sentence) for c in cited]
        return render(
            "cited_by.md.j2",
            name=name,
            specs=shown,
            total=total,
            more=self.links(page).catalog(ref=name, all="1"),
        )

    def report_page(self, page: str, specs: list[Spec], pager: list[PagerLink]) -> str:
        """One page of the build report: a bounded run of files, each repeated problem once."""
        first = page == REPORT_PAGE
        return render(
            "report.md.j2",
            first=first,
            collection=self.collection,
            collection_problems=grouped(self.collection.problems),
            prompt=self.prompt,
            codes=self.problem_codes,
            with_problems=sum(1 for s in self.collection.specs if s.problems),
            specs=[
                Row(relative(self.spec_uri(s), page), s, groups=tuple(grouped(s.problems)))
                for s in specs
            ],
            pager=pager,
        )

    @cached_property
    def problem_codes(self) -> list[tuple[str, int]]:
        """Each problem code with its number of mentions in the specs (the report's summary)."""
        codes: dict[str, int] = {}
        for spec in self.collection.specs:
            for problem in spec.problems:
                codes[problem.code] = codes.get(problem.code, 0) + 1
        return sorted(codes.items())

    def nav(self, doc_uris: set[str]) -> list[Any]:
        """A small, bounded nav: the home page, the indexes and the reference pages; specs
        are reached from the catalog (a nav listing every spec grows every page)."""
        reference_pages = sorted(
            t for t in self.references.targets.values() if t is not None and t in doc_uris
        )
        others = sorted(
            uri
            for uri in doc_uris
            if uri not in reference_pages
            and uri != HOME_PAGE
            and not uri.startswith(self.config.specs_url + "/")
        )
        nav: list[Any] = [{"Specs": HOME_PAGE}]
        nav += [{html_text(index.title): self.index_uri(index)} for index in self.config.indexes]
        nav.append({"API catalog": api.API_PAGE})
        nav += [{"Planning": PLANNING_PAGE}, {"Impact": IMPACT_PAGE}]
        nav += [{"Conformance": CONFORMANCE_PAGE}, {"Agent prompt": PROMPT_PAGE}]
        nav.append({"References": [REFERENCES_PAGE, *reference_pages]})
        nav += others
        nav.append({"Build report": REPORT_PAGE})
        return nav


def anchor_id(title: str) -> str:
    """A heading id from its title alone (never its count), so bookmarks survive new items."""
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(words) or "section"


def _digest(shown: Callable[[Spec], object], spec: Spec) -> str:
    return fingerprint(shown(spec))
