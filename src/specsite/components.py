"""The components a spec says it adds or changes: its New/Modified Components part.

The prompt asks each spec to list "all new or significantly modified backend modules,
services, libraries, or major frontend components" under **New/Modified Components**
(a heading or a bold label). Each top-level list item, or table row, names one
component first, usually as code: `` `AlertEvaluator` ``, `` `backend/modules/alerts/` ``.
That first code span is the component, as written (a trailing ``/`` or ``()`` aside);
an item without code names none (no guessing from prose).
"""

from __future__ import annotations

import re

from specsite.headings import normalize
from specsite.model import Spec

PART = "New/Modified Components"

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD = re.compile(r"^\s{0,3}(?:[-*+]\s+)?(\*\*|__)(.+?)\1\s*:?\s*(.*)$")
_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+(.*)$")
_CODE = re.compile(r"`([^`\n]+)`")
_RULE = re.compile(r"^\|[\s:|-]+\|?$")  # a table's delimiter row
_ARGS = re.compile(r"\(.*\)$")
LIMIT = 40  # components read from one spec at most
MAX_NAME = 80


def _name(code: str) -> str:
    name = _ARGS.sub("", code.strip()).rstrip("/").strip()
    return name if 0 < len(name) <= MAX_NAME else ""


def _start(lines: list[str], code: frozenset[int], wanted: str) -> tuple[int, int] | None:
    """The line after the part's heading or bold label, and its level (7: a bold label)."""
    for number, line in enumerate(lines):
        if "omponent" not in line or number in code:  # cheap test first: most lines skip
            continue
        heading = _ATX.match(line)
        if heading is not None and normalize(heading.group(2)) == wanted:
            return number + 1, len(heading.group(1))
        bold = _BOLD.match(line)
        if heading is None and bold is not None and normalize(bold.group(2)) == wanted:
            return number, 7  # the label's own line may name a component after it
    return None


def components(spec: Spec, part: str = PART) -> list[str]:
    """The components the spec's New/Modified Components part names, in order, once each."""
    if "omponent" not in spec.body:
        return []
    lines = spec.body.split("\n")
    found_start = _start(lines, spec.code_lines, normalize(part))
    if found_start is None:
        return []
    start, level = found_start
    found: list[str] = []
    for number in range(start, len(lines)):
        line = lines[number]
        if number in spec.code_lines:
            continue
        heading = _ATX.match(line)
        if heading is not None:
            if len(heading.group(1)) <= level or level == 7:
                break
            continue
        stripped = line.strip()
        indent = len(line) - len(stripped) if stripped else 0
        if level == 7:
            bold = _BOLD.match(line)
            if number == start and bold is not None:
                found += [_name(c) for c in _CODE.findall(bold.group(3))[:1]]
                continue
            if bold is not None and indent == 0 and stripped[:1] in "-*+":
                break  # the next part label of the list ('* **Data Models & Migrations:**')
        item = _ITEM.match(stripped)
        if item is not None and (indent <= 1 or (level == 7 and indent <= 5)):
            codes = _CODE.findall(item.group(1))
            if codes:
                found.append(_name(codes[0]))
        elif stripped.startswith("|") and not _RULE.match(stripped):
            codes = _CODE.findall(stripped.strip("|").split("|")[0])
            if codes:
                found.append(_name(codes[0]))
        if len(found) >= LIMIT:
            break
    seen: list[str] = []
    for name in found:
        if name and name not in seen:
            seen.append(name)
    return seen
