"""The explorer data, the status lifecycle and the paged build report, from the core in-process."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from specsite.build import Build, build
from specsite.config import Config, ConfigError, load_config
from specsite.explorer import MANIFEST, ROW_FIELDS, SPEC_FIELDS, explorer_data, site_root
from specsite.model import Spec
from tests.conftest import EXAMPLE_SPECS, PROMPT, run_build, write_project
from tests.conftest import SiteBuilder as BuildSpecs


def spec_url(spec: Spec) -> str:
    return f"specs/{spec.slug}/"


LIFECYCLE = ["draft", "review", "approved", "implemented", "superseded", "rejected"]


def multiplied(folder: Path, copies: int) -> Path:
    """The example collection ``copies`` times over, with distinct titles."""
    folder.mkdir()
    for number in range(copies):
        for source in sorted(EXAMPLE_SPECS.glob("*.md")):
            text = source.read_text("utf-8")
            text = re.sub(
                r"^(title: .*?)(\"?)$", rf"\g<1> {number}\g<2>", text, count=1, flags=re.M
            )
            (folder / f"{source.stem}-{number:03d}.md").write_text(text, "utf-8")
    return folder


def core_build(specs: Path, **keys: object) -> tuple[Config, Build]:
    config = load_config({"specs_dir": str(specs), "prompt": str(PROMPT), **keys}, specs.parent)
    return config, build(config, {"index.md"}, has_home=True)


def test_explorer_data_holds_every_row_of_every_index_once(tmp_path: Path) -> None:
    specs = shutil.copytree(EXAMPLE_SPECS, tmp_path / "specs")
    config, result = core_build(specs)
    files = {
        path: json.loads(text)
        for path, text in result.plan.files.items()
        if path.startswith("explorer/")
    }
    spec_files = sorted(p for p in files if p.startswith("explorer/specs-"))
    assert len(spec_files) == 1
    records = files[spec_files[0]]["specs"]
    collection = result.collection.specs
    assert [r[0] for r in records] == [s.title for s in collection]
    assert all(len(r) == len(SPEC_FIELDS) for r in records)
    by_title = {r[0]: r for r in records}
    alerts = by_title["Price Alerts"]
    assert alerts[1] == "specs/price-alerts/"
    assert alerts[2:5] == ["review", "m.keller", "2026-03-04"]
    assert alerts[5] == ["alerts", "market-data", "notifications"]
    for index in config.indexes:
        (rows_file,) = [p for p in files if p.startswith(f"explorer/{index.slug}-")]
        rows = files[rows_file]["rows"]
        expected = [
            (spec.title, key, item.id, item.text)
            for spec in collection
            for key in index.kinds
            for item in spec.items_of(key)
        ]
        assert [(records[r[0]][0], index.kinds[r[1]], r[2], r[3]) for r in rows] == expected
    # every shard named by a content hash, listed in the manifest; nothing of specs.json
    manifest = files.pop(MANIFEST)
    assert all(re.fullmatch(r"explorer/[a-z-]+-\d+\.[0-9a-f]{10}\.json", p) for p in files)
    assert manifest["specs"] == spec_files
    listed = manifest["specs"] + [p for rows in manifest["rows"].values() for p in rows]
    assert sorted(listed) == sorted(files)


def test_an_edit_changes_shards_and_manifest_but_no_other_view_page(tmp_path: Path) -> None:
    """Pages name only the manifest, so editing one risk changes a shard, the manifest and
    the pages that list that risk, and no other page showing a view (``serve --dirty``
    re-renders only those)."""
    specs = multiplied(tmp_path / "specs", 3)
    config = load_config(
        {"specs_dir": str(specs), "prompt": str(PROMPT), "page_size": 2}, specs.parent
    )
    before = build(config, {"index.md"}, has_home=False)
    edited = sorted(specs.glob("*.md"))[-1]
    lines = edited.read_text(encoding="utf-8").split("\n")
    label = next(i for i, line in enumerate(lines) if re.match(r"\**Risks\b", line.strip("#* ")))
    item = next(i for i in range(label + 1, len(lines)) if re.match(r"\s*[-*] ", lines[i]))
    lines[item] += " EDITEDRISK"
    edited.write_text("\n".join(lines), encoding="utf-8")
    after = build(config, {"index.md"}, has_home=False)
    assert after.plan.files[MANIFEST] != before.plan.files[MANIFEST]
    views = [uri for uri, md in before.plan.pages.items() if "specsite-explorer" in md]
    changed = [uri for uri in views if after.plan.pages[uri] != before.plan.pages[uri]]
    listing = [uri for uri in views if "EDITEDRISK" in after.plan.pages[uri]]
    assert changed == listing and 0 < len(listing) < len(views) - 3


def test_views_name_their_shards_and_never_specs_json(tmp_path: Path) -> None:
    specs = shutil.copytree(EXAMPLE_SPECS, tmp_path / "specs")
    _, result = core_build(specs, page_size=2)
    pages = result.plan.pages
    for uri in ("risks.md", "risks/3.md", "open-questions.md"):
        assert 'class="specsite-explorer"' in pages[uri]
        assert "specs.json" not in pages[uri]
    assert "&#34;root&#34;:&#34;../../&#34;" in pages["risks/3.md"]
    assert site_root("index.md", True) == "./" and site_root("risks/2.md", False) == "../"


def test_data_files_stay_bounded_as_the_collection_grows(tmp_path: Path) -> None:
    """Every shard holds a fixed number of specs, so no shard grows with the collection: the
    largest shard of a 3x larger collection is no larger, and stays within 7 specs' worth.
    The manifest names each shard once: well under 100 bytes a shard, 4 KB at 5,000 specs."""
    largest, per_spec = [], []
    for copies in (2, 6):
        specs = multiplied(tmp_path / f"specs{copies}", copies)
        config, result = core_build(specs)
        collection = result.collection.specs
        single = explorer_data(config, collection, spec_url, shard=1)
        shards = {p: t for p, t in single.files.items() if p != MANIFEST}
        per_spec.append(max(len(text.encode()) for text in shards.values()))
        assert len(single.files[MANIFEST]) < 100 * len(shards)
        data = explorer_data(config, collection, spec_url, shard=7)
        assert len(data.spec_shards) == copies
        shards = {p: t for p, t in data.files.items() if p != MANIFEST}
        largest.append(max(len(text.encode()) for text in shards.values()))
    assert per_spec[1] <= per_spec[0] + 8  # only the title's copy number differs
    assert largest[1] <= 7 * per_spec[0]


def test_statuses_sort_in_lifecycle_order_with_aliases(tmp_path: Path) -> None:
    config = load_config({}, tmp_path)
    statuses = config.statuses
    assert list(statuses.order) == LIFECYCLE
    assert statuses.normalize("In  Review") == "review"
    assert sorted(["rejected", None, "Approved", "weird", "draft"], key=statuses.rank) == [
        "draft",
        "Approved",
        "rejected",
        "weird",
        None,
    ]
    assert statuses.is_hidden("Superseded") and not statuses.is_hidden("draft")
    custom = load_config({"statuses": {"order": ["proposed", "accepted"], "hidden": []}}, tmp_path)
    assert custom.statuses.rank("accepted") == 1 and not custom.statuses.is_hidden("rejected")
    assert custom.statuses.normalize("in review") == "review"  # default aliases kept
    with pytest.raises(ConfigError, match=r"statuses.*unknown key"):
        load_config({"statuses": {"ordering": []}}, tmp_path)
    with pytest.raises(ConfigError, match=r"statuses\.order"):
        load_config({"statuses": {"order": [3]}}, tmp_path)


def test_repeated_problem_is_reported_once_per_file_with_its_count(build_specs: BuildSpecs) -> None:
    lines = ["# Cites", "", "## Executive Summary", ""]
    lines += [f"Line {n} cites NOWHERE.md again." for n in range(12)]
    site = build_specs({"cites.md": "\n\n".join(lines) + "\n"}, strict=False)
    assert site.ok, site.output
    logged = [line for line in site.output.splitlines() if "NOWHERE.md" in line]
    assert len(logged) == 1, logged
    first = 1 + "\n\n".join(lines).splitlines().index("Line 0 cites NOWHERE.md again.")
    assert f"cites.md:{first}:" in logged[0]
    assert logged[0].endswith(f"(12 mentions, first at line {first}) [reference-missing]")
    report = (site.root / "build-report" / "index.html").read_text("utf-8")
    assert report.count("NOWHERE.md") == 1
    assert f"(12 mentions, first at line {first})" in report


def test_build_report_and_conformance_are_paged_like_the_indexes(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    for n in range(5):
        (specs / f"spec-{n}.md").write_text(f"# Spec {n}\n\nCites MISSING-{n}.md.\n", "utf-8")
    config = write_project(
        tmp_path / "project",
        specsite={"specs_dir": str(specs), "prompt": str(PROMPT), "page_size": 2},
    )
    site = run_build(tmp_path / "site", config_file=config, strict=False)
    assert site.ok, site.output
    pages = ["build-report/"] + [
        f"build-report/{p.parent.name}/"
        for p in sorted((site.root / "build-report").glob("*/index.html"))
    ]
    assert len(pages) == 5  # each spec has more problems than a page holds: one spec a page
    listed = []
    for path in pages:
        html = site.html(path)
        listed += [
            row.select("td")[0].get_text(strip=True)
            for row in html.select("article table tbody tr")
        ]
        assert len(html.select("nav.specsite-pager")) == 2  # top and bottom
        assert [h["id"] for h in html.select("article h2")][-1:] in (["specs"], ["not-published"])
    assert len(listed) == 5
    assert all(entry.endswith(f"spec-{n}.md") for n, entry in enumerate(listed))
    # the conformance table is paged the same way: 2 + 2 + 1 specs
    conformance = ["conformance/", "conformance/2/", "conformance/3/"]
    titles = [
        [a.get_text() for a in site.html(path).select("article table tbody td:first-child a")]
        for path in conformance
    ]
    assert titles == [["Spec 0", "Spec 1"], ["Spec 2", "Spec 3"], ["Spec 4"]]
    assert not (site.root / "conformance" / "4").exists()


def test_register_rows_carry_severity_and_mitigation(tmp_path: Path) -> None:
    """The risk register's view shows each risk's severity and mitigation as columns."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "feed.md").write_text(
        "# Feed\n\n## 1. Executive Summary\n\nA feed.\n\n## 3. Risks & Concerns\n\n"
        "**Risks:**\n\n- Vendor outage freezes prices (High)\n"
        "  - Mitigation: fall back to the last fixing.\n- Spreads widen on exotic pairs.\n",
        encoding="utf-8",
    )
    _, result = core_build(specs)
    files = {p: json.loads(t) for p, t in result.plan.files.items() if p.startswith("explorer/")}
    manifest = files[MANIFEST]
    (risks,) = manifest["rows"]["risks"]
    rows = [r for r in files[risks]["rows"] if r[3].startswith(("Vendor", "Spreads"))]
    assert [[r[5].lower(), r[6]] for r in rows] == [
        ["high", "fall back to the last fixing."],
        ["", ""],
    ]
    (questions,) = manifest["rows"]["open-questions"]
    assert all(len(r) == len(ROW_FIELDS) for r in files[questions]["rows"])
    found = re.search(r'data-config="([^"]*)"', result.plan.pages["risks.md"])
    assert found is not None
    view = json.loads(html.unescape(found.group(1)))
    assert view["fields"] == ["severity", "mitigation"]
