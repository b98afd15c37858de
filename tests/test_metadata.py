"""Metadata where authors write it: front matter, the sidecar, the lines under the title.

In-process builds (``specsite.build.build``), one real MkDocs build for the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from specsite.build import Build, build
from specsite.config import load_config
from specsite.metadata import FieldNames, normalise, readable, status_word
from specsite.model import Spec
from specsite.title import readable_name, strip_prefix
from tests.conftest import PROMPT, run_build, write_files, write_project

BODY = "\n## 1. Executive Summary\n\nWhat.\n\n## 3. Risks & Concerns\n\n- A risk.\n"

FILES = {
    "bold-line.md": (
        "# Price Alerts\n\n**Status:** In review &nbsp; **Owner:** infra team &nbsp; "
        "**Date:** 2026-03-04\n" + BODY
    ),
    "middle-dot.md": "# Dots\n\n**Status:** Draft · **Author:** Ana, Bo · "
    "**Last updated:** 4 March 2026\n" + BODY,
    "plain-lines.md": "# Plain\n\nStatus: Approved\nOwner: @kim\n" + BODY,
    "kv-table.md": "# Table\n\n| Field | Value |\n|---|---|\n| Status | Implemented |\n"
    "| Created | 2025-12-01 |\n| Area | payments |\n" + BODY,
    "rfc-header.md": "- Feature Name: `nll`\n- Start Date: 2017-08-02\n"
    "- RFC PR: [rust-lang/rfcs#2094](https://example.org/2094)\n\n# Summary\n\nText.\n",
    "quoted.md": "# Quoted\n\n> **Status:** Rejected | **Owner:** Lee\n" + BODY,
    "front.md": "---\nstatus: draft\nauthors: [Zoe, Yan]\ndate: 2026-01-02\n---\n"
    "# Front\n\n**Status:** Approved\n" + BODY,
    "section-after.md": "# Late\n\n## Background\n\nStatus: should not be read\n" + BODY,
    "bad-date.md": "# Bad\n\n**Date:** 2019-02-30 · **Owner:** Ann\n" + BODY,
    "kep/README.md": "# KEP-1234: Sidecar\n\n## Summary\n\nText.\n",
    "kep/kep.yaml": "title: Sidecar KEP\nauthors:\n  - '@alice'\n  - '@bob'\nowning-sig: sig-node\n"
    "creation-date: 2019-02-30\nlast-updated: 2024-05-06\nstatus: implementable\n"
    "milestone:\n  alpha: v1.27\n  beta: v1.28\n",
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("metadata")
    specs = write_files(root / "specs", FILES)
    config = load_config(
        {"specs_dir": str(specs), "prompt": str(PROMPT), "sidecar": "kep.yaml"}, root
    )
    return build(config, {"index.md"}, has_home=True)


def spec(result: Build, name: str) -> Spec:
    return next(s for s in result.collection.specs if s.source.endswith(name))


@pytest.mark.parametrize(
    ("name", "info"),
    [
        ("bold-line.md", {"status": "review", "owner": ["infra team"], "date": "2026-03-04"}),
        ("middle-dot.md", {"status": "draft", "owner": ["Ana", "Bo"], "updated": "2026-03-04"}),
        ("plain-lines.md", {"status": "approved", "owner": ["@kim"]}),
        ("kv-table.md", {"status": "implemented", "date": "2025-12-01", "owner": ["payments"]}),
        ("rfc-header.md", {"date": "2017-08-02"}),
        ("quoted.md", {"status": "rejected", "owner": ["Lee"]}),
        ("front.md", {"status": "draft", "owner": ["Zoe", "Yan"], "date": "2026-01-02"}),
        ("section-after.md", {}),
        ("bad-date.md", {"owner": ["Ann"]}),
        (
            "kep/README.md",
            {
                "status": "implementable",
                "owner": ["@alice", "@bob"],
                "updated": "2024-05-06",
            },
        ),
    ],
)
def test_fields_are_read_where_written(result: Build, name: str, info: dict[str, object]) -> None:
    assert spec(result, name).info == info


def test_a_bad_value_costs_only_that_value(result: Build) -> None:
    bad = spec(result, "bad-date.md")
    problems = [p for p in bad.problems if p.code == "metadata-invalid"]
    assert len(problems) == 1 and problems[0].line == 3
    assert "'Date'" in problems[0].message and "2019-02-30" in problems[0].message
    kep = spec(result, "kep/README.md")
    assert kep.meta["title"] == "Sidecar KEP"  # the sidecar is read, not rejected whole
    (problem,) = [p for p in kep.problems if p.code == "metadata-invalid"]
    assert "'creation-date' (kep.yaml line 6)" in problem.message


def test_header_field_titles_a_spec_without_h1(result: Build) -> None:
    assert spec(result, "rfc-header.md").title == "nll"
    assert spec(result, "kep/README.md").title == "Sidecar KEP"


def test_values_are_readable() -> None:
    assert readable({"alpha": "v1.27", "beta": ["a", "b"]}) == "alpha: v1.27; beta: a, b"
    names = FieldNames({})
    assert status_word("**In review**", names.status_aliases) == "review"
    assert status_word("Draft (v2)", names.status_aliases) == "draft"
    assert normalise("date", "March 4, 2026", names) == ("2026-03-04", None)
    assert normalise("date", "2019-02-30", names)[1] == "'2019-02-30' is not a valid date"
    assert normalise("date", "TBD", names) == (None, None)


def test_title_prefixes_and_names() -> None:
    prefixes = ("Technical Specification:", "Technical Specifications:", "RFC:")
    assert strip_prefix("Technical Specifications: Watchlist Sync", prefixes) == "Watchlist Sync"
    assert strip_prefix("rfc: Nll", prefixes) == "Nll"
    assert strip_prefix("RFC:", prefixes) == "RFC:"
    assert readable_name("2094-nll") == "2094 Nll"
    assert readable_name("price_alerts") == "Price alerts"


def test_a_real_page_shows_fields_once(tmp_path: Path) -> None:
    root = tmp_path
    write_files(
        root / "specs",
        {
            "a.md": FILES["bold-line.md"],
            "kep/README.md": FILES["kep/README.md"],
            "kep/kep.yaml": FILES["kep/kep.yaml"],
        },
    )
    config = write_project(root, specsite={"specs_dir": "specs", "sidecar": "kep.yaml"})
    site = run_build(root / "site", config_file=config, strict=False)
    assert site.ok, site.output
    page = site.html("specs/a/").select("article")[0].get_text(" ")
    assert "not set" not in page
    assert "Status: review" in " ".join(page.split())
    assert "Owner: infra team" in " ".join(page.split())
    kep = " ".join(site.html("specs/kep/").select("article")[0].get_text(" ").split())
    assert "{'alpha'" not in kep and "alpha: v1.27; beta: v1.28" in kep
    assert "Owner: @alice, @bob" in kep
    catalog = " ".join(site.html("").get_text(" ").split())
    assert "infra team" in catalog and "2026-03-04" in catalog
    exported = site.spec("a.md")
    assert exported["info"] == {"status": "review", "owner": ["infra team"], "date": "2026-03-04"}
