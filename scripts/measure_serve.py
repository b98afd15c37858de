#!/usr/bin/env python3
"""Edit-to-visible time under ``mkdocs serve``: one spec edited in a collection of N.

Generates N specs from the example collection, starts ``mkdocs serve`` on a
loopback port (with and without ``--dirty``), edits one risk of one spec and
reports how long until the edit shows on the spec's page and in the risk register.
Run: .venv/bin/python scripts/measure_serve.py --specs 1000
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmark import generate

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except OSError:
        return ""


def wait_until(check: object, limit: float) -> float:
    """Seconds until ``check()`` is true (polled every 100 ms), or ``inf`` after ``limit``."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if check():  # type: ignore[operator]
            return time.perf_counter() - start
        time.sleep(0.1)
    return float("inf")


def edit_a_risk(spec: Path, token: str) -> None:
    """Append ``token`` to the first list item under the spec's Risks label."""
    lines = spec.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(r"\**Risks", line.strip("#* ")))
    item = next(
        i for i in range(start + 1, len(lines)) if re.match(r"\s*(?:[-*]|\d+\.)\s", lines[i])
    )
    lines[item] += f" {token}"
    spec.write_text("\n".join(lines), encoding="utf-8")


def register_page(base: str, slug: str) -> str:
    """The risk-register page that lists ``slug``'s risks (found before the edit, so the
    poll below reads one page, not all of them: polling must not slow the server)."""
    number = 1
    while True:
        page = base + ("risks/" if number == 1 else f"risks/{number}/")
        text = fetch(page)
        if not text:
            raise SystemExit(f"no risk-register page lists {slug}")
        if f"specs/{slug}/" in text:
            return page
        number += 1


def measure(specs: Path, dirty: bool, token: str) -> tuple[float, float, float]:
    """(first build, edit to visible on the spec's page, edit to visible in the register)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    command += ["-f", str(REPO / "mkdocs.yml")] + (["--dirty"] if dirty else [])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SPECSITE_SPECS_DIR": str(specs)}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=specs.parent
    )
    try:
        first = wait_until(lambda: fetch(base).strip() != "", 900)
        time.sleep(2)  # let the watcher settle
        target = sorted(specs.glob("price-alerts-*.md"))[-1]
        slug = target.stem
        register = register_page(base, slug)
        spec_page = f"{base}specs/{slug}/"
        edit_a_risk(target, token)
        start = time.perf_counter()
        page = wait_until(lambda: token in fetch(spec_page), 300)
        listed = wait_until(lambda: token in fetch(register), 300)
        return first, page, time.perf_counter() - start if listed != float("inf") else listed
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, nargs="+", default=[1000])
    parser.add_argument("--dirty-only", action="store_true", help="skip the full-rebuild serve")
    args = parser.parse_args()
    print("| specs | serve | first build | edit visible on its page | and in the register |")
    print("|---:|---|---:|---:|---:|")
    for count in args.specs:
        with tempfile.TemporaryDirectory() as work:
            specs = Path(work) / "specs"
            generate(specs, count)
            for dirty in (True,) if args.dirty_only else (True, False):
                token = f"EDITED{int(time.time() * 1000)}"
                first, page, register = measure(specs, dirty, token)
                mode = "--dirty" if dirty else "full"
                print(f"| {count:,} | {mode} | {first:.1f} s | {page:.1f} s | {register:.1f} s |")


if __name__ == "__main__":
    main()
