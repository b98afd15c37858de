"""YAML front matter: split it off, parse it safely, report what is wrong with its line.

Spec text is untrusted, so YAML is parsed with bounded work: aliases may not
expand the value beyond ``MAX_VALUES`` entries (a "billion laughs" block of 1 KB
would otherwise become gigabytes in the page, the search index and specs.json),
may not refer to themselves, and every value becomes plain JSON data (huge
numbers, lone surrogates, non-finite floats and sets become text).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from specsite.problems import Problem

_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")

MAX_VALUES = 10_000  # scalars and collections in one YAML document, aliases expanded
MAX_DEPTH = 64  # nesting of lists and mappings
_SAFE_INTEGER = 2**53  # beyond this, JavaScript's JSON.parse loses digits: keep as text


class YamlTooLarge(yaml.YAMLError):
    """The document would expand beyond the bounds (aliases, nesting, self-reference)."""

    def __init__(self, code: str, reason: str, line: int) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.line = line  # 0-based line in the YAML text


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that measures the composed node graph before building any value."""

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            _measure(node)
        return node


# Dates stay as written: an impossible date ('2019-02-30') costs only that value
# (metadata.py normalises and reports it), not the whole front matter or sidecar.
_BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _measure(root: yaml.Node) -> None:
    """Count the values the document expands to (aliases counted at every use).

    Iterative, memoized per node: linear in the size of the YAML text whatever
    the aliases, and a node found on its own path is a self-reference.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[key] = total
            if total > MAX_VALUES:
                raise YamlTooLarge(
                    "front-matter-too-large",
                    f"it expands to more than {MAX_VALUES:,} values (YAML aliases or size)",
                    node.start_mark.line,
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlTooLarge(
                "front-matter-recursive",
                "a YAML alias refers to the value that contains it",
                node.start_mark.line,
            )
        if depth > MAX_DEPTH:
            raise YamlTooLarge(
                "front-matter-too-large",
                f"it is nested more than {MAX_DEPTH} levels deep",
                node.start_mark.line,
            )
        on_path.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) in on_path:
                raise YamlTooLarge(
                    "front-matter-recursive",
                    "a YAML alias refers to the value that contains it",
                    child.start_mark.line,
                )
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


_DEEP_INDENT = 8 * MAX_DEPTH  # columns: block nesting this deep is refused before parsing


def _too_deep(text: str) -> YamlTooLarge | None:
    """Deep nesting makes PyYAML recurse (slowly, up to a RecursionError): one cheap pass."""
    depth = 0
    for number, line in enumerate(text.split("\n")):
        if len(line) - len(line.lstrip(" ")) > _DEEP_INDENT:
            return YamlTooLarge(
                "front-matter-too-large", f"it is indented over {_DEEP_INDENT} columns", number
            )
        if "[" not in line and "{" not in line and not depth:
            continue
        for char in line:
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return YamlTooLarge(
                        "front-matter-too-large",
                        f"it is nested more than {MAX_DEPTH} levels deep",
                        number,
                    )
            elif char in "]}":
                depth = max(depth - 1, 0)
    return None


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with bounded expansion; raises ``yaml.YAMLError`` (or
    ``ValueError`` for impossible dates and numbers) on bad input."""
    deep = _too_deep(text)
    if deep is not None:
        raise deep
    return yaml.load(text, Loader=_BoundedLoader)  # a SafeLoader subclass


@dataclass
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 0-based line of the file where the body starts
    problems: list[Problem] = field(default_factory=list)


def _text(value: str) -> str:
    return _SURROGATE.sub("\ufffd", value)


def _number_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # longer than Python's int -> str limit
        return f"(a number of {value.bit_length():,} bits, too large to show)"


def _key(value: Any) -> str:
    plain = jsonable(value)
    return plain if isinstance(plain, str) else json.dumps(plain, sort_keys=True)


def jsonable(value: Any) -> Any:
    """Plain JSON data that serializes the same way every build and that every JSON
    parser accepts: dates become ISO strings, sets sorted lists, and numbers JSON
    cannot hold exactly (NaN, infinities, integers beyond 2**53) become text."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) <= _SAFE_INTEGER else _number_text(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return _text(value.decode("utf-8", errors="replace"))
    return _text(str(value))


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
        data = load_yaml(raw)
    except YamlTooLarge as error:
        problem = Problem(
            "warning",
            error.code,
            f"front matter is refused: {error.reason}; metadata ignored",
            2 + error.line,
        )
        return FrontMatter({}, text[body_start:], body_line, [problem])
    except (yaml.YAMLError, ValueError, RecursionError) as error:  # bad dates raise ValueError
        line = 2
        mark = getattr(error, "problem_mark", None)
        context = getattr(error, "context_mark", None)
        if context is not None and "end of stream" in str(getattr(error, "problem", "")):
            mark = context  # an unclosed quote or bracket: point at where it opens
        if mark is not None:
            line = 2 + int(mark.line)
        reason = getattr(error, "problem", None) or (str(error).splitlines() or [""])[0]
        problem = Problem(
            "warning",
            "front-matter-invalid",
            f"front matter is not valid YAML ({_text(str(reason))}); metadata ignored",
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
