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
    "risk register, q=latency&status=draft": "risks/?q=latency&status=draft",
    "risk register, q=vapid (rare)": "risks/?q=vapid",
    "open questions, open, all statuses": "open-questions/?state=open&all=1",
    "catalog, tag=websocket": "?tag=websocket",
}


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


def measure_view(browser: Any, url: str) -> dict[str, Any]:
    """One cold load of a view; bytes from the Resource Timing entries (transferSize: headers
    plus the body as sent) of every response complete by each mark."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(
        "() => performance.getEntriesByName('specsite:all-rows').length > 0", timeout=120_000
    )
    result: dict[str, Any] = page.evaluate(
        """() => {
        const mark = n => performance.getEntriesByName(n)[0].startTime;
        const first = mark('specsite:first-rows'), all = mark('specsite:all-rows');
        const entries = [...performance.getEntriesByType('navigation'),
                         ...performance.getEntriesByType('resource')];
        const bytes = t => entries.filter(e => e.responseEnd <= t)
                                  .reduce((s, e) => s + e.transferSize, 0);
        return {first, all, firstBytes: bytes(first), allBytes: bytes(all),
                summary: document.querySelector('.specsite-summary').textContent};
    }"""
    )
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as temp:
        work = args.keep or Path(temp)
        for count in args.specs:
            root = work / str(count)
            if root.exists():
                shutil.rmtree(root)
            specs = root / "specs"
            generate(specs, count)
            site = root / "site"
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
            built = time.perf_counter() - start
            pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
            data = sorted((site / "explorer").glob("*.json"), key=lambda p: p.stat().st_size)
            print(
                f"\n{count} specs: build {built:.1f} s; largest page "
                f"{pages[-1].relative_to(site)} {pages[-1].stat().st_size / 1024:.0f} KB; "
                f"explorer data {len(data)} files, largest {data[-1].name} "
                f"{data[-1].stat().st_size / 1024:.0f} KB, total "
                f"{sum(p.stat().st_size for p in data) / 2**20:.1f} MB"
            )
            report = [p for p in pages if "build-report" in p.as_posix()]
            print(
                f"  build report: {len(report)} pages, largest "
                f"{max(p.stat().st_size for p in report) / 1024:.0f} KB"
            )
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                for gzip in (False, True):
                    server, base = serve(site, root / f"nginx-{gzip}", gzip)
                    try:
                        print(f"  nginx {'with gzip' if gzip else 'without compression'}:")
                        for name, path in VIEWS.items():
                            r = measure_view(browser, base + path)
                            print(
                                f"    {name:40} first rows {r['first']:6.0f} ms"
                                f" ({r['firstBytes'] / 1024:6.0f} KB)   all rows {r['all']:6.0f} ms"
                                f" ({r['allBytes'] / 1024:6.0f} KB)   {r['summary']}"
                            )
                    finally:
                        server.terminate()
                        server.wait(timeout=10)
                browser.close()


if __name__ == "__main__":
    main()
