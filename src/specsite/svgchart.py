"""Bar charts as inline SVG, drawn at build time: no script, nothing loaded.

Each bar is a link (``<a>``) to the explorer view that lists exactly the rows it
counts, and carries that number in ``data-count`` (the browser test clicks every
one and compares). Charts are readable without colour: every bar has its label and
its number written beside it, and the chart has a ``<title>`` and ``<desc>``.
Every value goes through :func:`specsite.sanitize.html_text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from specsite.sanitize import html_text

WIDTH = 640
LABEL_WIDTH = 190  # the row labels' column
VALUE_WIDTH = 150  # the numbers written after the bars
ROW = 20  # height of one bar's row
GROUP_GAP = 6  # extra space between groups
LABEL_CHARS = 28  # longer labels are cut, with the whole label in the bar's tooltip


@dataclass(frozen=True)
class Bar:
    """One bar: a group label ('draft', 'm.keller'), its value and the view behind it."""

    group: str
    value: int
    href: str | None  # None: nothing to open (a zero)
    caption: str  # the number in words: '3 open blockers'
    series: int = 0  # which series (style) of the chart: blockers, questions...


@dataclass(frozen=True)
class Chart:
    key: str  # element id stem
    title: str
    description: str
    bars: tuple[Bar, ...]
    series: tuple[str, ...] = ()  # legend names when a group has several bars
    empty: str = "Nothing to show."


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def svg(chart: Chart) -> Markup:
    """The chart as an accessible ``<svg>`` element (empty charts: a sentence)."""
    if not chart.bars:
        return Markup(f'<p class="specsite-chart-empty">{html_text(chart.empty)}</p>')
    top = max(bar.value for bar in chart.bars) or 1
    area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts: list[str] = []
    y = 0
    previous: str | None = None
    for bar in chart.bars:
        if previous is not None and bar.group != previous:
            y += GROUP_GAP
        label = html_text(_cut(bar.group)) if bar.group != previous else ""
        previous = bar.group
        width = 0 if bar.value == 0 else max(2, round(area * bar.value / top))
        tip = html_text(f"{bar.group}: {bar.caption}")
        body = (
            f"<title>{tip}</title>"
            # the whole row is the link's target, however short the bar
            f'<rect class="specsite-chart-hit" x="0" y="{y}" width="{WIDTH}" height="{ROW}" '
            'fill="transparent"></rect>'
            f'<text class="specsite-chart-label" x="{LABEL_WIDTH - 8}" y="{y + 14}" '
            f'text-anchor="end">{label}</text>'
            f'<rect class="specsite-chart-bar specsite-series-{bar.series}" x="{LABEL_WIDTH}" '
            f'y="{y + 3}" width="{width}" height="{ROW - 6}" rx="2"></rect>'
            f'<text class="specsite-chart-value" x="{LABEL_WIDTH + width + 6}" y="{y + 14}">'
            f"{html_text(bar.caption)}</text>"
        )
        data = (
            f'data-group="{html_text(bar.group)}" data-series="{bar.series}" '
            f'data-count="{bar.value}"'
        )
        if bar.href is None:
            parts.append(f'<g class="specsite-chart-row" {data}>{body}</g>')
        else:
            parts.append(
                f'<a class="specsite-chart-link" href="{html_text(bar.href)}" {data} '
                f'aria-label="{tip}">{body}</a>'
            )
        y += ROW
    height = y + 4
    ident = html_text(f"specsite-chart-{chart.key}")
    return Markup(
        f'<svg class="specsite-chart" id="{ident}" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{html_text(chart.title)}</title>'
        f'<desc id="{ident}-desc">{html_text(chart.description)}</desc>' + "".join(parts) + "</svg>"
    )


def legend(series: Sequence[str]) -> Markup:
    """The series names, each with its swatch (the bars also say it in words)."""
    if len(series) < 2:
        return Markup("")
    items = "".join(
        f'<span class="specsite-legend-item"><span class="specsite-swatch specsite-series-{n}" '
        f'aria-hidden="true"></span>{html_text(name)}</span>'
        for n, name in enumerate(series)
    )
    return Markup(f'<p class="specsite-legend">{items}</p>')
