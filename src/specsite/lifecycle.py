"""Each spec's place in the lifecycle, worked out once per build across the collection.

Statuses are checked against the configured lifecycle (``statuses``); ``supersedes``
and ``superseded_by`` are resolved against the collection (a slug, a file name, a
relative link or a title) and linked both ways; dates come from the spec, or from git
(``specsite.history``) where it gives none; provenance from ``specsite.provenance``;
view-source and edit links from the repository settings. Everything lands in
``Spec.lifecycle`` (and problems): other specs shape it, so it is never cached with a
spec (``serve`` re-runs this part on every build, in linear time).
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specsite.config import Config
from specsite.history import History, git_history
from specsite.model import Lifecycle, Spec, SpecDates, SpecLink
from specsite.problems import Problem
from specsite.prompt import Prompt
from specsite.provenance import provenance

_LINK = re.compile(r"^\s*\[(?P<text>[^\]]*)\]\((?P<url><[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)\s*$")
_FOLDER_SPECS = ("readme", "index")


@dataclass(frozen=True)
class RepoLinks:
    """Where the spec files live in the repository (MkDocs' ``repo_url`` / ``edit_uri``)."""

    repo_url: str
    edit_uri: str | None  # as MkDocs has it: relative to repo_url, ends with the docs folder
    edit_uri_template: str | None
    docs_dir: Path

    def for_file(self, path: Path) -> tuple[str | None, str | None]:
        """(view URL, edit URL) of a file, the way MkDocs builds a page's edit URL."""
        if not self.edit_uri and not self.edit_uri_template:
            return None, None
        src_uri = Path(os.path.relpath(path, self.docs_dir)).as_posix()
        if self.edit_uri_template:
            noext = posixpath.splitext(src_uri)[0]
            file_edit_uri = self.edit_uri_template.format(path=src_uri, path_noext=noext)
        else:
            assert self.edit_uri is not None
            file_edit_uri = self.edit_uri.rstrip("/") + "/" + src_uri
        repo = self.repo_url
        if not file_edit_uri.startswith(("?", "#")) and not repo.endswith("/"):
            repo += "/"
        edit = urllib.parse.urljoin(repo, file_edit_uri)
        if not edit.lower().startswith(("https://", "http://")):
            return None, None
        view = re.sub(r"/(-/)?edit/", r"/\1blob/", edit, count=1)  # GitHub, GitLab
        return view, edit


def repo_links(
    repo_url: str | None, edit_uri: str | None, edit_uri_template: str | None, docs_dir: str
) -> RepoLinks | None:
    if not repo_url and not (edit_uri and edit_uri.lower().startswith(("http://", "https://"))):
        return None
    return RepoLinks(repo_url or "", edit_uri or None, edit_uri_template or None, Path(docs_dir))


def with_repo(config: Config, repo: RepoLinks | None) -> Config:
    """The configuration with the repository's links (the MkDocs adapter calls this)."""
    return dataclasses.replace(config, repo=repo)


class Targets:
    """Find a spec by what an author writes for it: slug, file name, link or title."""

    def __init__(self, specs: list[Spec]) -> None:
        self.by_slug: dict[str, Spec] = {}
        self.by_name: dict[str, Spec] = {}
        self.by_title: dict[str, Spec] = {}
        for spec in specs:
            self.by_slug.setdefault(spec.slug.lower(), spec)
            self.by_name.setdefault(spec.slug.rsplit("/", 1)[-1].lower(), spec)
            self.by_title.setdefault(_fold(spec.title), spec)
            source = spec.source.lower()
            self.by_slug.setdefault(source, spec)
            self.by_name.setdefault(posixpath.basename(source), spec)

    def find(self, written: str) -> Spec | None:
        text = written.strip().strip("`*_\"' ")
        match = _LINK.match(text)
        tries = [match.group("url").strip("<>"), match.group("text")] if match else [text]
        for attempt in tries:
            found = self._find(attempt)
            if found is not None:
                return found
        return None

    def _find(self, text: str) -> Spec | None:
        if not text:
            return None
        title = self.by_title.get(_fold(text))
        if title is not None:
            return title
        path = urllib.parse.unquote(re.split(r"[#?]", text, maxsplit=1)[0]).strip().rstrip("/")
        path = posixpath.normpath(path) if path else path
        parts = [p for p in path.split("/") if p not in ("", ".", "..")]
        if not parts:
            return None
        last = parts[-1]
        if last.lower().endswith(".md"):
            last = last[:-3]
            if last.lower() in _FOLDER_SPECS and len(parts) > 1:
                last = parts[-2]
        for key in ("/".join(parts).lower(), posixpath.basename(path).lower()):
            if key in self.by_slug:
                return self.by_slug[key]
            if key in self.by_name:
                return self.by_name[key]
        from specsite.collect import slugify  # collect calls annotate: imported late

        slug = slugify(last)
        return self.by_slug.get(slug) or self.by_name.get(slug)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _written(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def annotate(
    config: Config,
    prompt: Prompt,
    specs: list[Spec],
    history: History | None = None,
    *,
    links: bool = True,
) -> list[Problem]:
    """Fill ``Spec.lifecycle`` of every spec and add its problems; returns the notes about
    the collection as a whole (why there are no git dates). Without ``links`` (a check of
    a few files, which cannot see every spec) supersession is left out rather than
    reported missing."""
    if history is None:
        history = git_history(config.specs_dir)
    targets = Targets(specs if links else [])
    successors: dict[int, list[Spec]] = {}  # id(spec) -> the specs that supersede it
    predecessors: dict[int, list[Spec]] = {}

    def connect(old: Spec, new: Spec) -> None:  # by identity: Spec equality walks the model
        if not any(s is new for s in successors.setdefault(id(old), [])):
            successors[id(old)].append(new)
        if not any(s is old for s in predecessors.setdefault(id(new), [])):
            predecessors[id(new)].append(old)

    for spec in specs if links else []:
        for name in ("supersedes", "superseded_by"):
            for written in _written(spec.info.get(name)):
                target = targets.find(written)
                if target is None:
                    spec.problems.append(
                        Problem(
                            "warning",
                            "lifecycle-link-missing",
                            f"{name} '{written}': no spec of the collection has that name, "
                            "file or title",
                            spec.info_lines.get(name),
                        )
                    )
                elif name == "supersedes":
                    connect(target, spec)
                else:
                    connect(spec, target)
    position = {id(spec): number for number, spec in enumerate(specs)}
    for linked in (*successors.values(), *predecessors.values()):
        linked.sort(key=lambda s: position[id(s)])  # collection order, whatever wrote the link
    for cycle in _cycles(specs, successors):
        path = ", ".join(s.source for s in cycle)
        for spec in cycle:
            line = spec.info_lines.get("superseded_by") or spec.info_lines.get("supersedes")
            message = f"supersedes itself through a cycle of specs: {path}"
            spec.problems.append(Problem("warning", "lifecycle-cycle", message, line))
    missing_dates = 0
    for spec in specs:
        status = config.statuses.normalize(spec.status)
        stage, known = None, True
        if status is not None and status in config.statuses.order:
            stage = config.statuses.order.index(status)
        elif status is not None and config.statuses.order:
            known = False
            spec.problems.append(
                Problem(
                    "warning",
                    "status-unknown",
                    f"status '{spec.status}' is not one of the configured statuses "
                    f"({', '.join(config.statuses.order)}); add it to 'statuses.order' or "
                    "'statuses.aliases'",
                    spec.info_lines.get("status"),
                )
            )
        dates = _dates(spec, history)
        if dates.created is None or dates.updated is None:
            missing_dates += 1
        line = spec.info_lines.get("prompt_hash")
        origin, problems = provenance(spec.info, prompt, line)
        spec.problems += problems
        view, edit = (None, None)
        if config.repo is not None and spec.readable:
            view, edit = config.repo.for_file(spec.path)
        spec.lifecycle = Lifecycle(
            status=status,
            stage=stage,
            hidden=config.statuses.is_hidden(status),
            known=known,
            superseded_by=tuple(_link(s, config) for s in successors.get(id(spec), [])),
            supersedes=tuple(_link(s, config) for s in predecessors.get(id(spec), [])),
            dates=dates,
            provenance=origin,
            view_url=view,
            edit_url=edit,
        )
    if history.missing is not None and missing_dates:
        return [
            Problem(
                "info",
                "git-dates-missing",
                f"no dates from git for the {missing_dates} spec(s) that write none: "
                f"{history.missing}",
            )
        ]
    return []


def _link(spec: Spec, config: Config) -> SpecLink:
    return SpecLink(spec.slug, spec.title, f"{config.specs_url}/{spec.slug}.md")


def _dates(spec: Spec, history: History) -> SpecDates:
    created, updated = spec.info.get("date"), spec.info.get("updated")
    found = history.of(spec.path)
    return SpecDates(
        created=str(created) if created else (found.created if found else None),
        created_from="spec" if created else ("git" if found else None),
        updated=str(updated) if updated else (found.updated if found else None),
        updated_from="spec" if updated else ("git" if found else None),
    )


def _cycles(specs: list[Spec], successors: dict[int, list[Spec]]) -> list[list[Spec]]:
    """The supersession cycles (strongly connected parts with a loop), each once, in
    collection order (Tarjan's algorithm, iterative: a long chain cannot overflow)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[Spec] = []
    on_stack: set[int] = set()
    found: list[list[Spec]] = []
    order = {id(s): n for n, s in enumerate(specs)}
    counter = 0
    for root in specs:
        if id(root) in index:
            continue
        work: list[tuple[Spec, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            key = id(node)
            if position == 0:
                index[key] = low[key] = counter
                counter += 1
                stack.append(node)
                on_stack.add(key)
            nexts = successors.get(key, [])
            if position < len(nexts):
                work.append((node, position + 1))
                child = nexts[position]
                if id(child) not in index:
                    work.append((child, 0))
                elif id(child) in on_stack:
                    low[key] = min(low[key], index[id(child)])
                continue
            if low[key] == index[key]:
                part: list[Spec] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(id(member))
                    part.append(member)
                    if member is node:
                        break
                if len(part) > 1 or any(s is node for s in successors.get(key, [])):
                    found.append(sorted(part, key=lambda s: order[id(s)]))
            if work:
                parent = work[-1][0]
                low[id(parent)] = min(low[id(parent)], low[key])
    return found
