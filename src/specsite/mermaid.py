"""Mermaid served from the site itself, so diagrams render on a host without internet.

Material draws ``.mermaid`` blocks with a global ``mermaid`` and, when there is
none, loads it from a CDN. specsite gives pages that hold a diagram a local copy
of ``mermaid.min.js`` just before Material's bundle, and never lets the CDN be used
unless the configuration asks for it (``mermaid: cdn``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SITE_PATH = "assets/specsite/mermaid.min.js"
CDN = "cdn"
_DIAGRAM = re.compile(r'<(?:pre|div) class="mermaid"')
_BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[^"]*"')


@dataclass(frozen=True)
class MermaidSource:
    """Where the site's copy of Mermaid comes from: a file, the CDN, or nowhere."""

    path: Path | None  # the local mermaid.min.js to publish
    cdn: bool = False  # the configuration chose Material's CDN

    @property
    def missing(self) -> bool:
        return self.path is None and not self.cdn


def bundled() -> Path | None:
    """The copy that ``scripts/setup`` installs from the npm registry, if present."""
    candidate = resources.files("specsite").joinpath("assets", "vendor", "mermaid.min.js")
    path = Path(str(candidate))
    return path if path.is_file() else None


def resolve(setting: str | None, root: Path) -> MermaidSource:
    """``None``: the bundled copy; ``cdn``: Material's default; else a path from ``root``."""
    if setting == CDN:
        return MermaidSource(None, cdn=True)
    if setting is None:
        return MermaidSource(bundled())
    path = (root / setting).resolve()
    return MermaidSource(path if path.is_file() else None)


def has_diagram(html: str) -> bool:
    return _DIAGRAM.search(html) is not None


def with_local_script(html: str, script_url: str) -> str:
    """Load the local Mermaid before Material's bundle, which then uses it."""
    tag = f'<script src="{script_url}"></script>'
    match = _BUNDLE.search(html)
    if match is None:
        return html.replace("</body>", tag + "</body>", 1)
    return html[: match.start()] + tag + html[match.start() :]


def as_source(html: str) -> str:
    """Without a local Mermaid, show diagrams as their source (Material would use the CDN)."""
    return _DIAGRAM.sub(
        lambda m: m.group(0).replace('"mermaid"', '"specsite-mermaid-source"'), html
    )
