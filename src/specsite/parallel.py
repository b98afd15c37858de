"""Per-spec work on several CPU cores.

Reading a spec (markdown-it and the extractors, all pure Python) is most of a cold
build's own work, and it is the same work for every spec; so are its page's Markdown
and its search records, made from the model afterwards. On a machine with more than
one core that work runs in forked worker processes, which inherit the configured
parsers and the collection, and the results come back pickled, in order: the result
is the same as doing it one spec after the other. Where ``fork`` does not exist
(Windows), or for a handful of specs (a ``serve`` rebuild), it runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 48  # fewer specs than this parse faster than worker processes start
MAX_WORKERS = 8

_work: Callable[[object], object] | None = None  # the function the forked workers run


def cores() -> int:
    """CPU cores this process may use (its affinity where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return max(1, min(cores(), MAX_WORKERS))


def worker_count(configured: int | None) -> int:
    """The ``workers`` key's processes: as configured, else one per core (up to 8)."""
    return configured or default_workers()


def _run(item: object) -> object:
    assert _work is not None, "set before the pool forks"
    return _work(item)


def parallel_map(
    function: Callable[[T], R], items: Sequence[T], *, workers: int, min_items: int = MIN_ITEMS
) -> list[R]:
    """``[function(item) for item in items]``, on ``workers`` processes when it pays."""
    if (
        workers <= 1
        or len(items) < min_items
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [function(item) for item in items]
    global _work
    _work = function  # type: ignore[assignment]
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(items))) as pool:
            chunk = max(1, len(items) // (workers * 8))
            return pool.map(_run, items, chunksize=chunk)  # type: ignore[arg-type]
    finally:
        _work = None
