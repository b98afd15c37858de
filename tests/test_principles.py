"""The item walk's seven principles, one labelled fixture each, exact item lists.

``tests/fixtures/principles/pN-*.md`` each exercise one principle of
``specsite.itemwalk`` (kind sections, template text, prose and lists, tables,
sub-headings, 'nothing' sentences, intro and context paragraphs);
``expected.yaml`` lists every item a careful labeller files, with its resolved
state, fields and detail. The comparison is exact: an extra, missing or
changed item fails. One real build checks the same items reach ``specs.json``
(validated against the schema) and the risk register's Severity/Mitigation columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from specsite.build import Build, build
from specsite.config import load_config
from tests.conftest import PROMPT, REPO, run_build

PRINCIPLES = REPO / "tests" / "fixtures" / "principles"
KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")
EXPECTED: dict[str, dict[str, list[dict[str, Any]]]] = yaml.safe_load(
    (PRINCIPLES / "expected.yaml").read_text("utf-8")
)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("principles")
    config = load_config({"specs_dir": str(PRINCIPLES), "prompt": str(PROMPT)}, root)
    return build(config, {"index.md"}, has_home=True)


def _items(result: Build, name: str) -> dict[str, list[dict[str, Any]]]:
    spec = next(s for s in result.collection.specs if Path(s.source).name == name)
    found: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        found[kind] = []
        for item in spec.items_of(kind):
            entry: dict[str, Any] = {"text": item.text}
            if item.resolved is not None:
                entry["resolved"] = item.resolved
            if item.fields:
                entry["fields"] = item.fields
            if item.detail:
                entry["detail"] = item.detail
            found[kind].append(entry)
    return found


def test_every_principle_has_a_fixture() -> None:
    names = sorted(path.name for path in PRINCIPLES.glob("*.md"))
    assert names == sorted(EXPECTED)
    assert [name[:2] for name in names] == [f"p{n}" for n in range(1, 8)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_principle_items_are_exact(result: Build, name: str) -> None:
    assert _items(result, name) == EXPECTED[name]


def test_fields_and_detail_reach_the_export_and_the_register(tmp_path: Path) -> None:
    site = run_build(tmp_path / "site", specs_dir=PRINCIPLES, strict=False)
    assert site.ok, site.output
    data = site.export()
    schema = yaml.safe_load((REPO / "schema" / "specs.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    tables = next(s for s in data["specs"] if s["source"].endswith("p4-tables.md"))
    first = next(i for i in tables["items"] if i["kind"] == "risk")
    assert first["fields"] == {
        "severity": "High",
        "likelihood": "Medium",
        "mitigation": "Validate the header row and alert.",
    }
    register = site.html("risks/")
    headers = [th.get_text(strip=True) for th in register.select("table thead th")]
    assert "Severity" in headers and "Mitigation" in headers
    row = next(
        tr
        for tr in register.select("table tbody tr")
        if "A broker changes its CSV columns" in tr.get_text()
    )
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[headers.index("Severity")] == "High"
    assert cells[headers.index("Mitigation")] == "Validate the header row and alert."
