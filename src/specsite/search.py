"""Search records from the parsed model: one per spec, per spec section and per indexed item.

The site's search index is built from these records, never from rendered HTML:
the model already knows every item's anchor, kind and state and every spec's
status, owner, modules and tags. Item records are short on purpose, so that a
phrase taken from an item ranks the item (and so its spec) above long sections
that merely mention the same words. No MkDocs import: the adapter passes the
Markdown ``toc`` extension's slugify so section anchors match the page's ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from specsite.blocks import Inline
from specsite.config import Config
from specsite.model import Spec
from specsite.plaintext import tokens_text
from specsite.urls import page_url

Slugify = Callable[[str, str], str]

LANGUAGE = "en"
SPEC_KIND = "Spec"
SECTION_KIND = "Section"
PAGE_KIND = "Page"
_LABEL_WORDS = 8  # an item's label in a result: its first words

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*([^}]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([\w-]+)")
_TITLE = re.compile(r"^#\s+\S")  # the H1 a spec page keeps as its title (see specpage)
_INLINE_MARKUP = re.compile(r"[*_`\[\]<>&\\!~]")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# Markup that would be indexed as words: HTML tags, link targets, attribute lists.
_TAG = re.compile(r"<[^>\n]*>")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_HEADING_MARK = re.compile(r"^[ \t]*#{1,6}[ \t]", re.M)
# Emphasis, code ticks, fences and table pipes: shown in result excerpts, never searched.
_MARKUP_CHARACTERS = str.maketrans({"*": " ", "`": " ", "|": " ", "~": " "})
_ATTRS = re.compile(r"\{:?[ \t]*[#.][^}\n]*\}")


@dataclass
class Record:
    """One search result: where it opens, what it shows, how facets narrow it."""

    url: str  # relative to the site root, with the anchor
    content: str  # the words that are indexed
    title: str  # the spec's (or page's) title
    label: str  # the section or item the result opens on ('' for a whole spec or page)
    kind: str  # facet and badge: an item kind's title, 'Section', 'Spec' or 'Page'
    status: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)

    def meta(self) -> dict[str, str]:
        meta = {"title": self.title, "kind": self.kind}
        if self.label:
            meta["label"] = self.label
        if self.status:
            meta["status"] = self.status
        return meta


def plain_markdown(markdown: str) -> str:
    """The words of a Markdown text, cheaply: markup that would become wrong words (tags,
    link targets, attribute lists) removed by patterns; Pagefind ignores punctuation."""
    text = markdown
    if text.startswith("---\n"):
        text = _FRONT_MATTER.sub("", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "{" in text:
        text = _ATTRS.sub(" ", text)
    if "#" in text:
        text = _HEADING_MARK.sub(" ", text)
    return " ".join(text.translate(_MARKUP_CHARACTERS).split())


def _words(text: str) -> str:
    return " ".join(text.split())


def _values(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int | float) and str(v).strip()]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [str(value)]
    return []


def spec_filters(spec: Spec) -> dict[str, list[str]]:
    """The facets every record of a spec carries."""
    filters = {
        "status": _values(spec.status or "not set"),
        "owner": _values(spec.meta.get("owner")),
        "module": _values(spec.meta.get("modules")),
        "tag": _values(spec.meta.get("tags")),
    }
    return {key: values for key, values in filters.items() if values}


@dataclass
class Heading:
    level: int
    text: str
    anchor: str
    line: int  # 0-based body line


class Anchors:
    """Heading ids as Python-Markdown's ``toc`` extension gives them: slugified, then
    made unique in document order with ``_1``, ``_2``... (or an explicit ``{#id}``)."""

    def __init__(self, slugify: Slugify, separator: str = "-") -> None:
        self.slugify = slugify
        self.separator = separator
        self.used: set[str] = set()

    def take(self, raw: str) -> tuple[str, str]:
        """(plain text, id) of a heading's raw Markdown text."""
        explicit = None
        attrs = _ATTR_LIST.search(raw)
        if attrs is not None:
            found = _ATTR_ID.search(attrs.group(1))
            explicit = found.group(1) if found else None
            raw = raw[: attrs.start()]
        text = tokens_text(Inline(raw).children) if _INLINE_MARKUP.search(raw) else raw.strip()
        anchor = explicit or self.slugify(text, self.separator)
        if explicit is None:
            base, number = anchor, 0
            while anchor in self.used:
                number += 1
                anchor = f"{base}_{number}"
        self.used.add(anchor)
        return text, anchor


def headings(spec: Spec, anchors: Anchors) -> list[Heading]:
    """ATX headings of the body outside code, with the ids the page gives them."""
    found = []
    body = spec.body
    line, counted = 0, 0
    for match in _HEADING.finditer(body):
        line += body.count("\n", counted, match.start())
        counted = match.start()
        if line in spec.code_lines:
            continue
        text, anchor = anchors.take(match.group(2))
        found.append(Heading(len(match.group(1)), text, anchor, line))
    return found


def top_sections(found: list[Heading]) -> list[Heading]:
    """The spec's sections: headings of the highest level under the title. A deeper
    heading belongs to the section above it, so a spec gives a handful of records."""
    if not found:
        return []
    top = min(h.level for h in found)
    return [h for h in found if h.level == top]


def spec_records(
    spec: Spec,
    config: Config,
    slugify: Slugify,
    *,
    separator: str = "-",
    directory_urls: bool = True,
) -> Iterator[Record]:
    """The records of one spec: the spec itself, each section of its body, each item."""
    url = page_url(f"{config.specs_url}/{spec.slug}.md", directory_urls)
    filters = spec_filters(spec)
    status = spec.status or "not set"
    anchors = Anchors(slugify, separator)
    lines = spec.body.split("\n")
    opening = next((line for line in lines if line.strip()), "")
    if spec.readable and not _TITLE.match(opening):
        anchors.take(spec.title)  # the page's H1 is made from the title: its id comes first
    found = headings(spec, anchors) if spec.readable else []
    if found and found[0].level == 1 and _TITLE.match(opening):
        found = found[1:]  # the spec's own H1: the spec record stands for it
    about = [spec.title, *filters.get("owner", []), *filters.get("module", [])]
    about += filters.get("tag", [])
    first = found[0].line if found else len(lines)
    found = top_sections(found)
    intro = plain_markdown("\n".join(lines[:first]))
    yield Record(
        url,
        _words(" ".join([*about, intro])),
        spec.title,
        "",
        SPEC_KIND,
        status,
        {**filters, "kind": [SPEC_KIND]},
    )
    for index, heading in enumerate(found):
        end = found[index + 1].line if index + 1 < len(found) else len(lines)
        text = plain_markdown("\n".join(lines[heading.line + 1 : end]))
        yield Record(
            f"{url}#{heading.anchor}",
            _words(f"{heading.text} {text}"),
            spec.title,
            heading.text,
            SECTION_KIND,
            status,
            {**filters, "kind": [SECTION_KIND]},
        )
    for item in spec.items:
        kind = config.kind(item.kind)
        item_filters = {**filters, "kind": [kind.title]}
        if item.resolved is not None:
            item_filters["state"] = ["resolved" if item.resolved else "open"]
        words = item.text.split()
        label = " ".join(words[:_LABEL_WORDS]) + (" …" if len(words) > _LABEL_WORDS else "")
        yield Record(
            f"{url}#{item.id}", item.text, spec.title, label, kind.title, status, item_filters
        )


def page_record(url: str, title: str, markdown: str) -> Record:
    """A hand-written or generated page that is worth finding (home, prompt, reference docs)."""
    return Record(
        url,
        _words(f"{title} {plain_markdown(markdown)}"),
        title,
        "",
        PAGE_KIND,
        filters={"kind": [PAGE_KIND]},
    )
