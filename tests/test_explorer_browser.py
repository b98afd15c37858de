"""The explorer views in Chromium behind nginx, at the site root and under a sub-path.

The site is built with ``page_size: 1``, so every index has one static page per
spec and a view over every row has to reach across all of them.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import PROMPT, REPO, Site, run_build, write_project
from tests.serving import NGINX
from tests.serving import free_port as _free_port
from tests.test_browser import browser  # noqa: F401  (fixture)

REFERENCE_DOCS = {
    f"reference/{p.name}": p.read_text("utf-8") for p in (REPO / "docs" / "reference").glob("*.md")
}
ROOT_ONLY = pytest.mark.parametrize("site_url", ["/"], indirect=True, ids=["root"])
LIFECYCLE = ["draft", "review", "approved", "implemented", "superseded", "rejected"]


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("explorer")
    config = write_project(
        root / "project",
        specsite={"specs_dir": str(REPO / "specs"), "prompt": str(PROMPT), "page_size": 1},
        docs={"index.md": "# Home\n", **REFERENCE_DOCS},
    )
    site = run_build(root / "site", config_file=config)
    assert site.ok, site.output
    return site


@pytest.fixture(scope="module")
def nginx_base(paged_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx serving the site at / and, through an alias, at /sub/."""
    work = tmp_path_factory.mktemp("nginx-explorer")
    port = _free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""
{user}
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {work};
  proxy_temp_path {work};
  fastcgi_temp_path {work};
  uwsgi_temp_path {work};
  scgi_temp_path {work};
  server {{
    listen 127.0.0.1:{port};
    root {paged_site.root};
    index index.html;
    location /sub/ {{ alias {paged_site.root}/; index index.html; }}
  }}
}}
""",
        encoding="utf-8",
    )
    server = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(params=["/", "/sub/"], ids=["root", "sub-path"])
def site_url(request: pytest.FixtureRequest, nginx_base: str) -> str:
    """The site's root URL; tests marked ``ROOT_ONLY`` run at the root only (kept fast)."""
    return nginx_base + str(request.param)


class Recorded:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []


@pytest.fixture
def watched(browser: Browser, site_url: str) -> Iterator[tuple[Page, Recorded]]:  # noqa: F811
    """A page whose console errors and requests are recorded; none may leave the site."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    seen = Recorded()
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))
    yield page, seen
    context.close()
    origin = urllib.parse.urlsplit(site_url)
    outside = [
        u
        for u in seen.requests
        if not u.startswith(("blob:", "data:")) and urllib.parse.urlsplit(u).netloc != origin.netloc
    ]
    assert outside == []
    assert seen.errors == []


def open_view(page: Page, url: str) -> None:
    page.goto(url)
    page.locator(".specsite-summary").filter(has_text="Showing").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('.specsite-summary').textContent.includes('loading')"
    )


def summary(page: Page) -> str:
    return page.locator(".specsite-summary").inner_text()


def cells(page: Page, column: int) -> list[str]:
    return [
        t.strip()
        for t in page.locator(f".specsite-view tbody tr td:nth-child({column})").all_inner_texts()
    ]


def titles(page: Page) -> list[str]:
    """The spec titles of a catalog view (a recommendation is a second line of the cell)."""
    return [
        t.strip()
        for t in page.locator(".specsite-view tbody tr td:nth-child(1) > a").all_inner_texts()
    ]


def status_of(spec: dict[str, Any]) -> str:
    return str(spec["meta"].get("status") or "")


def test_register_filter_finds_a_risk_on_the_last_static_page(
    watched: tuple[Page, Recorded], site_url: str, paged_site: Site
) -> None:
    page, _ = watched
    specs = paged_site.export()["specs"]
    last = specs[-1]
    risk = next(i for i in last["items"] if i["kind"] == "risk")
    last_page = sorted(
        (paged_site.root / "risks").glob("*/index.html"), key=lambda p: int(p.parent.name)
    )[-1]
    assert risk["id"] in last_page.read_text("utf-8")  # it lives on the last static page
    open_view(page, site_url + "risks/")
    assert page.locator(".specsite-static").is_hidden()
    words = " ".join(risk["text"].split()[:6])
    page.locator(".specsite-controls input[type=search]").fill(words)
    assert cells(page, 5) == [risk["text"]]
    assert summary(page).startswith("Showing 1 of ")
    page.locator(".specsite-view tbody a", has_text=risk["text"][:20]).click()
    page.wait_for_url(f"**/{last['url']}#{risk['id']}")


@ROOT_ONLY
def test_text_filter_does_not_match_status_or_other_columns(
    watched: tuple[Page, Recorded], site_url: str, paged_site: Site
) -> None:
    page, _ = watched
    open_view(page, site_url + "risks/?all=1")
    page.locator(".specsite-controls input[type=search]").fill("superseded")
    expected = [
        i["text"]
        for s in paged_site.export()["specs"]
        for i in s["items"]
        if i["kind"] in ("blocker", "risk", "performance")
        and ("superseded" in i["text"].lower() or "superseded" in s["title"].lower())
    ]
    assert cells(page, 5) == expected


@ROOT_ONLY
def test_facets_narrow_counts_follow_and_the_url_restores_the_view(
    watched: tuple[Page, Recorded], site_url: str, paged_site: Site
) -> None:
    page, _ = watched
    open_view(page, site_url + "risks/")
    draft = [s for s in paged_site.export()["specs"] if status_of(s) == "draft"]
    wanted = [i["text"] for s in draft for i in s["items"] if i["kind"] == "risk"]
    status = page.locator("select[data-facet=status]")
    assert "Status: draft (" in status.inner_text()
    status.select_option("draft")
    page.locator("select[data-facet=kind]").select_option("Risks")
    assert cells(page, 5) == wanted
    assert set(cells(page, 2)) == {"draft"}
    assert summary(page).startswith(f"Showing {len(wanted)} of ")
    # counts of the other facets follow the filter
    owners = page.locator("select[data-facet=owner] option").all_inner_texts()
    assert owners[1:] == [f"Owner: {draft[0]['meta']['owner']} ({len(wanted)})"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["status"] == ["draft"] and query["kind"] == ["Risks"]
    page.locator(".specsite-controls input[type=search]").fill("a")
    shown = cells(page, 5)
    assert "filter=a" in page.url
    assert page.locator(".md-search__input").input_value() == ""  # Material's search stays shut
    page.reload()
    page.wait_for_function(
        "() => document.querySelector('.specsite-summary').textContent.startsWith('Showing')"
        " && !document.querySelector('.specsite-summary').textContent.includes('loading')"
    )
    assert page.locator(".specsite-controls input[type=search]").input_value() == "a"
    assert page.locator("select[data-facet=status]").input_value() == "draft"
    assert cells(page, 5) == shown
    page.locator(".specsite-controls select[data-facet=status]").select_option("")
    page.locator(".specsite-controls input[type=search]").fill("no such words anywhere zzz")
    assert page.locator(".specsite-empty").is_visible()
    assert cells(page, 5) == []


def test_csv_holds_exactly_the_rows_shown(watched: tuple[Page, Recorded], site_url: str) -> None:
    page, _ = watched
    open_view(page, site_url + "open-questions/?filter=the")
    shown = list(zip(cells(page, 1), cells(page, 5), strict=True))
    assert len(shown) > 1
    with page.expect_download() as download:
        page.locator("button.specsite-csv").focus()
        page.keyboard.press("Enter")
    path = download.value.path()
    assert path is not None
    text = Path(path).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["spec"], r["item"]) for r in rows] == shown
    assert all(r["url"].startswith(site_url) and "#open-question-" in r["url"] for r in rows)
    assert {r["resolved"] for r in rows} <= {"yes", "no"}


@ROOT_ONLY
def test_superseded_hidden_by_default_and_counted_with_the_toggle(
    watched: tuple[Page, Recorded], site_url: str, paged_site: Site
) -> None:
    page, _ = watched
    specs = paged_site.export()["specs"]
    hidden = [s["title"] for s in specs if status_of(s) in ("superseded", "rejected")]
    assert hidden
    open_view(page, site_url)
    assert not set(hidden) & set(titles(page))
    assert summary(page) == (
        f"Showing {len(specs) - len(hidden)} of {len(specs) - len(hidden)} specs, "
        "superseded and rejected specs hidden."
    )
    page.locator(".specsite-toggle input").check()
    assert set(hidden) <= set(titles(page))
    assert summary(page) == (
        f"Showing {len(specs)} of {len(specs)} specs, including superseded and rejected specs."
    )
    assert "all=1" in page.url


@ROOT_ONLY
def test_status_sorts_in_lifecycle_order_with_space_and_aria_sort(
    watched: tuple[Page, Recorded], site_url: str
) -> None:
    page, _ = watched
    open_view(page, site_url + "?all=1")
    header = page.locator(".specsite-view th").nth(1)
    assert header.get_attribute("aria-sort") == "none"
    assert header.locator("button").is_visible()
    header.locator("button").focus()
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "ascending"
    statuses = cells(page, 2)
    known = [s for s in statuses if s]
    assert known == sorted(known, key=LIFECYCLE.index)
    assert statuses == known + [""] * (len(statuses) - len(known))  # empty cells last
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    statuses = cells(page, 2)
    assert [s for s in statuses if s] == sorted(known, key=LIFECYCLE.index, reverse=True)
    assert statuses[-1] == ""  # still last
    assert "sort=status" in page.url and "dir=desc" in page.url


@ROOT_ONLY
def test_index_pages_fit_1366_px_and_phone_rows_become_cards(
    watched: tuple[Page, Recorded], site_url: str
) -> None:
    page, _ = watched
    for path in ("", "risks/", "conformance/"):
        page.goto(site_url + path)
        page.locator("article table").first.wait_for()
        if path != "conformance/":
            open_view(page, site_url + path)
        widths = page.evaluate(
            "() => [document.documentElement,"
            " ...document.querySelectorAll('article table, .specsite-scroll')]"
            ".filter(e => e.offsetParent !== null || e === document.documentElement)"
            ".map(e => [e.scrollWidth, e.clientWidth])"
        )
        assert all(scroll <= client for scroll, client in widths), (path, widths)
        assert page.locator(".md-sidebar--secondary").is_hidden()
    page.set_viewport_size({"width": 390, "height": 800})
    open_view(page, site_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    display = page.locator(".specsite-view tbody tr").first.evaluate(
        "e => getComputedStyle(e).display"
    )
    assert display == "block"


@ROOT_ONLY
def test_static_tables_sort_with_buttons(watched: tuple[Page, Recorded], site_url: str) -> None:
    page, _ = watched
    page.goto(site_url + "conformance/")
    header = page.locator("table.specsite-conformance th").first
    header.locator("button").focus()
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "ascending"
    titles = page.locator("table.specsite-conformance tbody td:first-child").all_inner_texts()
    natural = page.evaluate(
        "t => [...t].sort((a, b) =>"
        " a.localeCompare(b, undefined, {numeric: true, sensitivity: 'base'}))",
        titles,
    )
    assert titles == natural
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert (
        page.locator("table.specsite-conformance tbody td:first-child").all_inner_texts()
        == natural[::-1]
    )


def test_static_tables_return_when_the_data_cannot_load(
    browser: Browser,  # noqa: F811
    nginx_base: str,
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.route("**/explorer/**", lambda route: route.abort())
    page.goto(nginx_base + "/sub/risks/?filter=gap&status=draft")
    page.locator(".specsite-summary", has_text="could not load").wait_for()
    static = page.locator("div.specsite-static")
    assert static.is_visible()
    assert static.locator("table tbody tr").count() > 0
    links = static.locator("nav.specsite-pager a")
    assert links.count() > 0
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.endswith("?filter=gap&status=draft")  # page links carry the filter
    assert page.locator("div.specsite-static th button").count() > 0  # still sortable
    context.close()


@ROOT_ONLY
def test_prompt_facet_filters_on_provenance(
    watched: tuple[Page, Recorded], site_url: str, paged_site: Site
) -> None:
    """The catalog's Prompt facet: current / changed / unknown, from specs.json's provenance."""
    page, _ = watched
    specs = paged_site.export()["specs"]
    states: dict[str, int] = {}
    for spec in specs:
        if status_of(spec) not in ("superseded", "rejected"):
            state = spec["provenance"]["state"]
            states[state] = states.get(state, 0) + 1
    open_view(page, site_url)
    facet = page.locator("select[data-facet=prompt]")
    options = facet.locator("option").all_inner_texts()
    assert options[1:] == [f"Prompt: {state} ({count})" for state, count in sorted(states.items())]
    facet.select_option(next(iter(sorted(states))))
    assert len(cells(page, 1)) == states[next(iter(sorted(states)))]
    assert "prompt=" in page.url


@pytest.fixture(scope="module")
def two_shard_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Small specs, one more than a shard holds: a view that loads in two parts."""
    from specsite.explorer import SHARD_SPECS

    root = tmp_path_factory.mktemp("two-shards")
    specs = root / "specs"
    specs.mkdir()
    for number in range(SHARD_SPECS + 1):
        (specs / f"feature-{number:03d}.md").write_text(
            f"---\ntitle: Feature {number:03d}\nstatus: draft\n---\n\n"
            "## 1. Executive Summary\n\nA small change.\n\n"
            "## 3. Risks & Concerns\n\n### Risks\n\n"
            f"- **Load {number}**: the queue may back up.\n",
            "utf-8",
        )
    config = write_project(
        root / "project", specsite={"specs_dir": str(specs), "prompt": str(PROMPT)}
    )
    site = run_build(root / "site", config_file=config, strict=False)
    assert site.ok, site.output
    return site


def test_a_view_waits_while_the_search_is_open_and_catches_up_when_it_closes(
    two_shard_site: Site,
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A view loading its shards does not filter and redraw while the reader searches
    (the search gets the main thread); closing the search shows every row."""
    from tests.serving import nginx

    held: list[Any] = []
    with nginx(two_shard_site.root, tmp_path) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.route("**/explorer/specs-1.*.json", lambda route: held.append(route))  # waits
        page.goto(url + "risks/")
        page.locator(".specsite-summary").filter(has_text="loading 1 of 2").wait_for()
        page.locator(".specsite-search-input").focus()  # opens the search over the page
        assert page.evaluate("document.getElementById('__search').checked")
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_timeout(1500)  # the shard is in; the view waits behind the search
        assert "loading 1 of 2" in summary(page)
        page.keyboard.press("Escape")  # closes the search
        page.locator(".specsite-summary").filter(has_text="of 251 rows").wait_for(timeout=5000)
        assert "loading" not in summary(page)
        context.close()
