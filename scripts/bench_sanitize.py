#!/usr/bin/env python3
"""What the sanitizer costs: N generated specs built once, then every spec page's article
HTML sanitized again in-process; prints the time against the whole build's.

Run: .venv/bin/python scripts/bench_sanitize.py --specs 500
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark import REPO, generate

from specsite.sanitize import clean_html


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", type=int, default=500)
    count = parser.parse_args().specs
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        generate(base / "specs", count)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SPECSITE_SPECS_DIR": str(base / "specs")}
        start = time.perf_counter()
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(base / "site")]
        subprocess.run(command, env=env, check=True, cwd=REPO)
        build = time.perf_counter() - start
        pages = [p.read_text("utf-8") for p in (base / "site" / "specs").rglob("index.html")]
        articles = [p[p.index("<article") : p.index("</article>")] for p in pages]
        start = time.perf_counter()
        for article in articles:
            clean_html(article)
        cleaning = time.perf_counter() - start
    size = sum(map(len, articles)) / 1e6
    print(
        f"{len(articles)} spec pages, {size:.1f} MB of article HTML: build {build:.1f} s, "
        f"sanitizing {cleaning:.2f} s ({cleaning / build:.1%} of the build, "
        f"{1000 * cleaning / len(articles):.2f} ms a page)"
    )


if __name__ == "__main__":
    main()
