"""A new working project (``specsite init``): the files shipped in ``data/project`` plus
the default prompt, written only where no file exists yet."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

PROMPT_PATH = "prompts/study.md"


def default_prompt() -> str:
    """The shipped default agent prompt (the same text as the repository's prompts/study.md)."""
    return resources.files("specsite").joinpath("data", "study.md").read_text(encoding="utf-8")


def project_files() -> dict[str, str]:
    """Every file of a new project by its path relative to the project folder."""
    files: dict[str, str] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            path = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, path + "/")
            elif not child.name.startswith("."):
                files[path] = child.read_text(encoding="utf-8")

    walk(resources.files("specsite").joinpath("data", "project"), "")
    files[PROMPT_PATH] = default_prompt()
    return dict(sorted(files.items()))


def existing(target: Path, files: dict[str, str]) -> list[str]:
    """The paths among ``files`` that already exist in ``target`` (init never overwrites)."""
    return [name for name in files if (target / name).exists()]


def write_project(target: Path, files: dict[str, str]) -> list[Path]:
    written = []
    for name, text in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrite
            handle.write(text)
        written.append(path)
    return written
