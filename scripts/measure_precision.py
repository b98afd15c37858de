"""Item extraction measured against a labelled corpus: precision and recall per kind.

    .venv/bin/python scripts/measure_precision.py tests/fixtures/corpus4 [more folders...]
    .venv/bin/python scripts/measure_precision.py examples/rfc/rfcs \\
        --labels examples/rfc/expected.yaml --config examples/rfc/mkdocs.yml

Each folder holds specs and an ``expected.yaml`` keyed by spec (file name, stem, or the
folder name of a ``README.md``) with, per kind, a list of items: a string, or a mapping
with ``text`` and optionally ``resolved``, ``fields`` and ``detail``. The folder is built
in-process with the repository's configuration (or ``--config``'s), items are paired one
to one per spec and kind (equal texts first, then the lenient rule of
``tests/test_corpus.py``: a prefix, or the same first 40 characters), and the script prints
per kind: labels, found, matched, precision, recall; over matched pairs, how many labelled
fields and details agree (after folding case, markdown and punctuation); the resolved
state of open questions; then every miss, extra and disagreement (``-q`` leaves the list
out). Exit status 0 always: this reports, the tests assert.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from specsite.build import build
from specsite.model import Item as Found
from specsite.project import load_project

REPO = Path(__file__).resolve().parents[1]
KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")
SHARED_PREFIX = 40


@dataclass
class Label:
    text: str
    resolved: bool | None = None
    fields: dict[str, str] = field(default_factory=dict)
    detail: str | None = None


@dataclass
class Counts:
    labels: int = 0
    found: int = 0
    matched: int = 0
    fields: int = 0
    fields_agree: int = 0
    details: int = 0
    details_agree: int = 0
    resolved: int = 0
    resolved_agree: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def fold(text: str) -> str:
    return " ".join(text.split())


def loose(text: str) -> str:
    """For fields and details: no markdown, case, punctuation or table pipes."""
    text = re.sub(r"[`*_~|]", " ", text.casefold())
    text = re.sub(r"[^\w%/.-]+", " ", text)
    return " ".join(text.split()).strip(" .;,:")


def lenient(a: str, b: str) -> bool:
    if not a or not b:
        return a == b
    if a.startswith(b) or b.startswith(a):
        return True
    return min(len(a), len(b)) >= SHARED_PREFIX and a[:SHARED_PREFIX] == b[:SHARED_PREFIX]


def pair(labels: list[Label], found: list[Found]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    free_labels, free_found = set(range(len(labels))), set(range(len(found)))
    for strict in (True, False):
        for i in sorted(free_labels):
            for j in sorted(free_found):
                a, b = labels[i].text, fold(found[j].text)
                if a == b if strict else lenient(a, b):
                    pairs.append((i, j))
                    free_labels.discard(i)
                    free_found.discard(j)
                    break
    return pairs


def read_labels(entries: list[Any] | None) -> list[Label]:
    labels = []
    for entry in entries or []:
        if isinstance(entry, dict):
            resolved = entry.get("resolved")
            labels.append(
                Label(
                    fold(str(entry["text"])),
                    None if resolved is None else bool(resolved),
                    {str(k): str(v) for k, v in (entry.get("fields") or {}).items()},
                    None if entry.get("detail") is None else str(entry["detail"]),
                )
            )
        else:
            labels.append(Label(fold(str(entry))))
    return labels


def spec_keys(source: str) -> list[str]:
    path = Path(source)
    return [path.name, path.stem, path.parent.name, source]


def field_agrees(want: str, got: str | None) -> bool:
    if got is None:
        return False
    a, b = loose(want), loose(got)
    return a == b or (len(a) >= 12 and (b.startswith(a) or a.startswith(b)))


def detail_agrees(want: str, item: Found) -> bool:
    """Equal, or equal once the item's fields ('Mitigation: ...') are left out: labels
    may keep an attribute out of the detail, the extractor keeps it in both."""
    got = loose(item.detail)
    if loose(want) == got:
        return True
    for name, value in item.fields.items():
        got = got.replace(loose(f"{name} {value}"), " ")
    return loose(want) == loose(got)


def measure(
    corpus: Path, labels_file: Path, config_file: Path, notes: list[str]
) -> dict[str, Counts]:
    project = load_project(config_file, cwd=Path.cwd(), specs_dir=corpus)
    collection = build(project.settings, set()).collection
    expected: dict[str, Any] = yaml.safe_load(labels_file.read_text("utf-8")) or {}
    counts = {kind: Counts() for kind in KINDS}
    seen: set[str] = set()
    for spec in collection.specs:
        key = next((k for k in spec_keys(spec.source) if k in expected), None)
        if key is None:
            notes.append(f"UNLABELLED {spec.source}")
            continue
        seen.add(key)
        for kind in KINDS:
            want = read_labels(expected[key].get(kind))
            got = list(spec.items_of(kind))
            c = counts[kind]
            c.labels += len(want)
            c.found += len(got)
            pairs = pair(want, got)
            c.matched += len(pairs)
            paired_labels = {i for i, _ in pairs}
            paired_found = {j for _, j in pairs}
            for i, label in enumerate(want):
                if i not in paired_labels:
                    notes.append(f"MISS   {key} [{kind}] {label.text}")
            for j, item in enumerate(got):
                if j not in paired_found:
                    notes.append(f"EXTRA  {key} [{kind}] line {item.line}: {fold(item.text)}")
            for i, j in pairs:
                label, item = want[i], got[j]
                if label.text != fold(item.text):
                    notes.append(
                        f"TEXT   {key} [{kind}] label {label.text!r}\n"
                        f"{'':7}extracted {fold(item.text)!r}"
                    )
                for name, value in label.fields.items():
                    c.fields += 1
                    if field_agrees(value, item.fields.get(name)):
                        c.fields_agree += 1
                    else:
                        notes.append(
                            f"FIELD  {key} [{kind}] {label.text[:50]!r} {name}: label "
                            f"{value!r}, extracted {item.fields.get(name)!r}"
                        )
                if label.detail is not None:
                    c.details += 1
                    if detail_agrees(label.detail, item):
                        c.details_agree += 1
                    else:
                        notes.append(
                            f"DETAIL {key} [{kind}] {label.text[:50]!r}\n"
                            f"{'':7}label     {loose(label.detail)!r}\n"
                            f"{'':7}extracted {loose(item.detail)!r}"
                        )
                if label.resolved is not None:
                    c.resolved += 1
                    if label.resolved == bool(item.resolved):
                        c.resolved_agree += 1
                    else:
                        notes.append(
                            f"STATE  {key} [{kind}] {label.text[:60]!r}: label resolved="
                            f"{label.resolved}, extracted {item.resolved}"
                        )
    for key in sorted(set(expected) - seen):
        if isinstance(expected[key], dict) and any(k in expected[key] for k in KINDS):
            notes.append(f"NOT BUILT {key} (labelled, but no such spec in the build)")
    return counts


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else "-"


def table(counts: dict[str, Counts]) -> str:
    rows = [
        f"{'kind':<14}{'labels':>7}{'found':>7}{'matched':>8}{'precision':>11}{'recall':>8}"
        f"   fields        detail        resolved"
    ]
    total = Counts()
    for kind in [*KINDS, "all"]:
        c = total if kind == "all" else counts[kind]
        if kind != "all":
            total.add(c)
        precision = c.matched / c.found if c.found else 1.0
        recall = c.matched / c.labels if c.labels else 1.0
        rows.append(
            f"{kind:<14}{c.labels:>7}{c.found:>7}{c.matched:>8}{precision:>11.3f}{recall:>8.3f}"
            f"   {ratio(c.fields_agree, c.fields):<13} {ratio(c.details_agree, c.details):<13}"
            f" {ratio(c.resolved_agree, c.resolved)}"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--labels", type=Path, help="labels file (default: FOLDER/expected.yaml)")
    parser.add_argument("--config", type=Path, default=REPO / "mkdocs.yml")
    parser.add_argument("-q", "--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    overall = {kind: Counts() for kind in KINDS}
    for folder in args.folders:
        notes: list[str] = []
        labels = args.labels or folder / "expected.yaml"
        counts = measure(folder.resolve(), labels.resolve(), args.config.resolve(), notes)
        for kind in KINDS:
            overall[kind].add(counts[kind])
        print(f"== {folder}")
        print(table(counts))
        if notes and not args.quiet:
            print("\n".join(notes))
        print()
    if len(args.folders) > 1:
        print("== all folders")
        print(table(overall))


if __name__ == "__main__":
    main()
