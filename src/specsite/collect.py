"""Find every file of the collection and turn each readable Markdown file into a Spec.

Each spec is read once and tokenized once; everything later (pages, indexes,
export) works from the resulting model. Files that cannot become specs are kept
as ``Skipped`` entries with the reason, so nothing disappears silently.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec
import yaml

from specsite.anchors import body_headings
from specsite.api import ApiExtractor, flag_conflicts
from specsite.attachments import (
    SiteFiles,
    active_content,
    attachment_list,
    listing_pages,
    parse_page,
    published_files,
    raw_html_lines,
    resolve_links,
)
from specsite.blocks import code_lines, parse_blocks
from specsite.cache import SpecCache, fingerprint, stamp
from specsite.components import components
from specsite.config import Config
from specsite.crosslink import mentions, relative_links
from specsite.extract import Extractor
from specsite.frontmatter import YamlTooLarge, jsonable, load_yaml, split_front_matter
from specsite.guard import check_markdown, escaped_body
from specsite.lifecycle import annotate
from specsite.listindent import reindent_lists
from specsite.metadata import header_pairs, mapping_pairs, resolve
from specsite.model import (
    Citation,
    Collection,
    PageLink,
    Skipped,
    Spec,
    SubPage,
    project_path,
)
from specsite.parallel import parallel_map, worker_count
from specsite.problems import Problem
from specsite.prompt import Prompt
from specsite.reading import not_regular, read_text, special_file_kind
from specsite.recommendation import recommendation
from specsite.references import References
from specsite.title import choose_title

_FOLDER_SPEC_NAMES = ("README.md", "index.md")
MAX_FOLDER_DEPTH = 32  # folders below specs_dir that are read
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_REPEATS = 20  # the same problem about the same name, listed line by line


@dataclass(frozen=True)
class Candidate:
    path: Path  # as found in the folder (not resolved)
    relative: str  # path relative to the specs folder, posix
    stem: str  # the spec's own name: file stem, or folder name for README.md


def slugify(text: str) -> str:
    """URL-safe, lower-case, keeps letters of any script; '#', '?', spaces become '-'."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return text or "spec"


@dataclass
class Found:
    """What the walk of ``specs_dir`` found: specs, the other files each publishes beside
    it, links to specs, and every file set aside with its reason."""

    candidates: list[Candidate]
    skipped: list[Skipped]
    attachments: list[Candidate] = field(default_factory=list)  # published as they are
    pages: list[Candidate] = field(default_factory=list)  # other .md files of folder specs
    aliases: list[tuple[Candidate, str]] = field(default_factory=list)  # link, target relative

    def aliases_relative(self) -> list[tuple[str, str]]:
        return [(link.relative, target) for link, target in self.aliases]


def discover(config: Config) -> tuple[list[Candidate], list[Skipped]]:
    """All spec files below ``specs_dir`` in a stable order, and the files set aside."""
    found = discover_files(config)
    return found.candidates, found.skipped


def _exclusion(config: Config) -> Callable[[str], str | None]:
    """The ``exclude`` pattern that excludes a path (relative, a folder ending in '/')."""
    spec = pathspec.GitIgnoreSpec.from_lines(config.exclude)
    patterns = list(zip(config.exclude, spec.patterns, strict=False))

    def excluded(relative: str) -> str | None:
        decided: str | None = None
        for text, pattern in patterns:
            if pattern.include is not None and pattern.match_file(relative) is not None:
                decided = text if pattern.include else None
        return decided

    return excluded


def discover_files(config: Config) -> Found:
    """Every file below ``specs_dir``: specs in a stable order, what is published beside
    them, and the files set aside.

    Nothing is dropped silently: hidden and excluded files and folders, folders that
    cannot be read, special files (pipes, sockets, devices), linked folders and links
    leaving the specs folder are returned as ``Skipped`` entries with the reason.
    """
    root = config.specs_dir
    project = (config.root.resolve(), root.resolve())  # where a symbolic link may point
    found: list[Candidate] = []
    skipped: list[Skipped] = []
    attachments: list[Candidate] = []
    pages: list[Candidate] = []
    links: list[tuple[Candidate, str]] = []
    if not root.is_dir():
        return Found(
            [],
            [
                Skipped(
                    _rel(root, config),
                    [
                        Problem(
                            "error",
                            "specs-dir-missing",
                            "the specs folder does not exist"
                            if not root.exists()
                            else "the specs folder is not a folder",
                        )
                    ],
                )
            ],
        )
    excluded = _exclusion(config)
    failures: list[OSError] = []
    spec_folders: set[Path] = set()  # folders whose README.md is the spec
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=failures.append):
        here = Path(folder)
        deep = len(here.relative_to(root).parts) >= MAX_FOLDER_DEPTH
        for name in sorted(dirs):
            path = here / name
            pattern = excluded(path.relative_to(root).as_posix() + "/")
            if pattern is not None:
                dirs.remove(name)
                skipped += _excluded_folder(path, pattern, config)
            elif deep:  # page paths would outgrow what file systems and URLs allow
                dirs.remove(name)
                skipped.append(Skipped(_rel(path, config), [_too_deep()]))
            elif name.startswith("."):
                dirs.remove(name)
                skipped.append(Skipped(_rel(path, config), [_hidden("folder")]))
            elif path.is_symlink():
                dirs.remove(name)
                skipped.append(Skipped(_rel(path, config), [_link_problem(path, project)]))
        dirs.sort()
        has_readme = next(
            (
                n
                for n in _FOLDER_SPEC_NAMES
                if n in files and not excluded((here / n).relative_to(root).as_posix())
            ),
            None,
        )
        if here != root and has_readme:
            spec_folders.add(here)
        owner = next((p for p in (here, *here.parents) if p in spec_folders), None)
        for name in sorted(files):
            path = here / name
            relative = _display(path.relative_to(root).as_posix())
            pattern = excluded(path.relative_to(root).as_posix())
            if pattern is not None:
                skipped.append(Skipped(_rel(path, config), [_excluded(pattern)]))
                continue
            if name.startswith("."):
                skipped.append(Skipped(_rel(path, config), [_hidden("file")]))
                continue
            markdown = name.lower().endswith(".md")
            if path.is_symlink():
                problem = _symlink_problem(
                    path, (root.resolve(),), "the specs folder; not followed"
                )
                if problem is not None:
                    skipped.append(Skipped(_rel(path, config), [problem]))
                    continue
                if markdown:  # published once, as the file it points to
                    target = path.resolve().relative_to(root.resolve()).as_posix()
                    links.append((Candidate(path, relative, _display(Path(name).stem)), target))
                    continue
            special = _special(path)
            if special is not None:
                skipped.append(Skipped(_rel(path, config), [special]))
                continue
            if not markdown:
                attachments.append(Candidate(path, relative, _display(Path(name).stem)))
            elif here == owner and name == has_readme:
                found.append(Candidate(path, relative, _display(here.name)))
            elif owner is not None:
                pages.append(Candidate(path, relative, _display(Path(name).stem)))
            else:
                found.append(Candidate(path, relative, _display(Path(name).stem)))
    for failure in failures:
        where = Path(failure.filename) if failure.filename else root
        if where == root:
            return Found(
                [],
                [
                    Skipped(
                        _rel(root, config),
                        [
                            Problem(
                                "error",
                                "specs-dir-unreadable",
                                f"the specs folder cannot be read ({failure.strerror})",
                            )
                        ],
                    )
                ],
            )
        skipped.append(
            Skipped(
                _rel(where, config),
                [
                    Problem(
                        "warning",
                        "folder-unreadable",
                        f"is a folder that cannot be read ({failure.strerror}); "
                        "its files are not published",
                    )
                ],
            )
        )
    found.sort(key=lambda c: c.relative)
    aliases = []
    specs = {c.relative: c for c in found}
    extra = {c.relative for c in pages}
    for link, target in links:
        if target in specs or target in extra:
            aliases.append((link, target))
            skipped.append(Skipped(_rel(link.path, config), [_alias(target, target in specs)]))
        else:
            skipped.append(
                Skipped(
                    _rel(link.path, config),
                    [
                        Problem(
                            "warning",
                            "symlink-not-spec",
                            f"is a symbolic link to {_display(target)}, which is not published; "
                            "not published either",
                        )
                    ],
                )
            )
    return Found(
        found,
        sorted(skipped, key=lambda s: s.source),
        attachments,
        sorted(pages, key=lambda c: c.relative),
        aliases,
    )


def _excluded(pattern: str) -> Problem:
    return Problem("info", "excluded", f"excluded by exclude: {pattern}")


def _excluded_folder(folder: Path, pattern: str, config: Config) -> list[Skipped]:
    """Each file of an excluded folder, listed with the pattern (the folder when empty)."""
    listed = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        listed += [
            Skipped(_rel(Path(here) / n, config), [_excluded(pattern)]) for n in sorted(files)
        ]
    return listed or [Skipped(_rel(folder, config), [_excluded(pattern)])]


def _alias(target: str, spec: bool) -> Problem:
    what = "that spec" if spec else "that page"
    return Problem(
        "info",
        "alias",
        f"is a symbolic link to {_display(target)}; published once, as {what} (an alias)",
    )


def _too_deep() -> Problem:
    return Problem(
        "warning",
        "folder-too-deep",
        f"is more than {MAX_FOLDER_DEPTH} folders below the specs folder; not read",
    )


def _hidden(what: str) -> Problem:
    return Problem(
        "info", "hidden", f"is a hidden {what} (its name starts with '.'); not published"
    )


def _special(path: Path) -> Problem | None:
    """A pipe, socket or device in the folder: listed, never opened (a pipe would block)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # read_text reports it
    kind = special_file_kind(mode)
    return None if kind is None or kind == "a folder" else not_regular(kind)


def _display(text: str) -> str:
    """A file name as text: bytes that are not UTF-8 (surrogates from the OS) and control
    characters (a line break would split every message about the file) become U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(text).decode("utf-8", errors="replace")
    return _CONTROL.sub("\ufffd", text)


def _rel(path: Path, config: Config) -> str:
    """A file's published name: relative to the project (or to the specs folder's parent
    when that folder is outside it), never an absolute path of the build machine."""
    return _display(project_path(path, config.root, config.specs_dir))


def _symlink_problem(
    path: Path, project: tuple[Path, ...], place: str = "the project; not published"
) -> Problem | None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem(
            "warning", "symlink-broken", "is a symbolic link that loops or points nowhere; skipped"
        )
    if not any(target.is_relative_to(allowed) for allowed in project):
        return Problem(
            "warning",
            "symlink-outside",
            f"is a symbolic link to a file outside {place}",
        )
    return None


def _link_problem(path: Path, project: tuple[Path, ...]) -> Problem:
    problem = _symlink_problem(path, project)
    if problem is not None:
        return problem
    return Problem("info", "symlink-folder", "is a symbolic link to a folder; not followed")


def _sidecar_relative(candidate: Candidate, config: Config) -> str:
    """The spec's metadata file, relative to the specs folder (the one place it is built)."""
    assert config.sidecar is not None
    name = config.sidecar.replace("{stem}", candidate.stem)
    parent = Path(candidate.relative).parent
    return (parent / name).as_posix()


def _slugs(candidates: list[Candidate]) -> tuple[list[str], dict[int, Problem]]:
    """One slug per candidate; a collision (e.g. names that differ only in case) gets -2, -3."""
    slugs: list[str] = []
    problems: dict[int, Problem] = {}
    used: dict[str, str] = {}
    for index, candidate in enumerate(candidates):
        folder = Path(candidate.relative).parent
        parts = [slugify(p) for p in folder.parts if p not in ("", ".")]
        if candidate.stem != Path(candidate.relative).stem:  # README.md: the folder is the spec
            parts = parts[:-1]
        base = "/".join([*parts, slugify(candidate.stem)])
        slug, number = base, 1
        while slug in used:
            number += 1
            slug = f"{base}-{number}"
        if slug != base:
            problems[index] = Problem(
                "warning",
                "slug-collision",
                f"its page name '{base}' is taken by {used[base]}; published as '{slug}'",
            )
        used[slug] = candidate.relative
        slugs.append(slug)
    return slugs, problems


def collect(
    config: Config, prompt: Prompt, references: References, cache: SpecCache | None = None
) -> Collection:
    """Read and parse the whole collection (unchanged files come from ``cache``)."""
    walk = discover_files(config)
    candidates, skipped = walk.candidates, list(walk.skipped)
    slugs, slug_problems = _slugs(candidates)
    files, page_uris, attachment_uris, refused = _site_files(config, walk, slugs, skipped)
    extractor = Extractor(config, prompt)
    api = ApiExtractor(config, prompt)
    if cache is not None:
        cache.start(fingerprint(config, prompt.sha256, sorted(references.targets.items())))
    found: list[Spec | None] = []
    stamps: list[Any] = []
    for candidate, slug in zip(candidates, slugs, strict=True):
        spec = None
        current: Any = None
        if cache is not None:
            inputs = [candidate.path]
            if config.sidecar:
                inputs.append(config.specs_dir / _sidecar_relative(candidate, config))
            current = stamp(inputs)
            spec = cache.get(candidate.relative, slug, current)
        found.append(spec)
        stamps.append(current)
    missing = [i for i, spec in enumerate(found) if spec is None]

    def parse(index: int) -> Spec:
        return parse_spec(candidates[index], slugs[index], config, extractor, references, api)

    parsed = parallel_map(parse, missing, workers=worker_count(config.workers))
    for index, spec in zip(missing, parsed, strict=True):
        found[index] = spec
        if cache is not None:
            cache.put(candidates[index].relative, slugs[index], stamps[index], spec)
    specs = [spec for spec in found if spec is not None]
    for index, problem in slug_problems.items():
        specs[index].problems.insert(0, problem)
    pages = attach_files(config, references, walk, files, page_uris, candidates, specs)
    _flag_duplicate_titles(specs)
    conflicts = flag_conflicts(specs, config.statuses)
    notes = annotate(config, prompt, specs)  # statuses, supersession, dates, provenance
    where = _rel(config.specs_dir, config)
    paths = {a.relative: a.path for a in walk.attachments}
    collection = Collection(
        specs, skipped, list(prompt.problems), conflicts, [(where, n) for n in notes]
    )
    collection.pages = pages
    collection.folders = listing_pages(
        files, lambda folder: _rel(config.specs_dir / folder, config) + "/"
    )
    collection.attachments = attachment_list(config.root, config.specs_dir, paths, attachment_uris)
    del refused
    return collection


def attach_files(
    config: Config,
    references: References,
    walk: Found,
    files: SiteFiles,
    page_uris: dict[str, str],
    candidates: list[Candidate],
    specs: list[Spec],
) -> list[SubPage]:
    """What the collection adds to each spec: where its links go (they depend on the whole
    collection, so they are resolved every build), its pages, its aliases."""
    for candidate, spec in zip(candidates, specs, strict=True):
        if spec.readable:  # links depend on the whole collection: resolved every build
            spec.links, link_problems = resolve_links(
                spec.body,
                set(spec.code_lines),
                candidate.relative,
                files,
                references,
                spec.body_line,
                html=spec.html_lines,
                written=spec.written_links,
            )
            spec.problems += link_problems
    by_relative = {c.relative: spec for c, spec in zip(candidates, specs, strict=True)}
    pages = []
    for candidate in walk.pages:
        owner_relative = _owner_relative(candidate.relative, walk)
        if owner_relative not in by_relative:
            continue  # a spec not chosen (specsite check on some files)
        owner = by_relative[owner_relative]
        page, problems = parse_page(
            candidate.path,
            candidate.relative,
            owner.slug,
            page_uris[candidate.relative],
            config.root,
            config.specs_dir,
            config.max_file_size,
        )
        if page.readable:
            page.links, link_problems = resolve_links(
                page.body,
                set(page.code_lines),
                candidate.relative,
                files,
                references,
                page.body_line,
                page.source,
                html=page.html_lines,
            )
            problems += link_problems
        owner.problems += problems
        owner.pages = (*owner.pages, PageLink(page.title, page.uri))
        pages.append(page)
    for link, target in walk.aliases:
        if target in by_relative:
            spec = by_relative[target]
            spec.aliases = (*spec.aliases, _rel(link.path, config))
    return pages


def _owner_relative(relative: str, walk: Found) -> str:
    """The folder spec a page belongs to: the nearest folder above it with its spec."""
    specs = {c.relative for c in walk.candidates}
    folder = posixpath.dirname(relative)
    while folder:
        for name in _FOLDER_SPEC_NAMES:
            if f"{folder}/{name}" in specs:
                return f"{folder}/{name}"
        folder = posixpath.dirname(folder)
    raise KeyError(relative)


def _site_files(
    config: Config, walk: Found, slugs: list[str], skipped: list[Skipped]
) -> tuple[SiteFiles, dict[str, str], dict[str, str], list[tuple[str, str]]]:
    """Where every file goes on the site; attachments that cannot be published (a page in
    their place, or content that would run script) join ``skipped``."""
    safe = []
    for attachment in walk.attachments:
        active = (
            None if config.trust_html else active_content(attachment.path, config.max_file_size)
        )
        if active is None:
            safe.append(attachment.relative)
        else:
            skipped.append(
                Skipped(
                    _rel(attachment.path, config),
                    [
                        Problem(
                            "warning",
                            "attachment-active",
                            f"{active}; not published (set trust_html to publish it)",
                        )
                    ],
                )
            )
    files, page_uris, attachment_uris, refused = published_files(
        config.specs_url,
        [(c.relative, slug) for c, slug in zip(walk.candidates, slugs, strict=True)],
        [(c.relative, "") for c in walk.pages],
        safe,
        walk.aliases_relative(),
        slugify,
    )
    for name, why in refused:
        skipped.append(
            Skipped(
                _rel(config.specs_dir / name, config),
                [Problem("warning", "attachment-collision", f"{why}; not published")],
            )
        )
    for entry in skipped:
        inside = _specs_relative(entry.source, config)
        if inside is not None and entry.problems:
            files.missing[inside] = entry.problems[0].message
    skipped.sort(key=lambda s: s.source)
    return files, page_uris, attachment_uris, refused


def _specs_relative(source: str, config: Config) -> str | None:
    """A listed file's path relative to the specs folder (None when outside it)."""
    for base in (config.root, config.specs_dir.parent):
        path = Path(os.path.normpath(base / source))
        if path.is_relative_to(config.specs_dir):
            return path.relative_to(config.specs_dir).as_posix()
    return None


def parse_spec(
    candidate: Candidate,
    slug: str,
    config: Config,
    extractor: Extractor,
    references: References,
    api: ApiExtractor | None = None,
) -> Spec:
    source = _rel(candidate.path, config)
    read = read_text(candidate.path, config.max_file_size)
    if _display(str(candidate.path)) != str(candidate.path):
        read.problems.insert(
            0,
            Problem(
                "warning",
                "file-name-garbled",
                "its path is not valid UTF-8 or holds control characters (a line break, an "
                "escape); published with those shown as '\ufffd'",
            ),
        )
    if read.text is None:
        return Spec(
            slug,
            source,
            candidate.path,
            choose_title({}, None, candidate.stem, None, config.title_prefixes)[0],
            {},
            "",
            0,
            readable=False,
            problems=read.problems,
        )
    front = split_front_matter(read.text)
    problems = [*read.problems, *front.problems]
    meta = dict(front.meta)
    front_yaml = "\n".join(read.text.split("\n")[1 : max(1, front.body_line - 1)])
    sources = [mapping_pairs(front.meta, "front matter", front_yaml, 2)]
    if config.sidecar:
        sidecar_meta, sidecar_problems, sidecar_text = _read_sidecar(candidate, config)
        meta = {**sidecar_meta, **meta}
        problems += sidecar_problems
        name = Path(_sidecar_relative(candidate, config)).name
        sources.append(mapping_pairs(sidecar_meta, name, sidecar_text))
    body = front.body
    if not body.strip():
        problems.append(
            Problem(
                "warning",
                "empty-file",
                "has no content" if not read.text.strip() else "has no body text",
            )
        )
    lines = body.split("\n")
    refusal = check_markdown(body)
    if refusal is None:
        blocks = parse_blocks(body)
        page_body = "\n".join(reindent_lists(lines, blocks))
    else:  # would exhaust the Markdown converter: publish it as text, index what comes before
        problems.append(refusal.shifted(front.body_line))
        cut = (refusal.line or 1) - 1
        blocks = parse_blocks("\n".join(lines[:cut] + [""] * (len(lines) - cut)))
        page_body = escaped_body(body)
    extraction = extractor.extract(blocks, lines, front.body_line)
    problems += [p.shifted(front.body_line) for p in extraction.problems]
    sources.append(header_pairs(blocks, lines, front.body_line))
    found = resolve(sources, extractor.field_names)
    problems += found.problems
    title, title_place = choose_title(
        meta, extraction.title, candidate.stem, found.header_title, extractor.title_prefixes
    )
    endpoints, events = (api or ApiExtractor(config, extractor.prompt)).extract(
        blocks, lines, front.body_line
    )
    code = frozenset(code_lines(blocks))
    headings = body_headings(blocks, lines, set(code))
    if refusal is not None:  # the escaped text is shown line for line: no ids, no title cut
        headings, title_place = (), None
    citations = []
    seen: set[tuple[str, int]] = set()  # a name cited many times on one line counts once
    missing: dict[str, int] = {}
    for mention in mentions(body, set(code)):
        line = front.body_line + mention.line + 1
        if (mention.name, line) in seen:
            continue
        seen.add((mention.name, line))
        known = references.is_known(mention.name)
        if known:
            citations.append(Citation(mention.name, line))
        if references.is_missing(mention.name):
            missing[mention.name] = missing.get(mention.name, 0) + 1
            if missing[mention.name] <= MAX_REPEATS:
                problems.append(
                    Problem(
                        "warning",
                        "reference-missing",
                        f"cites {mention.name}, which has no page in docs/ and no URL in the "
                        "config",
                        line,
                    )
                )
    for name, count in missing.items():
        if count > MAX_REPEATS:
            problems.append(
                Problem(
                    "warning",
                    "reference-missing",
                    f"cites {name} on {count - MAX_REPEATS} more lines (not listed one by one)",
                )
            )
    spec = Spec(
        slug,
        source,
        candidate.path,
        title,
        meta,
        page_body,
        front.body_line,
        title_heading=title_place,
        info=found.values,
        info_lines=found.lines,
        meta_keys=frozenset(found.used_keys),
        # escaped text is all code to the link rewriter: no links are written into it
        code_lines=code if refusal is None else frozenset(range(len(lines))),
        html_lines=raw_html_lines(blocks) if refusal is None else frozenset(),
        headings=headings,
        items=extraction.items,
        sections=extraction.sections,
        citations=citations,
        problems=problems,
        endpoints=endpoints,
        events=events,
    )
    spec.written_links = tuple(relative_links(spec.body, set(spec.code_lines), spec.html_lines))
    spec.recommendation = recommendation(spec, config.recommendation)  # catalog, export
    spec.components = tuple(components(spec))  # impact page, explorer, export
    return spec


def _read_sidecar(
    candidate: Candidate, config: Config
) -> tuple[dict[str, Any], list[Problem], str | None]:
    """The sidecar's mapping, its problems and its text (dates kept as written)."""
    assert config.sidecar is not None
    name = config.sidecar.replace("{stem}", candidate.stem)
    if not _stays_inside(name):
        return (
            {},
            [
                Problem(
                    "warning",
                    "sidecar-outside",
                    f"metadata file {_display(name)} is outside the spec's folder; not read",
                )
            ],
            None,
        )
    path = config.specs_dir / _sidecar_relative(candidate, config)
    if not path.is_file():
        return {}, [], None
    # a link (of the file or of a folder on the way) may point out of the project
    problem = _symlink_problem(path, (config.root.resolve(), config.specs_dir.resolve()))
    if problem is not None:
        what = problem.message.rsplit(";", 1)[0]
        message = f"metadata file {_display(name)} {what}; not read"
        return {}, [Problem(problem.severity, problem.code, message)], None
    read = read_text(path, config.max_file_size)
    name = _display(path.name)
    if read.text is None:
        return (
            {},
            [
                Problem(p.severity, p.code, f"metadata file {name} {p.message}")
                for p in read.problems
            ],
            None,
        )
    try:
        data = load_yaml(read.text)
    except YamlTooLarge as error:
        refused = f"metadata file {name} is refused: {error.reason} (line {error.line + 1})"
        return {}, [Problem("warning", "sidecar-invalid", refused)], None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        invalid = f"metadata file {name} is not valid YAML ({jsonable(str(error))})"
        return {}, [Problem("warning", "sidecar-invalid", invalid)], None
    if not isinstance(data, dict):
        return (
            {},
            [
                Problem(
                    "warning",
                    "sidecar-invalid",
                    f"metadata file {name} must hold a mapping of keys",
                )
            ],
            None,
        )
    return jsonable(data), [], read.text


def _stays_inside(name: str) -> bool:
    """A relative name that does not climb out of its folder (no absolute path, no '..')."""
    normal = posixpath.normpath(name.replace("\\", "/"))
    return not (normal.startswith("/") or normal == ".." or normal.startswith("../"))


def _flag_duplicate_titles(specs: list[Spec]) -> None:
    by_title: dict[str, list[Spec]] = {}
    for spec in specs:
        if spec.readable:
            by_title.setdefault(spec.title.casefold(), []).append(spec)
    for group in by_title.values():
        if len(group) > 1:
            for spec in group:
                others = ", ".join(o.source for o in group if o is not spec)
                spec.problems.append(
                    Problem(
                        "warning",
                        "duplicate-title",
                        f"has the same title '{spec.title}' as {others}",
                    )
                )
