"""The title rule, once: front matter ``title``, else the body's first H1, else the file name.

The first H1 (ATX '# Title' or setext 'Title' over '=====') stands for the
document's title unless it names a section ('# Summary' in an RFC). The catalog,
the page, search and ``specs.json`` all read ``Spec.title``; the page shows it as
its one H1 in place of that heading, wherever in the body the heading was.
"""

from __future__ import annotations

from typing import Any

from specsite.blocks import Block, Heading
from specsite.labels import Labels
from specsite.model import TitleHeading
from specsite.plaintext import inline_text


def title_heading(blocks: list[Block], labels: Labels) -> tuple[str, Heading] | None:
    """The body's first top-level H1 and its text, when it names the document, not a section."""
    first = next((b for b in blocks if isinstance(b, Heading) and b.level == 1), None)
    if first is None:
        return None
    text = inline_text(first.inline)
    return None if labels.is_section_name(text) else (text, first)


def choose_title(
    meta: dict[str, Any], heading: tuple[str, Heading] | None, name: str
) -> tuple[str, TitleHeading | None]:
    """The spec's title and the body heading the page shows it in place of."""
    given = meta.get("title")
    from_meta = isinstance(given, str) and bool(given.strip())
    place = None
    if heading is not None:
        text, block = heading
        place = TitleHeading(block.line, block.end, as_written=not from_meta and bool(text))
    if isinstance(given, str) and from_meta:
        return given.strip(), place
    if heading is not None and heading[0]:
        return heading[0].strip(), place
    return name.strip(), place
