"""Ids on a spec page: item anchors and heading ids never collide.

Items are anchored by ``<a id="risk-1">``. MkDocs' table of contents gives every
heading an id made from its text and cannot see that raw HTML, so a heading
'### Risk 1' would get ``risk-1`` too, and every index link to the item would land
on the heading. A heading whose id could equal an item's gets an explicit, distinct
id instead (``{#risk-1_1}``, attr_list), the suffix toc itself uses for a repeated id.
Item ids stay as they are: they are part of ``specs.json``'s contract.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from specsite.blocks import Block, Heading, Inline, walk
from specsite.model import HeadingLine
from specsite.plaintext import inline_text

_NOT_SLUG = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s]+")
_SPACE = re.compile(r"\s")
# '###Risk 1': a heading for Python-Markdown (which renders the page), not for CommonMark
_LOOSE_ATX = re.compile(r"^#{1,6}(?=[^#\s])(.*)$")
# '### Title {.class}' or '{: #own-id }': attributes for attr_list, not part of the id
_ATTRIBUTES = re.compile(r"\s*\{:?([^{}\n]*)\}(?:\s+#+)?\s*$")
_CLOSING_HASHES = re.compile(r"(?:\s+#+)?\s*$")


def toc_ids(text: str) -> set[str]:
    """The ids a table-of-contents slugify may make of ``text``: Python-Markdown's default
    (ASCII or unicode) and pymdown-extensions' lower-case one."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    found = set()
    for value in (ascii_text, text, unicodedata.normalize("NFC", text)):
        words = _NOT_SLUG.sub("", value).strip().lower()
        found.add(_SEPARATORS.sub("-", words))
        found.add(_SPACE.sub("-", words))
    return found


def body_headings(blocks: list[Block], lines: list[str], code: set[int]) -> tuple[HeadingLine, ...]:
    """Every heading of a body as the page's renderer will see it, in line order."""
    found: dict[int, HeadingLine] = {}
    for block in walk(blocks):
        if isinstance(block, Heading):
            atx = block.end - block.line == 1
            at = block.line if atx else block.end - 2  # setext: the line above the underline
            found[at] = HeadingLine(at, inline_text(block.inline), atx)
    for number, text in enumerate(lines):
        loose = _LOOSE_ATX.match(text)
        if loose is not None and number not in code and number not in found:
            plain = inline_text(Inline(_CLOSING_HASHES.sub("", loose.group(1))))
            found[number] = HeadingLine(number, plain, True)
    return tuple(found[n] for n in sorted(found))


class PageIds:
    """The ids already taken on one spec page, and fresh ones for clashing headings."""

    def __init__(self, item_ids: Iterable[str], heading_texts: Iterable[str]) -> None:
        self.items = set(item_ids)
        self.taken = set(self.items)
        for text in heading_texts:
            self.taken |= toc_ids(_ATTRIBUTES.sub("", text))

    def heading_id(self, text: str) -> str | None:
        """An explicit id for a heading whose toc id could equal an item's, else None."""
        own = _ATTRIBUTES.search(text)
        if own is not None:
            if "#" in own.group(1):
                return None  # the author chose the heading's id
            text = text[: own.start()]
        clash = sorted(toc_ids(text) & self.items)
        if not clash:
            return None
        number = 1
        while f"{clash[0]}_{number}" in self.taken:
            number += 1
        chosen = f"{clash[0]}_{number}"
        self.taken.add(chosen)
        return chosen


def with_heading_id(line: str, atx: bool, heading_id: str) -> str:
    """The heading line with an explicit id (an ATX heading's closing hashes dropped)."""
    own = _ATTRIBUTES.search(line)
    if own is not None:  # one attribute list: the id joins the author's classes
        return f"{line[: own.start()]} {{: #{heading_id} {own.group(1).strip()}}}"
    if atx:
        line = _CLOSING_HASHES.sub("", line)
    return f"{line.rstrip()} {{#{heading_id}}}"
