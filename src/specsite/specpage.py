"""The Markdown of one spec page: its summary, then the spec as written with anchors and links."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup

from specsite.anchors import PageIds, with_heading_id
from specsite.attachments import link_url
from specsite.crosslink import Relocator, rewrite
from specsite.metadata import readable
from specsite.model import AnchorStyle, Collection, Link, Spec, SpecLink, SubPage, TitleHeading
from specsite.references import References
from specsite.render import link, render
from specsite.sanitize import escape, html_text
from specsite.urls import relative
from specsite.views import Row

_LIST_MARKER = re.compile(r"^(\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)")
_ROW_START = re.compile(r"^(\s*(?:>\s*)*\|?)")
_PARAGRAPH_START = re.compile(r"^(\s*(?:>\s*)*)")
_HEADING_START = re.compile(r"^(\s*(?:>\s*)*#{1,6}[ \t]+)")


class Anchored(Protocol):
    """Anything anchored in a spec page: an item, an endpoint, an event."""

    @property
    def id(self) -> str: ...
    @property
    def body_line(self) -> int: ...
    @property
    def style(self) -> AnchorStyle: ...


def anchor(item: Anchored) -> str:
    return f'<a id="{html_text(item.id)}" class="specsite-item"></a>'


def with_anchors(lines: list[str], items: Sequence[Anchored]) -> list[str]:
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


def _with_heading_ids(lines: list[str], spec: Spec, ids: PageIds) -> list[str]:
    """Body headings whose toc id could equal an item's get an explicit id of their own."""
    out = list(lines)
    place = spec.title_heading
    for heading in spec.headings:
        if heading.line >= len(out) or (place and place.line <= heading.line < place.end):
            continue  # the title heading leaves the body: the page H1 takes its place
        heading_id = ids.heading_id(heading.text)
        if heading_id is not None:
            out[heading.line] = with_heading_id(out[heading.line], heading.atx, heading_id)
    return out


def _without_title_heading(
    lines: list[str], place: TitleHeading | None
) -> tuple[str | None, list[str]]:
    """The body without the heading the title stands for, and that heading as an ATX line
    when the title is its text (its Markdown kept: links, code)."""
    if place is None or place.end > len(lines):
        return None, lines
    heading = lines[place.line : place.end]
    written = None
    if place.as_written:
        if len(heading) == 1:  # '# Title'
            written = "# " + heading[0].strip().lstrip("#").strip()
        else:  # 'Title' over '====='
            written = "# " + " ".join(line.strip() for line in heading[:-1])
    before, after = lines[: place.line], lines[place.end :]
    if not any(line.strip() for line in before):
        return written, after
    # the heading also ended the block above it: keep that block apart from the next one
    return written, [*before, "", "<!-- -->", "", *after]


def spec_page_uri(spec: Spec, specs_url: str) -> str:
    return f"{specs_url}/{spec.slug}.md"


def relocator(links: tuple[Link, ...], page_uri: str, directory_urls: bool) -> Relocator:
    """Moves each relative link of a spec's text to where its target is published."""
    table = {(link.line, link.url, link.html): link for link in links}

    def relocate(line: int, url: str, html: bool) -> str | None:
        link = table.get((line, url, html))
        return None if link is None else link_url(link, page_uri, directory_urls)

    return relocate


def spec_markdown(
    spec: Spec,
    references: References,
    page_uri: str,
    kinds: list[tuple[str, str]],
    directory_urls: bool = True,
) -> str:
    """The generated page: front matter, H1, summary block, body.

    ``kinds`` lists (key, title) of the indexed kinds in display order.
    """
    anchored: list[Anchored] = [*spec.items, *spec.endpoints, *spec.events]
    ids = PageIds((a.id for a in anchored), [spec.title, *(h.text for h in spec.headings)])
    h1 = Markup("# ") + escape(spec.title)
    body = ""
    if spec.readable:
        linked = rewrite(
            spec.body,
            set(spec.code_lines),
            lambda name: references.link_from(page_uri, name),
            relocator(spec.links, page_uri, directory_urls),
            spec.html_lines,
        )
        lines = with_anchors(linked.split("\n"), anchored)
        lines = _with_heading_ids(lines, spec, ids)
        written, lines = _without_title_heading(lines, spec.title_heading)
        if written is not None:
            h1 = Markup(written)
        body = "\n".join(lines)
    title_id = ids.heading_id(spec.title)
    if title_id is not None:
        h1 = Markup(with_heading_id(h1, True, title_id))
    counts = [
        Row(f"#{items[0].id}", name=title, count=len(items))
        for key, title in kinds
        if (items := spec.items_of(key))
    ]
    cited = [Row(references.link_from(page_uri, n) or "", name=n) for n in spec.references]
    extra_meta = {
        key: readable(value)
        for key, value in spec.meta.items()
        if key not in ("title", "status", "owner", "date", "updated", "modules", "tags")
        and key not in ("supersedes", "superseded_by")
        and key not in ("search", "hide")
        and key not in spec.meta_keys
    }
    return render(
        "spec.md.j2",
        spec=spec,
        h1=h1,
        banner=status_banner(spec, page_uri),
        source=source_links(spec),
        origin=provenance_line(spec),
        body=Markup(body),
        counts=counts,
        cited=cited,
        extra_meta=extra_meta,
        missing=[s for s in spec.sections if s.state != "present"],
        tags=_tags(spec),
        pages=[Row(relative(p.uri, page_uri), name=p.title) for p in spec.pages],
    )


def subpage_markdown(
    page: SubPage, owner: Spec, owner_uri: str, references: References, directory_urls: bool
) -> str:
    """Another Markdown file of a folder spec as a page of that spec: its text as written,
    its relative links moved to where their targets are published."""
    body = ""
    if page.readable:
        body = rewrite(
            page.body,
            set(page.code_lines),
            lambda name: references.link_from(page.uri, name),
            relocator(page.links, page.uri, directory_urls),
            page.html_lines,
        )
    lines = body.split("\n")
    heading = ""
    if page.has_title:  # the page's own H1 stays first; the note goes under it
        end = next((i for i, line in enumerate(lines) if line.strip()), 0) + 1
        if end < len(lines) and set(lines[end].strip()) <= {"=", "-"} and lines[end].strip():
            end += 1
        heading, lines = "\n".join(lines[:end]), lines[end:]
    return render(
        "subpage.md.j2",
        page=page,
        heading=Markup(heading),
        owner=Row(relative(owner_uri, page.uri), owner),
        body=Markup("\n".join(lines)),
    )


def _tags(spec: Spec) -> list[str]:
    tags = spec.info.get("tags")
    if isinstance(tags, str):
        return [tags]
    if isinstance(tags, list):
        return [str(t) for t in tags if isinstance(t, str | int | float)]
    return []


_CLASS_WORD = re.compile(r"[^a-z0-9]+")


def _links(targets: tuple[SpecLink, ...], page_uri: str) -> Markup:
    return Markup(", ").join(link(t.title, relative(t.uri, page_uri)) for t in targets)


def status_banner(spec: Spec, page_uri: str) -> Markup:
    """The line at the top of a spec page: its status (a class per lifecycle stage, for
    its colour) and, for a superseded spec, the link to its successor. Every value passes
    ``escape`` (or ``link``); the class names are built from the configured words only."""
    life = spec.lifecycle
    parts: list[Markup] = []
    if life.superseded_by:
        parts.append(Markup("**Superseded by** ") + _links(life.superseded_by, page_uri))
        if life.status and life.status != "superseded":
            parts.append(Markup("status: ") + escape(life.status))
    elif life.status:
        parts.append(Markup("**") + escape(life.status.capitalize()) + Markup("**"))
    else:
        parts.append(Markup("**Status not set**"))
    if life.supersedes:
        parts.append(Markup("supersedes ") + _links(life.supersedes, page_uri))
    if life.stage is not None and life.status is not None:
        word = _CLASS_WORD.sub("-", life.status).strip("-") or "known"
        stage = f"specsite-stage-{life.stage} specsite-status-{word}"
    elif life.status is not None:
        stage = "specsite-status-unknown"
    else:
        stage = "specsite-status-none"
    if life.superseded_by:
        stage += " specsite-status-superseded"
    if life.hidden:
        stage += " specsite-status-retired"
    classes = " ".join(f".{c}" for c in f"specsite-banner {stage}".split())
    return Markup(" · ").join(parts) + Markup(f"\n{{: {classes} }}")


def source_links(spec: Spec) -> Markup:
    """'specs/x.md', linked to the file in the repository, and an edit link (repo_url set)."""
    life = spec.lifecycle
    text = escape(spec.source)
    if life.view_url:
        text = link(spec.source, life.view_url)
    if life.edit_url:
        text += Markup(" · ") + link("edit", life.edit_url)
    return text


def provenance_line(spec: Spec) -> Markup:
    """'study.md, version 2, sha256 3f2a1bc: the prompt has changed since (now 9ab01de)'."""
    origin = spec.lifecycle.provenance
    if origin.prompt is None and origin.version is None and origin.hash is None:
        return Markup("")
    parts = [escape(origin.prompt or "the current prompt")]
    if origin.version:
        parts.append(Markup("version ") + escape(origin.version))
    if origin.hash:
        parts.append(Markup("sha256 ") + escape(origin.hash[:12]))
    text = Markup(", ").join(parts)
    if origin.state == "changed":
        now = f" (now {origin.current_hash[:12]})" if origin.current_hash else ""
        text += Markup(" · **prompt changed since**") + escape(now)
    elif origin.state == "current":
        text += Markup(" · the current prompt")
    return text


def subpages(
    collection: Collection, references: References, specs_url: str, directory_urls: bool
) -> dict[str, str]:
    """The pages of folder specs (their other Markdown files), by docs uri."""
    owners = {spec.slug: spec for spec in collection.specs}
    return {
        page.uri: subpage_markdown(
            page,
            owners[page.owner],
            spec_page_uri(owners[page.owner], specs_url),
            references,
            directory_urls,
        )
        for page in collection.pages
    } | {
        folder.uri: render(
            "folder.md.j2",
            folder=folder,
            entries=[Row(relative(e.uri, folder.uri), name=e.title) for e in folder.entries],
        )
        for folder in collection.folders
    }
