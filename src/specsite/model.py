"""The collection model: what every adapter (site, export, command line) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from specsite.problems import Problem
from specsite.sanitize import public_path


def project_path(path: Path, root: Path, outside: Path | None = None) -> str:
    """How a file is named in messages and exports: relative to the project root, posix;
    outside it, relative to the parent of ``outside`` (the configured specs folder, the
    prompt's folder), else by its name: never by an absolute path of the build machine
    (:func:`specsite.sanitize.public_path`)."""
    return public_path(path, root, outside)


AnchorStyle = Literal["list", "row", "paragraph", "heading"]
SectionCondition = Literal["present", "missing", "empty", "placeholder"]


@dataclass
class Item:
    """One indexed entry of a spec: a blocker, a risk, an open question..."""

    kind: str
    id: str  # the anchor in the spec page, stable for the same input
    text: str  # plain text, markup removed
    line: int  # 1-based line in the source file
    resolved: bool | None  # for resolvable kinds, else None
    body_line: int  # 0-based line in the body where the anchor goes
    style: AnchorStyle
    detail: str = ""  # the item's nested text (mitigation, decision, notes), plain
    fields: dict[str, str] = field(default_factory=dict)  # severity, likelihood, mitigation...


@dataclass
class SectionState:
    """Conformance of one schema section in one spec."""

    title: str
    required: bool
    state: SectionCondition
    line: int | None = None


@dataclass(frozen=True)
class TitleHeading:
    """The body's first H1 when it stands for the document's title (see ``title.py``).

    The page shows the title in its place, so the title appears once; ``as_written``
    when the title is that heading's own text (the page keeps its Markdown, links and all).
    """

    line: int  # 0-based body line where the heading starts
    end: int  # the body line after it (after a setext underline)
    as_written: bool


@dataclass(frozen=True)
class HeadingLine:
    """A heading of a spec's body, where the page may give it an explicit id."""

    line: int  # 0-based body line holding its text (a setext heading: the line above '---')
    text: str  # plain text
    atx: bool  # '## Title' rather than setext


@dataclass
class Citation:
    name: str  # the reference's file name, e.g. ARCHITECTURE.md
    line: int  # 1-based line in the source file


@dataclass
class Endpoint:
    """A REST endpoint a spec defines in its API part (``specsite.api``)."""

    method: str  # upper case: GET, POST...
    path: str  # as written, without query string
    auth: str | None
    request: str | None
    response: str | None
    line: int  # 1-based line in the source file
    id: str = ""  # the anchor in the spec page
    body_line: int = 0  # 0-based line in the body where the anchor goes
    style: AnchorStyle = "paragraph"


@dataclass
class Event:
    """A WebSocket event a spec defines in its API part (``specsite.api``)."""

    name: str
    direction: str | None  # 'server->client', 'client->server', 'both', or as written
    payload: str | None
    line: int
    id: str = ""
    body_line: int = 0
    style: AnchorStyle = "paragraph"


@dataclass(frozen=True)
class SpecLink:
    """Another spec a spec points to (its successor or predecessor), as a page can link it."""

    slug: str
    title: str
    uri: str  # the target's generated page, e.g. 'specs/api-key-scopes.md'


@dataclass(frozen=True)
class SpecDates:
    """The created and last-updated dates shown for a spec, and where each came from."""

    created: str | None = None
    created_from: str | None = None  # 'spec' (as written) or 'git'
    updated: str | None = None
    updated_from: str | None = None


@dataclass(frozen=True)
class Provenance:
    """The prompt a spec says it was generated from, compared with the current prompt."""

    prompt: str | None = None  # the name or path the spec gives
    version: str | None = None
    hash: str | None = None  # as written, lower case, without a 'sha256:' prefix
    state: str = "unknown"  # 'current', 'changed' or 'unknown'
    current_hash: str | None = None  # the current prompt's sha256 (when compared)


@dataclass(frozen=True)
class Lifecycle:
    """A spec's place in the lifecycle, worked out per build across the collection
    (``specsite.lifecycle``): never cached with the spec, since other specs shape it."""

    status: str | None = None  # normalised (aliases resolved)
    stage: int | None = None  # position in the configured order; None = no or unknown status
    hidden: bool = False  # a status the views hide by default (superseded, rejected)
    known: bool = True  # False: a status the configured lifecycle does not list
    superseded_by: tuple[SpecLink, ...] = ()
    supersedes: tuple[SpecLink, ...] = ()
    dates: SpecDates = SpecDates()
    provenance: Provenance = Provenance()
    view_url: str | None = None  # the source file in the repository (repo_url set)
    edit_url: str | None = None  # its edit page (edit_uri set)


@dataclass
class Spec:
    slug: str
    source: str  # path relative to the project root, posix
    path: Path
    title: str
    meta: dict[str, Any]
    body: str  # Markdown without front matter, '\n' line ends, lists indented for the page
    body_line: int  # 0-based file line where the body starts
    readable: bool = True
    title_heading: TitleHeading | None = None
    # the displayed fields (status, owner, date, ...) normalised from wherever they are
    # written (metadata.py); ``meta`` keeps front matter and sidecar keys as written
    info: dict[str, Any] = field(default_factory=dict)
    meta_keys: frozenset[str] = frozenset()  # keys of ``meta`` read into ``info``
    code_lines: frozenset[int] = frozenset()  # body lines inside code: never rewritten
    headings: tuple[HeadingLine, ...] = ()
    items: list[Item] = field(default_factory=list)
    sections: list[SectionState] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # the 1-based file line each field of ``info`` was read from (None: front matter
    # without a known line, a sidecar file)
    info_lines: dict[str, int | None] = field(default_factory=dict)
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    recommendation: str = ""  # first sentence of its Recommendation section (recommendation.py)
    components: tuple[str, ...] = ()  # named in New/Modified Components (components.py)
    # where its relative links go (``specsite.attachments``), set per build
    links: tuple[Link, ...] = ()
    # its relative links as written: (0-based body line, URL, in raw HTML); found once at
    # parse time (``crosslink.relative_links``), resolved against the collection per build
    written_links: tuple[tuple[int, str, bool], ...] = ()
    html_lines: frozenset[int] = frozenset()  # body lines of raw HTML blocks (in code_lines)
    aliases: tuple[str, ...] = ()  # symbolic links to it in the collection, as sources
    pages: tuple[PageLink, ...] = ()  # the other Markdown files of its folder

    @property
    def status(self) -> str | None:
        value = self.info.get("status", self.meta.get("status"))
        return None if value is None else str(value)

    def shown(self, name: str) -> str:
        """A displayed field as readable text ('' when not given): lists joined by ', '."""
        value = self.info.get(name)
        if value is None and name in ("date", "updated"):  # git history (history.py)
            dates = self.lifecycle.dates
            value = dates.created if name == "date" else dates.updated
        if value is None and name == "date":
            value = self.info.get("updated")  # the one date written: last updated
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return "" if value is None else str(value)

    @property
    def references(self) -> list[str]:
        return sorted({c.name for c in self.citations})

    def items_of(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def open_items(self, kind: str) -> list[Item]:
        """The items of ``kind`` not resolved: all of them for a kind that is not resolvable."""
        return [item for item in self.items if item.kind == kind and not item.resolved]


@dataclass(frozen=True)
class Link:
    """A relative link or image written in a spec and the docs file it points to."""

    line: int  # 0-based body line
    url: str  # as written
    target: str | None  # docs uri of the published file, None when unresolved
    suffix: str = ""  # the link's '?query#fragment', as written
    html: bool = False  # written in a raw HTML tag (so its URL is final, not rewritten)


@dataclass(frozen=True)
class PageLink:
    title: str
    uri: str  # docs uri of the page


@dataclass
class SubPage:
    """Another Markdown file of a folder spec, published as a page of that spec."""

    owner: str  # the spec's slug
    source: str  # path relative to the project root, posix
    path: Path
    uri: str  # docs uri
    title: str
    body: str
    body_line: int
    code_lines: frozenset[int] = frozenset()
    links: tuple[Link, ...] = ()
    html_lines: frozenset[int] = frozenset()
    readable: bool = True
    has_title: bool = False  # the body starts its own H1


@dataclass(frozen=True)
class FolderPage:
    """The list of files published from a folder that is no spec, for links to the folder."""

    uri: str  # docs uri of the listing page
    source: str  # the folder, named as sources are
    entries: tuple[PageLink, ...]  # name inside the folder, docs uri


@dataclass(frozen=True)
class Attachment:
    """A file published as it is beside its spec (an image, a diagram, a data file)."""

    source: str  # path relative to the project root, posix
    path: Path
    uri: str  # where it is published in the site


@dataclass
class Skipped:
    """A file in the collection folder that could not become a spec page."""

    source: str
    problems: list[Problem]


@dataclass
class ApiConflict:
    """One endpoint or event defined differently by two live specs."""

    key: str  # 'GET /alerts/{}' or 'event alert.triggered'
    label: str  # as the later spec writes it: 'GET /alerts/{alert_id}'
    first: Spec
    first_line: int
    later: Spec
    later_line: int
    fields: tuple[str, ...]  # what differs: auth, request, response, payload, direction


@dataclass
class Collection:
    specs: list[Spec]
    skipped: list[Skipped]
    problems: list[Problem]  # about the collection as a whole (config, prompt)
    api_conflicts: list[ApiConflict] = field(default_factory=list)
    # notes about the build environment, each with the place it concerns (the specs
    # folder: why it has no dates from git)
    notes: list[tuple[str, Problem]] = field(default_factory=list)
    pages: list[SubPage] = field(default_factory=list)  # other Markdown files of folder specs
    attachments: list[Attachment] = field(default_factory=list)
    folders: list[FolderPage] = field(default_factory=list)  # listings of linked folders
