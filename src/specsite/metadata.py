"""Metadata where authors write it: front matter, the sidecar file, the lines under the title.

Each displayed field (title, status, owner, date, updated, modules, tags) has a
list of names it may be written under (the ``metadata:`` config key): ``authors``
in a ``kep.yaml``, ``**Owner:** infra team`` under the title, ``- Start Date: ...``
in an RFC header list, a two-column table before the first section. The first
place that gives a field wins (front matter, then sidecar, then body). Values are
normalised (a readable owner list, an ISO date, a lower-case status word); one
bad value costs only that value and a problem naming the key and line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from specsite.blocks import Block, Heading, Inline, ListBlock, Paragraph, Quote, Table
from specsite.plaintext import fold, inline_text
from specsite.problems import Problem

# Used when the configuration gives no status aliases (compared in lower case).
DEFAULT_STATUS_ALIASES = {
    "in review": "review",
    "ready for review": "review",
    "accepted": "approved",
    "under review": "review",
    "in progress": "draft",
    "wip": "draft",
    "done": "implemented",
    "obsolete": "superseded",
    "withdrawn": "rejected",
    "declined": "rejected",
}

# Status words kept when a status line says more ('Superseded by X', 'Draft v2').
KNOWN_STATUSES = frozenset(
    {
        "draft",
        "review",
        "approved",
        "accepted",
        "implemented",
        "superseded",
        "rejected",
        "deprecated",
        "withdrawn",
        "provisional",
        "implementable",
        "deferred",
        "proposed",
        "active",
        "final",
        "obsolete",
        "declined",
        "done",
        "replaced",
        "postponed",
    }
)

# 'Status: Draft', '**Owner:** infra', '__Date__: 2024-01-02': a short key, a colon, a value
_PAIR = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?P<key>[A-Za-z][\w ()/.'-]{0,40}?)\s*"
    r"(?:(?:\*\*|__)\s*:|:\s*(?:\*\*|__)|:)\s*(?P<value>.*)$"
)
_SEPARATORS = re.compile(r"\s*(?:&nbsp;|&#160;|\u00a0|\s·\s|\s\|\s|\s•\s)+\s*")
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WORDY = re.compile(
    r"^(?:(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})|([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))$"
)
_LIST_SPLIT = re.compile(r"\s*[,;]\s*")  # not 'and' / '&': 'Risk & Compliance' is one team
_EMPTY = {"", "tbd", "tbc", "todo", "n/a", "na", "none", "-", "—", "?", "unknown"}


def key_name(name: str) -> str:
    """'Start Date', 'start-date', 'start_date' and 'START DATE' are one name."""
    return " ".join(re.sub(r"[\s_-]+", " ", name.strip().lower()).split())


@dataclass(frozen=True)
class FieldNames:
    """The names each displayed field may be written under (key names, see ``key_name``)."""

    names: dict[str, tuple[str, ...]]
    status_aliases: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_ALIASES))

    def field_of(self, name: str) -> str | None:
        wanted = key_name(name)
        for field_name, names in self.names.items():
            if wanted in (key_name(n) for n in names):
                return field_name
        return None


@dataclass(frozen=True)
class Written:
    """One value as written: its key, the value, and where (for messages)."""

    key: str
    value: Any
    where: str  # 'front matter', 'kep.yaml line 4', 'line 3'
    line: int | None  # 1-based file line of the spec, when the value is in the spec file
    raw: str | None = None  # a body line's value as written (its links kept)


@dataclass
class Metadata:
    """The normalised fields, the keys they were read from, and what could not be used."""

    values: dict[str, Any]
    used_keys: set[str]
    header_title: str | None
    problems: list[Problem]
    lines: dict[str, int | None] = field(default_factory=dict)  # field -> file line


def header_pairs(blocks: list[Block], lines: list[str], body_line: int) -> list[Written]:
    """Key/value pairs written before the first section heading (after an H1 title).

    Bold labels separated by '&nbsp;', '·' or '|', 'Status: Draft' lines, a list
    of 'Key: value' items, a two-column table, each maybe inside a block quote.
    """
    found: list[Written] = []
    seen_title = False
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1 and not seen_title and not found:
                seen_title = True
                continue
            break
        found += _pairs_of(block, lines, body_line)
    return found


def _pairs_of(block: Block, lines: list[str], body_line: int) -> list[Written]:
    found: list[Written] = []
    if isinstance(block, Quote):
        for child in block.children:
            found += _pairs_of(child, lines, body_line)
    elif isinstance(block, Paragraph):
        for offset, text in enumerate(lines[block.line : block.end]):
            text = re.sub(r"^\s*>\s?", "", text)
            found += _line_pairs(text, body_line + block.line + offset + 1)
    elif isinstance(block, ListBlock):
        for item in block.items:
            text = lines[item.line] if item.line < len(lines) else ""
            found += _line_pairs(re.sub(r"^\s*>\s?", "", text), body_line + item.line + 1, True)
    elif isinstance(block, Table) and len(block.rows) == 1 and len(block.header) > 2:
        # '| Status | Owner | Created |' over one row of values
        line = body_line + block.rows[0].line + 1
        for key_cell, value_cell in zip(block.header, block.rows[0].cells, strict=False):
            key, value = inline_text(key_cell).rstrip(":"), inline_text(value_cell)
            if key and len(key) <= 40:
                found.append(Written(key, value, f"line {line}", line))
    elif isinstance(block, Table):
        rows = [block.header, *(row.cells for row in block.rows)]
        for index, cells in enumerate(rows):
            if len(cells) == 2:
                key, value = inline_text(cells[0]).rstrip(":"), inline_text(cells[1])
                line = body_line + (block.line if index == 0 else block.rows[index - 1].line) + 1
                if key and len(key) <= 40:
                    found.append(Written(key, value, f"line {line}", line))
    return found


def _line_pairs(text: str, line: int, whole: bool = False) -> list[Written]:
    parts = [text] if whole else _SEPARATORS.split(text.strip())
    found = []
    for part in parts:
        match = _PAIR.match(part)
        if match is None:
            continue
        value = inline_text(Inline(match.group("value").strip())) or fold(match.group("value"))
        raw = match.group("value").strip()
        found.append(Written(match.group("key").strip(), value, f"line {line}", line, raw))
    return found


def yaml_line(text: str, key: str) -> int | None:
    """The 1-based line of a top-level ``key:`` in YAML text (for messages)."""
    pattern = re.compile(rf"^['\"]?{re.escape(key)}['\"]?\s*:", re.MULTILINE)
    match = pattern.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def resolve(sources: list[list[Written]], names: FieldNames) -> Metadata:
    """The displayed fields from ``sources`` in priority order (front matter first)."""
    values: dict[str, Any] = {}
    used: set[str] = set()
    problems: list[Problem] = []
    lines: dict[str, int | None] = {}
    derived: tuple[str, int | None] | None = None
    header_title = None
    for source in sources:
        for written in source:
            name = names.field_of(written.key)
            if name is None or name in values:
                continue
            if name == "title":
                text = fold(str(written.value or "")).strip("`")
                usable = text.lower().strip(" .()") not in _EMPTY | {"not applicable"}
                if written.where.startswith("line") and usable:
                    header_title = header_title or text
                continue  # the title rule (title.py) reads front matter itself
            given = written.value
            if name in ("supersedes", "superseded_by") and written.raw is not None:
                given = written.raw  # '[the old one](legacy.md)': the link finds the spec
            value, error = normalise(name, given, names)
            if error is not None:
                problems.append(
                    Problem(
                        "warning",
                        "metadata-invalid",
                        f"metadata '{written.key}' ({written.where}): {error}; value ignored",
                        written.line,
                    )
                )
                continue
            if value is None:
                continue
            values[name] = value
            lines[name] = written.line
            used.add(written.key)
            if name == "status" and (successor := _successor_in_status(written.raw or given)):
                derived = derived or (successor, written.line)
    if derived is not None and "superseded_by" in names.names and "superseded_by" not in values:
        values["superseded_by"] = [derived[0]]  # 'Status: Superseded by X'
        lines["superseded_by"] = derived[1]
    return Metadata(values, used, header_title, problems, lines)


_SUCCESSOR = re.compile(
    r"^[*_\s]*(?:superseded|replaced|obsoleted)[*_]*\s+(?:by|with)[*_]*:?\s+(?P<target>\S.*)$",
    re.IGNORECASE,
)


def _successor_in_status(value: Any) -> str | None:
    """'Superseded by api-key-scopes.md' -> 'api-key-scopes.md' (resolved by lifecycle.py)."""
    match = _SUCCESSOR.match(readable(value).strip())
    return None if match is None else match.group("target").rstrip(" \t.;").strip("*_` ")


def normalise(name: str, value: Any, names: FieldNames) -> tuple[Any, str | None]:
    """(normalised value or None when empty, error message or None)."""
    if value is None:
        return None, None
    if name in ("date", "updated"):
        return _date(value)
    if name == "status":
        text = readable(value)
        return (status_word(text, names.status_aliases) or None), None
    if name == "tags":
        items = _as_list(value)
        return (items or None), None
    if name in ("owner", "modules", "supersedes", "superseded_by"):
        items = _as_list(value)
        return (items or None), None
    text = readable(value)
    return (text or None), None


def status_word(text: str, aliases: dict[str, str]) -> str:
    """'**In review**' -> 'review', 'Draft (v2)' -> 'draft', 'Implementable' -> 'implementable'."""
    if re.search(r"[<>={}\[\]]", text):
        return fold(text)  # not a status word: shown as written (escaped), never rewritten
    words = re.sub(r"[^\w\s/-]+", " ", text).strip().lower()
    words = " ".join(words.split())
    if not words or words in _EMPTY:
        return ""
    if words in aliases:
        return aliases[words]
    head = re.split(r"\s*[(—–,;:.]|\s-\s", text.strip().lower(), maxsplit=1)[0]
    head = " ".join(re.sub(r"[^\w\s/-]+", " ", head).split())
    first = head.split()[0] if head else ""
    if head not in aliases and first in KNOWN_STATUSES:
        head = first  # 'Superseded by api-key-scopes.md' -> superseded
    return aliases.get(head, head or words)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        items = [readable(v) for v in value]
    elif isinstance(value, dict):
        items = [readable(value)]
    else:
        items = [p for p in _LIST_SPLIT.split(readable(value))]
    return [fold(i) for i in items if fold(i) and fold(i).lower() not in _EMPTY]


def _date(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat(), None
    if isinstance(value, datetime.date):
        return value.isoformat(), None
    text = readable(value).strip()
    if text.lower() in _EMPTY:
        return None, None
    try:
        if match := _ISO.match(text):
            y, m, d = (int(g) for g in match.groups())
            return datetime.date(y, m, d).isoformat(), None
        if match := _YEAR_MONTH.match(text):
            y, m = int(match.group(1)), int(match.group(2))
            return datetime.date(y, m, 1).isoformat()[:7], None
        if match := _WORDY.match(text):
            if match.group(1):
                day, month_name, year = match.group(1), match.group(2), match.group(3)
            else:
                month_name, day, year = match.group(4), match.group(5), match.group(6)
            month = _MONTHS.get(month_name.lower())
            if month is not None:
                return datetime.date(int(year), month, int(day)).isoformat(), None
    except ValueError:
        return None, f"'{text}' is not a valid date"
    return None, f"'{text}' is not a date (write YYYY-MM-DD)"


def readable(value: Any) -> str:
    """A value as a reader should see it: no Python reprs for lists and mappings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return ", ".join(readable(v) for v in value)
    return str(value)


def mapping_pairs(
    data: dict[str, Any], where: str, text: str | None = None, file_line: int | None = None
) -> list[Written]:
    """The top-level keys of front matter or a sidecar as ``Written`` values.

    ``text`` is the YAML the keys were read from; ``file_line`` the spec file's
    line of its first line (front matter), None for a sidecar file.
    """
    found = []
    for key, value in data.items():
        line = yaml_line(text, key) if text is not None else None
        place = where if line is None else f"{where} line {line}"
        spec_line = None if line is None or file_line is None else file_line + line - 1
        if file_line is not None:
            place = where
        found.append(Written(str(key), value, place, spec_line))
    return found
