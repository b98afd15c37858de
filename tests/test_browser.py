"""The built site in a real browser (Debian's Chromium) behind a real static server (nginx)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import Site
from tests.serving import nginx

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served(example_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site served by nginx at the root of a loopback host."""
    with nginx(example_site.root, tmp_path_factory.mktemp("nginx")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def test_register_filter_and_item_link(page: Page, served: str, example_site: Site) -> None:
    page.goto(served + "risks/")
    page.locator(".specsite-view tbody tr").first.wait_for()  # the explorer view is in
    rows = page.locator("article table tbody tr")
    total = rows.count()
    item = next(
        i for s in example_site.export()["specs"] for i in s["items"] if i["kind"] == "performance"
    )
    page.locator("input.specsite-filter-input").fill(item["text"][:30])
    visible = [r for r in rows.all() if r.is_visible()]
    assert 1 <= len(visible) < total
    visible[0].locator(f"a[href$='#{item['id']}']").click()
    page.wait_for_url(f"**/{item['url']}")
    anchor = page.locator(f"[id='{item['id']}']")
    assert anchor.count() == 1
    assert anchor.evaluate("e => e.getBoundingClientRect().top") < page.viewport_size["height"]  # type: ignore[index]
