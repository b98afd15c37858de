#!/usr/bin/env python3
"""Measure the explorer views at scale: time to first rows of a filtered view over every row.

Generates N specs by multiplying the example collection (as scripts/benchmark.py
does), builds the site with the repo's mkdocs.yml, serves it with nginx (plain,
and with gzip as a production host would), then opens filtered views in headless
Chromium with a cold cache and reports, per view:

  first rows   ms from navigation start until the first matching rows are shown
               (the explorer's performance mark ``specsite:first-rows``)
  all rows     ms until every shard is in and the counts are final (``specsite:all-rows``)
  KB first / KB all   bytes transferred (response bodies as sent, + headers) by then

plus the largest HTML page and the largest explorer data file.

Run: .venv/bin/python scripts/measure_explorer.py --specs 1000 5000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VIEWS = {
    "risks filter=gap status=draft": "risks/?filter=gap&status=draft",
    "risks filter=BTCUSDT": "risks/?filter=BTCUSDT",
    "risks filter=price alerts 998 (1 spec)": "risks/?filter=price+alerts+998",
    "open questions state=open all=1": "open-questions/?state=open&all=1",
    "catalog tag=websocket sort=status": "?tag=websocket&sort=status",
}
SEARCH_INDEX = "search/search_index.json"  # Material's lunr index, loaded by every page


def generate(target: Path, count: int) -> None:
    sources = sorted((REPO / "specs").glob("*.md"))
    target.mkdir(parents=True)
    for number in range(count):
        source = sources[number % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^(title: .*?)(\"?)$", rf"\g<1> {number}\g<2>", text, count=1, flags=re.M)
        text = re.sub(r"^# (.*)$", rf"# \g<1> {number}", text, count=1, flags=re.M)
        (target / f"{source.stem}-{number:05d}.md").write_text(text, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(site: Path, work: Path, gzip: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    compression = (
        "gzip on; gzip_types application/json text/css application/javascript;" if gzip else ""
    )
    work.mkdir(parents=True, exist_ok=True)
    (work / "nginx.conf").write_text(
        f"""{user}
daemon off; pid {work}/nginx.pid; error_log {work}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types; access_log off; {compression}
  client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
  uwsgi_temp_path {work}; scgi_temp_path {work};
  server {{ listen 127.0.0.1:{port}; root {site}; index index.html; }}
}}
""",
        encoding="utf-8",
    )
    server = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf")])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}/"


def measure_view(browser: Any, url: str, block_search: bool) -> dict[str, Any]:
    """One cold load of a view; bytes from the Resource Timing entries (transferSize: headers
    plus the body as sent) of every response complete by each mark."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    if block_search:
        page.route(f"**/{SEARCH_INDEX}", lambda route: route.abort())
    page.goto(url)
    page.wait_for_function(
        "() => performance.getEntriesByName('specsite:all-rows').length > 0", timeout=120_000
    )
    result: dict[str, Any] = page.evaluate(
        """search => {
        const mark = n => performance.getEntriesByName(n)[0].startTime;
        const first = mark('specsite:first-rows'), all = mark('specsite:all-rows');
        const entries = [...performance.getEntriesByType('navigation'),
                         ...performance.getEntriesByType('resource')];
        const view = entries.filter(e => !e.name.endsWith(search));
        const bytes = (list, t) => list.filter(e => e.responseEnd <= t)
                                       .reduce((s, e) => s + e.transferSize, 0);
        return {first, all, firstBytes: bytes(view, first), allBytes: bytes(view, all),
                withSearch: bytes(entries, all),
                rows: document.querySelectorAll('.specsite-view tbody tr').length,
                summary: document.querySelector('.specsite-summary').textContent};
    }""",
        SEARCH_INDEX,
    )
    context.close()
    return result


def build_site(specs: Path, site: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(REPO / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        env={**env, "SPECSITE_SPECS_DIR": str(specs)},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def describe(count: int, site: Path, built: float | None) -> None:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    data = sorted((site / "explorer").glob("*.json"), key=lambda p: p.stat().st_size)
    report = [p for p in pages if "build-report" in p.as_posix()]
    took = "reused" if built is None else f"{built:.1f} s"
    print(
        f"\n{count} specs: build {took}; largest page {pages[-1].relative_to(site)} "
        f"{pages[-1].stat().st_size / 1024:.0f} KB; explorer data {len(data)} files, largest "
        f"{data[-1].name} {data[-1].stat().st_size / 1024:.0f} KB, total "
        f"{sum(p.stat().st_size for p in data) / 2**20:.1f} MB; build report {len(report)} "
        f"page(s), largest {max(p.stat().st_size for p in report) / 1024:.0f} KB"
    )


def measure_site(site: Path, work: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for gzip, block in ((False, True), (True, True), (True, False)):
            server, base = serve(site, work / f"nginx-{gzip}", gzip)
            try:
                print(
                    f"  nginx {'with gzip' if gzip else 'without compression'}, Material's "
                    f"{SEARCH_INDEX} {'blocked' if block else 'loaded'} (KB: the page, its "
                    "assets and the explorer data; 'with search': everything fetched)"
                )
                for name, path in VIEWS.items():
                    r = measure_view(browser, base + path, block)
                    print(
                        f"    {name:34} first rows {r['first']:5.0f} ms"
                        f" ({r['firstBytes'] / 1024:5.0f} KB)  all rows {r['all']:5.0f} ms"
                        f" ({r['allBytes'] / 1024:5.0f} KB; with search"
                        f" {r['withSearch'] / 1024:5.0f} KB)  {r['rows']:3} rows shown;"
                        f" {r['summary']}"
                    )
            finally:
                server.terminate()
                server.wait(timeout=10)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--reuse", action="store_true", help="measure a site kept by --keep")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as temp:
        work = args.keep or Path(temp)
        for count in args.specs:
            root = work / str(count)
            specs, site = root / "specs", root / "site"
            built: float | None = None
            if not (args.reuse and (site / "index.html").exists()):
                if root.exists():
                    shutil.rmtree(root)
                generate(specs, count)
                built = build_site(specs, site, env)
            describe(count, site, built)
            measure_site(site, root)


if __name__ == "__main__":
    main()
