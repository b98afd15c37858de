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
