"""Every link of the home page's dashboard, clicked in Chromium behind nginx: the view it
opens lists exactly as many rows as the number the chart drew (the impact page's links too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import Site
from tests.serving import nginx
from tests.test_browser import browser  # noqa: F401  (fixture)
from tests.test_dashboard import build_dashboard_site


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    root = tmp_path_factory.mktemp("dashboard-browser")
    site = build_dashboard_site(root, count=12, page_size=4, small=True)
    with nginx(site.root, root / "nginx", prefix="/sub/") as url:
        yield site, url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shown_rows(page: Page) -> int:
    """The view's row count once every shard is in ('Showing N of M rows')."""
    page.locator(".specsite-summary").filter(has_text="Showing").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('.specsite-summary').textContent.includes('loading')"
    )
    text = page.locator(".specsite-summary").inner_text()
    match = re.match(r"Showing (\d+) of", text)
    assert match, text
    count = int(match.group(1))
    # and the table shows them (up to the first screenful of 200)
    assert page.locator(".specsite-view tbody tr").count() == min(count, 200)
    return count


def click_every_link(page: Page, url: str, selector: str) -> int:
    page.goto(url)
    total = page.locator(selector).count()
    assert total > 0
    for n in range(total):
        if n:
            page.go_back(wait_until="domcontentloaded")
        link = page.locator(selector).nth(n)
        expected = int(link.get_attribute("data-count") or "-1")
        label = link.get_attribute("aria-label") or link.inner_text()
        link.click()
        page.wait_for_load_state()
        assert shown_rows(page) == expected, f"{label}: {page.url}"
    return total


def test_every_dashboard_link_opens_a_view_with_as_many_rows(
    page: Page, served: tuple[Site, str]
) -> None:
    _, url = served
    clicked = click_every_link(page, url, ".specsite-dashboard a[data-count]")
    assert clicked > 20


def test_every_impact_link_opens_a_view_with_as_many_rows(
    page: Page, served: tuple[Site, str]
) -> None:
    _, url = served
    click_every_link(page, url + "impact/", ".specsite-impact a[data-count]")


def test_dashboard_fits_and_chart_links_are_keyboard_reachable(
    page: Page, served: tuple[Site, str]
) -> None:
    _, url = served
    page.goto(url)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1366
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: nothing wider either
    for path in ("", "planning/", "impact/"):
        page.goto(url + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
    page.goto(url)
    first = page.locator("svg.specsite-chart a").first
    first.focus()
    assert page.evaluate("() => document.activeElement.closest('svg') !== null")


def test_planning_view_prints_on_a4_without_cut_columns(
    page: Page, served: tuple[Site, str], tmp_path: Path
) -> None:
    _, url = served
    page.goto(url + "planning/")
    page.emulate_media(media="print")
    # A4 at 96 dpi, less the page margins: no table may be wider than the printable width
    page.set_viewport_size({"width": 794 - 91, "height": 1123})
    overflow = page.evaluate(
        """() => Array.from(document.querySelectorAll('table.specsite-plan')).filter(
             t => t.scrollWidth > t.clientWidth + 1 ||
                  t.getBoundingClientRect().right > document.documentElement.clientWidth + 1
           ).length"""
    )
    assert overflow == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 794 - 91
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
