"""Specs parsed in worker processes give the same site as specs parsed one by one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specsite.build import build
from specsite.config import load_config
from specsite.parallel import MIN_ITEMS, parallel_map
from tests.conftest import PROMPT
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
