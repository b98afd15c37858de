"""The Markdown of one spec page: its summary, then the spec as written with anchors and links."""

from __future__ import annotations

import re

from markupsafe import Markup

from specsite.crosslink import rewrite
from specsite.model import Item, Spec
from specsite.references import References
from specsite.render import render

_LIST_MARKER = re.compile(r"^(\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)")
_ROW_START = re.compile(r"^(\s*(?:>\s*)*\|?)")
_PARAGRAPH_START = re.compile(r"^(\s*(?:>\s*)*)")
_HEADING_START = re.compile(r"^(\s*(?:>\s*)*#{1,6}[ \t]+)")
_H1 = re.compile(r"^#\s+\S")


def anchor(item: Item) -> str:
    return f'<a id="{item.id}" class="specsite-item"></a>'


def with_anchors(lines: list[str], items: list[Item]) -> list[str]:
    """Put each item's anchor at the start of its first line, after any list marker."""
    out = list(lines)
    for item in items:
        if item.body_line >= len(out):
            continue
        line = out[item.body_line]
        pattern = {"list": _LIST_MARKER, "row": _ROW_START, "heading": _HEADING_START}.get(
            item.style, _PARAGRAPH_START
        )
        match = pattern.match(line) or _PARAGRAPH_START.match(line)
        assert match is not None  # _PARAGRAPH_START matches every string
        cut = match.end()
        out[item.body_line] = line[:cut] + anchor(item) + line[cut:]
    return out


def spec_page_uri(spec: Spec, specs_url: str) -> str:
    return f"{specs_url}/{spec.slug}.md"


def spec_markdown(
    spec: Spec, references: References, page_uri: str, kinds: list[tuple[str, str]]
) -> str:
    """The generated page: front matter, H1, summary block, body.

    ``kinds`` lists (key, title) of the indexed kinds in display order.
    """
    body = ""
    h1 = ""
    if spec.readable:
        linked = rewrite(
            spec.body, set(spec.code_lines), lambda name: references.link_from(page_uri, name)
        )
        lines = with_anchors(linked.split("\n"), spec.items)
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None and _H1.match(lines[first]):
            h1 = lines[first]
            lines = lines[first + 1 :]
        body = "\n".join(lines)
    counts = [
        (title, len(items), items[0].id) for key, title in kinds if (items := spec.items_of(key))
    ]
    cited = [(name, references.link_from(page_uri, name)) for name in spec.references]
    extra_meta = {
        key: value
        for key, value in spec.meta.items()
        if key not in ("title", "status", "owner", "date", "modules", "tags", "search", "hide")
    }
    return render(
        "spec.md.j2",
        spec=spec,
        h1=Markup(h1),
        body=Markup(body),
        counts=counts,
        cited=cited,
        extra_meta=extra_meta,
        missing=[s for s in spec.sections if s.state != "present"],
        tags=_tags(spec),
    )


def _tags(spec: Spec) -> list[str]:
    tags = spec.meta.get("tags")
    if isinstance(tags, str):
        return [tags]
    if isinstance(tags, list):
        return [str(t) for t in tags if isinstance(t, str | int | float)]
    return []
