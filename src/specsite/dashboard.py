"""The home page's "where do we stand?": counts from the model, drawn as linked charts.

Every number here counts the same rows as the explorer view its link opens (the
``ViewLinks`` URL carries the filter), so a reader can go from a bar to the list
behind it. Outstanding work (open blockers, open questions, open risks) leaves out
the specs whose status the views hide by default (superseded, rejected); counts of
specs (by status, changed lately) include them and link with ``all=1``.
The page stays bounded: groups are statuses, the top owners and top modules, and
fourteen days, whatever the size of the collection.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from specsite.config import Config
from specsite.explorer import modules_of, owner_of
from specsite.model import Spec
from specsite.render import render
from specsite.svgchart import Bar, Chart, legend, svg
from specsite.timeline import changed_on
from specsite.viewlinks import ViewLinks

BLOCKER = "blocker"
QUESTION = "open_question"
RISK = "risk"
APPROVED = "approved"
NONE = "(none)"  # the views' value for a spec without status, owner or module
TOP = 10  # owners and modules shown in their charts
RECENT_DAYS = 14
LISTED = 10  # approved specs with open items listed by name


def status_of(spec: Spec, config: Config) -> str:
    """The status as the views filter it: normalised, '(none)' when not given."""
    return config.statuses.normalize(spec.status) or NONE


def is_approved(spec: Spec, config: Config) -> bool:
    """At or past ``approved`` in the configured lifecycle; an unknown or missing status,
    or a lifecycle without ``approved``, is not approved."""
    order = config.statuses.order
    status = config.statuses.normalize(spec.status)
    if status is None or status not in order or APPROVED not in order:
        return False
    return order.index(status) >= order.index(APPROVED)


def status_order(statuses: Iterable[str], config: Config) -> list[str]:
    """Lifecycle order, then unknown statuses by name, then '(none)'."""
    order = config.statuses.order

    def key(status: str) -> tuple[int, str]:
        if status == NONE:
            return (len(order) + 1, "")
        return (order.index(status) if status in order else len(order), status)

    return sorted(set(statuses), key=key)


def noun(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True)
class Tile:
    """A headline number with the view behind it."""

    label: str
    value: int
    href: str | None


@dataclass(frozen=True)
class Listed:
    spec: Spec
    blockers: int
    questions: int


@dataclass(frozen=True)
class Dashboard:
    tiles: tuple[Tile, ...]
    charts: tuple[Chart, ...]
    attention: tuple[Listed, ...]  # approved specs with open blockers or questions (first few)
    attention_total: int
    today: datetime.date
    since: datetime.date


class DashboardBuilder:
    """Counts the collection once and builds every chart of the home page."""

    def __init__(self, config: Config, specs: list[Spec], links: ViewLinks) -> None:
        self.config = config
        self.specs = specs
        self.links = links
        self.kinds = {kind.key: kind for kind in config.kinds}
        self.live = [s for s in specs if not config.statuses.is_hidden(s.status)]

    def open(self, spec: Spec, kind: str) -> int:
        return len(spec.open_items(kind)) if kind in self.kinds else 0

    def _item_name(self, kind: str, count: int) -> str:
        """'open blockers', '1 open question', 'risks': the kind's title in words."""
        title = self.kinds[kind].title.lower() if kind in self.kinds else kind
        if count == 1 and title.endswith("s"):
            title = title[:-1]
        if kind != RISK and not title.startswith("open "):
            title = "open " + title
        return title

    def _item_bar(self, group: str, kind: str, count: int, series: int, **filters: str) -> Bar:
        href = self.links.items(kind, **filters) if count else None
        return Bar(group, count, href, f"{count} {self._item_name(kind, count)}", series)

    # -- charts ------------------------------------------------------------------

    def by_status(self) -> Chart:
        counts = Counter(status_of(s, self.config) for s in self.specs)
        bars = tuple(
            Bar(
                status,
                counts[status],
                self.links.catalog(status=status, all="1"),
                noun(counts[status], "spec"),
            )
            for status in status_order(counts, self.config)
        )
        return Chart(
            "status",
            "Specs by status",
            "How many specs are at each step of the lifecycle; each bar opens the catalog "
            "filtered to that status.",
            bars,
            empty="No specs yet.",
        )

    def _pairs(
        self, key: Callable[[Spec], str], groups: list[str], filter_name: str
    ) -> tuple[Bar, ...]:
        bars: list[Bar] = []
        for group in groups:
            specs = [s for s in self.live if key(s) == group]
            for series, kind in enumerate((BLOCKER, QUESTION)):
                if kind not in self.kinds:
                    continue
                count = sum(self.open(s, kind) for s in specs)
                bars.append(self._item_bar(group, kind, count, series, **{filter_name: group}))
        return tuple(bars)

    def _series(self) -> tuple[str, ...]:
        return tuple(self._item_name(k, 2) for k in (BLOCKER, QUESTION) if k in self.kinds)

    def outstanding_by_status(self) -> Chart:
        totals: Counter[str] = Counter()
        for spec in self.live:
            totals[status_of(spec, self.config)] += self.open(spec, BLOCKER) + self.open(
                spec, QUESTION
            )
        groups = [g for g in status_order(totals, self.config) if totals[g]]
        return Chart(
            "outstanding-status",
            "Open blockers and questions by status",
            "Open blockers and open questions of the specs at each status (superseded and "
            "rejected specs left out); each bar opens the list of those items.",
            self._pairs(lambda s: status_of(s, self.config), groups, "status"),
            self._series(),
            empty="No open blockers or questions.",
        )

    def outstanding_by_owner(self) -> Chart:
        totals: Counter[str] = Counter()
        for spec in self.live:
            totals[owner_of(spec) or NONE] += self.open(spec, BLOCKER) + self.open(spec, QUESTION)
        ranked = sorted((g for g in totals if totals[g]), key=lambda g: (-totals[g], g))
        shown = ranked[:TOP]
        more = len(ranked) - len(shown)
        return Chart(
            "outstanding-owner",
            "Open blockers and questions by owner",
            f"The {len(shown)} owners with the most open blockers and questions"
            + (f" ({more} more owners in the views)" if more else "")
            + "; each bar opens the list of those items.",
            self._pairs(lambda s: owner_of(s) or NONE, shown, "owner"),
            self._series(),
            empty="No open blockers or questions.",
        )

    def attention(self) -> tuple[Chart, list[Listed]]:
        approved = [s for s in self.specs if status_of(s, self.config) == APPROVED]
        listed = [
            Listed(s, self.open(s, BLOCKER), self.open(s, QUESTION))
            for s in approved
            if self.open(s, BLOCKER) or self.open(s, QUESTION)
        ]
        bars = []
        for series, kind in enumerate((BLOCKER, QUESTION)):
            if kind not in self.kinds:
                continue
            count = sum(1 for s in approved if self.open(s, kind))
            title = self.kinds[kind].title
            label = f"with {self._item_name(kind, 2)}"
            href = self.links.catalog(status=APPROVED, kind=title, all="1") if count else None
            bars.append(Bar(label, count, href, noun(count, "approved spec"), series))
        chart = Chart(
            "attention",
            "Approved specs that still have open items",
            "Approved specs with open blockers, and with open questions; each bar opens the "
            "catalog filtered to those specs.",
            tuple(bars),
        )
        return chart, listed

    def risky_modules(self) -> Chart:
        if RISK not in self.kinds:
            return Chart("modules", "Modules with the most open risks", "", ())
        totals: Counter[str] = Counter()
        for spec in self.live:
            for module in modules_of(spec):
                totals[module] += self.open(spec, RISK)
        ranked = sorted((m for m in totals if totals[m]), key=lambda m: (-totals[m], m))[:TOP]
        bars = tuple(self._item_bar(m, RISK, totals[m], 0, module=m) for m in ranked)
        return Chart(
            "modules",
            "Modules with the most open risks",
            f"The {len(ranked)} modules (front matter 'modules') whose specs list the most risks; "
            "each bar opens those risks.",
            bars,
            empty="No module carries a listed risk.",
        )

    def recent(self, today: datetime.date) -> tuple[Chart, int, datetime.date]:
        since = today - datetime.timedelta(days=RECENT_DAYS - 1)
        days: Counter[datetime.date] = Counter()
        for spec in self.specs:
            day = changed_on(spec)
            if day is not None and since <= day <= today:
                days[day] += 1
        bars = []
        for offset in range(RECENT_DAYS):
            day = since + datetime.timedelta(days=offset)
            count = days[day]
            iso = day.isoformat()
            href = self.links.catalog(since=iso, until=iso, all="1") if count else None
            bars.append(Bar(f"{day:%a} {iso}", count, href, noun(count, "spec")))
        chart = Chart(
            "recent",
            f"Specs changed in the last {RECENT_DAYS} days",
            f"Specs by the day they were last updated (their 'updated' date, else their "
            f"'date'), {since.isoformat()} to {today.isoformat()}; each bar opens those specs.",
            tuple(bars),
        )
        return chart, sum(days.values()), since

    def build(self, today: datetime.date) -> Dashboard:
        attention, listed = self.attention()
        recent, changed, since = self.recent(today)
        blockers = sum(self.open(s, BLOCKER) for s in self.live)
        questions = sum(self.open(s, QUESTION) for s in self.live)
        tiles = [
            Tile(
                "spec" if len(self.specs) == 1 else "specs",
                len(self.specs),
                self.links.catalog(all="1") if self.specs else None,
            ),
        ]
        if BLOCKER in self.kinds:
            tiles.append(
                Tile(
                    self._item_name(BLOCKER, blockers),
                    blockers,
                    self.links.items(BLOCKER) if blockers else None,
                )
            )
        if QUESTION in self.kinds:
            tiles.append(
                Tile(
                    self._item_name(QUESTION, questions),
                    questions,
                    self.links.items(QUESTION) if questions else None,
                )
            )
        tiles.append(
            Tile(
                f"changed since {since.isoformat()}",
                changed,
                self.links.catalog(since=since.isoformat(), until=today.isoformat(), all="1")
                if changed
                else None,
            )
        )
        return Dashboard(
            tiles=tuple(tiles),
            charts=(
                self.by_status(),
                self.outstanding_by_status(),
                self.outstanding_by_owner(),
                attention,
                self.risky_modules(),
                recent,
            ),
            attention=tuple(listed[:LISTED]),
            attention_total=len(listed),
            today=today,
            since=since,
        )


@dataclass(frozen=True)
class Figure:
    chart: Chart
    svg: Markup
    legend: Markup
    hrefs: tuple[str, ...] = ()


def dashboard_html(
    config: Config,
    specs: list[Spec],
    links: ViewLinks,
    spec_href: Callable[[Spec], str],
    *,
    today: datetime.date,
    planning: str,
    impact: str,
) -> Markup:
    """The home page's dashboard as raw HTML (kept out of Python-Markdown's way)."""
    board = DashboardBuilder(config, specs, links).build(today)
    figures = [
        Figure(
            chart,
            svg(chart),
            legend(chart.series),
            tuple(spec_href(row.spec) for row in board.attention)
            if chart.key == "attention"
            else (),
        )
        for chart in board.charts
    ]
    return Markup(
        render(
            "dashboard.html.j2",
            dashboard=board,
            figures=figures,
            planning=planning,
            impact=impact,
        )
    )
