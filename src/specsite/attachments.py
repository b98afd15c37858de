"""What a spec carries beside it, and where each of its relative links goes on the site.

A spec folder holds more than its ``README.md``: images, diagrams, a ``kep.yaml``, other
Markdown files. They are published beside the spec's page (attachments as they are,
Markdown files as pages of that spec), and every relative link or image written in a
spec is pointed at the published file, so what works in the source tree works on the
site: a sibling spec (``../0002-x/README.md``), a mixed-case name, a folder. A link that
still goes nowhere is reported once per file and target, at the line it is written on.
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from specsite.blocks import Block, Heading, Html, code_lines, parse_blocks, walk
from specsite.crosslink import relative_links
from specsite.frontmatter import split_front_matter
from specsite.guard import check_markdown, escaped_body
from specsite.model import (
    Attachment,
    Collection,
    FolderPage,
    Link,
    PageLink,
    SubPage,
    project_path,
)
from specsite.plaintext import inline_text
from specsite.problems import Problem
from specsite.reading import read_text
from specsite.references import References
from specsite.urls import page_url, url_between

TargetKind = Literal["spec", "page", "attachment"]
MAX_LINK_PROBLEMS = 20  # unresolved targets listed one by one per file


@dataclass(frozen=True)
class Target:
    uri: str  # docs uri: a page ('specs/a/b.md') or a file ('specs/a/b/img.png')
    kind: TargetKind


@dataclass
class SiteFiles:
    """Every file of the collection by its path relative to ``specs_dir``, with where it
    is published; and what is not published, with why (for the unresolved-link message)."""

    targets: dict[str, Target] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)  # folder spec's folder -> page uri
    missing: dict[str, str] = field(default_factory=dict)  # path -> why not published
    # other folders holding published files -> the uri of their listing page, and what
    # they hold (path, target); a listing is published only when a link needs it
    listings: dict[str, str] = field(default_factory=dict)
    contents: dict[str, list[tuple[str, Target]]] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)
    _folded: dict[str, str] = field(default_factory=dict)
    _folded_folders: dict[str, str] = field(default_factory=dict)

    def index(self) -> None:
        """The case-insensitive lookups (the first path in order wins a tie)."""
        self._folded = {}
        for path in sorted(self.targets):
            self._folded.setdefault(path.casefold(), path)
        self._folded_folders = {}
        for path in sorted({*self.folders, *self.listings}):
            self._folded_folders.setdefault(path.casefold(), path)

    def _folder(self, path: str) -> Target | None:
        if path in self.folders:
            return Target(self.folders[path], "spec")
        if path in self.listings:
            self.linked.add(path)
            return Target(self.listings[path], "page")
        return None

    def find(self, path: str) -> tuple[Target, bool] | None:
        """The published target of a normalized path; True when found only ignoring case.
        A folder is its spec's page, else the listing of the files published from it."""
        path = path.rstrip("/") if path not in ("", ".") else ""
        if path in self.targets:
            return self.targets[path], False
        folder = self._folder(path)
        if folder is not None:
            return folder, False
        folded = path.casefold()
        if folded in self._folded:
            return self.targets[self._folded[folded]], True
        if folded in self._folded_folders:
            folder = self._folder(self._folded_folders[folded])
            if folder is not None:
                return folder, True
        return None


def published_files(
    specs_url: str,
    specs: Iterable[tuple[str, str]],
    pages: Iterable[tuple[str, str]],
    attachments: Iterable[str],
    aliases: Iterable[tuple[str, str]],
    slugify: Callable[[str], str],
) -> tuple[SiteFiles, dict[str, str], dict[str, str], list[tuple[str, str]]]:
    """Where each file goes: ``specs`` (relative path, slug), extra ``pages`` (relative
    path, owner slug), ``attachments`` (relative paths), ``aliases`` (link, target).

    Returns the site files, each page's uri, each attachment's uri, and the attachments
    that cannot be published because a page takes their place (relative, reason).
    """
    files = SiteFiles()
    owners: dict[str, str] = {}  # folder of a folder spec -> its slug
    for relative, slug in specs:
        uri = f"{specs_url}/{slug}.md"
        files.targets[relative] = Target(uri, "spec")
        folder = posixpath.dirname(relative)
        is_folder_spec = posixpath.basename(relative) in ("README.md", "index.md") and folder
        if is_folder_spec and folder not in owners:
            owners[folder] = slug
            files.folders[folder] = uri

    def owner_of(relative: str) -> tuple[str, str] | None:
        folder = posixpath.dirname(relative)
        while folder:
            if folder in owners:
                return folder, owners[folder]
            folder = posixpath.dirname(folder)
        return None

    taken = {page_url(t.uri, True) for t in files.targets.values()}
    page_uris: dict[str, str] = {}
    for relative, _owner in pages:
        found = owner_of(relative)
        assert found is not None
        folder, slug = found
        inside = posixpath.relpath(relative, folder)
        parts = [slugify(p) for p in posixpath.dirname(inside).split("/") if p]
        stem = slugify(posixpath.splitext(posixpath.basename(inside))[0])
        base = "/".join([f"{specs_url}/{slug}", *parts, stem])
        uri, number = f"{base}.md", 1
        while page_url(uri, True) in taken:
            number += 1
            uri = f"{base}-{number}.md"
        taken.add(page_url(uri, True))
        page_uris[relative] = uri
        files.targets[relative] = Target(uri, "page")
    # a page's output file: an attachment may not take its place
    outputs = set()
    for target in files.targets.values():
        outputs.add(page_url(target.uri, True) + "index.html")
        outputs.add(page_url(target.uri, False))
    attachment_uris: dict[str, str] = {}
    refused: list[tuple[str, str]] = []
    for relative in attachments:
        found = owner_of(relative)
        if found is not None:
            folder, slug = found
            uri = f"{specs_url}/{slug}/{posixpath.relpath(relative, folder)}"
        else:
            folder = posixpath.dirname(relative)
            parts = [slugify(p) for p in folder.split("/") if p]
            uri = "/".join([specs_url, *parts, posixpath.basename(relative)])
        if uri in outputs or uri.casefold().endswith(".md"):
            refused.append((relative, "a page of the site is published at its place"))
            continue
        attachment_uris[relative] = uri
        files.targets[relative] = Target(uri, "attachment")
    _plan_listings(files, specs_url, owners, taken, slugify)
    for link, aliased in aliases:
        if aliased in files.targets:
            files.targets[link] = files.targets[aliased]
    files.index()
    return files, page_uris, attachment_uris, refused


def _plan_listings(
    files: SiteFiles,
    specs_url: str,
    owners: dict[str, str],
    taken: set[str],
    slugify: Callable[[str], str],
) -> None:
    """Where each folder that is no spec would list its files ('example/' linked from a
    spec works on GitHub, which lists the folder): a spec stands for its own folder."""
    for relative, target in sorted(files.targets.items()):
        folder = posixpath.dirname(relative)
        if target.kind == "spec" and folder in files.folders:
            folder = posixpath.dirname(folder)
        while folder and folder not in files.folders:
            files.contents.setdefault(folder, []).append((relative, target))
            folder = posixpath.dirname(folder)
    for folder in sorted(files.contents):
        above = folder
        while above and above not in owners:
            above = posixpath.dirname(above)
        if above:
            location = f"{specs_url}/{owners[above]}/{posixpath.relpath(folder, above)}"
        else:
            location = "/".join([specs_url, *(slugify(p) for p in folder.split("/"))])
        uri, number = f"{location}/index.md", 1
        while page_url(uri, True) in taken:
            number += 1
            uri = f"{location}/files-{number}.md" if number > 2 else f"{location}/files.md"
        taken.add(page_url(uri, True))
        files.listings[folder] = uri


def listing_pages(files: SiteFiles, source_of: Callable[[str], str]) -> list[FolderPage]:
    """The listing pages that links need, each with the files published from its folder."""
    pages = []
    for folder in sorted(files.linked):
        entries = tuple(
            PageLink(
                posixpath.relpath(relative, folder)
                if target.kind != "spec"
                or posixpath.basename(relative) not in ("README.md", "index.md")
                else posixpath.relpath(posixpath.dirname(relative), folder) + "/",
                target.uri,
            )
            for relative, target in files.contents[folder]
        )
        pages.append(FolderPage(files.listings[folder], source_of(folder), entries))
    return pages


# -- links -------------------------------------------------------------------------


_SPLIT = re.compile(r"[?#]")


def split_url(url: str) -> tuple[str, str]:
    """A URL's path and the rest ('?query#fragment'), as written."""
    match = _SPLIT.search(url)
    return (url, "") if match is None else (url[: match.start()], url[match.start() :])


def resolve_links(
    text: str,
    skip: set[int],
    relative: str,
    files: SiteFiles,
    references: References,
    body_line: int,
    source: str | None = None,
    html: frozenset[int] = frozenset(),
    written: Iterable[tuple[int, str, bool]] | None = None,
) -> tuple[tuple[Link, ...], list[Problem]]:
    """Where each relative link of ``text`` (a file at ``relative`` in the specs folder)
    goes, and the problems: an unresolved link (warning, once per target), a name found
    only ignoring case (info). ``source`` names the file when it is not a spec.
    ``written``: the links of ``text`` found already (a spec's, at parse time)."""
    links: list[Link] = []
    problems: list[Problem] = []
    reported: set[str] = set()
    here = posixpath.dirname(relative)
    if written is None:
        written = relative_links(text, skip, html)
    for number, url, in_html in written:
        path, suffix = split_url(url)
        if not path:
            continue
        decoded = urllib.parse.unquote(path)
        joined = posixpath.normpath(posixpath.join(here, decoded))
        line = body_line + number + 1
        found = None
        if not (joined == ".." or joined.startswith("../")):
            found = files.find("" if joined == "." else joined)
        if found is not None:
            target, by_case = found
            links.append(Link(number, url, target.uri, suffix, in_html))
            if by_case and path not in reported:
                reported.add(path)
                problems.append(
                    Problem(
                        "info",
                        "link-case",
                        f"links to '{path}', whose name differs in case; linked to the "
                        "published file",
                        line,
                        source,
                    )
                )
            continue
        name = posixpath.basename(decoded)
        if not in_html and decoded.endswith(".md") and references.link_from(relative, name):
            continue  # a reference document, linked by its name (crosslink)
        links.append(Link(number, url, None, suffix, in_html))
        if path in reported:
            continue
        reported.add(path)
        problems.append(
            Problem(
                "warning",
                "link-unresolved",
                f"links to '{path}', {_why(joined, files)}; the link goes nowhere on the site",
                line,
                source,
            )
        )
    unresolved = [p for p in problems if p.code == "link-unresolved"]
    if len(unresolved) > MAX_LINK_PROBLEMS:
        kept = set(map(id, unresolved[:MAX_LINK_PROBLEMS]))
        problems = [p for p in problems if p.code != "link-unresolved" or id(p) in kept]
        problems.append(
            Problem(
                "warning",
                "link-unresolved",
                f"links to {len(unresolved) - MAX_LINK_PROBLEMS} more targets that go nowhere "
                "on the site (not listed one by one)",
                None,
                source,
            )
        )
    return tuple(links), problems


def _why(joined: str, files: SiteFiles) -> str:
    if joined == ".." or joined.startswith("../"):
        return "which is outside the specs folder"
    if joined in files.missing:
        return f"which is not published ({files.missing[joined]})"
    return "which is no file of the specs folder"


def unresolved_by_page(collection: Collection, specs_url: str) -> dict[str, frozenset[str]]:
    """Per generated page, the relative URLs (as written) that specsite reported as going
    nowhere: the adapter keeps MkDocs from reporting them again against the page."""
    found: dict[str, frozenset[str]] = {}
    sources: list[tuple[str, tuple[Link, ...]]] = [
        (f"{specs_url}/{spec.slug}.md", spec.links) for spec in collection.specs
    ]
    sources += [(page.uri, page.links) for page in collection.pages]
    for uri, links in sources:
        urls = frozenset(link.url for link in links if link.target is None)
        if urls:
            found[uri] = urls
    return found


def link_url(link: Link, page: str, directory_urls: bool) -> str | None:
    """The URL to write for ``link`` in the page ``page``: a relative docs path in Markdown
    (MkDocs validates and converts it), the final URL in raw HTML (MkDocs leaves it)."""
    if link.target is None:
        return None
    target = link.target
    if link.html:
        if target.endswith(".md"):
            url = url_between(target, page, directory_urls)
        else:
            location = page_url(page, directory_urls)
            base = location.rstrip("/") if directory_urls else posixpath.dirname(location)
            url = posixpath.relpath(target, base or ".")
    else:
        url = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return urllib.parse.quote(url, safe="/-._~!$&()*+,;=:@") + link.suffix


# -- pages of a folder spec ----------------------------------------------------------


def parse_page(
    path: Path, relative: str, owner: str, uri: str, root: Path, specs_dir: Path, max_size: int
) -> tuple[SubPage, list[Problem]]:
    """Another Markdown file of a folder spec: its title (its first H1, else its name),
    its body as written, and the lines that are code (never rewritten)."""
    source = project_path(path, root, specs_dir)
    read = read_text(path, max_size)
    problems = [Problem(p.severity, p.code, p.message, p.line, source) for p in read.problems]
    stem = posixpath.splitext(posixpath.basename(relative))[0]
    if read.text is None:
        return SubPage(owner, source, path, uri, stem, "", 0, readable=False), problems
    front = split_front_matter(read.text)
    body = front.body
    refusal = check_markdown(body)
    if refusal is not None:
        problems.append(Problem(refusal.severity, refusal.code, refusal.message, None, source))
        text = escaped_body(body)
        lines = frozenset(range(len(body.split("\n"))))
        return SubPage(owner, source, path, uri, stem, text, front.body_line, lines), problems
    blocks = parse_blocks(body)
    code = frozenset(code_lines(blocks))
    title, has_title = stem, False
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            title = inline_text(block.inline) or stem
            has_title = block.line == min((b.line for b in blocks), default=0)
            break
    page = SubPage(owner, source, path, uri, title, body, front.body_line, code)
    page.has_title = has_title
    page.html_lines = raw_html_lines(blocks)
    return page, problems


def raw_html_lines(blocks: list[Block]) -> frozenset[int]:
    """The lines of raw HTML blocks: their tags' src/href are moved, nothing else."""
    return frozenset(
        line
        for block in walk(blocks)
        if isinstance(block, Html)
        for line in range(block.line, block.end)
    )


# -- attachments that could run script ---------------------------------------------------

# Served from the site's own origin, these run script when opened: published only with
# trust_html (an SVG is published when it holds no script, handler or foreign content).
ACTIVE_TYPES = frozenset(
    {
        ".html",
        ".htm",
        ".xhtml",
        ".xht",
        ".shtml",
        ".xml",
        ".xsl",
        ".xslt",
        ".js",
        ".mjs",
        ".svgz",
        ".swf",
    }
)
_SVG_ACTIVE = re.compile(
    rb"<\s*(?:script|iframe|embed|object|handler)\b|\son[a-z]+\s*=|<!entity|"
    rb"(?:java|vb)script:|data:text/html|attributename\s*=\s*[\"']?(?:xlink:)?href|"
    rb"href\s*=\s*[\"']?\s*(?:&#|data:(?!image/(?:png|jpe?g|gif|webp)[;,]))",
    re.IGNORECASE,
)


def active_content(path: Path, max_size: int) -> str | None:
    """Why an attachment could run script in the site, or None when it cannot."""
    suffix = path.suffix.lower()
    if suffix in ACTIVE_TYPES:
        return f"a {suffix} file runs in the site when opened"
    if suffix == ".svg":
        try:
            with path.open("rb") as handle:
                data = handle.read(max_size + 1)
        except OSError as error:
            return f"cannot be read ({error.strerror})"
        if len(data) > max_size or _SVG_ACTIVE.search(data):
            return "an SVG image with script, event handlers or embedded content"
    return None


def attachment_list(
    root: Path, specs_dir: Path, paths: dict[str, Path], uris: dict[str, str]
) -> list[Attachment]:
    """The published attachments, in site order."""
    return [
        Attachment(project_path(paths[rel], root, specs_dir), paths[rel], uri)
        for rel, uri in sorted(uris.items(), key=lambda item: item[1])
    ]
