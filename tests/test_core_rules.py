"""The core in-process: ``build()`` and the page planner called directly, no MkDocs.

Also the rules that exist once (title, reference names, item/heading ids, open
items), each tested where it is decided and, in ``test_core_site.py``, in a real build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from markdown.extensions.toc import slugify as toc_slugify
from pymdownx.slugs import slugify as pymdownx_slugify  # type: ignore[import-untyped]

from specsite.anchors import PageIds, toc_ids, with_heading_id
from specsite.blocks import Table, parse_blocks
from specsite.build import Build, build
from specsite.config import load_config
from specsite.extract import Extractor
from specsite.labels import Labels
from specsite.model import Spec
from specsite.numbering import Candidate, number_items
from specsite.pages import SiteBuilder
from specsite.prompt import load_prompt
from specsite.references import References, is_reference_name
from specsite.resolution import Resolution
from specsite.tables import table_items
from tests.conftest import PROMPT, REPO, Site, run_build, write_files, write_project

GOOD_BODY = """
## 1. Executive Summary

What and why.

## 2. Proposed Solution

How.

## 3. Risks & Concerns

**Blockers:** None identified.

**Risks:**

- The first risk.
- The second risk.

**Performance & Scalability:**

- Fan-out grows with subscribers.

## 4. Out of Scope

- Mobile clients.

## 5. Open Questions

- [ ] Which region first?
- [x] Who owns it? Resolved: the platform team.

## 6. Recommendation

Go.
"""


def core_build(
    root: Path, files: dict[str, str], *, docs: set[str] | None = None, **keys: object
) -> Build:
    """``specsite.build.build`` over spec files written below ``root``."""
    specs = write_files(root / "specs", files)
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT), **keys}, root)
    uris = docs if docs is not None else {"index.md"}
    return build(config, uris, has_home="index.md" in uris)


def spec(result: Build, source_name: str) -> Spec:
    return next(s for s in result.collection.specs if s.source.endswith(source_name))


def html_of(page_markdown: str) -> BeautifulSoup:
    """A generated page as Python-Markdown (MkDocs' renderer) turns it into HTML."""
    body = page_markdown.split("\n---\n", 1)[-1]  # past the page's front matter
    html = markdown.markdown(body, extensions=["attr_list", "tables", "toc", "md_in_html"])
    return BeautifulSoup(html, "html.parser")


def text_of(soup: BeautifulSoup, selector: str) -> str:
    found = soup.select_one(selector)
    assert found is not None, selector
    return found.get_text()


def rendered_h1s(page_markdown: str) -> list[str]:
    """The H1 texts Python-Markdown (MkDocs' renderer) makes of a generated page."""
    body = page_markdown.split("\n---\n", 1)[1]  # past the page's front matter
    html = markdown.markdown(body, extensions=["attr_list", "tables", "toc", "md_in_html"])
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


# -- the page planner --------------------------------------------------------------------


def test_the_plan_holds_every_page_and_the_export(tmp_path: Path) -> None:
    result = core_build(tmp_path, {"alpha.md": "# Alpha\n" + GOOD_BODY, "b/beta.md": GOOD_BODY})
    plan = result.plan
    expected = {
        "specs/alpha.md",
        "specs/b/beta.md",
        "risks.md",
        "open-questions.md",
        "out-of-scope.md",
        "prompt.md",
        "conformance.md",
        "references.md",
        "build-report.md",
    }
    assert expected <= set(plan.pages)
    # the home page is the user's: the catalog is appended to it, not generated
    assert "index.md" not in plan.pages and "index.md" in plan.appendices
    # the export and the explorer views' data (spec fields, then each index's rows)
    assert {re.sub(r"\.[0-9a-f]{10}\.json$", "", f) for f in plan.files} == {
        "specs.json",
        "explorer/manifest.json",
        "explorer/specs-0",
        "explorer/risks-0",
        "explorer/open-questions-0",
        "explorer/out-of-scope-0",
    }
    assert [s.slug for s in result.collection.specs] == ["alpha", "b/beta"]
    # outside a git checkout the only message is the note saying why there are no git dates
    assert [problem.code for problem, _ in result.messages()] == ["git-dates-missing"]


def test_the_planner_alone_gives_the_same_plan(tmp_path: Path) -> None:
    result = core_build(tmp_path, {"alpha.md": "# Alpha\n" + GOOD_BODY})
    config = load_config({"specs_dir": str(tmp_path / "specs"), "prompt": str(PROMPT)}, tmp_path)
    references = References.build(result.prompt.references, {}, {"index.md"})
    planner = SiteBuilder(config, result.prompt, result.collection, references)
    again = planner.plan({"index.md"}, has_home=True)
    assert again.pages == result.plan.pages and again.files == result.plan.files
    without_home = planner.plan(set(), has_home=False)
    assert "index.md" in without_home.pages and "Alpha" in without_home.pages["index.md"]


def test_counts_equal_the_items(tmp_path: Path) -> None:
    result = core_build(tmp_path, {"alpha.md": "# Alpha\n" + GOOD_BODY})
    alpha = spec(result, "alpha.md")
    assert [(i.kind, i.id) for i in alpha.items] == [
        ("risk", "risk-1"),
        ("risk", "risk-2"),
        ("performance", "performance-1"),
        ("out_of_scope", "out-of-scope-1"),
        ("open_question", "open-question-1"),
        ("open_question", "open-question-2"),
    ]
    assert [i.id for i in alpha.open_items("open_question")] == ["open-question-1"]
    assert len(alpha.open_items("risk")) == 2  # a kind that is not resolvable: all open
    exported = json.loads(result.plan.files["specs.json"])["specs"][0]
    assert [i["id"] for i in exported["items"]] == [i.id for i in alpha.items]
    page = result.plan.pages["specs/alpha.md"]
    assert "[Risks: 2](#risk-1)" in page and "[Open Questions: 2](#open-question-1)" in page
    for item in alpha.items:
        assert page.count(f'<a id="{item.id}" class="specsite-item"></a>') == 1
    # the catalog counts open questions only: one of the two is resolved
    catalog = html_of(result.plan.appendices["index.md"])
    assert text_of(catalog, "a[href='specs/alpha/#open-question-1']") == "1"
    assert text_of(catalog, "a[href='specs/alpha/#risk-1']") == "2"


def test_index_pages_split_open_and_resolved_items(tmp_path: Path) -> None:
    result = core_build(tmp_path, {"alpha.md": "# Alpha\n" + GOOD_BODY})
    page = html_of(result.plan.pages["open-questions.md"])
    groups = {}
    for link in page.select("a[href*='#open-question-']"):
        heading = link.find_previous(["h2", "h3"])
        assert heading is not None
        groups[link.get_text()] = heading.get_text()
    assert "open" in groups["Which region first?"].lower()
    assert "resolved" in groups["Who owns it? Resolved: the platform team."].lower()


# -- the title rule -------------------------------------------------------------------


TITLE_CASES = {
    # file name: (text, title)
    "atx.md": ("# Atx Title\n" + GOOD_BODY, "Atx Title"),
    "setext.md": ("Setext Title\n============\n" + GOOD_BODY, "Setext Title"),
    "late.md": ("A paragraph before the title.\n\n# Late Title\n" + GOOD_BODY, "Late Title"),
    "front.md": ("---\ntitle: Front Title\n---\n# Body Title\n" + GOOD_BODY, "Front Title"),
    "sections-only.md": ("# Executive Summary\n\nText.\n", "Sections only"),
    "none.md": (GOOD_BODY, "None"),
}


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("titles")
    return core_build(root, {name: text for name, (text, _) in TITLE_CASES.items()})


@pytest.mark.parametrize("name", sorted(TITLE_CASES))
def test_the_title_rule_feeds_catalog_page_and_export(titled: Build, name: str) -> None:
    title = TITLE_CASES[name][1]
    found = spec(titled, name)
    assert found.title == title
    exported = json.loads(titled.plan.files["specs.json"])["specs"]
    assert next(s["title"] for s in exported if s["source"].endswith(name)) == title
    catalog = html_of(titled.plan.appendices["index.md"])
    assert text_of(catalog, f"a[href='specs/{found.slug}/']") == title
    page = titled.plan.pages[f"specs/{found.slug}.md"]
    assert f"title: {json.dumps(title)}" in page
    h1s = rendered_h1s(page)
    assert h1s[0] == title
    if name != "sections-only.md":  # there '# Executive Summary' is a section, kept
        assert h1s == [title], page


def test_a_paragraph_before_the_title_stays_its_own_paragraph(titled: Build) -> None:
    page = titled.plan.pages["specs/late.md"]
    body = page.split("\n---\n", 1)[1]
    html = markdown.markdown(body, extensions=["attr_list", "tables", "toc"])
    assert "<p>A paragraph before the title.</p>" in html
    assert "# Late Title" not in body.split("A paragraph before the title.", 1)[1]


def test_a_body_title_keeps_its_markdown_on_the_page(tmp_path: Path) -> None:
    result = core_build(
        tmp_path,
        {"a.md": "# The `ws` gateway for ARCHITECTURE.md\n" + GOOD_BODY},
        docs={"index.md", "reference/ARCHITECTURE.md"},
    )
    found = spec(result, "a.md")
    assert found.title == "The ws gateway for ARCHITECTURE.md"
    page = result.plan.pages["specs/a.md"]
    assert "# The `ws` gateway for [ARCHITECTURE.md](../reference/ARCHITECTURE.md)\n" in page


# -- the reference rule --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "is_reference"),
    [
        ("ARCHITECTURE.md", True),
        ("SECURITY-MODEL.md", True),
        ("BACKEND_WEBSOCKETS.md", True),
        ("V2.md", True),
        ("README.md", True),  # upper case; the configuration's ignore list excludes it
        ("Architecture.md", False),
        ("notes.md", False),
        ("ARCHITECTURE.txt", False),
    ],
)
def test_what_counts_as_a_reference_name(name: str, is_reference: bool) -> None:
    assert is_reference_name(name) is is_reference


def test_an_upper_case_docs_page_is_a_reference_without_the_prompt(tmp_path: Path) -> None:
    text = "# Alpha\n" + GOOD_BODY + "\nSee SECURITY-MODEL.md and docs/README.md and NOPE.md.\n"
    docs = {"index.md", "reference/SECURITY-MODEL.md", "README.md"}
    result = core_build(tmp_path, {"alpha.md": text}, docs=docs)
    assert "SECURITY-MODEL.md" not in result.prompt.references
    alpha = spec(result, "alpha.md")
    assert alpha.references == ["SECURITY-MODEL.md"]
    # only the name with no page at all is missing; README.md is ignored by default
    assert [(p.code, p.message.split(",")[0]) for p in alpha.problems] == [
        ("reference-missing", "cites NOPE.md")
    ]
    page = result.plan.pages["specs/alpha.md"]
    assert "[SECURITY-MODEL.md](../reference/SECURITY-MODEL.md)" in page
    assert "reference/SECURITY-MODEL.md" in result.plan.appendices  # its 'Cited by' list
    assert "README.md" not in result.plan.appendices


# -- item and heading ids ------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Risk 1", "risk 1", "Rísk 1", "Risk  1", "Risk-1", " Risk 1! ", "Out of scope 1"]
)
def test_toc_ids_cover_every_slugify_markdown_uses(text: str) -> None:
    made = {
        toc_slugify(text, "-"),
        toc_slugify(text, "-", unicode=True),
        pymdownx_slugify(case="lower")(text, "-"),
        pymdownx_slugify(case="lower", normalize="NFD")(text, "-"),
    }
    assert made <= toc_ids(text)


def test_a_heading_that_would_take_an_item_id_gets_its_own() -> None:
    ids = PageIds(["risk-1", "risk-2", "risk-1_1"], ["Risk 1", "Other"])
    assert ids.heading_id("Other") is None
    assert ids.heading_id("Risk 1") == "risk-1_2"  # risk-1_1 is taken
    assert ids.heading_id("Risk 1") == "risk-1_3"
    assert ids.heading_id("Risk 2 {: #mine }") is None  # the author chose its id
    assert with_heading_id("### Risk 2 ###", True, "risk-2_1") == "### Risk 2 {#risk-2_1}"
    assert with_heading_id("Risk 2", False, "risk-2_1") == "Risk 2 {#risk-2_1}"
    assert with_heading_id("## Risk 2 {.x}", True, "risk-2_1") == "## Risk 2 {: #risk-2_1 .x}"


def test_no_heading_on_a_page_shares_an_item_id(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Risk 1\n---\n## 1. Executive Summary\n\n### Risk 1\n\nNot the item.\n\n"
        "###Risk 2\n\nLoose heading.\n\nRisk 1\n------\n\nSetext.\n" + GOOD_BODY
    )
    result = core_build(tmp_path, {"a.md": text})
    found = spec(result, "a.md")
    assert found.title == "Risk 1"
    body = result.plan.pages["specs/a.md"].split("\n---\n", 1)[1]
    html = markdown.markdown(body, extensions=["attr_list", "tables", "toc"])
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), ids
    for item in found.items:
        assert re.search(rf'<a class="specsite-item" id="{item.id}"|<a id="{item.id}"', html)
    headings = re.findall(r'<h\d id="([^"]+)"', html)
    assert not set(headings) & {item.id for item in found.items}, headings
    assert rendered_h1s(result.plan.pages["specs/a.md"]) == ["Risk 1"]


# -- the parts of the extractor, each alone -------------------------------------------


@pytest.fixture(scope="module")
def schema() -> tuple[Labels, Resolution]:
    config = load_config({}, REPO)
    labels = Labels(config, load_prompt(config))
    return labels, Resolution(config, labels)


def test_labels_name_kinds_sections_and_placeholders(schema: tuple[Labels, Resolution]) -> None:
    labels, _ = schema
    assert labels.kind_of("Performance & Scalability") == "performance"
    assert labels.kind_of("Risks and Mitigations") == "risk"
    assert labels.kind_of("Proposed Solution") is None
    assert labels.is_section_name("3. Risks & Concerns") and not labels.is_section_name("Alpha")
    assert labels.is_item_heading("R1: Migration downtime")
    assert not labels.is_item_heading("Mitigations")
    assert labels.is_placeholder("TBD") and not labels.is_placeholder("Ship it")


def test_table_rows_and_their_answers(schema: tuple[Labels, Resolution]) -> None:
    labels, resolution = schema
    text = (
        "| ID | Question | Answer |\n|---|---|---|\n| Q1 | Which region? | TBD |\n"
        "| Q2 | Who owns it? | The platform team |\n|  | None | - |\n"
    )
    (table,) = parse_blocks(text)
    assert isinstance(table, Table)
    rows = table_items(table, "open_question", labels, resolution)
    assert [(r.text, r.settled) for r in rows] == [
        ("Which region?", False),
        ("Who owns it?", True),
    ]
    assert table_items(table, None, labels, resolution) == []


def test_numbering_is_per_kind_in_line_order_and_in_kind_order() -> None:
    candidates = [
        Candidate("open_question", "q", 9, "list", False),
        Candidate("risk", "b", 5, "list"),
        Candidate("risk", "a", 2, "list"),
        Candidate("risk", "same line", 2, "row"),  # one anchor per line
    ]
    items = number_items(candidates, 10, ["risk", "open_question"])
    assert [(i.id, i.text, i.line) for i in items] == [
        ("risk-1", "a", 13),
        ("risk-2", "b", 16),
        ("open-question-1", "q", 20),
    ]


def test_the_extractor_keeps_no_state_between_specs() -> None:
    config = load_config({}, REPO)
    extractor = Extractor(config, load_prompt(config))
    first = "## Risks\n\n- One risk\n"
    second = "Just prose.\n"
    assert len(extractor.extract(parse_blocks(first), first.split("\n"), 0).items) == 1
    again = extractor.extract(parse_blocks(second), second.split("\n"), 0)
    assert again.items == [] and again.title is None


# -- end to end: the same rules in a real MkDocs build ----------------------------------


@pytest.fixture(scope="module")
def rules_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("rules-site")
    cites = "\nThe threat model is in SECURITY-MODEL.md and `SECURITY-MODEL.md`.\n"
    files = {name: text for name, (text, _) in TITLE_CASES.items() if name != "sections-only.md"}
    files["clash.md"] = (
        # '### Risk 1' inside the risks section (in the summary it names no kind: principle 1)
        "# Clash\n\n## 3. Risks & Concerns\n\n"
        "### Risk 1\n\nA risk under a heading of its own name.\n" + GOOD_BODY + cites
    )
    write_files(root / "specs", files)
    config = write_project(
        root,
        specsite={"specs_dir": "specs", "prompt": str(PROMPT)},
        docs={"index.md": "# Home\n", "reference/SECURITY-MODEL.md": "# Security model\n"},
    )
    return run_build(root / "site", config_file=config)


def test_a_real_build_shows_each_title_once(rules_site: Site) -> None:
    assert rules_site.ok, rules_site.output
    for name, (_, title) in TITLE_CASES.items():
        if name == "sections-only.md":
            continue
        page = rules_site.html(f"specs/{Path(name).stem}/")
        assert [h.get_text(strip=True) for h in page.select("article h1")] == [title], name


def test_an_upper_case_docs_page_is_a_reference_in_a_strict_build(rules_site: Site) -> None:
    assert rules_site.ok, rules_site.output  # --strict: no reference-missing warning
    assert "reference-missing" not in rules_site.output
    assert rules_site.spec("clash.md")["references"] == ["SECURITY-MODEL.md"]
    page = rules_site.html("specs/clash/")
    links = [a for a in page.select("article a") if a.get_text() == "SECURITY-MODEL.md"]
    assert len(links) >= 3  # summary, prose mention, code-span mention
    assert {a["href"] for a in links} == {"../../reference/SECURITY-MODEL/"}
    cited_by = rules_site.html("reference/SECURITY-MODEL/").get_text()
    assert "Clash" in cited_by


def test_index_links_land_on_the_item_not_on_a_heading(rules_site: Site) -> None:
    """'### Risk 1' would get the toc id 'risk-1', the id of the item below it."""
    risks = rules_site.html("risks/")
    hrefs = {a.get_text(): a["href"] for a in risks.select("a[href*='specs/clash/']")}
    assert hrefs["A risk under a heading of its own name."] == "../specs/clash/#risk-1"
    assert hrefs["The first risk."] == "../specs/clash/#risk-2"
    page = rules_site.html("specs/clash/")
    for item, text, parent in (
        ("risk-1", "A risk under a heading of its own name.", "p"),
        ("risk-2", "The first risk.", "li"),
    ):
        (target,) = page.find_all(id=item)
        assert target.name == "a" and "specsite-item" in target.get("class", [])
        holder = target.find_parent(parent)
        assert holder is not None and holder.get_text(strip=True) == text
    heading = next(h for h in page.select("h3") if h.get_text(strip=True) == "Risk 1")
    assert heading["id"] == "risk-1_1"
