"""Endpoint and event extraction measured against a labelled corpus.

    .venv/bin/python scripts/measure_api.py tests/fixtures/api_corpus

The folder holds specs and an ``expected.yaml`` (per spec stem: ``endpoints`` with
method, path, auth, request, response, line; ``events`` with name, direction,
payload, line). Endpoints match on method and path (parameters by position), events
on name, one to one, nearest line first. Prints recall and precision, the accuracy
of each field over the matched pairs (equal after folding case, spaces and
backticks), the conflicts found, then every miss, extra and differing field.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from specsite.api import endpoint_key
from specsite.build import build
from specsite.config import load_config
from specsite.model import Endpoint, Event

REPO = Path(__file__).resolve().parents[1]


def folded(value: Any) -> str | None:
    if value is None:
        return None
    return " ".join(re.sub(r"[`*]", "", str(value)).casefold().split()).strip(" .;,")


def main(corpus: Path) -> None:
    config = load_config({"specs_dir": str(corpus), "prompt": str(REPO / "prompts/study.md")}, REPO)
    collection = build(config, set()).collection
    expected = yaml.safe_load((corpus / "expected.yaml").read_text("utf-8"))
    counts: dict[str, list[int]] = {"endpoints": [0, 0, 0], "events": [0, 0, 0]}
    fields: dict[str, list[int]] = {}
    notes: list[str] = []
    for spec in collection.specs:
        stem = Path(spec.source).stem
        labels = expected.get(stem) or {}
        entries: tuple[tuple[str, list[Endpoint | Event]], ...] = (
            ("endpoints", [*spec.endpoints]),
            ("events", [*spec.events]),
        )
        for kind, found in entries:
            names = (
                ("auth", "request", "response") if kind == "endpoints" else ("direction", "payload")
            )

            def key(entry: Endpoint | Event) -> str:
                if isinstance(entry, Endpoint):
                    return endpoint_key(entry.method, entry.path)
                return entry.name

            free = list(range(len(found)))
            for label in labels.get(kind) or []:
                wanted = (
                    endpoint_key(label["method"], str(label["path"]))
                    if kind == "endpoints"
                    else str(label["name"])
                )
                candidates = [i for i in free if key(found[i]) == wanted]
                counts[kind][1] += 1
                if not candidates:
                    notes.append(f"MISS  {stem}: {wanted} (line {label.get('line')})")
                    continue
                best = min(candidates, key=lambda i: abs(found[i].line - int(label["line"])))
                free.remove(best)
                counts[kind][0] += 1
                entry = found[best]
                for name in (*names, "line"):
                    got = getattr(entry, name)
                    same = (
                        got == label.get(name)
                        if name == "line"
                        else folded(got) == folded(label.get(name))
                    )
                    tally = fields.setdefault(f"{kind}.{name}", [0, 0])
                    tally[0] += same
                    tally[1] += 1
                    if not same:
                        notes.append(
                            f"FIELD {stem}: {wanted} {name}: {got!r} != {label.get(name)!r}"
                        )
            counts[kind][2] += len(found)
            notes += [f"EXTRA {stem}: {key(found[i])} (line {found[i].line})" for i in free]
    for kind, (matched, labelled, extracted) in counts.items():
        print(
            f"{kind}: recall {matched}/{labelled} = {matched / max(labelled, 1):.3f}, "
            f"precision {matched}/{extracted} = {matched / max(extracted, 1):.3f}"
        )
    for name, (same, total) in sorted(fields.items()):
        print(f"  {name}: {same}/{total} = {same / max(total, 1):.3f}")
    for conflict in collection.api_conflicts:
        first, later = Path(conflict.first.source).stem, Path(conflict.later.source).stem
        print(f"conflict: {conflict.key}: {first} / {later} ({', '.join(conflict.fields)})")
    print(*notes, sep="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "tests" / "fixtures" / "api_corpus")
