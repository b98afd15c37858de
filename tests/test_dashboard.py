"""The dashboard, planning view, impact page, recommendations and 'Cited by' sentences,
checked on a real build of a generated collection against numbers computed from the
site's own ``specs.json`` (never from the code under test)."""

from __future__ import annotations

import datetime
import re
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import PROMPT, Site, run_build, write_project
from tests.dashboard_collection import TODAY, collection

LIFECYCLE = ["draft", "review", "approved", "implemented", "superseded", "rejected"]
HIDDEN = {"superseded", "rejected"}
ALIASES = {"in review": "review", "reviewed": "review", "accepted": "approved",
           "done": "implemented", "obsolete": "superseded", "withdrawn": "rejected",
           "declined": "rejected"}  # fmt: skip
ARCHITECTURE = "# Architecture\n\nThe module map.\n"


def build_dashboard_site(
    root: Path, count: int = 40, page_size: int = 5, *, small: bool = False
) -> Site:
    specs = root / "specs"
    specs.mkdir(parents=True)
    for name, text in collection(count, small=small).items():
        (specs / name).write_text(text, encoding="utf-8")
    config = write_project(
        root / "project",
        specsite={
            "specs_dir": str(specs),
            "prompt": str(PROMPT),
            "page_size": page_size,
            "search": False,
        },
        docs={"index.md": "# Home\n", "reference/ARCHITECTURE.md": ARCHITECTURE},
    )
    # 'parked' is an unknown status on purpose (it counts as not approved): its warning
    # is the only one the build may give
    site = run_build(root / "site", config_file=config, env={"SPECSITE_TODAY": TODAY}, strict=False)
    assert site.ok, site.output
    warnings = [line for line in site.output.splitlines() if line.startswith("WARNING")]
    assert all("status 'parked'" in line and "[status-unknown]" in line for line in warnings)
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build_dashboard_site(tmp_path_factory.mktemp("dashboard"))


# -- expected values, from specs.json alone -----------------------------------------------


def status(spec: dict[str, Any]) -> str:
    value = " ".join(str(spec["info"].get("status") or spec["status"] or "").split()).lower()
    if not value:
        return "(none)"
    return value if value in LIFECYCLE else ALIASES.get(value, value)


def owner(spec: dict[str, Any]) -> str:
    return ", ".join(spec["info"].get("owner", [])) or "(none)"


def open_items(spec: dict[str, Any], kind: str) -> int:
    return sum(1 for i in spec["items"] if i["kind"] == kind and not i["resolved"])


def live(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for s in specs if status(s) not in HIDDEN]


def changed(spec: dict[str, Any]) -> str | None:
    for key in ("updated", "date"):
        value = str(spec["info"].get(key, ""))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
    return None


def tag(node: object) -> Tag:
    """A found element (fails the test when it is missing)."""
    assert isinstance(node, Tag), node
    return node


def chart(soup: BeautifulSoup, key: str) -> dict[tuple[str, int], int]:
    """(group, series) -> the number drawn, for every bar of one chart."""
    svg = soup.find(id=f"specsite-chart-{key}")
    assert isinstance(svg, Tag), key
    return {
        (str(bar["data-group"]), int(str(bar["data-series"]))): int(str(bar["data-count"]))
        for bar in svg.select("[data-group]")
    }


def test_dashboard_numbers_equal_those_computed_from_specs_json(site: Site) -> None:
    specs = site.export()["specs"]
    home = site.html("")
    board = home.select_one(".specsite-dashboard")
    assert board is not None
    # the dashboard sits above the catalog
    assert board.find_next(class_="specsite-explorer") is not None

    by_status = Counter(status(s) for s in specs)
    assert {g: n for (g, _), n in chart(home, "status").items()} == by_status

    totals: Counter[str] = Counter()
    expected: dict[tuple[str, int], int] = {}
    for spec in live(specs):
        totals[status(spec)] += open_items(spec, "blocker") + open_items(spec, "open_question")
        for series, kind in enumerate(("blocker", "open_question")):
            key = (status(spec), series)
            expected[key] = expected.get(key, 0) + open_items(spec, kind)
    assert chart(home, "outstanding-status") == {k: v for k, v in expected.items() if totals[k[0]]}

    owners: Counter[str] = Counter()
    by_owner: dict[tuple[str, int], int] = {}
    for spec in live(specs):
        owners[owner(spec)] += open_items(spec, "blocker") + open_items(spec, "open_question")
        for series, kind in enumerate(("blocker", "open_question")):
            key = (owner(spec), series)
            by_owner[key] = by_owner.get(key, 0) + open_items(spec, kind)
    top = sorted((o for o in owners if owners[o]), key=lambda o: (-owners[o], o))[:10]
    assert len(owners) > 10  # the chart really keeps the top ten
    assert chart(home, "outstanding-owner") == {k: v for k, v in by_owner.items() if k[0] in top}

    approved = [s for s in specs if status(s) == "approved"]
    assert chart(home, "attention") == {
        ("with open blockers", 0): sum(1 for s in approved if open_items(s, "blocker")),
        ("with open questions", 1): sum(1 for s in approved if open_items(s, "open_question")),
    }

    risks: Counter[str] = Counter()
    for spec in live(specs):
        for module in spec["info"].get("modules", []):
            risks[module] += open_items(spec, "risk")
    top_modules = sorted((m for m in risks if risks[m]), key=lambda m: (-risks[m], m))[:10]
    assert chart(home, "modules") == {(m, 0): risks[m] for m in top_modules}

    today = datetime.date.fromisoformat(TODAY)
    days = [(today - datetime.timedelta(days=n)).isoformat() for n in range(13, -1, -1)]
    recent = Counter(changed(s) for s in specs)
    drawn = chart(home, "recent")
    assert [n for _, n in sorted(drawn.items(), key=lambda kv: kv[0][0][4:])] == [
        recent[d] for d in days
    ]
    assert sum(drawn.values()) > 0 and recent["2026-03-20"] > 0  # a future day stays out

    tiles = {t.get_text(" ", strip=True).split(" ", 1)[1]: int(str(t["data-count"]))
             for t in board.select("a.specsite-tile")}  # fmt: skip
    assert tiles["specs"] == len(specs)
    assert tiles["open blockers"] == sum(open_items(s, "blocker") for s in live(specs))
    assert tiles["open questions"] == sum(open_items(s, "open_question") for s in live(specs))
    assert tiles[f"changed since {days[0]}"] == sum(recent[d] for d in days)


def test_chart_links_carry_the_filter_of_what_they_count(site: Site) -> None:
    home = site.html("")
    links = home.select(".specsite-dashboard a[data-count]")
    assert len(links) > 30
    for link in links:
        href = str(link["href"])
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
        group = link.get("data-group")
        if group is None or link.find_parent(id="specsite-chart-attention"):
            continue
        # every bar's group (status, owner, module or day) is a filter of its link
        assert any(str(group) in values or str(group).endswith(values[0])
                   for values in query.values()), href  # fmt: skip
    # charts are accessible: a title and a description, text labels on every bar
    for svg in home.select("svg.specsite-chart"):
        assert svg["role"] == "img"
        assert svg.find("title") is not None and svg.find("desc") is not None
        assert all(bar.select("text") for bar in svg.select("[data-group]"))


def test_planning_view_lists_open_items_of_specs_not_approved_by_owner(site: Site) -> None:
    specs = site.export()["specs"]
    not_approved = [
        s for s in specs if status(s) not in ("approved", "implemented", *HIDDEN)
    ]  # 'parked' (unknown) and no status count as not approved
    expected = sorted(
        i["text"] for s in not_approved for i in s["items"]
        if i["kind"] in ("blocker", "open_question") and not i["resolved"]
    )  # fmt: skip
    pages = [site.html("planning/")]
    pages += [
        site.html(f"planning/{n}/") for n in range(2, 50) if (site.root / f"planning/{n}").is_dir()
    ]
    assert len(pages) > 1  # paged: page_size 5
    found = []
    owners_in_order = []
    for page in pages:
        body = page.select_one(".specsite-planning")
        assert body is not None
        for section in body.select("section.specsite-owner"):
            owners_in_order.append(section.h2.get_text(strip=True) if section.h2 else "")
        found += [
            row.select("td")[1].get_text(" ", strip=True)
            for row in body.select("table.specsite-plan tbody tr")
        ]
    assert sorted(found) == expected
    merged = [o for n, o in enumerate(owners_in_order) if n == 0 or owners_in_order[n - 1] != o]
    assert merged == sorted(set(merged), key=lambda o: (o == "(none)", o.casefold()))
    assert "(none)" in merged  # specs without an owner are listed too, last


def test_print_stylesheet_fits_a4(site: Site) -> None:
    css = (site.root / "assets" / "specsite" / "specsite.css").read_text(encoding="utf-8")
    printing = css[css.index("@media print") :]
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", printing)
    assert "table-layout: fixed" in printing and "overflow-wrap: anywhere" in printing


def test_impact_page_counts_modules_and_references(site: Site) -> None:
    specs = live(site.export()["specs"])
    page = site.html("impact/")
    table = page.select_one("table.specsite-impact-table")
    assert table is not None
    rows = {
        tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    }
    for module, cells in rows.items():
        here = [s for s in specs if module in s["info"].get("modules", [])]
        assert cells[1:4] == [str(len(here)), str(sum(open_items(s, "blocker") for s in here)),
                              str(sum(open_items(s, "risk") for s in here))]  # fmt: skip
    assert len(rows) == 5  # page_size modules to a page; the next on impact/2/
    assert (site.root / "impact" / "2" / "index.html").is_file()
    references = page.find(id="references")
    assert references is not None
    cited = sum(1 for s in site.export()["specs"] if "ARCHITECTURE.md" in s["references"])
    row = tag(tag(references.find_next("table")).select_one("tbody tr"))
    assert row.select("td")[1].get_text(strip=True) == str(cited)


def test_shared_components_on_the_impact_page(site: Site) -> None:
    specs = site.export()["specs"]
    assert site.spec("spec-000.md")["components"] == [
        "Widget0.vue",
        "backend/modules/core-bus",
        "Only0",
    ]
    named = Counter(c for s in live(specs) for c in s["components"])
    page = site.html("impact/")
    heading = page.find(id="components")
    assert heading is not None
    table = tag(heading.find_next("table"))
    rows = {
        tr.select("td")[0].get_text(strip=True): int(tr.select("td")[1].get_text(strip=True))
        for tr in table.select("tbody tr")
    }
    assert rows == {name: n for name, n in named.items() if n > 1}
    assert "Only0" not in rows  # named by one spec: not shared


def test_recommendation_in_catalog_and_specs_json(site: Site) -> None:
    spec = site.spec("spec-000.md")
    assert spec["recommendation"] == "Go with Approach 0 for spec 0."
    assert site.spec("spec-003.md")["recommendation"] == ""
    home = site.html("")
    noscript = tag(home.select_one("noscript.specsite-static"))
    static = BeautifulSoup(noscript.decode_contents(), "html.parser")
    first = tag(static.select_one("table.specsite-catalog tbody tr td"))
    rec = tag(first.select_one(".specsite-rec"))
    assert rec.get_text() == "Go with Approach 0 for spec 0."


def test_reference_page_lists_citing_specs_with_their_sentence(site: Site) -> None:
    page = site.html("reference/ARCHITECTURE/")
    heading = page.find(id="cited-by-specs")
    assert heading is not None
    entries = tag(heading.find_next("ul")).select("li")
    citing = [s for s in site.export()["specs"] if "ARCHITECTURE.md" in s["references"]]
    assert len(entries) == len(citing)
    first = entries[0].get_text(" ", strip=True)
    assert "The module boundaries follow ARCHITECTURE.md for spec 0." in first
    assert "More text here" not in first  # the sentence, not the paragraph
