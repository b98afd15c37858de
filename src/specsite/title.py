"""The title rule, once: front matter ``title``, else the body's first H1, else a header
field ('- Feature Name: nll'), else the file or folder name made readable.

The first H1 (ATX '# Title' or setext 'Title' over '=====') stands for the
document's title when it is the body's first heading and does not name a section
('# Summary' in an RFC). Configured prefixes ('Technical Specification:', 'RFC:')
are stripped from whichever title wins. The catalog, the page, search and
``specs.json`` all read ``Spec.title``; the page shows it as its one H1 in place
of that heading, wherever in the body the heading was.

A name made readable: '-' and '_' become spaces and the first letter is upper
case ('0001-private-fields' -> '0001 Private fields', 'price_alerts' -> 'Price alerts').
"""

from __future__ import annotations

import re
from typing import Any

from specsite.blocks import Block, Heading
from specsite.labels import Labels
from specsite.model import TitleHeading
from specsite.plaintext import inline_text


def title_heading(blocks: list[Block], labels: Labels) -> tuple[str, Heading] | None:
    """The body's first heading when it is an H1 naming the document, not a section."""
    first = next((b for b in blocks if isinstance(b, Heading)), None)
    if first is None or first.level != 1:
        return None
    text = inline_text(first.inline)
    return None if labels.is_section_name(text) else (text, first)


def strip_prefix(title: str, prefixes: tuple[str, ...]) -> str:
    """'Technical Specifications: Watchlist Sync' -> 'Watchlist Sync' (never to nothing)."""
    lowered = title.lower()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if prefix and lowered.startswith(prefix.lower()):
            rest = title[len(prefix) :].strip(" \t-—–:")
            if rest:
                return rest
    return title


def readable_name(name: str) -> str:
    """A file or folder name as a title: separators become spaces, first letter upper case."""
    if not re.fullmatch(r"[\w.-]+", name):
        return name  # not a slug ('what?', '<b>'): kept as written
    text = " ".join(re.sub(r"[-_]+", " ", name).split())
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
    return text or name


def choose_title(
    meta: dict[str, Any],
    heading: tuple[str, Heading] | None,
    name: str,
    header: str | None = None,
    prefixes: tuple[str, ...] = (),
) -> tuple[str, TitleHeading | None]:
    """The spec's title and the body heading the page shows it in place of."""
    given = meta.get("title")
    from_meta = isinstance(given, str) and bool(given.strip())
    if isinstance(given, str) and from_meta:
        title = given.strip()
    elif heading is not None and heading[0]:
        title = heading[0].strip()
    elif header:
        title = header.strip()
    else:
        title = readable_name(name.strip())
    shown = strip_prefix(title, prefixes)
    place = None
    if heading is not None:
        text, block = heading
        as_written = not from_meta and bool(text) and shown == title
        place = TitleHeading(block.line, block.end, as_written=as_written)
    return shown, place
