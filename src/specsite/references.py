"""Which reference names exist and where they point: a docs page or an external URL.

The reference rule, once: a reference is a name on the prompt's ``References:`` line,
a name under the ``references:`` key, or a page in docs/ whose file name is written in
upper case (``docs/reference/SECURITY-MODEL.md``) and not in ``ignore_references``.
Specs cite references by those names; an upper-case name with no page is a problem.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from specsite.sanitize import safe_url

_REFERENCE_NAME = re.compile(r"^[A-Z0-9][A-Z0-9_-]*\.md$")


def is_reference_name(name: str) -> bool:
    """'ARCHITECTURE.md', 'SECURITY-MODEL.md': a file name written in upper case (the .md aside)."""
    return _REFERENCE_NAME.match(name) is not None


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
        not_references = frozenset(ignored)
        for name, uris in by_name.items():
            if name in targets or (is_reference_name(name) and name not in not_references):
                # the shallowest page wins when two folders hold the same name
                targets[name] = min(uris, key=lambda u: (u.count("/"), u))
        for name, target in configured.items():
            targets[name] = target
        return cls(targets, not_references)

    def is_known(self, name: str) -> bool:
        return name in self.targets

    def is_missing(self, name: str) -> bool:
        """A cited name that should have a target and has none: a known name with no page or
        URL, or an upper-case name that is no reference (and not ignored)."""
        if name in self.targets:
            return self.targets[name] is None
        return is_reference_name(name) and name not in self.ignored

    def is_url(self, name: str) -> bool:
        target = self.targets.get(name)
        return target is not None and "://" in target

    def link_from(self, page_uri: str, name: str) -> str | None:
        """The link to ``name`` as written in the page ``page_uri``, or None (also for a
        URL that could run script: ``javascript://...`` is never linked)."""
        target = self.targets.get(name)
        if target is None:
            return None
        if "://" in target:
            return target if safe_url(target) else None
        return posixpath.relpath(target, posixpath.dirname(page_uri) or ".")
