"""An RFC-style collection (examples/rfc/) published by configuration alone.

The template is a Rust-style RFC template with no 'Output' heading, each RFC is a
folder ``NNNN-name/README.md`` with a ``metadata.yaml`` sidecar, and the ``kinds``
overrides map 'Drawbacks' and 'Risks and Mitigations' to risks, 'Unresolved
questions' to open questions, 'Non-Goals' to out of scope, and 'Blocking Issues' /
'Performance' sub-headings or labels to blockers and performance. No code changes:
only ``examples/rfc/mkdocs.yml``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from specsite.frontmatter import jsonable
from tests.conftest import REPO, Site, run_build

RFC = REPO / "examples" / "rfc"
CONFIG = RFC / "mkdocs.yml"
RFCS = RFC / "rfcs"
KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")
TEMPLATE_SECTIONS = [
    "Summary",
    "Motivation",
    "Guide-level explanation",
    "Reference-level explanation",
    "Drawbacks",
    "Rationale and alternatives",
    "Prior art",
    "Unresolved questions",
    "Future possibilities",
    "Non-Goals",
    "Risks and Mitigations",
]
OPTIONAL = {"Prior art", "Future possibilities", "Non-Goals", "Risks and Mitigations"}


def _load_expected() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (RFC / "expected.yaml").read_text(encoding="utf-8")
    )
    return data


EXPECTED = _load_expected()
FOLDERS = sorted(p.name for p in RFCS.iterdir() if p.is_dir())


def _items(spec: dict[str, Any], kind: str) -> list[Any]:
    items = [i for i in spec["items"] if i["kind"] == kind]
    if kind == "open_question":
        return [{"text": i["text"], "resolved": i["resolved"]} for i in items]
    return [i["text"] for i in items]


def _front_matter(text: str) -> dict[str, Any]:
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.DOTALL)
    if match is None:
        return {}
    data: dict[str, Any] = yaml.safe_load(match.group(1)) or {}
    return data


@pytest.fixture(scope="module")
def rfc_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("rfc") / "site"
    site = run_build(out, config_file=CONFIG, strict=False)
    assert site.ok, site.output
    return site


def _spec(site: Site, folder: str) -> dict[str, Any]:
    return site.spec(f"{folder}/README.md")


def test_every_rfc_folder_is_one_spec(rfc_site: Site) -> None:
    specs = rfc_site.export()["specs"]
    assert [s["source"] for s in specs] == [f"rfcs/{f}/README.md" for f in FOLDERS]
    assert sorted(EXPECTED) == FOLDERS
    assert len(FOLDERS) == 6
    # the sidecars are consumed, not reported as stray files
    assert "metadata.yaml" not in rfc_site.output


def test_the_whole_template_is_the_schema(rfc_site: Site) -> None:
    prompt = rfc_site.export()["prompt"]
    assert prompt["name"] == "rfc"
    assert prompt["source"] == "template.md"
    sections = prompt["sections"]
    assert [s["title"] for s in sections] == TEMPLATE_SECTIONS
    assert {s["title"] for s in sections if not s["required"]} == OPTIONAL


@pytest.mark.parametrize(("folder", "kind"), [(f, k) for f in FOLDERS for k in KINDS])
def test_rfc_items(rfc_site: Site, folder: str, kind: str) -> None:
    assert _items(_spec(rfc_site, folder), kind) == EXPECTED[folder][kind]


@pytest.mark.parametrize("folder", FOLDERS)
def test_rfc_title_slug_and_url(rfc_site: Site, folder: str) -> None:
    spec = _spec(rfc_site, folder)
    assert spec["title"] == EXPECTED[folder]["title"]
    assert spec["slug"] == folder
    assert spec["url"] == f"specs/{folder}/"
    page = rfc_site.html(spec["url"])
    assert EXPECTED[folder]["title"] in page.get_text()
    for item in spec["items"]:
        assert item["url"] == f"specs/{folder}/#{item['id']}"
        assert page.find(id=item["id"]) is not None, item["id"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_sidecar_metadata_is_merged_under_front_matter(rfc_site: Site, folder: str) -> None:
    sidecar = jsonable(yaml.safe_load((RFCS / folder / "metadata.yaml").read_text("utf-8")))
    front = jsonable(_front_matter((RFCS / folder / "README.md").read_text("utf-8")))
    spec = _spec(rfc_site, folder)
    assert spec["meta"] == {**sidecar, **front}
    # the status word is normalised through the status aliases ('accepted' -> 'approved')
    assert spec["status"] == {"accepted": "approved"}.get(sidecar["status"], sidecar["status"])
    assert spec["meta"]["status"] == sidecar["status"]  # meta keeps it as written
    assert "date" in spec["meta"] and "tags" in spec["meta"]
    assert "authors" in spec["meta"] or "owner" in spec["meta"]


def test_front_matter_title_beats_sidecar_title(rfc_site: Site) -> None:
    sidecar = yaml.safe_load((RFCS / "0002-config-hot-reload" / "metadata.yaml").read_text("utf-8"))
    assert sidecar["title"] == "Hot reload"
    assert _spec(rfc_site, "0002-config-hot-reload")["title"] == "Configuration Hot Reload"


@pytest.mark.parametrize("folder", FOLDERS)
def test_rfc_sections(rfc_site: Site, folder: str) -> None:
    sections = _spec(rfc_site, folder)["sections"]
    assert sections["missing"] == EXPECTED[folder]["missing"]
    assert sections["empty"] == EXPECTED[folder]["empty"]
    assert sections["placeholder"] == []
    assert sorted(sections["present"] + sections["missing"] + sections["empty"]) == sorted(
        TEMPLATE_SECTIONS
    )


def test_indexes_use_the_configured_titles_and_link_every_item(rfc_site: Site) -> None:
    for page, title, kinds in (
        ("risks/", "Risks & drawbacks", ("blocker", "risk", "performance")),
        ("open-questions/", "Unresolved questions", ("open_question",)),
        ("out-of-scope/", "Non-goals", ("out_of_scope",)),
    ):
        html = rfc_site.html(page)
        h1 = html.find("h1")
        assert h1 is not None and h1.get_text().strip() == title
        hrefs = {str(a.get("href")) for a in html.find_all("a")}
        for spec in rfc_site.export()["specs"]:
            for item in spec["items"]:
                if item["kind"] in kinds:
                    assert f"../{item['url']}" in hrefs, item["url"]


def test_no_required_section_is_missing_so_strict_passes(rfc_site: Site, tmp_path: Path) -> None:
    """The strict result follows from the sections: a complete set has no warnings."""
    for spec in rfc_site.export()["specs"]:
        incomplete = spec["sections"]["missing"] + spec["sections"]["empty"]
        assert not set(incomplete) - OPTIONAL, spec["source"]
        assert [p for p in spec["problems"] if p["severity"] != "info"] == [], spec["source"]
    strict = run_build(tmp_path / "site", config_file=CONFIG, strict=True)
    assert strict.ok, strict.output


def test_strict_fails_when_a_required_section_is_missing(tmp_path: Path) -> None:
    rfcs = tmp_path / "rfcs"
    shutil.copytree(RFCS, rfcs)
    readme = rfcs / "0006-deprecate-xml-export" / "README.md"
    text = readme.read_text(encoding="utf-8")
    without = re.sub(r"# Drawbacks\n.*?(?=# Rationale and alternatives)", "", text, flags=re.DOTALL)
    assert without != text
    readme.write_text(without, encoding="utf-8")

    strict = run_build(tmp_path / "strict", config_file=CONFIG, specs_dir=rfcs, strict=True)
    assert not strict.ok
    assert "required section 'Drawbacks' is missing" in strict.output

    lenient = run_build(tmp_path / "lenient", config_file=CONFIG, specs_dir=rfcs, strict=False)
    assert lenient.ok, lenient.output
    spec = lenient.spec("0006-deprecate-xml-export/README.md")
    assert "Drawbacks" in spec["sections"]["missing"]
    assert [p["code"] for p in spec["problems"]] == ["missing-section"]


def test_optional_sections_missing_do_not_fail_strict(tmp_path: Path) -> None:
    rfcs = tmp_path / "rfcs"
    shutil.copytree(RFCS, rfcs)
    readme = rfcs / "0001-structured-logging" / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(text.split("# Future possibilities")[0], encoding="utf-8")
    strict = run_build(tmp_path / "strict", config_file=CONFIG, specs_dir=rfcs, strict=True)
    assert strict.ok, strict.output
    spec = strict.spec("0001-structured-logging/README.md")
    assert spec["sections"]["missing"] == [
        "Future possibilities",
        "Non-Goals",
        "Risks and Mitigations",
    ]
    assert [i for i in spec["items"] if i["kind"] == "out_of_scope"] == []
