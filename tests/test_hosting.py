"""Hosting anywhere: under a sub-path, on a host without internet, opened from disk."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route

from tests.conftest import EXAMPLE_SPECS, PROMPT, REPO, Site, run_build
from tests.serving import nginx
from tests.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

MERMAID_SPEC = "order-book-depth-stream"


def build_repo_site(tmp_path: Path, extra_config: str = "") -> Site:
    """The repository's own mkdocs.yml and docs/, plus ``extra_config`` keys, built strictly."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "docs", project / "docs")
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(text + "\n" + extra_config, encoding="utf-8")
    site = run_build(
        project / "site",
        config_file=project / "mkdocs.yml",
        specs_dir=EXAMPLE_SPECS,
        prompt=PROMPT,
    )
    assert site.ok, site.output
    return site


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context()
    yield context.new_page()
    context.close()


def only_the_site(page: Page, site_url: str) -> list[str]:
    """Block every request that leaves the site; returns the list of blocked URLs."""
    blocked: list[str] = []

    def route(route: Route, request: Request) -> None:
        if request.url.startswith(site_url):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    page.route("**/*", route)
    return blocked


def test_mermaid_renders_from_the_site_itself(tmp_path: Path, page: Page) -> None:
    site = build_repo_site(tmp_path)
    html = (site.root / "specs" / MERMAID_SPEC / "index.html").read_text("utf-8")
    assert "unpkg.com" not in html and "assets/specsite/mermaid.min.js" in html
    # pages without a diagram do not pay for Mermaid
    assert "mermaid.min.js" not in (site.root / "index.html").read_text("utf-8")
    with nginx(site.root, tmp_path / "nginx") as url:
        blocked = only_the_site(page, url)
        page.goto(f"{url}specs/{MERMAID_SPEC}/")
        rendered = page.locator("article div.mermaid").first
        rendered.wait_for(timeout=20_000)  # Material swaps the source for the drawing
        assert page.locator("article pre.mermaid").count() == 0
        box = rendered.bounding_box()
        assert box is not None and box["height"] > 50
        assert blocked == []


def test_404_page_keeps_its_styles_under_a_sub_path(tmp_path: Path, page: Page) -> None:
    site = build_repo_site(tmp_path, "site_url: https://specs.example.invalid/team/specs/\n")
    sitemap = (site.root / "sitemap.xml").read_text("utf-8")
    assert "https://specs.example.invalid/team/specs/specs/price-alerts/" in sitemap
    with nginx(site.root, tmp_path / "nginx", prefix="/team/specs/") as url:
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        response = page.goto(f"{url}no/such/page/")
        assert response is not None and response.status == 404
        page.wait_for_load_state("networkidle")
        assert [u for u in failed if "/assets/" in u] == []
        sheets = page.evaluate(
            "Array.from(document.styleSheets).filter(s => s.href && "
            "s.href.includes('/team/specs/assets/stylesheets/') && s.cssRules.length > 0).length"
        )
        assert sheets >= 1
        header = page.locator("header.md-header")
        assert header.evaluate("e => getComputedStyle(e).position") == "sticky"


def test_the_site_can_be_browsed_from_disk(tmp_path: Path, page: Page) -> None:
    site = build_repo_site(tmp_path, "use_directory_urls: false\n")
    page.goto((site.root / "index.html").as_uri())
    link = page.locator("article table a[href*='price-alerts']").first
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("specs/price-alerts.html")
    assert "Price Alerts" in page.locator("article h1").first.inner_text()
    page.locator("a[href$='risks.html']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/risks.html")
    item = page.locator("article table a[href*='#']").first
    item.click()
    page.wait_for_load_state()
    assert ".html#" in page.url
    page.locator("input.specsite-search-input").click(force=True)
    note = page.locator(".specsite-search-meta")
    assert "served over HTTP" in note.inner_text()
    assert note.is_visible()


def test_mermaid_source_choices(tmp_path: Path) -> None:
    from specsite import mermaid

    assert mermaid.resolve("cdn", tmp_path).cdn
    assert mermaid.resolve("nowhere.js", tmp_path).missing
    local = tmp_path / "m.js"
    local.write_text("window.mermaid = {};", encoding="utf-8")
    assert mermaid.resolve("m.js", tmp_path).path == local.resolve()
    html = '<pre class="mermaid"><code>graph LR</code></pre>'
    assert (
        mermaid.as_source(html)
        == '<pre class="specsite-mermaid-source"><code>graph LR</code></pre>'
    )
    page = '<body><script src="../assets/javascripts/bundle.abc.min.js"></script></body>'
    assert mermaid.with_local_script(page, "m.js").startswith('<body><script src="m.js"></script>')


def test_a_missing_mermaid_file_is_a_config_error(tmp_path: Path) -> None:
    site = build_repo_site_failing(tmp_path, "mermaid-does-not-exist.js")
    assert "specsite config 'mermaid': no file at mermaid-does-not-exist.js" in site.output


def build_repo_site_failing(tmp_path: Path, mermaid_setting: str) -> Site:
    project = tmp_path / "project"
    shutil.copytree(REPO / "docs", project / "docs")
    text = (
        (REPO / "mkdocs.yml")
        .read_text("utf-8")
        .replace(
            "      specs_dir: !ENV", f"      mermaid: {mermaid_setting}\n      specs_dir: !ENV"
        )
    )
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    site = run_build(project / "site", config_file=project / "mkdocs.yml", specs_dir=EXAMPLE_SPECS)
    assert not site.ok and "Traceback" not in site.output
    return site
