"""Specs parsed in worker processes give the same site as specs parsed one by one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specsite.build import build
from specsite.config import load_config
from specsite.parallel import MIN_ITEMS, parallel_map
from tests.conftest import PROMPT, pagefind_unordered, run_build, write_project
from tests.test_explorer import multiplied


def test_parallel_map_keeps_order_and_uses_other_processes() -> None:
    items = list(range(MIN_ITEMS * 2))
    pids = parallel_map(lambda _: os.getpid(), items, workers=2)
    assert len(pids) == len(items)
    assert set(pids) - {os.getpid()}, "no worker process was used"
    assert parallel_map(lambda n: n * n, items, workers=2) == [n * n for n in items]
    assert parallel_map(lambda _: os.getpid(), items[:3], workers=2) == [os.getpid()] * 3


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_a_parallel_build_equals_a_serial_one(tmp_path: Path) -> None:
    specs = multiplied(tmp_path / "specs", -(-MIN_ITEMS // 7) + 1)  # more than MIN_ITEMS specs
    results = []
    for workers in (1, 2):
        config = load_config(
            {"specs_dir": str(specs), "prompt": str(PROMPT), "workers": workers}, tmp_path
        )
        results.append(build(config, {"index.md"}, has_home=True))
    serial, parallel = results
    assert len(serial.collection.specs) > MIN_ITEMS
    assert parallel.plan.files == serial.plan.files  # specs.json and the explorer data
    assert parallel.plan.pages == serial.plan.pages
    assert [m for _, m in parallel.messages()] == [m for _, m in serial.messages()]


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_search_records_made_in_parallel_equal_serial_ones(tmp_path: Path) -> None:
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.structure.files import Files

    from specsite.search_adapter import site_records

    specs = multiplied(tmp_path / "specs", -(-MIN_ITEMS // 7) + 1)
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions:\n  - toc:\n      permalink: true\n", encoding="utf-8"
    )
    mkdocs_config = load_mkdocs_config(str(tmp_path / "mkdocs.yml"))
    found = []
    for workers in (1, 2):
        settings = load_config(
            {"specs_dir": str(specs), "prompt": str(PROMPT), "workers": workers}, tmp_path
        )
        result = build(settings, set())
        found.append(site_records(result.collection.specs, Files([]), settings, mkdocs_config))
    serial, parallel = found
    assert len(serial) > MIN_ITEMS * 5
    assert parallel == serial


VALIDATION = "validation:\n  anchors: warn\n  absolute_links: warn\n"


def _site_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not pagefind_unordered(p.relative_to(root).as_posix())
    }


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_pages_converted_on_worker_processes_equal_pages_converted_in_the_loop(
    tmp_path: Path,
) -> None:
    """Generated pages are converted to HTML ahead, on worker processes: the site, and what
    MkDocs logs about the pages (a link to an anchor no page has, with ``--strict``), are
    those of a build that converts one page after another."""
    specs = multiplied(tmp_path / "specs", -(-MIN_ITEMS // 7) + 1)
    broken = specs / "price-alerts-000.md"
    text = broken.read_text("utf-8")
    text = text.replace(
        "## 1. Executive Summary",
        "## 1. Executive Summary\n\nSee [the charts](chart-layout-persistence-001.md#no-such-part) "
        "and [the root](/from-the-root/page.md).",
        1,
    )
    assert "no-such-part" in text
    broken.write_text(text, "utf-8")
    (specs / "hostile.md").write_text(
        "---\ntitle: Hostile\n---\n\n## 1. Executive Summary\n\n"
        '<script>alert("converted")</script><img src=x onerror="alert(1)">\n\n'
        "## 3. Risks & Concerns\n\n### Risks\n\n"
        '- **Script**: <a href="javascript:alert(2)">click</a>\n',
        "utf-8",
    )
    sites = []
    for workers in (1, 2):
        config = write_project(
            tmp_path / f"project{workers}",
            specsite={"specs_dir": str(specs), "prompt": str(PROMPT), "workers": workers},
        )
        yaml_text = config.read_text("utf-8") + VALIDATION
        config.write_text(yaml_text, "utf-8")
        site = run_build(tmp_path / f"project{workers}" / "site", config_file=config)
        sites.append(site)
    serial, parallel = sites
    assert not serial.ok and not parallel.ok  # the anchor warning fails --strict in both
    assert "no-such-part" in serial.output and "/from-the-root/page.md" in serial.output
    assert parallel.output.replace("project2", "project1") == serial.output
    serial_files, parallel_files = _site_files(serial.root), _site_files(parallel.root)
    assert len(serial_files) > MIN_ITEMS * 2
    assert parallel_files.keys() == serial_files.keys()
    assert [p for p in serial_files if parallel_files[p] != serial_files[p]] == []
    hostile = parallel_files["specs/hostile/index.html"].decode("utf-8")  # sanitized ahead
    assert "Hostile" in hostile
    article = hostile.split('<article class="md-content__inner')[1].split("</article>")[0]
    assert "<script" not in article and "onerror" not in article
    assert "javascript:" not in article


COUNTING_HOOK = """
import json, os
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

seen = []


class Count(Treeprocessor):
    def run(self, root):
        seen.append(os.getpid())


class Counting(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(Count(md), "count", 0)


def on_config(config):
    config.markdown_extensions.append(Counting())
    return config


def on_post_build(config):
    with open(os.environ["SEEN_FILE"], "w") as out:
        json.dump({"pid": os.getpid(), "seen": seen}, out)
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_a_plugin_markdown_extension_sees_every_page_in_the_mkdocs_process(
    tmp_path: Path,
) -> None:
    """An extension object a plugin adds may keep what it sees of each page (autorefs
    keeps anchors): with one, every page is converted in MkDocs' own process."""
    import json

    specs = multiplied(tmp_path / "specs", -(-MIN_ITEMS // 7) + 1)
    config = write_project(
        tmp_path / "project", specsite={"specs_dir": str(specs), "prompt": str(PROMPT)}
    )
    (tmp_path / "project" / "counting.py").write_text(COUNTING_HOOK, "utf-8")
    config.write_text(config.read_text("utf-8") + "hooks: [counting.py]\n", "utf-8")
    seen_file = tmp_path / "seen.json"
    site = run_build(
        tmp_path / "project" / "site",
        config_file=config,
        strict=False,  # the multiplied specs cite reference documents the project lacks
        env={"SEEN_FILE": str(seen_file)},
    )
    assert site.ok, site.output
    seen = json.loads(seen_file.read_text("utf-8"))
    pages = len(list(site.root.rglob("index.html")))
    assert len(seen["seen"]) >= pages
    assert set(seen["seen"]) == {seen["pid"]}
