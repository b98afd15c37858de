"""Which reference names exist and where they point: a docs page or an external URL."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class References:
    """Known reference names (from the prompt, the config and the docs pages) and their targets."""

    targets: dict[str, str | None] = field(default_factory=dict)  # name -> docs uri, URL or None
    ignored: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        prompt_names: Iterable[str],
        configured: dict[str, str],
        doc_uris: Iterable[str],
        ignored: Iterable[str] = (),
    ) -> References:
        by_name: dict[str, list[str]] = {}
        for uri in sorted(doc_uris):
            if uri.endswith(".md"):
                by_name.setdefault(posixpath.basename(uri), []).append(uri)
        targets: dict[str, str | None] = {}
        for name in prompt_names:
            targets[name] = None
        for name, uris in by_name.items():
            if name.upper() == name or name in targets:
                # the shallowest page wins when two folders hold the same name
                targets[name] = min(uris, key=lambda u: (u.count("/"), u))
        for name, target in configured.items():
            targets[name] = target
        return cls(targets, frozenset(ignored))

    def is_known(self, name: str) -> bool:
        return name in self.targets

    def is_url(self, name: str) -> bool:
        target = self.targets.get(name)
        return target is not None and "://" in target

    def link_from(self, page_uri: str, name: str) -> str | None:
        """The link to ``name`` as written in the page ``page_uri``, or None."""
        target = self.targets.get(name)
        if target is None:
            return None
        if "://" in target:
            return target
        return posixpath.relpath(target, posixpath.dirname(page_uri) or ".")
