"""Extraction over labelled variations of the spec shape, checked item by item.

``tests/fixtures/variations/`` holds small specs that each exercise a few ways agents
write the template (heading levels, numbering, bold labels, tables, task lists,
front matter, references, non-ASCII text); ``expected.yaml`` beside them is the
ground truth. The folder is built once into a real site (not strict: some fixtures
deliberately miss sections) and every assertion reads the site's ``specs.json`` or
its HTML. The example collection in ``specs/`` is checked the same way against
``tests/data/example_expected.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import Tag

from tests.conftest import REPO, Site, run_build

VARIATIONS = Path(__file__).resolve().parent / "fixtures" / "variations"
KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")
RESOLVABLE = {"open_question"}


def _load(path: Path) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


EXPECTED = _load(VARIATIONS / "expected.yaml")
EXAMPLE_EXPECTED = _load(REPO / "tests" / "data" / "example_expected.yaml")


def expected_items(entry: dict[str, Any], kind: str) -> list[Any]:
    """Plain texts for most kinds; {text, resolved} for resolvable kinds."""
    wanted: list[Any] = entry.get(kind, [])
    if kind in RESOLVABLE:
        return [{"text": w["text"], "resolved": w["resolved"]} for w in wanted]
    return list(wanted)


def actual_items(spec: dict[str, Any], kind: str) -> list[Any]:
    items = [i for i in spec["items"] if i["kind"] == kind]
    if kind in RESOLVABLE:
        return [{"text": i["text"], "resolved": i["resolved"]} for i in items]
    return [i["text"] for i in items]


def _cases(expected: dict[str, dict[str, Any]]) -> list[Any]:
    return [pytest.param(name, kind, id=f"{name}-{kind}") for name in expected for kind in KINDS]


@pytest.fixture(scope="module")
def variations_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("variations") / "site"
    site = run_build(out, specs_dir=VARIATIONS, strict=False)
    assert site.ok, site.output
    return site


# -- the variation fixtures -----------------------------------------------------------


def test_every_fixture_is_published_and_expected(variations_site: Site) -> None:
    files = sorted(p.name for p in VARIATIONS.glob("*.md"))
    published = sorted(Path(s["source"]).name for s in variations_site.export()["specs"])
    assert published == files
    assert sorted(EXPECTED) == files


@pytest.mark.parametrize(("name", "kind"), _cases(EXPECTED))
def test_variation_items(variations_site: Site, name: str, kind: str) -> None:
    spec = variations_site.spec(name)
    assert actual_items(spec, kind) == expected_items(EXPECTED[name], kind)
    if kind not in RESOLVABLE:
        assert all(i["resolved"] is None for i in spec["items"] if i["kind"] == kind)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variation_title(variations_site: Site, name: str) -> None:
    assert variations_site.spec(name)["title"] == EXPECTED[name]["title"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variation_references(variations_site: Site, name: str) -> None:
    assert variations_site.spec(name)["references"] == EXPECTED[name]["references"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_variation_missing_sections(variations_site: Site, name: str) -> None:
    spec = variations_site.spec(name)
    assert spec["sections"]["missing"] == EXPECTED[name]["missing"]
    required_missing = [p for p in spec["problems"] if p["code"] == "missing-section"]
    # only the optional Recommendation may be missing without a warning
    optional = [t for t in EXPECTED[name]["missing"] if "(if " in t]
    assert len(required_missing) == len(EXPECTED[name]["missing"]) - len(optional)


def test_front_matter_metadata_is_kept(variations_site: Site) -> None:
    meta = variations_site.spec("01-numbered-subheadings.md")["meta"]
    assert meta["date"] == "2026-02-03"
    assert meta["modules"] == ["market-data", "replay"]
    assert meta["tags"] == ["websocket", "replay"]
    assert meta["review_board"] == "platform-guild"
    # an unquoted YAML date is exported as an ISO string too
    assert variations_site.spec("08-approach-subsections.md")["meta"]["date"] == "2026-01-20"
    assert variations_site.spec("02-bold-labels-h3.md")["meta"] == {}


def _page(site: Site, spec: dict[str, Any]) -> Any:
    return site.html(str(spec["url"]))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_item_has_its_anchor(variations_site: Site, name: str) -> None:
    spec = variations_site.spec(name)
    page = _page(variations_site, spec)
    for item in spec["items"]:
        assert str(item["url"]) == f"{spec['url']}#{item['id']}"
        assert page.find(id=item["id"]) is not None, (name, item["id"])


def _container(anchor: Tag, tag: str) -> Tag:
    parent = anchor.find_parent(tag)
    assert isinstance(parent, Tag), f"the anchor {anchor.get('id')} is not inside a <{tag}>"
    return parent


@pytest.mark.parametrize(
    ("name", "item_id", "container", "markup", "text"),
    [
        ("01-numbered-subheadings.md", "blocker-1", "li", "strong", "every"),
        ("01-numbered-subheadings.md", "blocker-1", "li", "code", "1s"),
        ("01-numbered-subheadings.md", "risk-1", "li", "a", "pub/sub bus"),
        ("02-bold-labels-h3.md", "risk-2", "li", "code", "Decimal"),
        ("03-category-table.md", "blocker-1", "tr", "strong", "redistribution"),
        ("05-bold-leadins.md", "risk-1", "p", "strong", "Cache stampede after deploy."),
        ("06-task-list-nongoals.md", "open-question-2", "li", "code", "localStorage"),
        ("12-numbered-continuations.md", "risk-2", "li", "code", "Ctrl+W"),
        ("13-label-bullets.md", "performance-1", "li", "a", "pdfplumber"),
        ("13-label-bullets.md", "performance-1", "li", "code", "extract_tables()"),
    ],
)
def test_spec_page_keeps_item_markup(
    variations_site: Site, name: str, item_id: str, container: str, markup: str, text: str
) -> None:
    page = _page(variations_site, variations_site.spec(name))
    anchor = page.find(id=item_id)
    assert isinstance(anchor, Tag)
    parent = _container(anchor, container)
    found = [el.get_text() for el in parent.find_all(markup)]
    assert any(text in f for f in found), (item_id, markup, found)


def test_item_markup_link_target(variations_site: Site) -> None:
    page = _page(variations_site, variations_site.spec("01-numbered-subheadings.md"))
    anchor = page.find(id="risk-1")
    assert isinstance(anchor, Tag)
    links = [a.get("href") for a in _container(anchor, "li").find_all("a")]
    assert "https://example.com/bus" in links


@pytest.mark.parametrize(
    ("name", "item_id", "markup", "text"),
    [
        # 4-space indentation (what Python-Markdown requires)
        ("13-label-bullets.md", "risk-2", "ul", "Keep the raw string next to the parsed"),
        ("13-label-bullets.md", "open-question-1", "ul", "Resolved: the three with the most"),
        # CommonMark indentation: 2 spaces under '- ', 3 under '1. '
        ("01-numbered-subheadings.md", "risk-2", "ul", "sort within a 50 ms window"),
        ("06-task-list-nongoals.md", "out-of-scope-2", "code", "country: [DE, JP]"),
        ("06-task-list-nongoals.md", "open-question-3", "p", "Decision: only on-call engineers"),
        ("12-numbered-continuations.md", "risk-1", "p", "Every order shortcut therefore"),
        ("12-numbered-continuations.md", "performance-1", "code", "addEventListener"),
    ],
)
def test_nested_content_stays_inside_its_item(
    variations_site: Site, name: str, item_id: str, markup: str, text: str
) -> None:
    """What extraction counts as part of an item (nested bullets, continuation
    paragraphs, code) is rendered inside that item's <li> on the spec page."""
    page = _page(variations_site, variations_site.spec(name))
    anchor = page.find(id=item_id)
    assert isinstance(anchor, Tag)
    found = [el.get_text() for el in _container(anchor, "li").find_all(markup)]
    assert any(text in f for f in found), (item_id, markup, found)


def test_fenced_code_is_not_linked(variations_site: Site) -> None:
    page = _page(variations_site, variations_site.spec("11-references.md"))
    code = [pre.get_text() for pre in page.find_all("pre")]
    assert any("DOCUMENTATION-GUIDE.md" in c for c in code)
    for pre in page.find_all("pre"):
        assert pre.find("a", href=lambda h: bool(h) and "DOCUMENTATION-GUIDE" in h) is None
    hrefs = [str(a.get("href")) for a in page.find_all("a")]
    assert any("BACKEND_WEBSOCKETS" in h for h in hrefs)
    assert any("WEBSOCKET-ARCHITECTURE" in h for h in hrefs)


# -- the example collection -----------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), _cases(EXAMPLE_EXPECTED))
def test_example_items(example_site: Site, name: str, kind: str) -> None:
    spec = example_site.spec(name)
    assert actual_items(spec, kind) == expected_items(EXAMPLE_EXPECTED[name], kind)


@pytest.mark.parametrize("name", sorted(EXAMPLE_EXPECTED))
def test_example_title(example_site: Site, name: str) -> None:
    assert example_site.spec(name)["title"] == EXAMPLE_EXPECTED[name]["title"]


def test_example_collection_is_fully_expected(example_site: Site) -> None:
    published = sorted(Path(s["source"]).name for s in example_site.export()["specs"])
    assert published == sorted(EXAMPLE_EXPECTED)
