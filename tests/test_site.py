"""The example collection built end to end: pages, indexes, links, nav, search and export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from bs4 import Tag

from tests.conftest import PROMPT, REPO, Site, SiteBuilder, run_build, write_project

KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")
EXAMPLE_FILES = sorted(p.name for p in (REPO / "specs").glob("*.md"))
REFERENCE_DOCS = {
    f"reference/{p.name}": p.read_text("utf-8") for p in (REPO / "docs" / "reference").glob("*.md")
}


def test_every_example_spec_is_exported_in_a_stable_order(example_site: Site) -> None:
    specs = example_site.export()["specs"]
    assert [Path(s["source"]).name for s in specs] == EXAMPLE_FILES
    assert [s["source"] for s in specs] == sorted(s["source"] for s in specs)
    assert all(s["source"].startswith("specs/") for s in specs)


def test_export_matches_its_json_schema(example_site: Site) -> None:
    schema = json.loads((REPO / "schema" / "specs.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(example_site.export(), schema)


def test_export_carries_the_prompt(example_site: Site) -> None:
    prompt = example_site.export()["prompt"]
    assert (prompt["name"], prompt["agent"]) == ("study", "Plan")
    assert prompt["description"] == "Technical implementation study for specifications document."
    assert prompt["source"] == "prompts/study.md"
    assert len(prompt["sha256"]) == 64
    titles = [s["title"] for s in prompt["sections"]]
    assert titles[0] == "Executive Summary" and "Open Questions" in titles
    risks = next(s for s in prompt["sections"] if s["title"] == "Risks & Concerns")
    assert risks["parts"] == ["Blockers", "Risks", "Performance & Scalability"]


def test_home_page_is_the_catalog(example_site: Site) -> None:
    page = example_site.html("")
    table = page.select_one("article table")
    assert table is not None
    rows = table.select("tbody tr")
    exported = example_site.export()["specs"]
    assert len(rows) == len(exported)
    for row, spec in zip(rows, exported, strict=True):
        link = row.select_one("td a")
        assert link is not None and link.get_text() == spec["title"]
        assert link["href"] == spec["url"]
        cells = [td.get_text(strip=True) for td in row.select("td")]
        assert cells[1] == (spec["status"] or "")
        assert cells[4] == (spec["dates"]["updated"] or "")  # written, else from git
        counts = [int(c) for c in cells[5:10]]
        # open questions count the open ones
        assert counts == [
            sum(1 for i in spec["items"] if i["kind"] == k and not i["resolved"]) for k in KINDS
        ]
    # the hand-written intro is kept above the catalog
    assert "planning agent" in page.get_text()


def test_each_item_has_its_anchor_in_the_spec_page(example_site: Site) -> None:
    for spec in example_site.export()["specs"]:
        page = example_site.html(spec["url"])
        for item in spec["items"]:
            assert item["url"] == f"{spec['url']}#{item['id']}"
            anchor = page.find(id=item["id"])
            assert anchor is not None, (spec["source"], item["id"])
            holder = anchor.find_parent(["li", "tr", "p"])
            assert holder is not None
            first_words = item["text"][:25]
            assert first_words in re.sub(r"\s+", " ", holder.get_text()), (item, holder.get_text())


def test_spec_page_summary(example_site: Site) -> None:
    spec = example_site.spec("price-alerts.md")
    page = example_site.html(spec["url"])
    summary = page.select_one("article blockquote")
    assert summary is not None
    text = summary.get_text(" ", strip=True)
    assert "Status: review" in text and "Owner: m.keller" in text and "jira: TRD-1234" in text
    assert "Modules: alerts, market-data, notifications" in text
    counts = {a.get_text(): a["href"] for a in summary.select("a") if "#" in str(a["href"])}
    assert counts["Blockers: 1"] == "#blocker-1"
    assert counts["Risks: 4"] == "#risk-1"
    refs = [
        a.get_text() for a in summary.select("a") if str(a["href"]).startswith("../../reference")
    ]
    assert refs == spec["references"]


def test_missing_sections_are_shown_on_the_spec_page(example_site: Site) -> None:
    spec = example_site.spec("order-book-depth-stream.md")
    assert spec["sections"]["missing"] == ["Recommendation (if multiple approaches)"]
    summary = example_site.html(spec["url"]).select_one("article blockquote")
    assert summary is not None
    assert "Recommendation (if multiple approaches) (missing)" in summary.get_text(" ", strip=True)


def test_risk_register_links_every_risk_item(example_site: Site) -> None:
    page = example_site.html("risks/")
    links = {a["href"]: a.get_text() for a in page.select("article table a") if "#" in a["href"]}
    expected = {
        f"../{item['url']}": item["text"]
        for spec in example_site.export()["specs"]
        for item in spec["items"]
        if item["kind"] in ("blocker", "risk", "performance")
    }
    assert links == expected
    headings = [h.get_text() for h in page.select("article h2")]
    assert [h["id"] for h in page.select("article h2")][:3] == [
        "blockers",
        "risks",
        "performance-scalability",
    ]  # ids never carry counts: bookmarks survive new items
    assert headings[:3] == [
        f"Blockers ({_count(example_site, 'blocker')})",
        f"Risks ({_count(example_site, 'risk')})",
        f"Performance & Scalability ({_count(example_site, 'performance')})",
    ]
    assert page.select_one(".specsite-explorer[data-config]") is not None


def _count(site: Site, kind: str) -> int:
    return sum(1 for s in site.export()["specs"] for i in s["items"] if i["kind"] == kind)


def test_open_questions_split_open_and_resolved(example_site: Site) -> None:
    page = example_site.html("open-questions/")
    sections = {}
    for heading in page.select("article h2"):
        table = heading.find_next_sibling("table")
        title = heading.get_text().split(" (")[0]
        assert isinstance(table, Tag)
        sections[title] = [a.get_text() for a in table.select("a[href*='#']")]
    questions = [
        i
        for s in example_site.export()["specs"]
        for i in s["items"]
        if i["kind"] == "open_question"
    ]
    assert sections["Open Questions: open"] == [q["text"] for q in questions if not q["resolved"]]
    assert sections["Open Questions: resolved"] == [q["text"] for q in questions if q["resolved"]]
    assert sections["Open Questions: resolved"], "the examples resolve some questions"


def test_out_of_scope_page(example_site: Site) -> None:
    page = example_site.html("out-of-scope/")
    texts = [a.get_text() for a in page.select("article table a[href*='#']")]
    assert texts == [
        i["text"]
        for s in example_site.export()["specs"]
        for i in s["items"]
        if i["kind"] == "out_of_scope"
    ]


def test_prompt_page_shows_front_matter_and_body(example_site: Site) -> None:
    page = example_site.html("prompt/")
    text = page.get_text(" ", strip=True)
    for value in ("Plan", "study", "Technical implementation study for specifications document."):
        assert value in text
    assert "Principal Engineer conducting a technical implementation study" in text
    schema_rows = page.select("article table")[1].select("tbody tr")
    assert [r.select("td")[1].get_text() for r in schema_rows][:2] == [
        "Executive Summary",
        "Proposed Solution / Implementation Details",
    ]


def test_reference_pages_list_the_specs_that_cite_them(example_site: Site) -> None:
    for name in ("ARCHITECTURE.md", "BACKEND_WEBSOCKETS.md", "WEBSOCKET-ARCHITECTURE.md"):
        page = example_site.html(f"reference/{name[:-3]}/")
        heading = page.find(id="cited-by-specs")
        assert heading is not None, name
        listing = heading.find_next("ul")
        assert isinstance(listing, Tag)
        listed = {a.get_text() for a in listing.select("a")}
        citing = {s["title"] for s in example_site.export()["specs"] if name in s["references"]}
        assert listed == citing and citing, name


def test_references_become_links_but_not_in_code(example_site: Site) -> None:
    spec = example_site.spec("price-alerts.md")
    page = example_site.html(spec["url"])
    article = page.select_one("article")
    assert article is not None
    targets = {a.get_text(): a["href"] for a in article.select("a") if ".md" in a.get_text()}
    assert targets["ARCHITECTURE.md"] == "../../reference/ARCHITECTURE/"
    assert targets["BACKEND_WEBSOCKETS.md"] == "../../reference/BACKEND_WEBSOCKETS/"
    assert targets["docs/WEBSOCKET-ARCHITECTURE.md"] == "../../reference/WEBSOCKET-ARCHITECTURE/"
    for block in article.select("pre"):
        assert block.find("a", href=re.compile("reference")) is None
    fenced = [b for b in article.select("pre") if "CLIENT-GENERATION.md" in b.get_text()]
    assert fenced, "the example keeps a reference name inside a fenced block"
    assert "CLIENT-GENERATION.md" not in spec["references"]


def test_nav_stays_small_and_specs_are_out_of_it(example_site: Site) -> None:
    page = example_site.html("risks/")
    nav = page.select_one("nav.md-nav--primary")
    assert nav is not None
    hrefs = [a["href"] for a in nav.select("a")]
    assert not [h for h in hrefs if "specs/" in h]
    labels = [a.get_text(strip=True) for a in nav.select("a")]
    for label in ("Specs", "Risk register", "Open questions", "Agent prompt", "Build report"):
        assert label in labels


def test_search_indexes_items_and_spec_sections_and_not_the_indexes(example_site: Site) -> None:
    records = example_site.pagefind_records()
    urls = [r["url"].lstrip("/") for r in records]
    assert not [u for u in urls if u.startswith(("risks/", "open-questions/", "build-report/"))]
    assert "prompt/" in urls and "" in urls  # the prompt and the home page are found too
    spec = example_site.spec("price-alerts.md")
    risk = next(i for i in spec["items"] if i["kind"] == "risk")
    holders = [r for r in records if risk["text"][:40] in r["content"]]
    assert {h["url"].lstrip("/") for h in holders} >= {risk["url"]}
    assert all(h["url"].lstrip("/").startswith("specs/price-alerts/#") for h in holders)
    item = next(r for r in records if r["url"].lstrip("/") == risk["url"])
    assert item["content"] == risk["text"]
    assert item["meta"]["title"] == spec["title"] and item["meta"]["kind"] == "Risks"
    assert item["filters"]["status"] == [spec["status"]]
    assert item["filters"]["module"] == spec["meta"]["modules"]
    assert len(urls) == len(set(urls))


def test_properdocs_builds_the_example_strictly(tmp_path: Path) -> None:
    site = run_build(tmp_path / "site", tool="properdocs")
    assert site.ok, site.output
    assert (site.root / "specs.json").is_file()
    assert len(site.export()["specs"]) == len(EXAMPLE_FILES)


def test_the_env_points_the_same_config_at_another_collection(build_specs: SiteBuilder) -> None:
    site = build_specs({"only.md": (REPO / "specs" / "price-alerts.md").read_text("utf-8")})
    assert site.ok, site.output
    assert [s["source"].rsplit("/", 1)[-1] for s in site.export()["specs"]] == ["only.md"]


def test_problems_are_warnings_naming_file_and_line(build_specs: SiteBuilder) -> None:
    text = (REPO / "specs" / "price-alerts.md").read_text("utf-8")
    text = text.replace("## 4. Out of Scope", "## 4. Out of Scope\n\nSee MISSING-DOC.md.", 1)
    strict = build_specs({"alerts.md": text})
    assert not strict.ok
    line = text.splitlines().index("See MISSING-DOC.md.") + 1
    assert re.search(rf"WARNING.*alerts\.md:{line}: cites MISSING-DOC\.md", strict.output)
    relaxed = build_specs({"alerts.md": text}, strict=False)
    assert relaxed.ok
    problems = relaxed.spec("alerts.md")["problems"]
    assert [(p["code"], p["line"]) for p in problems] == [("reference-missing", line)]


@pytest.mark.parametrize("prompt", [PROMPT])
def test_prompt_can_be_set_from_the_environment(
    build_specs: SiteBuilder, prompt: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other-prompt.md"
    other.write_text(prompt.read_text("utf-8").replace('name: "study"', 'name: "other"'), "utf-8")
    site = build_specs(
        {"a.md": (REPO / "specs" / "price-alerts.md").read_text("utf-8")}, prompt=other
    )
    assert site.ok, site.output
    assert site.export()["prompt"]["name"] == "other"


def test_catalog_and_indexes_are_paginated_so_pages_stay_bounded(tmp_path: Path) -> None:
    config = write_project(
        tmp_path / "project",
        specsite={"specs_dir": str(REPO / "specs"), "prompt": str(PROMPT), "page_size": 3},
        docs={"index.md": "# Home\n", **REFERENCE_DOCS},
    )
    site = run_build(tmp_path / "site", config_file=config)
    assert site.ok, site.output
    specs = site.export()["specs"]

    pages = [
        "risks/",
        *sorted(f"risks/{p.parent.name}/" for p in (site.root / "risks").glob("*/index.html")),
    ]
    assert len(pages) > 1
    seen: list[str] = []
    for path in pages:
        page = site.html(path)
        rows = page.select("article h2 + table tbody tr")
        titles = {row.select_one("td a").get_text() for row in rows}  # type: ignore[union-attr]
        assert len(rows) <= 3 or len(titles) == 1, path  # a spec is never split
        seen += [
            str(a["href"]).split("specs/", 1)[1]
            for a in page.select("article h2 + table a[href*='#']")
        ]
        pager = page.select_one("nav.specsite-pager")
        assert pager is not None and len(pager.select("a")) == len(pages) - 1
    wanted = [
        i["url"].split("specs/", 1)[1]
        for kind in ("blocker", "risk", "performance")
        for s in specs
        for i in s["items"]
        if i["kind"] == kind
    ]
    assert sorted(seen) == sorted(wanted) and len(seen) == len(set(seen))

    catalog = [
        "",
        *sorted(f"catalog/{p.parent.name}/" for p in (site.root / "catalog").glob("*/index.html")),
    ]
    listed = [
        a.get_text()
        for path in catalog
        for a in site.html(path).select("article table tbody tr td:first-child a")
    ]
    assert listed == [s["title"] for s in specs] and len(catalog) == 3
    nav = site.html("risks/").select("nav.md-nav--primary a")
    assert not [a for a in nav if "risks/2" in str(a.get("href"))]


def test_references_page_counts_citing_specs(example_site: Site) -> None:
    page = example_site.html("references/")
    rows = {
        row.select("td")[0].get_text(strip=True): row.select("td")[1]
        for row in page.select("article table tbody tr")
    }
    citing = sum(1 for s in example_site.export()["specs"] if "ARCHITECTURE.md" in s["references"])
    cell = rows["ARCHITECTURE.md"]
    link = cell.select_one("a")
    assert link is not None and link.get_text() == f"{citing} specs"
    assert link["href"] == "../reference/ARCHITECTURE/#cited-by-specs"


def test_readme_troubleshooting_lists_every_problem_code() -> None:
    source = "\n".join(p.read_text("utf-8") for p in (REPO / "src" / "specsite").glob("*.py"))
    codes = set(re.findall(r'Problem\(\s*"(?:error|warning|info)",\s*"([a-z0-9-]+)"', source))
    codes |= {"empty-section", "placeholder-section"}  # built as f"{state}-section"
    readme = (REPO / "README.md").read_text("utf-8")
    troubleshooting = readme.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    assert len(codes) > 15
    assert not [code for code in sorted(codes) if f"`{code}`" not in troubleshooting]


def test_spec_pages_have_no_duplicate_ids(example_site: Site) -> None:
    for spec in example_site.export()["specs"]:
        page = example_site.html(spec["url"])
        ids = [str(element["id"]) for element in page.select("[id]")]
        assert len(ids) == len(set(ids)), spec["source"]
