"""Large generated HTML kept out of Python-Markdown's way.

The catalog and index pages carry their static fallback tables (``<noscript
class="specsite-static">``) as raw HTML: thousands of rows that Python-Markdown would
only scan and pass through, at about half the cost of a rebuild. The adapter lifts
them out of the page's Markdown before rendering and puts them back after. Each
placeholder names a hash of its block, so the Markdown changes whenever the tables
do (``serve --dirty`` then re-renders the page).
"""

from __future__ import annotations

import hashlib
import re

_STATIC = re.compile(
    r'<noscript class="specsite-static">.*?</noscript>'
    r'|<div class="specsite-raw[ "].*?</div><!-- /specsite-raw -->',  # dashboard, charts
    re.DOTALL,
)


def lift(markdown: str) -> tuple[str, dict[str, str]]:
    """The Markdown with each static block replaced by a placeholder, and the blocks."""
    blocks: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        block = match.group(0)
        digest = hashlib.sha256(block.encode("utf-8")).hexdigest()[:20]
        placeholder = f"<!-- specsite:static {digest} -->"
        blocks[placeholder] = block
        return f"\n\n{placeholder}\n\n"

    return _STATIC.sub(keep, markdown), blocks


def restore(html: str, blocks: dict[str, str]) -> str:
    """Put the blocks back into the rendered page."""
    for placeholder, block in blocks.items():
        html = html.replace(placeholder, block, 1)
    return html
