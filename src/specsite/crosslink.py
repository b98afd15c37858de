"""Cross-links from specs to reference documents.

A mention of a known reference name ('ARCHITECTURE.md', '`docs/ARCHITECTURE.md`')
becomes a relative ``.md`` link, which MkDocs then validates and converts like any
hand-written link. Code blocks are never touched, existing links keep their text,
and rewriting twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

# A file name that ends in .md, with an optional relative folder prefix. The
# look-behind keeps 'WEBSOCKET-ARCHITECTURE.md' from matching as 'ARCHITECTURE.md'.
_NAME = re.compile(r"(?<![\w./\\-])((?:[\w.-]+/)*)([A-Za-z0-9][\w.-]*?\.md)(?![\w-])(?!\.\w)")

Resolver = Callable[[str], str | None]


@dataclass(frozen=True)
class Mention:
    name: str  # file name without folders
    line: int  # 0-based line in the text


def _is_relative(url: str) -> bool:
    return bool(url) and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE)


def _prose_lines(text: str, skip: set[int]) -> Iterator[tuple[int, str]]:
    """Lines outside code that could mention a file (the cheap test keeps big specs fast)."""
    for number, line in enumerate(text.split("\n")):
        if ".md" in line and number not in skip:
            yield number, line


@dataclass(frozen=True)
class _Span:
    """A stretch of a line whose inside is not prose: a link, code span, or raw HTML tag."""

    kind: Literal["link", "code", "tag", "definition"]
    start: int
    end: int
    url: tuple[int, int] = (0, 0)  # link or definition destination (without <>)
    inner: str = ""  # code span content


# A link reference definition: '[label]: destination "title"' (CommonMark allows up to
# three spaces of indent; inside a quote or list item the prefix comes first).
_DEFINITION = re.compile(
    r"^[ \t]{0,12}(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]{0,4}){0,8}"
    r"\[(?:[^\[\]\\]|\\.)+\]:[ \t]*(?:<([^<>\n]*)>|(\S+))"
)


def _closing_brackets(line: str) -> dict[int, int]:
    """Position of the ']' that closes each '[' (one linear pass, escapes skipped)."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET.finditer(line):
        char = match.group(0)
        if char == "[":
            opened.append(match.start())
        elif char == "]" and opened:
            pairs[opened.pop()] = match.start()
    return pairs


def _destination(line: str, start: int) -> tuple[int, int, int] | None:
    """Parse '(url "title")' at ``start`` (the '('): url span and the end of the link.

    Balanced parentheses are allowed in the url, as CommonMark does; the scan stops
    at the first whitespace, bracket or unbalanced ')', so it is linear.
    """
    index = start + 1
    if index < len(line) and line[index] == "<":
        bracket = _ANGLE.search(line, index + 1)  # stops at the next '<': linear
        if bracket is None or bracket.group(0) != ">":
            return None
        close = bracket.start()
        url = (index + 1, close)
        index = close + 1
    else:
        depth = 0
        begin = index
        while index < len(line):
            char = line[index]
            if char == "\\" and index + 1 < len(line):
                index += 2
                continue
            if char in " \t[]":
                break
            if char == "(":
                depth += 1
                if depth > 32:
                    return None
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        if depth:
            return None
        url = (begin, index)
    title = _TITLE.match(line, index)
    if title:
        index = title.end()
    if index < len(line) and line[index] == ")":
        return url[0], url[1], index + 1
    return None


_TITLE = re.compile(r"[ \t]+(?:\"[^\"]*\"|'[^']*')[ \t]*|[ \t]+")
_TAG = re.compile(r"</?[A-Za-z]")
_BRACKET = re.compile(r"\\.|[\[\]]")  # an escape (skipped whole) or a bracket
_SPECIAL = re.compile(r"[\\`\[!<]")  # where a span can start
_ANGLE = re.compile(r"[<>]")


def _spans(line: str) -> Iterator[_Span]:
    """The non-prose spans of one line, left to right, in linear time.

    Code spans follow CommonMark: a run of n backticks closes at the next run of
    exactly n backticks, else it is literal text.
    """
    definition = _DEFINITION.match(line)
    if definition:
        group = 1 if definition.group(1) is not None else 2
        yield _Span("definition", 0, len(line), definition.span(group))
        return
    brackets = _closing_brackets(line)
    runs: dict[int, list[int]] = {}  # backtick run length -> start positions, in order
    for run in re.finditer(r"`+", line):
        runs.setdefault(len(run.group(0)), []).append(run.start())
    next_run = dict.fromkeys(runs, 0)  # per length: index of the first run not yet passed
    index = 0
    length = len(line)
    last_angle = line.rfind(">")
    while index < length:
        special = _SPECIAL.search(line, index)  # skip plain prose in one C-level step
        if special is None:
            break
        index = special.start()
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            size = 1
            while index + size < length and line[index + size] == "`":
                size += 1
            starts = runs.get(size, [])
            position = next_run.get(size, 0)
            while position < len(starts) and starts[position] <= index:
                position += 1
            next_run[size] = position
            if position < len(starts):
                close = starts[position]
                next_run[size] = position + 1
                yield _Span("code", index, close + size, inner=line[index + size : close])
                index = close + size
            else:
                index += size
            continue
        if char == "[" or (char == "!" and line.startswith("[", index + 1)):
            opening = index + (char == "!")
            close = brackets.get(opening, -1)
            if close >= 0:
                follow = line[close + 1 : close + 2]
                if follow == "(":
                    found = _destination(line, close + 1)
                    if found is not None:
                        yield _Span("link", index, found[2], (found[0], found[1]))
                        index = found[2]
                        continue
                elif follow == "[" and close + 1 in brackets:  # [text][label]
                    label_end = brackets[close + 1]
                    # ...unless '[label](url)' is an inline link: then '[text]' is text
                    inline = line.startswith("(", label_end + 1) and (
                        _destination(line, label_end + 1) is not None
                    )
                    if not inline:
                        end = label_end + 1
                        yield _Span("link", index, end, (end, end))
                        index = end
                        continue
        elif char == "<" and index < last_angle and _TAG.match(line, index):
            end = line.index(">", index) + 1  # consumed, so the scans never overlap
            yield _Span("tag", index, end)
            index = end
            continue
        index += 1


def mentions(text: str, skip: set[int]) -> list[Mention]:
    """Every .md file name mentioned outside code blocks (in prose, code spans and links)."""
    found: list[Mention] = []
    for number, line in _prose_lines(text, skip):
        position = 0
        for span in _spans(line):
            found += [
                Mention(m.group(2), number) for m in _NAME.finditer(line, position, span.start)
            ]
            if span.kind in ("link", "definition"):
                url = line[span.url[0] : span.url[1]].split("#", 1)[0]
                if _is_relative(url) and url.endswith(".md"):
                    found.append(Mention(url.rsplit("/", 1)[-1], number))
            elif span.kind == "code":
                whole = _NAME.fullmatch(span.inner.strip())
                if whole:
                    found.append(Mention(whole.group(2), number))
            position = span.end
        found += [Mention(m.group(2), number) for m in _NAME.finditer(line, position)]
    return found


def rewrite(text: str, skip: set[int], resolve: Resolver) -> str:
    """Link every resolvable mention; ``resolve(name)`` returns the link target or None."""
    lines = text.split("\n")
    for number, line in _prose_lines(text, skip):
        lines[number] = _rewrite_line(line, resolve)
    return "\n".join(lines)


def _rewrite_line(line: str, resolve: Resolver) -> str:
    out: list[str] = []
    position = 0

    def prose(chunk: str) -> str:
        def link(match: re.Match[str]) -> str:
            target = resolve(match.group(2))
            return match.group(0) if target is None else f"[{match.group(0)}]({target})"

        return _NAME.sub(link, chunk)

    for span in _spans(line):
        out.append(prose(line[position : span.start]))
        whole = line[span.start : span.end]
        if span.kind in ("link", "definition"):
            start, end = span.url
            url = line[start:end]
            path, _, fragment = url.partition("#")
            target = resolve(path.rsplit("/", 1)[-1]) if _is_relative(path) else None
            if target is not None and path.endswith(".md"):
                new_url = target + (f"#{fragment}" if fragment else "")
                whole = line[span.start : start] + new_url + line[end : span.end]
        elif span.kind == "code":
            name = _NAME.fullmatch(span.inner.strip())
            target = resolve(name.group(2)) if name else None
            if target is not None:
                whole = f"[{whole}]({target})"
        out.append(whole)
        position = span.end
    out.append(prose(line[position:]))
    return "".join(out)
