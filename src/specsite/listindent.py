"""Re-indent list items for Python-Markdown, which nests content only at 4 spaces.

Specs follow CommonMark (content 2 columns after '- ', 3 after '1. '); MkDocs
renders them with Python-Markdown, which would push such nested bullets, code
and continuation paragraphs out of their item, so the page would disagree with
the indexes. One pass over the block tree, outer items first, moves each item's
content so that its shallowest line sits at the marker's indent + 4. No line is
added or removed, so every line number (items, anchors, problems) stays valid.
"""

from __future__ import annotations

import re

from specsite.blocks import Block, ListBlock, ListItem, Quote

_MARKER = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( {1,4}(?=\S)|$)")


def _items(blocks: list[Block]) -> list[ListItem]:
    """List items in pre-order (a parent before its children); block quotes are left alone."""
    found: list[ListItem] = []
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                found.append(item)
                found += _items(item.children)
        elif isinstance(block, Quote):
            continue
    return found


def reindent_lists(lines: list[str], blocks: list[Block]) -> list[str]:
    out = list(lines)
    for item in _items(blocks):
        if item.line >= len(out):
            continue
        match = _MARKER.match(out[item.line])
        if match is None:
            continue
        indent = len(match.group(1))
        column = match.end() if match.group(3) else match.end(2) + 1
        inside = [
            number
            for number in range(item.line + 1, min(item.end, len(out)))
            if out[number].strip() and _spaces(out[number]) >= column
        ]
        if not inside:
            continue
        # keep the author's relative structure; move the shallowest content to indent + 4
        delta = indent + 4 - min(_spaces(out[number]) for number in inside)
        for number in inside:
            line = out[number]
            out[number] = " " * (_spaces(line) + delta) + line.lstrip(" ")
    return out


def _spaces(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
