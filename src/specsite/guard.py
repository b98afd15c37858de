"""A cheap look at a spec's Markdown before MkDocs converts it: refuse what would exhaust it.

Python-Markdown recurses on nesting (emphasis, ``<div markdown>``, lists, quotes)
and is quadratic on some runs (thousands of ``[`` in one paragraph): one hostile
spec could crash the build with a RecursionError or take minutes. Such a spec is
published as escaped text instead, with a problem naming the first line at fault.
The check is one linear pass over the lines, well below what any real spec needs.
"""

from __future__ import annotations

import html
import re

from specsite.problems import Problem

MAX_INDENT = 400  # columns of leading white space (100 levels of 4-space nesting)
MAX_QUOTE_DEPTH = 32  # '>' markers opening one line
MAX_HTML_DEPTH = 64  # open HTML elements at once (md_in_html recurses on each)
MAX_BRACKETS = 2000  # '[' in one paragraph, list item or table row
MAX_OPEN = 32  # '[' or '(' left open at once in one paragraph (parsers rescan after each)
MAX_EMPHASIS = 1000  # '*' and '_' in one paragraph, list item or table cell
MAX_ANGLES = 1000  # '<' in one paragraph (the HTML scanner rescans after each)
MAX_SPLITS = 300  # headings, rules, fences, admonitions with no blank line between them

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_UNIT_START = re.compile(r"^[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||#{1,6}[ \t]|>)")
# Lines that make Python-Markdown split a block and copy the rest of it: without blank
# lines between them, thousands of these are quadratic.
_SPLIT = re.compile(
    r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|[-*_=](?:[ \t]*[-*_=]){2,}[ \t]*$|=+[ \t]*$|!!!|\?\?\?)"
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
ESCAPED_CLASS = "specsite-escaped"


def _refusal(reason: str, line: int) -> Problem:
    return Problem(
        "warning",
        "markdown-too-complex",
        f"{reason}; the spec is published as plain text so the site still builds",
        line + 1,
    )


def check_markdown(body: str) -> Problem | None:
    """The first construct in ``body`` that would exhaust the Markdown converter, if any.

    Lines are 0-based body lines; the problem's line is 1-based in the body
    (shift it by the front matter for the file line).
    """
    fence: str | None = None
    html_depth = 0
    brackets = emphasis = 0
    open_square = open_round = angles = 0
    splits = 0
    for number, line in enumerate(body.split("\n")):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        stripped = line.lstrip(" \t")
        if not stripped:
            splits = 0
        elif opening or _SPLIT.match(line):
            splits += 1
            if splits > MAX_SPLITS:
                return _refusal(
                    f"it has more than {MAX_SPLITS} headings, rules or fences with no blank "
                    "line between them",
                    number,
                )
        if opening:
            fence = opening.group(1)
            continue
        if stripped:
            indent = len(line[: len(line) - len(stripped)].expandtabs(4))
            if indent > MAX_INDENT:
                return _refusal(f"it is indented {indent} columns deep", number)
        quotes = _QUOTES.match(line)
        if quotes and quotes.group(0).count(">") > MAX_QUOTE_DEPTH:
            return _refusal(f"it nests block quotes more than {MAX_QUOTE_DEPTH} deep", number)
        if "<" in line:
            for tag in _TAG.finditer(line):
                name = tag.group(2).lower()
                if tag.group(3) or name in _VOID:
                    continue
                html_depth += -1 if tag.group(1) else 1
                html_depth = max(html_depth, 0)
                if html_depth > MAX_HTML_DEPTH:
                    return _refusal(
                        f"it nests HTML elements more than {MAX_HTML_DEPTH} deep", number
                    )
        if not stripped or _UNIT_START.match(line):
            brackets = emphasis = angles = 0  # a new paragraph, list item, row or heading
            open_square = open_round = 0
        if "[" in line or "(" in line:
            open_square, open_round = _still_open(line, open_square, open_round)
            if max(open_square, open_round) > MAX_OPEN:
                return _refusal(
                    f"it leaves more than {MAX_OPEN} '[' or '(' open in one paragraph", number
                )
        angles += line.count("<")
        if angles > MAX_ANGLES:
            return _refusal(f"it has more than {MAX_ANGLES} '<' in one paragraph", number)
        brackets += line.count("[")
        emphasis += line.count("*") + line.count("_")
        if brackets > MAX_BRACKETS:
            return _refusal(f"it has more than {MAX_BRACKETS} '[' in one paragraph", number)
        if emphasis > MAX_EMPHASIS:
            return _refusal(f"it has more than {MAX_EMPHASIS} '*' and '_' in one paragraph", number)
    return None


def _still_open(line: str, square: int, round_: int) -> tuple[int, int]:
    """Brackets and parentheses still open after ``line`` (escapes skipped; linear)."""
    peak_square, peak_round = square, round_
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            square += 1
            peak_square = max(peak_square, square)
        elif char == "]":
            square = max(square - 1, 0)
        elif char == "(":
            round_ += 1
            peak_round = max(peak_round, round_)
        elif char == ")":
            round_ = max(round_ - 1, 0)
    if peak_square > MAX_OPEN or peak_round > MAX_OPEN:
        return peak_square, peak_round
    return square, round_


def escaped_body(body: str) -> str:
    """The body as one preformatted block of escaped text, line for line.

    Each source line stays on its own line, so item anchors still land on their
    lines; nothing inside is Markdown or HTML any more.
    """
    lines = [html.escape(line, quote=False) for line in body.split("\n")]
    lines[0] = f'<pre class="{ESCAPED_CLASS}">' + lines[0]
    lines[-1] = lines[-1] + "</pre>"
    return "\n".join(lines)
