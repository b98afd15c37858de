#!/usr/bin/env python3
"""Benchmark: specsite's build and search against plain Material over the same Markdown.

Generates N specs of about 35 KB each from the example collection (front matter
with status, owner, modules and tags; every spec's wording varied so that no two
are alike), then, in the same run:
  A: the specsite site (repo mkdocs.yml, SPECSITE_SPECS_DIR pointing at them);
  B: the same mkdocs.yml without specsite, the same files as plain pages in
     Material's default navigation (every page lists every spec);
  C: the same files as plain pages kept out of the navigation;
and reports medians: build time and the ratios A/B and A/C, peak memory (the
largest process of each build), the largest page, and, in headless Chromium
against the site served by nginx on loopback: the time from page load to the
first search result for a phrase of a risk, a blocker and a question, and the
bytes fetched for that query; and, up to ``--serve-up-to`` specs, the time from
saving an edit to one risk until ``mkdocs serve --dirty`` shows it on the spec's
page and in the risk register (scripts/measure_serve.py). The filtered views are
timed by scripts/measure_explorer.py.

Run: .venv/bin/python scripts/benchmark.py --specs 1000 5000 --runs 1
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TARGET_BYTES = 35_000

STATUSES = ["draft", "review", "approved", "implemented", "superseded", "rejected"]
OWNERS = [f"{a}.{b}" for a in "ajmrst" for b in ("keller", "okafor", "silva", "nakamura")]
MODULES = [
    "alerts", "auth", "charts", "market-data", "marketplace", "notifications", "trading",
    "accounts", "billing", "risk", "orders", "reporting", "search", "settings", "watchlists",
]  # fmt: skip
TAGS = [
    "realtime", "websocket", "storage", "frontend", "backend", "performance", "security",
    "migration", "mobile", "api", "compliance", "cache", "analytics", "ux", "infra",
]  # fmt: skip
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.M)
_WORD = re.compile(r"\b[a-z]{6,}\b")


# -- the collection ------------------------------------------------------------


def _section(body: str, name: str) -> tuple[int, int, int] | None:
    """(start, end, level) of the section whose heading contains ``name``."""
    headings = list(_HEADING.finditer(body))
    for index, match in enumerate(headings):
        if name.lower() in match.group(2).lower():
            level = len(match.group(1))
            end = len(body)
            for later in headings[index + 1 :]:
                if len(later.group(1)) <= level:
                    end = later.start()
                    break
            return match.end(), end, level
    return None


def _vary(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    """Swap about one long lower-case word in eight (never headings or bold labels)."""

    def swap(match: re.Match[str]) -> str:
        return rng.choice(vocabulary) if rng.random() < 0.125 else match.group(0)

    lines = text.split("\n")
    return "\n".join(
        line if line.lstrip().startswith(("#", "**", "|")) else _WORD.sub(swap, line)
        for line in lines
    )


def generate(target: Path, count: int) -> None:
    """``count`` specs of about 35 KB: an example spec whose solution section is padded
    with other examples' solution prose, all of it with varied wording."""
    sources = sorted((REPO / "specs").glob("*.md"))
    bodies = [_FRONT.sub("", s.read_text(encoding="utf-8")) for s in sources]
    prose = []
    for body in bodies:
        found = _section(body, "Proposed Solution")
        if found:
            chunk = body[found[0] : found[1]]
            prose.append("\n".join(line for line in chunk.split("\n") if not line.startswith("#")))
    vocabulary = sorted({w for body in bodies for w in _WORD.findall(body)})
    target.mkdir(parents=True)
    for number in range(count):
        rng = random.Random(number)
        index = number % len(sources)
        body = bodies[index]
        title = f"{sources[index].stem.replace('-', ' ').title()} {number}"
        body = re.sub(r"^# .*$", f"# Technical Specification: {title}", body, count=1, flags=re.M)
        found = _section(body, "Proposed Solution")
        if found:
            _, end, level = found
            extra = []
            size = len(body)
            part = 0
            while size < TARGET_BYTES - 500:
                part += 1
                chunk = f"\n{'#' * min(level + 1, 6)} Implementation notes {part}\n\n"
                chunk += rng.choice(prose).strip() + "\n"
                extra.append(chunk)
                size += len(chunk)
            body = body[:end].rstrip("\n") + "\n" + "".join(extra) + "\n" + body[end:]
        body = _vary(body, rng, vocabulary)
        meta = {
            "title": title,
            "status": STATUSES[number % len(STATUSES)],
            "owner": rng.choice(OWNERS),
            "date": f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}",
            "modules": rng.sample(MODULES, rng.randint(1, 3)),
            "tags": rng.sample(TAGS, rng.randint(1, 3)),
        }
        front = "---\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items()) + "---\n\n"
        (target / f"{sources[index].stem}-{number:05d}.md").write_text(front + body, "utf-8")


def plain_project(root: Path, specs: Path, *, in_nav: bool) -> Path:
    """The repo's own mkdocs.yml (same theme and extensions) without specsite; the
    specs are plain pages, in Material's default navigation or kept out of it."""
    docs = root / "docs"
    shutil.copytree(REPO / "docs", docs)
    shutil.copytree(specs, docs / "specs")
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("hooks:\n  - hooks/specsite_hooks.py\n", "")
    text = re.sub(r"\n  - specsite:\n(?:      .*\n)+", "\n", text)
    text = re.sub(r"\n  - specsite\n", "\n", text)
    if "\nextra:" in text:
        text = text[: text.index("\nextra:")] + "\n"
    if not in_nav:
        text += "nav: [index.md]\n"
    config = root / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


# -- builds --------------------------------------------------------------------


def timed_build(config: Path, out: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the build and its processes, peak MB of its largest
    process). CPU time is the fair measure on a shared machine; wall time is what a user
    waits for (on an idle machine, Pagefind's process runs on the second core)."""
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build of {config} failed ({process.returncode})")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def largest_page_kb(site: Path) -> tuple[float, str]:
    pages = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    size, path = max(pages)
    return size / 1024, path.relative_to(site).as_posix()


# -- search in the browser ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def served(root: Path, work: Path) -> Iterator[str]:
    """``root`` served by nginx on loopback (gzip on, as a team would host it)."""
    port = _free_port()
    work.mkdir(parents=True, exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""{user}
daemon off; pid {work}/nginx.pid; error_log {work}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types; access_log off;
  gzip on; gzip_types text/css application/javascript application/json;
  client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
  uwsgi_temp_path {work}; scgi_temp_path {work};
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }}
}}
""",
        encoding="utf-8",
    )
    server = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def search_phrases(site: Path) -> list[tuple[str, str]]:
    """(phrase, item url) for a risk, a blocker and a question of a spec in the middle of
    the collection: four words of the item that no other item holds in that order."""
    export = json.loads((site / "specs.json").read_text(encoding="utf-8"))
    specs = export["specs"]
    texts = [" ".join(i["text"].lower().split()) for s in specs for i in s["items"]]
    found = []
    for kind in ("risk", "blocker", "open_question"):
        for spec in specs[len(specs) // 2 :] + specs:
            items = [i for i in spec["items"] if i["kind"] == kind]
            phrase = _unique_phrase(items[0]["text"], texts) if items else None
            if phrase:
                found.append((phrase, items[0]["url"]))
                break
    return found


def _unique_phrase(text: str, texts: list[str]) -> str | None:
    words = text.split()
    for start in range(len(words) - 3):
        phrase = " ".join(words[start : start + 4])
        if sum(phrase.lower() in other for other in texts) == 1:
            return phrase
    return None


def measure_search(site: Path, work: Path) -> dict[str, float]:
    """Median over the phrases: ms from page load to the first result shown, KB fetched
    for the query (compressed, as transferred), whether the item's spec came first."""
    from playwright.sync_api import sync_playwright

    phrases = search_phrases(site)
    times, sizes, firsts = [], [], []
    with served(site, work) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for phrase, item_url in phrases:
            context = browser.new_context()  # cold cache, like a first visit
            page = context.new_page()
            fetched: list[Any] = []
            page.goto(url + "risks/", wait_until="load")

            def keep(request: Any, into: list[Any] = fetched) -> None:
                into.append(request)

            page.on("requestfinished", keep)
            page.evaluate("window.__t0 = performance.now()")
            page.locator(".specsite-search-input").fill(phrase)
            page.wait_for_function(
                "w => { const l = document.querySelector('.specsite-search-results');"
                " return l && l.dataset.term === w && l.children.length > 0 }",
                arg=phrase,
                timeout=60_000,
            )
            times.append(page.evaluate("performance.now() - window.__t0"))
            page.wait_for_timeout(300)  # the facets' counts follow the first results
            total = 0
            for request in fetched:
                sizes_of = request.sizes()
                total += sizes_of["responseBodySize"] + sizes_of["responseHeadersSize"]
            sizes.append(total / 1024)
            href = page.locator(".specsite-search-hit a").first.get_attribute("href") or ""
            spec_url = item_url.split("#")[0]
            firsts.append(1.0 if spec_url in href else 0.0)
            context.close()
        browser.close()
    return {
        "first result ms": statistics.median(times),
        "search KB fetched": statistics.median(sizes),
        "item's spec first": min(firsts),
    }


# -- the run -----------------------------------------------------------------


def _show(row: dict[str, Any], key: str, value: Any) -> None:
    row[key] = value
    shown = f"{value:10.2f}" if isinstance(value, float) else f"{value:>10}"
    print(f"  {key:38} {shown}", flush=True)


def measure(
    count: int, work: Path, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    """Every figure for one collection size, printed as soon as it is known."""
    root = work / str(count)
    if root.exists():
        shutil.rmtree(root)
    specs = root / "specs"
    generate(specs, count)
    load = os.getloadavg()[0]
    print(f"\n{count} specs, {args.runs} run(s), load average {load:.1f}", flush=True)
    row: dict[str, Any] = {}
    _show(row, "spec KB (mean)", sum(p.stat().st_size for p in specs.iterdir()) / count / 1024)
    with_nav = args.no_default_nav_above is None or count <= args.no_default_nav_above
    env_a = {**env, "SPECSITE_SPECS_DIR": str(specs)}
    builds = [("specsite", REPO / "mkdocs.yml", root / "site-a", env_a)]
    if args.plain_up_to is None or count <= args.plain_up_to:
        plain_out = plain_project(root / "plain-out", specs, in_nav=False)
        builds.append(("plain out-of-nav", plain_out, root / "site-c", env))
    if with_nav:
        plain_nav = plain_project(root / "plain-nav", specs, in_nav=True)
        builds.append(("plain default-nav", plain_nav, root / "site-b", env))
    runs: dict[str, list[float]] = {}
    for run in range(args.runs):
        for name, config, out, build_env in builds:
            wall, cpu, peak = timed_build(config, out, build_env)
            runs.setdefault(f"{name} s", []).append(wall)
            runs.setdefault(f"{name} CPU s", []).append(cpu)
            runs.setdefault(f"{name} peak MB", []).append(peak)
            print(f"  run {run + 1}: {name}: {wall:.1f} s, CPU {cpu:.1f} s, {peak:.0f} MB")
            if run == 0 and name == "specsite":
                for key, value in measure_search(out, root / "nginx").items():
                    _show(row, key, value)
                size, page = largest_page_kb(out)
                _show(row, "largest page KB", size)
                _show(row, "largest page", page)
    for key, values in runs.items():
        _show(row, key, statistics.median(values))
    for other in ("plain out-of-nav", "plain default-nav"):
        if f"{other} s" not in runs:
            continue
        walls = zip(runs["specsite s"], runs[f"{other} s"], strict=True)
        _show(row, f"ratio to {other}", statistics.median(a / b for a, b in walls))
        cpus = zip(runs["specsite CPU s"], runs[f"{other} CPU s"], strict=True)
        _show(row, f"CPU ratio to {other}", statistics.median(a / b for a, b in cpus))
    if with_nav:
        _show(row, "plain default-nav largest page KB", largest_page_kb(root / "site-b")[0])
    if count <= args.serve_up_to:  # `mkdocs serve --dirty`: one risk edited, until it shows
        from measure_serve import measure as measure_serve  # it imports this module

        first, on_page, listed = measure_serve(specs, True, f"EDITED{int(time.time() * 1000)}")
        _show(row, "serve first build s", first)
        _show(row, "serve edit-to-visible s", max(on_page, listed))
    return row


def table(rows: dict[int, dict[str, Any]]) -> None:
    print(
        "\n| specs | specsite build | plain, default nav | ratio | plain, out of nav | ratio "
        "| CPU ratio (default nav / out of nav) | peak memory | first search result "
        "| fetched for the query | largest page | serve edit-to-visible |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, row in rows.items():
        nav, ratio, cpu_nav = "not run", "–", "–"
        out, out_ratio, cpu_out = "not run", "–", "–"
        if "plain out-of-nav s" in row:
            out = f"{row['plain out-of-nav s']:.1f} s"
            out_ratio = f"{row['ratio to plain out-of-nav']:.2f}"
            cpu_out = f"{row['CPU ratio to plain out-of-nav']:.2f}"
        edit = row.get("serve edit-to-visible s")
        serve = "not run" if edit is None else f"{edit:.1f} s"
        if "plain default-nav s" in row:
            nav = f"{row['plain default-nav s']:.1f} s"
            ratio = f"{row['ratio to plain default-nav']:.2f}"
            cpu_nav = f"{row['CPU ratio to plain default-nav']:.2f}"
        print(
            f"| {count:,} | {row['specsite s']:.1f} s | {nav} | {ratio} "
            f"| {out} | {out_ratio} "
            f"| {cpu_nav} / {cpu_out} "
            f"| {row['specsite peak MB']:.0f} MB | {row['first result ms'] / 1000:.2f} s "
            f"| {row['search KB fetched']:.0f} KB | {row['largest page KB']:.0f} KB "
            f"| {serve} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--no-default-nav-above",
        type=int,
        default=None,
        metavar="N",
        help="skip the plain build with every spec in the nav above N specs (it is quadratic)",
    )
    parser.add_argument(
        "--plain-up-to",
        type=int,
        default=None,
        metavar="N",
        help="build plain Material only up to N specs (above: specsite's own figures only)",
    )
    parser.add_argument(
        "--serve-up-to",
        type=int,
        default=1000,
        metavar="N",
        help="measure `mkdocs serve --dirty` edit-to-visible for collections up to N specs",
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the sites in this folder")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    rows: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for count in args.specs:
            rows[count] = measure(count, args.keep or Path(scratch), args, env)
    table(rows)


if __name__ == "__main__":
    main()
