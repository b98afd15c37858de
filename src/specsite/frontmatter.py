"""YAML front matter: split it off, parse it safely, report what is wrong with its line."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from specsite.problems import Problem

_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 0-based line of the file where the body starts
    problems: list[Problem] = field(default_factory=list)


def jsonable(value: Any) -> Any:
    """Dates become ISO strings, so metadata always serializes to JSON the same way."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def split_front_matter(text: str) -> FrontMatter:
    """Separate ``---`` front matter from the body; never raises on bad YAML."""
    if not _OPEN.match(text):
        return FrontMatter({}, text, 0)
    start = text.index("\n") + 1
    close = _CLOSE.search(text, start)
    if close is None:
        problem = Problem(
            "warning",
            "front-matter-unclosed",
            "front matter opened with '---' is never closed; read as text",
            1,
        )
        return FrontMatter({}, text, 0, [problem])
    raw = text[start : close.start()]
    body_start = close.end() + 1 if close.end() < len(text) else close.end()
    body_line = text.count("\n", 0, body_start)
    try:
        data = yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError, RecursionError) as error:  # bad dates raise ValueError
        line = 2
        mark = getattr(error, "problem_mark", None)
        context = getattr(error, "context_mark", None)
        if context is not None and "end of stream" in str(getattr(error, "problem", "")):
            mark = context  # an unclosed quote or bracket: point at where it opens
        if mark is not None:
            line = 2 + int(mark.line)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problem = Problem(
            "warning",
            "front-matter-invalid",
            f"front matter is not valid YAML ({reason}); metadata ignored",
            line,
        )
        return FrontMatter({}, text[body_start:], body_line, [problem])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problem = Problem(
            "warning",
            "front-matter-not-mapping",
            f"front matter must be a mapping of keys, got a {type(data).__name__}; "
            "metadata ignored",
            2,
        )
        return FrontMatter({}, text[body_start:], body_line, [problem])
    return FrontMatter(jsonable(data), text[body_start:], body_line)
