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
from functools import partial
from pathlib import Path
from typing import TypeVar

from specsite.model import Spec
from specsite.parallel import parallel_map

Stamp = tuple[tuple[str, int, int], ...]
T = TypeVar("T")
_MISSING = object()
_ALWAYS = frozenset(
    {"problems", "info"}
)  # always part of a token: a build may change them in place


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
    # this build's specs (by id) -> (that spec, the parsed model it copies, its digest)
    _tokens: dict[int, tuple[Spec, Spec, str]] = field(default_factory=dict)
    _digests: dict[tuple[str, str], str] = field(default_factory=dict)
    _token_values: dict[int, str] = field(default_factory=dict)  # tokens are made once a build

    def start(self, fingerprint: str) -> None:
        """Begin a build: keep the entries only if nothing build-wide has changed."""
        if fingerprint != self.fingerprint:
            self.entries.clear()
            self.pages.clear()
            self.products.clear()
            self._digests.clear()
            self.fingerprint = fingerprint
        self.hits = 0
        self._tokens.clear()
        self._token_values.clear()

    def token(self, spec: Spec) -> str | None:
        """A digest of ``spec``'s whole model, for memo keys, without walking the model:
        the parse's digest, plus the parts a build may add or replace after the parse
        (cross-spec problems, metadata filled in, any field set anew). ``None`` for a
        spec this cache did not hand out."""
        entry = self._tokens.get(id(spec))
        if entry is None or entry[0] is not spec:
            return None
        known = self._token_values.get(id(spec))
        if known is None:
            known = self._token_values[id(spec)] = self._token(spec, *entry[1:])
        return known

    @staticmethod
    def _token(spec: Spec, parsed: Spec, digest: str) -> str:
        replaced = [
            (f.name, getattr(spec, f.name))
            for f in dataclasses.fields(spec)
            if f.name not in _ALWAYS and getattr(spec, f.name) is not getattr(parsed, f.name)
        ]
        return fingerprint(digest, spec.problems, spec.info, replaced)

    def key(self, *parts: object) -> str:
        """A memo key for ``parts``, where each spec (also inside lists and tuples) counts
        by its token, so a key over a thousand specs costs microseconds, not a model walk."""
        return fingerprint(*(self._keyed(part) for part in parts))

    def _keyed(self, part: object) -> object:
        if isinstance(part, Spec):
            return ("spec", self.token(part) or repr(part))
        if isinstance(part, list | tuple):
            return tuple(self._keyed(p) for p in part)
        return part

    def page(self, inputs: object, render: Callable[[], str]) -> str:
        """The generated Markdown of a page whose ``inputs`` (its whole model) are unchanged.

        Entries live for one rebuild after their last use, so the memo never outgrows
        the collection.
        """
        key = self.key(inputs)
        markdown = self.pages.get(key)
        if markdown is None:
            markdown = render()
        self._used[key] = markdown
        return markdown

    def memo(self, inputs: object, make: Callable[[], T]) -> T:
        """Any per-spec product (search records...) whose ``inputs`` are unchanged; kept
        like pages, for one rebuild after its last use."""
        key = self.key(inputs)
        value = self.products.get(key, _MISSING)
        if value is _MISSING:
            value = make()
        self._used_products[key] = value
        return value  # type: ignore[return-value]

    def has_memo(self, inputs: object) -> bool:
        """Whether ``memo(inputs, ...)`` would come from the cache."""
        return self.key(inputs) in self.products

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
        spec = dataclasses.replace(entry[1], problems=list(entry[1].problems))
        self._tokens[id(spec)] = (spec, entry[1], self._digests[(source, slug)])
        return spec

    def put(self, source: str, slug: str, current: Stamp, spec: Spec) -> None:
        parsed = dataclasses.replace(spec, problems=list(spec.problems))
        self.entries[(source, slug)] = (current, parsed)
        digest = fingerprint(dataclasses.replace(parsed, info={}))
        self._digests[(source, slug)] = digest
        self._tokens[id(spec)] = (spec, parsed, digest)


def memo_map(
    count: int,
    inputs: Callable[[int], object],
    make: Callable[[int], T],
    cache: SpecCache | None,
    *,
    workers: int,
) -> list[T]:
    """``[make(i) for i in range(count)]``, each kept in ``cache`` under ``inputs(i)``:
    what the cache lacks (everything in a build, the edited specs under ``serve``) is
    made on ``workers`` processes, like the parse."""
    todo = [i for i in range(count) if cache is None or not cache.has_memo(inputs(i))]
    made = dict(zip(todo, parallel_map(make, todo, workers=workers), strict=True))
    if cache is None:
        return [made[i] for i in range(count)]
    return [cache.memo(inputs(i), partial(_made, made, make, i)) for i in range(count)]


def _made(made: dict[int, T], make: Callable[[int], T], index: int) -> T:
    """A result made ahead (on the worker processes), else made now."""
    return made[index] if index in made else make(index)
