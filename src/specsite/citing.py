"""Where a spec cites a reference document: the sentence that names it.

A reference page ends with the specs that cite it, each with the sentence that
does, so a reader sees *why* a spec points there. The sentence comes from the
spec's own text around the citation's line (its paragraph or list item), plain,
at most ``LIMIT`` characters. The list is capped at ``CITED_LIMIT`` specs; the rest
are one link away, in the catalog view filtered by the reference (``?ref=``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from specsite.model import Citation, Spec
from specsite.recommendation import plain_line

LIMIT = 300
CITED_LIMIT = 50  # specs listed on a reference page; the rest through the catalog view

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`*\[])")
_BREAK = re.compile(r"^\s*(?:$|#|[-*+]\s|\d+[.)]\s|>|\||```|~~~)")


@dataclass(frozen=True)
class Citing:
    spec: Spec
    sentence: str
    line: int


def _clip(text: str) -> str:
    return text if len(text) <= LIMIT else text[: LIMIT - 1].rstrip() + "…"


def citing_sentence(spec: Spec, citation: Citation) -> str:
    """The sentence of ``spec`` that cites ``citation.name`` ('' when it cannot be found)."""
    lines = spec.body.split("\n")
    index = citation.line - 1 - spec.body_line
    if not 0 <= index < len(lines):
        return ""
    start = index
    while start > 0 and not _BREAK.match(lines[start]) and lines[start - 1].strip():
        start -= 1
    end = index + 1
    while end < len(lines) and lines[end].strip() and not _BREAK.match(lines[end]):
        end += 1
    text = " ".join(plain_line(line) for line in lines[start:end])
    stem = citation.name.rsplit(".", 1)[0]
    sentences = _SENTENCE.split(text)
    for sentence in sentences:
        if citation.name in sentence:
            return _clip(sentence)
    for sentence in sentences:
        if stem in sentence:
            return _clip(sentence)
    return _clip(text)


def citing(specs: list[Spec], name: str, limit: int | None = None) -> tuple[list[Citing], int]:
    """Each spec citing ``name`` once (its first citation), in collection order, with its
    sentence: the first ``limit`` of them (a reference page shows no more), and how many
    there are in all. Finding a sentence reads the spec's text, so only shown ones are."""
    found: list[Citing] = []
    total = 0
    for spec in specs:
        first = next((c for c in spec.citations if c.name == name), None)
        if first is None:
            continue
        total += 1
        if limit is None or len(found) < limit:
            found.append(Citing(spec, citing_sentence(spec, first), first.line))
    return found, total
