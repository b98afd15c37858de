"""Which prompt generated a spec, and whether that prompt has changed since.

A spec may name its prompt (``prompt``), that prompt's version (``prompt_version``) and
its hash (``prompt_hash``: the sha256 of the prompt file, or a prefix of at least 7 hex
digits, as git abbreviates). When the spec names the configured prompt (or names none),
its hash is compared with the current prompt's: a different hash means the template
moved on since the spec was written, and the page says so.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from specsite.model import Provenance
from specsite.problems import Problem
from specsite.prompt import Prompt

MIN_HASH = 7  # hex digits of a usable hash prefix
_HEX = re.compile(r"^[0-9a-f]+$")
STATES = ("current", "changed", "unknown")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text or None


def _names(prompt: Prompt) -> set[str]:
    """The names a spec may call the configured prompt by (compared in lower case)."""
    path = PurePosixPath(prompt.source)
    names = {prompt.source, path.name, path.stem, prompt.meta_text("name")}
    return {n.strip().lower() for n in names if n.strip()}


def provenance(
    info: dict[str, Any], prompt: Prompt, line: int | None = None
) -> tuple[Provenance, list[Problem]]:
    """The spec's provenance from its ``info`` fields, compared with ``prompt``."""
    name = _text(info.get("prompt"))
    version = _text(info.get("prompt_version"))
    written = _text(info.get("prompt_hash"))
    problems: list[Problem] = []
    digest = None
    if written is not None:
        digest = re.sub(r"^sha-?256[:=\s]*", "", written.lower()).strip()
        if len(digest) < MIN_HASH or not _HEX.match(digest):
            problems.append(
                Problem(
                    "warning",
                    "prompt-hash-invalid",
                    f"prompt hash '{written}' is not a sha256 or a prefix of at least "
                    f"{MIN_HASH} hex digits; not compared",
                    line,
                )
            )
            digest = None
    if name is None and version is None and written is None:
        return Provenance(), problems
    same_prompt = name is None or _same_name(name, prompt)
    state = "unknown"
    current = prompt.sha256.lower() or None
    if same_prompt and digest is not None and current is not None:
        state = "current" if current.startswith(digest[:64]) else "changed"
    elif same_prompt and version is not None and prompt.meta_text("version"):
        state = "current" if version == _text(prompt.meta_text("version")) else "changed"
    return (
        Provenance(
            prompt=name,
            version=version,
            hash=digest if digest is not None else written,
            state=state,
            current_hash=current if same_prompt else None,
        ),
        problems,
    )


def _same_name(name: str, prompt: Prompt) -> bool:
    wanted = name.strip().lower()
    return wanted in _names(prompt) or PurePosixPath(wanted).name in _names(prompt)
