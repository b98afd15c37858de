"""Plain text of inline Markdown: what an index shows and what the export carries."""

from __future__ import annotations

import re

from markdown_it.token import Token

from specsite.blocks import Inline

_SPACE = re.compile(r"\s+")
TASK_BOX = re.compile(r"^\[([ xX])\]\s+")


def fold(text: str) -> str:
    """Collapse every run of white space to one space and trim."""
    return _SPACE.sub(" ", text).strip()


def tokens_text(children: list[Token]) -> str:
    """Text of inline tokens with emphasis, code ticks, links and raw HTML removed."""
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(tokens_text(list(token.children or [])))
    return fold("".join(parts))


def inline_text(inline: Inline) -> str:
    """Plain text of an inline run, without a leading task-list box."""
    return TASK_BOX.sub("", tokens_text(inline.children))


def task_state(inline: Inline) -> bool | None:
    """True for ``[x]``, False for ``[ ]``, None when the text is not a task."""
    match = TASK_BOX.match(inline.source)
    if match is None:
        return None
    return match.group(1) in "xX"


def leading_strong(inline: Inline) -> tuple[str, str] | None:
    """Split ``**Label:** rest`` into its bold lead and the text after it.

    Returns None when the inline does not open with bold text. A colon just
    after the closing ``**`` is treated as part of the label.
    """
    if not inline.source.lstrip().startswith(("**", "__")):
        return None  # cheap test first: most runs never need their inline tokens
    children = list(inline.children)
    while children and children[0].type == "text" and not children[0].content.strip():
        children.pop(0)
    if not children or children[0].type != "strong_open":
        return None
    depth = 0
    for index, token in enumerate(children):
        if token.type == "strong_open":
            depth += 1
        elif token.type == "strong_close":
            depth -= 1
            if depth == 0:
                lead = tokens_text(children[1:index])
                rest = tokens_text(children[index + 1 :])
                if rest.startswith(":"):
                    lead, rest = lead + ":", rest[1:].strip()
                return lead, rest
    return None
