"""Pages that must not grow with the collection."""

from __future__ import annotations

from pathlib import Path

from specsite.build import build
from specsite.config import load_config
from tests.conftest import PROMPT
from tests.test_explorer import multiplied


def test_a_reference_without_a_page_lists_a_bounded_number_of_citing_specs(
    tmp_path: Path,
) -> None:
    """No page grows with the collection: the references page names at most CITED_LIMIT
    citing specs of a reference that has no page of its own, then links to the rest."""
    from specsite.citing import CITED_LIMIT

    specs = multiplied(tmp_path / "specs", 12)
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT)}, tmp_path)
    result = build(config, set())  # no docs pages: every reference is listed here
    cited: dict[str, int] = {}
    for spec in result.collection.specs:
        for name in spec.references:
            cited[name] = cited.get(name, 0) + 1
    name, count = max(cited.items(), key=lambda pair: pair[1])
    assert count > CITED_LIMIT
    page = result.plan.pages["references.md"]
    row = next(line for line in page.splitlines() if line.startswith(f"| {name} "))
    assert row.count("](") == CITED_LIMIT
    assert f"and {count - CITED_LIMIT} more</a>" in row
    assert "ref=" in row
