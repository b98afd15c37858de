"""Check specs without building a site: the collection (or some of its files) parsed
exactly as a build parses it, its problems as compiler-style lines, its export data.

Checking a few files (a pre-commit hook) parses only those files; their page names
still come from listing the whole folder, so their URLs and slug collisions match
the site's. Problems between specs (``duplicate-title``) need every spec's title,
so they are reported only when the whole collection is checked.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specsite.collect import (
    Candidate,
    _site_files,
    _slugs,
    attach_files,
    collect,
    discover_files,
    parse_spec,
    slugify,
)
from specsite.config import Config
from specsite.export import export_data, export_json
from specsite.extract import Extractor
from specsite.lifecycle import annotate
from specsite.model import Collection, Skipped, Spec, project_path
from specsite.pages import SiteBuilder
from specsite.problems import Problem
from specsite.prompt import Prompt, load_prompt
from specsite.references import References

# Problems that mean the configuration points nowhere: a usage error, not a finding.
SETUP_CODES = frozenset({"specs-dir-missing", "file-missing", "not-a-file", "unreadable"})


@dataclass(frozen=True)
class Diagnostic:
    """One problem located in a file, ready to print as ``path:line:col: severity: ...``."""

    path: Path  # absolute
    problem: Problem

    def line(self, cwd: Path) -> str:
        try:  # below the working folder: relative; elsewhere the terminal shows it whole
            shown = self.path.relative_to(cwd).as_posix()
        except ValueError:
            shown = self.path.as_posix()
        p = self.problem
        return f"{shown}:{p.line or 1}:1: {p.severity}: {p.message} [{p.code}]"


@dataclass
class Checked:
    """The result of one check: the parsed prompt and specs, and how to name their URLs."""

    config: Config
    prompt: Prompt
    collection: Collection
    builder: SiteBuilder  # only for the URLs: the same ones the site's specs.json holds

    def diagnostics(self) -> Iterator[Diagnostic]:
        """Prompt problems first, then each file in order, like the build's messages."""
        for problem in self.collection.problems:
            yield Diagnostic(self.config.prompt, problem)
        for spec in self.collection.specs:
            for problem in spec.problems:
                yield Diagnostic(spec.path, problem)
        for entry in self.collection.skipped:
            for problem in entry.problems:
                yield Diagnostic(self.machine_path(entry.source), problem)

    def machine_path(self, source: str) -> Path:
        """Where a published name is on this machine: names are relative to the project,
        or to the specs folder's parent when that folder is outside the project."""
        specs_dir = self.config.specs_dir
        base = self.config.root if specs_dir.is_relative_to(self.config.root) else specs_dir.parent
        return base / source

    def setup_errors(self) -> list[Diagnostic]:
        """Problems that mean the prompt or the specs folder is not where the config says."""
        found = [
            Diagnostic(self.config.prompt, p)
            for p in self.collection.problems
            if p.code in SETUP_CODES
        ]
        for entry in self.collection.skipped:
            found += [
                Diagnostic(self.machine_path(entry.source), p)
                for p in entry.problems
                if p.code == "specs-dir-missing"
            ]
        return found

    def export_json(self) -> str:
        b = self.builder
        return export_json(self.collection, self.prompt, b.url_of_item, b.spec_url)

    def export_data(self) -> dict[str, Any]:
        b = self.builder
        return export_data(self.collection, self.prompt, b.url_of_item, b.spec_url)


def check(
    config: Config,
    doc_uris: Iterable[str],
    paths: list[Path] | None = None,
    *,
    directory_urls: bool = True,
) -> Checked:
    """Parse the whole collection (``paths`` None) or only the given files and folders.

    A file outside the specs folder is checked as if it were one of its specs.
    """
    docs = set(doc_uris)
    prompt = load_prompt(config)
    references = References.build(
        prompt.references, config.references, docs, config.ignore_references
    )
    if paths is None:
        collection = collect(config, prompt, references)
    else:
        collection = _collect_some(config, prompt, references, paths)
    builder = SiteBuilder(config, prompt, collection, references, directory_urls=directory_urls)
    return Checked(config, prompt, collection, builder)


def _absolute(path: Path) -> Path:
    """Absolute and normalized, without resolving symbolic links (as the folder listing)."""
    return Path(os.path.normpath(path.absolute()))


def _collect_some(
    config: Config, prompt: Prompt, references: References, paths: list[Path]
) -> Collection:
    walk = discover_files(config)
    candidates, skipped = walk.candidates, list(walk.skipped)
    slugs, slug_problems = _slugs(candidates)
    files, page_uris, _, _ = _site_files(config, walk, slugs, skipped)
    wanted = [_absolute(p) for p in paths]

    def chosen(path: Path) -> bool:
        return any(path == w or path.is_relative_to(w) for w in wanted)

    selected = [index for index, c in enumerate(candidates) if chosen(_absolute(c.path))]
    chosen_skipped = [s for s in skipped if chosen(_absolute(config.root / s.source))]
    known = {_absolute(c.path) for c in candidates}
    known |= {_absolute(config.root / s.source) for s in skipped}
    specs_dir = _absolute(config.specs_dir)
    outside: list[Path] = []
    for w in wanted:
        if w.is_relative_to(specs_dir) or specs_dir.is_relative_to(w):
            continue  # the collection's own files, chosen above
        if w.is_file():
            outside.append(w)
        elif w.is_dir():  # a folder of drafts elsewhere: each Markdown file is a spec
            outside += sorted(
                f
                for f in w.rglob("*.md")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(w).parts)
            )
    outside = list(dict.fromkeys(o for o in outside if o not in known))
    extractor = Extractor(config, prompt)
    specs: list[Spec] = []
    for index in selected:
        spec = parse_spec(candidates[index], slugs[index], config, extractor, references)
        if index in slug_problems:
            spec.problems.insert(0, slug_problems[index])
        specs.append(spec)
    chosen_candidates = [candidates[index] for index in selected]
    attach_files(config, references, walk, files, page_uris, chosen_candidates, specs)
    for path in outside:
        stem = path.parent.name if path.name in ("README.md", "index.md") else path.stem
        candidate = Candidate(path, path.name, stem)
        specs.append(parse_spec(candidate, slugify(stem), config, extractor, references))
    unlisted: list[Skipped] = []
    for w in wanted:
        if w.is_file() and w not in known and w.is_relative_to(specs_dir):
            unlisted.append(
                Skipped(
                    project_path(w, config.root, config.specs_dir),
                    [Problem("info", "not-a-spec", "is in the specs folder but not a spec file")],
                )
            )
    specs.sort(key=lambda s: s.source)
    annotate(config, prompt, specs, links=False)  # statuses, dates, provenance (lifecycle.py)
    return Collection(
        specs, sorted(chosen_skipped + unlisted, key=lambda s: s.source), list(prompt.problems)
    )
