#!/usr/bin/env python3
"""Benchmark: specsite's build against a plain Material build of the same specs.

Generates N specs from the example collection (unique titles), then builds
  A: the specsite site (repo mkdocs.yml, SPECSITE_SPECS_DIR pointing at them);
  B: the same mkdocs.yml without specsite, the same files as ordinary pages out of the nav
and reports medians and ratios: build time A/B, and how time, page size and the
search index grow from the smaller to the larger collection (about 2.0 for a
doubling means linear). Run: .venv/bin/python scripts/benchmark.py --specs 500 1000
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def generate(target: Path, count: int) -> None:
    sources = sorted((REPO / "specs").glob("*.md"))
    target.mkdir(parents=True)
    for number in range(count):
        source = sources[number % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^(title: .*?)(\"?)$", rf"\g<1> {number}\g<2>", text, count=1, flags=re.M)
        text = re.sub(r"^# (.*)$", rf"# \g<1> {number}", text, count=1, flags=re.M)
        (target / f"{source.stem}-{number:05d}.md").write_text(text, encoding="utf-8")


def plain_project(root: Path, specs: Path) -> Path:
    """The repo's own mkdocs.yml (same theme and extensions) without specsite."""
    docs = root / "docs"
    shutil.copytree(REPO / "docs", docs)
    shutil.copytree(specs, docs / "specs")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("hooks:\n  - hooks/specsite_hooks.py\n", "")
    text = text[: text.index("\nextra:")] + "\nnav: [index.md]\n"
    config = root / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def timed_build(config: Path, out: Path, env: dict[str, str]) -> float:
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def sizes(site: Path) -> dict[str, float]:
    pages = [p.stat().st_size for p in site.rglob("index.html") if "/specs/" in p.as_posix()]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = site / "search" / "search_index.json"
    return {
        "median spec page KB": statistics.median(pages) / 1024 if pages else 0,
        "largest page KB": max(p.stat().st_size for p in site.rglob("*.html")) / 1024,
        "search index MB": index.stat().st_size / 2**20 if index.exists() else 0,
        "site MB": total / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, nargs="+", default=[250, 500])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as work:
        for count in args.specs:
            root = Path(work) / str(count)
            specs = root / "specs"
            generate(specs, count)
            plain = plain_project(root / "plain", specs)
            env_a = {**env, "SPECSITE_SPECS_DIR": str(specs)}
            a_times, b_times, ratios = [], [], []
            for _ in range(args.runs):
                a = timed_build(REPO / "mkdocs.yml", root / "site-a", env_a)
                b = timed_build(plain, root / "site-b", env)
                a_times.append(a)
                b_times.append(b)
                ratios.append(a / b)
            row = {
                "specsite s": statistics.median(a_times),
                "plain Material s": statistics.median(b_times),
                "time ratio specsite/plain": statistics.median(ratios),
            }
            row.update({f"specsite {k}": v for k, v in sizes(root / "site-a").items()})
            row.update({f"plain {k}": v for k, v in sizes(root / "site-b").items()})
            results[count] = row
            print(f"\n{count} specs (median of {args.runs} runs)")
            for key, value in row.items():
                print(f"  {key:38} {value:10.2f}")
    counts = sorted(results)
    for small, large in itertools.pairwise(counts):
        print(f"\ngrowth from {small} to {large} specs (x{large / small:.1f} specs)")
        for key in (
            "specsite s",
            "specsite largest page KB",
            "specsite median spec page KB",
            "specsite search index MB",
        ):
            before = results[small][key]
            print(f"  {key:38} x{results[large][key] / before if before else 0:.2f}")


if __name__ == "__main__":
    main()
