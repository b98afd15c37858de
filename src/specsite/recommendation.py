"""The Recommendation of a spec in one sentence, for the catalog and ``specs.json``.

The section is the prompt's section named by the ``recommendation`` config key
(``Recommendation`` by default, matched through its aliases like any section); its
first sentence is the recommended approach ('Go with Approach A (MongoDB).'). A
first sentence of a few words ('Single approach.') takes the next one with it.
"""

from __future__ import annotations

import re

from specsite.headings import normalize
from specsite.model import Spec

LIMIT = 300  # characters at most: a catalog line, not the section

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)[^*_]+\1:?\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(\*\*|__|`|~~|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_LEAD = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>)\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`*])")
SHORT = 4  # words: a first sentence shorter than this takes the next one with it


def plain_line(line: str) -> str:
    text = _LEAD.sub("", line)
    text = _LINK.sub(r"\1", text)
    text = _MARKS.sub("", text)
    return " ".join(text.split())


def _first_paragraph(lines: list[str], start: int, level: int) -> str:
    """The text of the first paragraph (or list) below the section heading at ``start``."""
    words: list[str] = []
    fenced = False
    for line in lines[start:]:
        if _FENCE.match(line):
            fenced = not fenced
            if words:
                break
            continue
        if fenced:
            continue
        heading = _ATX.match(line)
        if heading:
            if len(heading.group(1)) <= level or words:
                break
            continue  # a sub-heading ('### Chosen approach') before the text
        if _SETEXT.match(line) and words:
            break
        if not line.strip() or _BOLD_LINE.match(line):
            if words:
                break
            continue
        if line.lstrip().startswith("|"):  # a table is no sentence
            if words:
                break
            continue
        words.append(plain_line(line))
    return " ".join(w for w in words if w)


def first_sentences(text: str) -> str:
    parts = _SENTENCE.split(text)
    result = parts[0] if parts else ""
    for part in parts[1:]:
        if len(result.split()) >= SHORT:
            break
        result = f"{result} {part}"
    if len(result) > LIMIT:
        result = result[: LIMIT - 1].rstrip() + "…"
    return result


def recommendation(spec: Spec, section: str = "Recommendation") -> str:
    """The first sentence of the spec's Recommendation section ('' when it has none)."""
    if not section:
        return ""
    wanted = normalize(section)
    state = next(
        (s for s in spec.sections if normalize(s.title) == wanted and s.state == "present"),
        None,
    )
    if state is None or state.line is None:
        return ""
    lines = spec.body.split("\n")
    index = state.line - 1  # a body line, 1-based
    if not 0 <= index < len(lines):
        return ""
    heading = _ATX.match(lines[index])
    level = len(heading.group(1)) if heading else 2
    start = index + 1
    if start < len(lines) and _SETEXT.match(lines[start]):
        start += 1
        level = 1 if lines[start - 1].strip().startswith("=") else 2
    return first_sentences(_first_paragraph(lines, start, level))
