"""`mkdocs serve` rebuilds the generated pages when a spec or the prompt changes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PROMPT, REPO, copy_examples
from tests.serving import free_port as _free_port


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            text: str = response.read().decode("utf-8")
            return text
    except OSError:
        return ""


def _wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = _fetch(url)
        if needle in text:
            return text
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}")


@pytest.mark.parametrize("flags", [[], ["--dirty"]], ids=["full", "dirty"])
def test_serve_rebuilds_when_a_spec_or_the_prompt_changes(tmp_path: Path, flags: list[str]) -> None:
    """With --dirty, only pages whose Markdown changed are re-rendered: the edited spec,
    the indexes, and the hand-written home page that holds the catalog."""
    specs = copy_examples(tmp_path / "specs")
    prompt = tmp_path / "study.md"
    prompt.write_text(PROMPT.read_text("utf-8"), encoding="utf-8")
    port = _free_port()
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SPECSITE_SPECS_DIR": str(specs),
        "SPECSITE_PROMPT": str(prompt),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "-f",
            str(REPO / "mkdocs.yml"),
            "-a",
            f"127.0.0.1:{port}",
            *flags,
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "risks/", "Risk register")
        entry = _wait_for(base + "pagefind/pagefind-entry.json", '"page_count"')
        spec = specs / "price-alerts.md"
        text = spec.read_text("utf-8")
        new_risk = "- Brand-new risk about quota exhaustion during serve."
        marker = "**Risks:**\n\n"
        assert marker in text
        spec.write_text(text.replace(marker, marker + new_risk + "\n", 1), encoding="utf-8")
        _wait_for(base + "risks/", "Brand-new risk about quota exhaustion during serve.")
        _wait_for(base + "specs/price-alerts/", "Brand-new risk about quota exhaustion")
        # the search index follows in the background: one more record, a new index
        count = int(entry.split('"page_count":')[1].split("}")[0])
        _wait_for(base + "pagefind/pagefind-entry.json", f'"page_count":{count + 1}')
        text = spec.read_text("utf-8")
        spec.write_text(text.replace("title: Price Alerts", "title: Price Pings", 1), "utf-8")
        _wait_for(base, "Price Pings")  # the catalog on the hand-written home page
        _wait_for(base + "risks/", "Price Pings")

        prompt.write_text(
            prompt.read_text("utf-8").replace('name: "study"', 'name: "study-v2"'), "utf-8"
        )
        _wait_for(base + "prompt/", "study-v2")
    finally:
        server.terminate()
        server.wait(timeout=20)
