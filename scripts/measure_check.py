#!/usr/bin/env python3
"""Measure ``specsite check`` against markdown-it-py tokenizing the same files.

``specsite check`` runs as a pre-commit hook, so it must cost little more than
reading the Markdown at all. This script generates N specs from the example
collection (unique titles, like scripts/benchmark.py), then times, each as a fresh
process (start-up and imports included, as pre-commit pays them):

  A: ``specsite check --specs-dir <folder>`` on the whole collection;
  B: ``python -c`` reading the same files and tokenizing each with
     ``MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse`` (inline
     tokens included), nothing else;

and the same two in-process (no start-up): ``specsite.checking.check`` vs the
tokenizing loop. It prints medians and the ratios A/B (the target is at most 3).
Run: .venv/bin/python scripts/measure_check.py --specs 1000 --runs 5
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from markdown_it import MarkdownIt

from specsite.checking import check
from specsite.project import load_project

REPO = Path(__file__).resolve().parents[1]

TOKENIZE = """
import sys
from pathlib import Path
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    md.parse(path.read_text(encoding="utf-8"))
"""


def generate(target: Path, count: int) -> None:
    """``count`` specs made from the example specs, each with its own title."""
    sources = sorted((REPO / "specs").glob("*.md"))
    target.mkdir(parents=True)
    for number in range(count):
        source = sources[number % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^(title: .*?)(\"?)$", rf"\g<1> {number}\g<2>", text, count=1, flags=re.M)
        text = re.sub(r"^# (.*)$", rf"# \g<1> {number}", text, count=1, flags=re.M)
        (target / f"{source.stem}-{number:05d}.md").write_text(text, encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command} failed:\n{done.stdout.decode()}{done.stderr.decode()}")
    return elapsed


def in_process_check(specs: Path) -> float:
    start = time.perf_counter()
    project = load_project(None, cwd=REPO, specs_dir=specs)
    result = check(project.settings, project.doc_uris(), None)
    list(result.diagnostics())
    return time.perf_counter() - start


def in_process_tokenize(specs: Path) -> float:
    start = time.perf_counter()
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for path in sorted(specs.rglob("*.md")):
        md.parse(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    specsite = Path(sys.executable).with_name("specsite")
    with tempfile.TemporaryDirectory() as work:
        specs = Path(work) / "specs"
        generate(specs, args.specs)
        check_command = [str(specsite), "check", "--specs-dir", str(specs)]
        tokenize_command = [sys.executable, "-c", TOKENIZE, str(specs)]
        timed(check_command, env)  # warm the file cache
        a, b, ratios = [], [], []
        for _ in range(args.runs):
            a.append(timed(check_command, env))
            b.append(timed(tokenize_command, env))
            ratios.append(a[-1] / b[-1])
        ia, ib, iratios = [], [], []
        for _ in range(args.runs):
            ia.append(in_process_check(specs))
            ib.append(in_process_tokenize(specs))
            iratios.append(ia[-1] / ib[-1])
    print(f"{args.specs} specs, median of {args.runs} runs")
    print(f"  process   specsite check      {statistics.median(a):7.2f} s")
    print(f"  process   markdown-it tokenize{statistics.median(b):7.2f} s")
    print(f"  process   ratio check/tokenize{statistics.median(ratios):7.2f}")
    print(f"  in-process check              {statistics.median(ia):7.2f} s")
    print(f"  in-process tokenize           {statistics.median(ib):7.2f} s")
    print(f"  in-process ratio              {statistics.median(iratios):7.2f}")


if __name__ == "__main__":
    main()
