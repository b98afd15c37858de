"""Parsed specs kept between the builds of one ``serve`` session.

A rebuild after one edit re-reads only the files whose size or modification time
changed; everything else comes from here. The cache is dropped whole when anything
that shapes a parse changes (configuration, prompt, reference names).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from specsite.model import Spec

Stamp = tuple[tuple[str, int, int], ...]
T = TypeVar("T")
_MISSING = object()


def stamp(paths: Iterable[Path]) -> Stamp:
    """Size and modification time of each file (missing files count too)."""
    found = []
    for path in paths:
        try:
            status = path.stat()
            found.append((str(path), status.st_size, status.st_mtime_ns))
        except OSError:
            found.append((str(path), -1, -1))
    return tuple(found)


def fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


@dataclass
class SpecCache:
    """Spec models by source file, valid while the files' stamps and the fingerprint hold."""

    fingerprint: str = ""
    entries: dict[tuple[str, str], tuple[Stamp, Spec]] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page key -> generated Markdown
    hits: int = 0
    _used: dict[str, str] = field(default_factory=dict)
    products: dict[str, object] = field(default_factory=dict)
    _used_products: dict[str, object] = field(default_factory=dict)

    def start(self, fingerprint: str) -> None:
        """Begin a build: keep the entries only if nothing build-wide has changed."""
        if fingerprint != self.fingerprint:
            self.entries.clear()
            self.pages.clear()
            self.products.clear()
            self.fingerprint = fingerprint
        self.hits = 0

    def page(self, inputs: object, render: Callable[[], str]) -> str:
        """The generated Markdown of a page whose ``inputs`` (its whole model) are unchanged.

        Entries live for one rebuild after their last use, so the memo never outgrows
        the collection.
        """
        key = hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()
        markdown = self.pages.get(key)
        if markdown is None:
            markdown = render()
        self._used[key] = markdown
        return markdown

    def memo(self, inputs: object, make: Callable[[], T]) -> T:
        """Any per-spec product (search records...) whose ``inputs`` are unchanged; kept
        like pages, for one rebuild after its last use."""
        key = hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()
        value = self.products.get(key, _MISSING)
        if value is _MISSING:
            value = make()
        self._used_products[key] = value
        return value  # type: ignore[return-value]

    def finish(self) -> None:
        """End a build: keep the pages this build used, drop the rest."""
        self.pages, self._used = self._used, {}
        self.products, self._used_products = self._used_products, {}

    def get(self, source: str, slug: str, current: Stamp) -> Spec | None:
        entry = self.entries.get((source, slug))
        if entry is None or entry[0] != current:
            return None
        self.hits += 1
        # cross-spec problems (duplicate titles, slug collisions) are added per build
        return dataclasses.replace(entry[1], problems=list(entry[1].problems))

    def put(self, source: str, slug: str, current: Stamp, spec: Spec) -> None:
        self.entries[(source, slug)] = (
            current,
            dataclasses.replace(spec, problems=list(spec.problems)),
        )
