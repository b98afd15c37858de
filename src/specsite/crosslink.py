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
# (0-based line, URL as written, whether it sits in raw HTML) -> the new URL, or None
Relocator = Callable[[int, str, bool], str | None]


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
# three spaces of indent; inside a quote or list item the prefix comes first). '[^1]: ...'
# is a footnote, not a definition.
_DEFINITION = re.compile(
    r"^[ \t]{0,12}(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]{0,4}){0,8}"
    r"\[(?!\^)(?:[^\[\]\\]|\\.)+\]:[ \t]*(?:<([^<>\n]*)>|(\S+))"
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


# What Python-Markdown also reads as a destination: one holding spaces ('(./My Flow.png)'),
# and one whose title or closing ')' is on the next line ('(flow.png "A long' ...).
_SPACED = re.compile(r"\(([^()\s\"'<>][^()\"'<>]*?)[ \t]*\)")
_OPEN_END = re.compile(r"\(([^()\s\"'<>]+)(?:[ \t]+[\"'(][^\"')]*)?[ \t]*$")


def _destination(line: str, start: int) -> tuple[int, int, int] | None:
    """As :func:`_strict_destination`, else as Python-Markdown reads it (see ``_SPACED``)."""
    found = _strict_destination(line, start)
    if found is not None:
        return found
    for pattern in (_SPACED, _OPEN_END):
        match = pattern.match(line, start)
        if match is not None:
            return match.start(1), match.end(1), match.end()
    return None


def _strict_destination(line: str, start: int) -> tuple[int, int, int] | None:
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
_SPECIAL = re.compile(r"[\\`\[\]!<]")  # where a span can start
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
    closed = set(brackets.values())
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
        elif char == "]" and index not in closed and line.startswith("(", index + 1):
            # '](url)' closing a link whose text began on an earlier line
            found = _destination(line, index + 1)
            if found is not None:
                yield _Span("link", index, found[2], (found[0], found[1]))
                index = found[2]
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


# src="..." / href="..." inside a raw HTML tag (quoted either way, or bare)
_HTML_URL = re.compile(
    r"""(?<![\w-])(?:src|href)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""",
    re.IGNORECASE,
)


def _html_urls(tag: str) -> Iterator[tuple[int, int]]:
    """The span of each src/href value in a raw HTML tag."""
    for match in _HTML_URL.finditer(tag):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        yield match.span(group)


def relative_links(
    text: str, skip: set[int], html: frozenset[int] = frozenset()
) -> Iterator[tuple[int, str, bool]]:
    """Each relative URL written in the text outside code: (0-based line, URL as written,
    whether it is in raw HTML). Links, images, reference definitions and src/href
    attributes of raw HTML tags; on ``html`` lines (raw HTML blocks, also in ``skip``)
    only those attributes."""
    for number, line in enumerate(text.split("\n")):
        if number in html:  # a tag may span lines: every src/href of the line
            for start, end in _html_urls(line):
                if _is_relative(line[start:end]):
                    yield number, line[start:end], True
            continue
        if number in skip or not any(c in line for c in "(]<"):
            continue
        for span in _spans(line):
            if span.kind in ("link", "definition"):
                url = line[span.url[0] : span.url[1]]
                if _is_relative(url):
                    yield number, url, False
            elif span.kind == "tag":
                tag = line[span.start : span.end]
                for start, end in _html_urls(tag):
                    if _is_relative(tag[start:end]):
                        yield number, tag[start:end], True


def rewrite(
    text: str,
    skip: set[int],
    resolve: Resolver,
    relocate: Relocator | None = None,
    html: frozenset[int] = frozenset(),
) -> str:
    """Link every resolvable mention; ``resolve(name)`` returns the link target or None.

    ``relocate`` moves relative links to where their targets are published (a spec's
    image, a sibling spec); a link it moves is not looked up by name afterwards.
    """
    lines = text.split("\n")
    if relocate is None:
        for number, line in _prose_lines(text, skip):
            lines[number] = _rewrite_line(line, resolve)
    else:
        for number, line in enumerate(lines):
            if number in html:
                lines[number] = _relocate_tag(line, relocate, number)
            elif number not in skip and (".md" in line or any(c in line for c in "(]<")):
                lines[number] = _rewrite_line(line, resolve, relocate, number)
    return "\n".join(lines)


def _relocate_tag(tag: str, relocate: Relocator, number: int) -> str:
    """A raw HTML tag (or line of a raw HTML block) with its relative src/href values moved
    (quotes kept out of them)."""
    pieces, last = [], 0
    for start, end in _html_urls(tag):
        moved = relocate(number, tag[start:end], True) if _is_relative(tag[start:end]) else None
        if moved is not None:
            pieces += [tag[last:start], moved.replace('"', "%22").replace("'", "%27")]
            last = end
    return "".join(pieces) + tag[last:]


def _rewrite_line(
    line: str, resolve: Resolver, relocate: Relocator | None = None, number: int = 0
) -> str:
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
            moved = relocate(number, url, False) if relocate and _is_relative(url) else None
            target = resolve(path.rsplit("/", 1)[-1]) if _is_relative(path) else None
            if moved is not None:
                whole = line[span.start : start] + moved + line[end : span.end]
            elif target is not None and path.endswith(".md"):
                new_url = target + (f"#{fragment}" if fragment else "")
                whole = line[span.start : start] + new_url + line[end : span.end]
        elif span.kind == "code":
            name = _NAME.fullmatch(span.inner.strip())
            target = resolve(name.group(2)) if name else None
            if target is not None:
                whole = f"[{whole}]({target})"
        elif span.kind == "tag" and relocate is not None:
            whole = _relocate_tag(whole, relocate, number)
        out.append(whole)
        position = span.end
    out.append(prose(line[position:]))
    return "".join(out)
