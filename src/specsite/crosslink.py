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

# A file name that ends in .md, with an optional relative folder prefix. The
# look-behind keeps 'WEBSOCKET-ARCHITECTURE.md' from matching as 'ARCHITECTURE.md'.
_NAME = re.compile(r"(?<![\w./\\-])((?:[\w.-]+/)*)([A-Za-z0-9][\w.-]*?\.md)(?![\w-])(?!\.\w)")
# Spans whose inside is not prose: links (whose text may hold code), code spans,
# autolinks and raw HTML tags.
_SPAN = re.compile(
    r"(?P<link>!?\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<url>[^()\[\]\s]*)(?P<title>\s+\"[^\"]*\")?\))"
    r"|(?P<code>(?P<ticks>`+)(?P<inner>.+?)(?P=ticks))"
    r"|(?P<tag></?[A-Za-z][^>\n]*>)"
)

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


def mentions(text: str, skip: set[int]) -> list[Mention]:
    """Every .md file name mentioned outside code blocks (in prose, code spans and links)."""
    found: list[Mention] = []
    for number, line in _prose_lines(text, skip):
        position = 0
        for span in _SPAN.finditer(line):
            found += [
                Mention(m.group(2), number) for m in _NAME.finditer(line, position, span.start())
            ]
            if span.group("link"):
                url = span.group("url").split("#", 1)[0]
                if _is_relative(url) and url.endswith(".md"):
                    found.append(Mention(url.rsplit("/", 1)[-1], number))
            elif span.group("code"):
                whole = _NAME.fullmatch(span.group("inner").strip())
                if whole:
                    found.append(Mention(whole.group(2), number))
            position = span.end()
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

    for span in _SPAN.finditer(line):
        out.append(prose(line[position : span.start()]))
        whole = span.group(0)
        if span.group("link"):
            url = span.group("url")
            path, _, fragment = url.partition("#")
            target = resolve(path.rsplit("/", 1)[-1]) if _is_relative(path) else None
            if target is not None and path.endswith(".md"):
                new_url = target + (f"#{fragment}" if fragment else "")
                start, end = span.span("url")
                whole = line[span.start() : start] + new_url + line[end : span.end()]
        elif span.group("code"):
            name = _NAME.fullmatch(span.group("inner").strip())
            target = resolve(name.group(2)) if name else None
            if target is not None:
                whole = f"[{whole}]({target})"
        out.append(whole)
        position = span.end()
    out.append(prose(line[position:]))
    return "".join(out)
