"""Shared helpers: build real sites in tmp_path with the real mkdocs / properdocs commands."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
PROMPT = REPO / "prompts" / "study.md"
EXAMPLE_SPECS = REPO / "specs"


@dataclass
class Site:
    """A built site and what the build printed."""

    returncode: int
    output: str
    root: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def html(self, path: str) -> BeautifulSoup:
        file = self.root / path
        if file.is_dir() or path.endswith("/") or path == "":
            file = file / "index.html"
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for permalink in soup.select("a.headerlink"):  # the toc's ¶ marks
            permalink.decompose()
        return soup

    def export(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / "specs.json").read_text(encoding="utf-8"))
        return data

    def spec(self, source_name: str) -> dict[str, Any]:
        """The specs.json entry whose source ends with ``source_name``."""
        for spec in self.export()["specs"]:
            if str(spec["source"]).endswith(source_name):
                return dict(spec)
        raise KeyError(source_name)

    def pagefind_records(self) -> list[dict[str, Any]]:
        """Every record of the site's Pagefind index, read back from its fragments."""
        records = []
        for fragment in (self.root / "pagefind" / "fragment").iterdir():
            data = gzip.decompress(fragment.read_bytes())
            assert data.startswith(b"pagefind_dcd")
            records.append(json.loads(data[len(b"pagefind_dcd") :]))
        return records

    def items(self, source_name: str, kind: str) -> list[str]:
        return [i["text"] for i in self.spec(source_name)["items"] if i["kind"] == kind]


# Pagefind writes its filter and meta files in hash-map order: the same data in other
# bytes (and under other names, which are content hashes) from one build to the next.
_PAGEFIND_UNORDERED = ("pagefind/filter/", "pagefind/pagefind.", "pagefind/pagefind-entry.json")


def pagefind_unordered(path: str) -> bool:
    """Whether a site file (posix path from the site root) differs between identical builds."""
    return path.startswith(_PAGEFIND_UNORDERED)


def run_build(
    out: Path,
    *,
    specs_dir: Path | None = None,
    prompt: Path | None = None,
    config_file: Path | None = None,
    strict: bool = True,
    tool: str = "mkdocs",
    env: dict[str, str] | None = None,
) -> Site:
    """Run ``<tool> build`` on the repo's mkdocs.yml (or ``config_file``) into ``out``."""
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if specs_dir is not None:
        environment["SPECSITE_SPECS_DIR"] = str(specs_dir)
    if prompt is not None:
        environment["SPECSITE_PROMPT"] = str(prompt)
    command = [
        sys.executable,
        "-m",
        tool,
        "build",
        "-f",
        str(config_file or REPO / "mkdocs.yml"),
        "-d",
        str(out),
    ]
    if strict:
        command.append("--strict")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        cwd=str(out.parent),
        timeout=600,
        check=False,
    )
    return Site(done.returncode, done.stdout + done.stderr, out)


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def write_project(
    root: Path,
    *,
    specsite: dict[str, Any],
    docs: dict[str, str] | None = None,
    nav: list[Any] | None = None,
    setup: str = "plugin",
) -> Path:
    """A stand-alone MkDocs project in ``root`` using the installed plugin (or, with
    ``setup="hooks"``, the repo's hook shim with options under ``extra``); returns mkdocs.yml."""
    write_files(root / "docs", docs or {"index.md": "# Home\n"})
    config: dict[str, Any] = {
        "site_name": "Test collection",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"specsite": specsite}],
        "markdown_extensions": [
            "tables",
            "attr_list",
            "admonition",
            "toc",
            {"pymdownx.tasklist": {"custom_checkbox": True}},
            "pymdownx.superfences",
        ],
    }
    if setup == "hooks":
        config["plugins"] = ["search"]
        config["hooks"] = [str(REPO / "hooks" / "specsite_hooks.py")]
        config["extra"] = {"specsite": specsite}
    if nav is not None:
        config["nav"] = nav
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


SiteBuilder = Callable[..., Site]


@pytest.fixture
def build_specs(tmp_path: Path) -> SiteBuilder:
    """Build the repo's config over a collection of spec files written to tmp_path."""
    counter = iter(range(1000))

    def build(files: dict[str, str | bytes], **kwargs: Any) -> Site:
        number = next(counter)
        specs = write_files(tmp_path / f"specs{number}", files)
        return run_build(tmp_path / f"site{number}", specs_dir=specs, **kwargs)

    return build


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The example collection, built once per test session with --strict."""
    out = tmp_path_factory.mktemp("example") / "site"
    site = run_build(out)
    assert site.ok, site.output
    return site


def copy_examples(target: Path) -> Path:
    shutil.copytree(EXAMPLE_SPECS, target)
    return target
