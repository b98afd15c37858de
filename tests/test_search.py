"""Search: Pagefind records from the model, the header box in Chromium behind nginx
(at the root of a host and under a sub-path)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown.extensions.toc import slugify
from playwright.sync_api import Browser, Page, Request, sync_playwright

from specsite.build import build
from specsite.config import load_config
from specsite.search import SECTION_KIND, spec_records
from tests.conftest import (
    PROMPT,
    REPO,
    Site,
    SiteBuilder,
    copy_examples,
    run_build,
    write_project,
)
from tests.serving import nginx
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS


def test_build_writes_pagefind_not_lunr(example_site: Site) -> None:
    assert (example_site.root / "pagefind" / "pagefind.js").is_file()
    assert list((example_site.root / "pagefind" / "fragment").iterdir())
    assert not (example_site.root / "search" / "search_index.json").exists()
    header = example_site.html("").select_one("header")
    assert header is not None
    assert header.select_one(".specsite-search input.md-search__input") is not None
    assert header.select_one("[data-md-component=search]") is None  # Material's box is gone
    assert header.select_one("form[name=search]") is None  # Material's worker keys on it


def test_section_records_open_on_the_ids_the_page_gives_its_headings(example_site: Site) -> None:
    config = load_config(None, REPO)
    result = build(config, set(), has_home=True)
    checked = 0
    for spec in result.collection.specs:
        records = list(spec_records(spec, config, slugify))
        sections = [r for r in records if r.kind == SECTION_KIND]
        assert sections, spec.source
        page = example_site.html(f"specs/{spec.slug}/")
        for record in records:
            page_url, _, anchor = record.url.partition("#")
            assert page_url == f"specs/{spec.slug}/"
            if anchor:
                assert page.find(id=anchor) is not None, (spec.source, record.url, record.label)
                checked += 1
        assert all(r.filters["status"] == [spec.status or "not set"] for r in records)
    assert checked > 50


@pytest.fixture(scope="module", params=["/", "/team/specs/"], ids=["root", "sub-path"])
def served(
    request: pytest.FixtureRequest, example_site: Site, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with nginx(example_site.root, tmp_path_factory.mktemp("nginx"), request.param) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Watched:
    """Every request and console error of a page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)


@pytest.fixture
def watched(browser: Browser, served: str) -> Iterator[Watched]:
    context = browser.new_context()
    seen = Watched(context.new_page())
    yield seen
    context.close()
    origin = served.split("/", 3)[:3]
    assert not seen.errors
    assert all(u.split("/", 3)[:3] == origin for u in seen.requests if u.startswith("http"))
    assert not any("search_index" in u for u in seen.requests)


def search(page: Page, words: str) -> list[dict[str, str]]:
    """Type ``words`` in the header box (opened with '/') and read the results shown."""
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('specsite-search-input')")
    page.keyboard.type(words)
    page.wait_for_function(
        "w => { const list = document.querySelector('.specsite-search-results');"
        " return list.dataset.term === w && list.dataset.done && list.children.length > 0 }",
        arg=words,
        timeout=15_000,
    )
    hits = []
    for hit in page.locator(".specsite-search-hit").all():
        label = hit.locator(".specsite-search-label")
        status = hit.locator(".specsite-search-status")
        hits.append(
            {
                "href": hit.locator("a").get_attribute("href") or "",
                "title": hit.locator(".specsite-search-title").inner_text(),
                "kind": hit.locator(".specsite-search-kind").inner_text(),
                "status": status.inner_text() if status.count() else "",
                "label": label.inner_text() if label.count() else "",
            }
        )
    return hits


def _item(site: Site, source: str, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = site.spec(source)
    return spec, next(i for i in spec["items"] if i["kind"] == kind)


@pytest.mark.parametrize(
    ("source", "kind", "badge"),
    [
        ("watchlist-sync.md", "risk", "Risks"),
        ("price-alerts.md", "blocker", "Blockers"),
        ("paper-trading-accounts.md", "open_question", "Open questions"),
    ],
)
def test_a_phrase_of_an_item_finds_its_spec_first_and_opens_on_the_item(
    watched: Watched, served: str, example_site: Site, source: str, kind: str, badge: str
) -> None:
    spec, item = _item(example_site, source, kind)
    phrase = " ".join(item["text"].split()[1:5])  # a phrase from inside the item
    page = watched.page
    page.goto(served)
    hits = search(page, phrase)
    first = hits[0]
    assert first["href"].endswith("/" + item["url"])
    assert first["title"] == spec["title"]
    assert first["kind"].lower() == badge.lower()
    assert first["status"] == (spec["status"] or "not set")
    page.locator(".specsite-search-hit a").first.click()
    page.wait_for_url(f"**/{item['url']}")
    anchor = page.locator(f"[id='{item['id']}']")
    assert anchor.count() == 1
    top = anchor.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"]  # type: ignore[index]
    assert not page.locator("#__search").is_checked()  # the search overlay closed


def _wait_for_new_results(page: Page, before: str) -> None:
    page.wait_for_function(
        "before => { const m = document.querySelector('.specsite-search-meta').textContent;"
        " return m !== before && /matching result/.test(m) }",
        arg=before,
    )


def test_a_facet_narrows_the_results(watched: Watched, served: str, example_site: Site) -> None:
    page = watched.page
    page.goto(served + "risks/")  # any page: the box is in every header
    hits = search(page, "tradingview")
    assert len({h["kind"] for h in hits}) > 1
    total = page.locator(".specsite-search-meta").inner_text()
    # the facets' data grows with the collection: fetched only when asked for
    page.wait_for_timeout(300)
    assert not [u for u in watched.requests if u.endswith(".pf_filter")]
    page.locator(".specsite-search-narrow").click()
    page.locator(".specsite-search-facets select[name=kind]").select_option("Risks")
    assert [u for u in watched.requests if u.endswith(".pf_filter")]
    _wait_for_new_results(page, total)
    kinds = page.locator(".specsite-search-kind").all_inner_texts()
    assert kinds and set(kinds) == {"Risks"}
    narrowed = page.locator(".specsite-search-meta").inner_text()
    assert int(narrowed.split()[0]) < int(total.split()[0])
    page.locator(".specsite-search-facets select[name=status]").select_option("approved")
    _wait_for_new_results(page, narrowed)
    approved = {s["url"] for s in example_site.export()["specs"] if s["status"] == "approved"}
    hrefs = page.locator(".specsite-search-hit a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs and all(any(url + "#" in href for url in approved) for href in hrefs)
    assert set(page.locator(".specsite-search-status").all_inner_texts()) == {"approved"}


HOSTILE = """---
title: Hostile <img src=x onerror="window.pwned=1"> spec
status: <b>draft</b>
---

# Hostile spec

## 3. Risks & Concerns

**Risks:**

- Quokka <script>window.pwned=2</script> &amp; <img src=y onerror="window.pwned=3"> wobble.
"""


def test_spec_text_stays_text_in_results(
    browser: Browser, tmp_path: Path, build_specs: SiteBuilder
) -> None:
    """Markup in a spec's title, status and items is shown as text and never runs."""
    site = build_specs({"hostile.md": HOSTILE}, strict=False)
    assert site.ok, site.output
    context = browser.new_context()
    seen = Watched(context.new_page())
    with nginx(site.root, tmp_path) as url:
        seen.page.goto(url)
        hits = search(seen.page, "quokka wobble")
        assert seen.page.evaluate("window.pwned") is None
        assert (
            seen.page.locator(
                ".specsite-search-results img, .specsite-search-results script, "
                ".specsite-search-results b"
            ).count()
            == 0
        )
        excerpt = seen.page.locator(".specsite-search-excerpt").first.inner_text()
    context.close()
    assert hits[0]["title"] == 'Hostile <img src=x onerror="window.pwned=1"> spec'
    assert hits[0]["status"] == "<b>draft</b>"
    assert "Quokka" in excerpt and "wobble" in excerpt
    assert not seen.errors


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    specs = copy_examples(tmp_path / "specs")
    config = write_project(
        tmp_path, specsite={"specs_dir": str(specs), "prompt": str(PROMPT), "search": False}
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    assert (site.root / "search" / "search_index.json").is_file()  # the theme's own search
    assert not (site.root / "pagefind").exists()
    assert site.html("").select_one("[data-md-component=search]") is not None


def test_the_newest_pagefind_binary_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/setup installs Pagefind 1.6 beside the venv's Python; the pagefind[bin]
    wheel holds 1.5.2. The newest runnable one is chosen; PAGEFIND_BINARY_PATH wins."""
    from pagefind.service import get_executable

    from specsite.search_index import binary_version, find_binary

    wheel = Path(str(get_executable()))
    wheel_version = binary_version(wheel)
    assert wheel_version is not None
    find_binary.cache_clear()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    chosen = find_binary()
    assert chosen.version >= (1, 6, 0) > wheel_version
    find_binary.cache_clear()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wheel))
    try:
        assert find_binary().version == wheel_version
    finally:
        find_binary.cache_clear()
