"""A build date taken from the sources, so that two builds of the same input are identical."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def newest_mtime(paths: Iterable[Path]) -> int | None:
    """The newest modification time (whole seconds) among ``paths``; missing files are skipped."""
    newest: int | None = None
    for path in paths:
        try:
            stamp = int(path.stat().st_mtime)
        except OSError:
            continue
        newest = stamp if newest is None else max(newest, stamp)
    return newest
