"""Items per kind on a real collection, and a seeded random sample of them to hand-label.

    .venv/bin/python scripts/sample_items.py /tmp/prec-x/kep/keps \\
        --config examples/kep/mkdocs.yml \\
        --prompt /tmp/prec-x/kep/keps/NNNN-kep-template/README.md \\
        --per-kind 20 --seed 11 --out /work/notes/precision-sample/kep.yaml

The folder is built in-process (``specsite.build.build``) with the configuration's
specsite keys, ``--prompt`` and ``--sidecar`` overriding them (``--sidecar ''`` for
none). Prints the documents built and the items per kind; with ``--out`` writes, per
kind, ``--per-kind`` items drawn with ``--seed``, each with its source, line, heading
path and text, and an empty ``label`` for the labeller (``y``: an item of that kind;
``n``: not). ``--labels FILE`` reads such a file back, labelled, and prints the
precision per kind. Nothing of the collection is written into the repository.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from specsite.build import build
from specsite.config import load_config
from specsite.model import Spec
from specsite.project import read_mkdocs_yml, specsite_options

KINDS = ("blocker", "risk", "performance", "out_of_scope", "open_question")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def heading_path(spec: Spec, body_line: int) -> str:
    """The headings above a body line, outermost first ('Design Details > Scalability')."""
    lines = spec.body.split("\n")
    path: list[tuple[int, str]] = []
    fence = False
    for line in lines[: body_line + 1]:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else _HEADING.match(line)
        if match is not None:
            level = len(match.group(1))
            path = [(lv, text) for lv, text in path if lv < level] + [(level, match.group(2))]
    return " > ".join(text for _, text in path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--prompt", type=Path)
    parser.add_argument("--sidecar")
    parser.add_argument("--per-kind", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--labels", type=Path, help="a labelled sample: print its precision")
    args = parser.parse_args()
    if args.labels is not None:
        report(yaml.safe_load(args.labels.read_text("utf-8")))
        return
    config_file = args.config.resolve()
    options = dict(specsite_options(read_mkdocs_yml(config_file)) or {})
    options["specs_dir"] = str(args.folder.resolve())
    if args.prompt is not None:
        options["prompt"] = str(args.prompt.resolve())
    if args.sidecar is not None:
        options["sidecar"] = args.sidecar or None
    config = load_config(options, config_file.parent)
    specs = build(config, set()).collection.specs
    items = [(spec, item) for spec in specs for item in spec.items]
    counts = Counter(item.kind for _, item in items)
    print(f"documents: {len(specs)}")
    print("items per kind: " + ", ".join(f"{kind} {counts[kind]}" for kind in KINDS))
    if args.out is None:
        return
    rng = random.Random(args.seed)
    sample: dict[str, list[dict[str, Any]]] = {}
    for kind in KINDS:
        of_kind = [(spec, item) for spec, item in items if item.kind == kind]
        chosen = rng.sample(of_kind, min(args.per_kind, len(of_kind)))
        sample[kind] = [
            {
                "source": spec.source,
                "line": item.line,
                "under": heading_path(spec, item.body_line),
                "text": item.text[:400],
                "label": None,
            }
            for spec, item in sorted(chosen, key=lambda pair: (pair[0].source, pair[1].line))
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(yaml.safe_dump(sample, sort_keys=False, allow_unicode=True, width=100))
    print(f"sample written to {args.out}")


def report(sample: dict[str, list[dict[str, Any]]]) -> None:
    for kind in KINDS:
        entries = sample.get(kind) or []
        yes = sum(1 for entry in entries if str(entry.get("label")).lower() in ("y", "yes", "true"))
        print(f"{kind:<14} {yes}/{len(entries)}")


if __name__ == "__main__":
    main()
