"""The built site in a real browser (Debian's Chromium) behind a real static server (nginx)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import Site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def nginx(root: Path, work: Path, prefix: str = "/") -> Iterator[str]:
    """``root`` served by nginx on a loopback port at ``prefix``, as a team would host it."""
    port = _free_port()
    # pytest's folders are private to their owner: nginx's workers must run as that user
    user = "user root;" if os.geteuid() == 0 else ""
    location = (
        f"root {root};"
        if prefix == "/"
        else f"location {prefix} {{ alias {root}/; }} location / {{ return 404; }}"
    )
    (work / "nginx.conf").write_text(
        f"""
{user}
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{}}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {work};
  proxy_temp_path {work};
  fastcgi_temp_path {work};
  uwsgi_temp_path {work};
  scgi_temp_path {work};
  server {{
    listen 127.0.0.1:{port};
    index index.html;
    {location}
  }}
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
        yield f"http://127.0.0.1:{port}{prefix}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def served(example_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site served by nginx at the root of a loopback host."""
    with nginx(example_site.root, tmp_path_factory.mktemp("nginx")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def test_register_filter_and_item_link(page: Page, served: str, example_site: Site) -> None:
    page.goto(served + "risks/")
    page.locator(".specsite-view tbody tr").first.wait_for()  # the explorer view is in
    rows = page.locator("article table tbody tr")
    total = rows.count()
    item = next(
        i for s in example_site.export()["specs"] for i in s["items"] if i["kind"] == "performance"
    )
    page.locator("input.specsite-filter-input").fill(item["text"][:30])
    visible = [r for r in rows.all() if r.is_visible()]
    assert 1 <= len(visible) < total
    visible[0].locator(f"a[href$='#{item['id']}']").click()
    page.wait_for_url(f"**/{item['url']}")
    anchor = page.locator(f"[id='{item['id']}']")
    assert anchor.count() == 1
    assert anchor.evaluate("e => e.getBoundingClientRect().top") < page.viewport_size["height"]  # type: ignore[index]
