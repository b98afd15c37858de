"""Heading normalization: one rule for matching what authors write to what a template names.

'## 3. Risks & Concerns', '### risks and concerns', '**Risks & Concerns:**' and
'Risks & Concerns (summary)' all normalize to the same words, so the schema
can name a section once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T")

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|part|step)\s+)?(?:\d+(?:\.\d+)*(?:\.[a-z])?[.)]?|[ivx]+[.)]|[a-h][.)])\s+",
    re.IGNORECASE,
)
# Emoji and other symbols authors put before a heading's number ('## 📝 1. Summary').
_LEADING_SYMBOLS = re.compile(r"^[^\w(\[]+")
_TRAILING_PAREN = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_NON_WORD = re.compile(r"[^\w/]+")


def normalize(title: str) -> str:
    """Lower-case words of a heading, without numbering, trailing parenthetical or punctuation."""
    text = unicodedata.normalize("NFKC", title).strip()
    text = _NUMBERING.sub("", _LEADING_SYMBOLS.sub("", text))
    previous = None
    while previous != text:
        previous = text
        text = _TRAILING_PAREN.sub("", text)
    text = text.replace("&", " and ").replace("+", " and ")
    text = _NON_WORD.sub(" ", text.lower()).replace("_", " ")
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def alternatives(title: str) -> tuple[str, ...]:
    """The normalized names a title stands for: 'A / B' stands for A and for B."""
    whole = normalize(title)
    parts = [" ".join(part.split()) for part in whole.split("/")]
    names = [p for p in parts if p]
    joined = " ".join(whole.replace("/", " ").split())
    if joined and joined not in names:
        names.insert(0, joined)
    return tuple(names)


def _starts_with_words(text: str, prefix: str) -> bool:
    return text == prefix or text.startswith(prefix + " ")


def _score(heading_parts: tuple[str, ...], wanted: Iterable[str]) -> int:
    best = 0
    for name in wanted:
        for part in heading_parts:
            if part == name:
                best = max(best, 2000 + len(name))
            elif _starts_with_words(part, name):
                best = max(best, 1000 + len(name))
    return best


def match_score(heading: str, names: Iterable[str]) -> int:
    """How well a heading matches any of ``names``: 0 none, higher is better.

    An exact match beats a heading that merely starts with a name ('Risks and
    Mitigations' starts with 'Risks'); a longer matching name beats a shorter one.
    """
    return _score(alternatives(heading), [alt for name in names for alt in alternatives(name)])


class Vocabulary(Generic[T]):
    """Entries known by several names (sections, kinds); finds the one a heading names."""

    def __init__(self, entries: Iterable[tuple[T, Iterable[str]]]) -> None:
        self._entries = [
            (entry, tuple(alt for name in names for alt in alternatives(name)))
            for entry, names in entries
        ]
        self._cache: dict[str, T | None] = {}

    def best(self, heading: str) -> T | None:
        """The entry with the best match (the first on ties), or None."""
        if heading not in self._cache:
            parts = alternatives(heading)
            found, found_score = None, 0
            for entry, names in self._entries:
                score = _score(parts, names)
                if score > found_score:
                    found, found_score = entry, score
            self._cache[heading] = found
        return self._cache[heading]
