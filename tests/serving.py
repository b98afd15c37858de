"""A real nginx serving a built site on a loopback port, optionally under a sub-path."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def nginx(site: Path, work: Path, prefix: str = "/") -> Iterator[str]:
    """Serve ``site`` at ``http://127.0.0.1:PORT{prefix}`` with its 404 page; yields that URL."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read pytest's private folders
    root = f"root {site};"
    location = (
        root
        if prefix == "/"
        else f"location {prefix} {{ alias {site}/; }} location / {{ return 404; }}"
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
    error_page 404 {prefix}404.html;
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
