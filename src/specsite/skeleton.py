"""A new spec's skeleton, made from the prompt's sections: the prompt is the schema.

Every section and part of the prompt becomes a heading with placeholder text
under it, so ``specsite check`` reports each section until it is written.
"""

from __future__ import annotations

import datetime as dt

import yaml

from specsite.config import Config
from specsite.prompt import Prompt

DEFAULT_PLACEHOLDER = "TBD"


def skeleton(
    title: str, prompt: Prompt, config: Config, *, owner: str | None, date: dt.date
) -> str:
    """The Markdown of a draft spec titled ``title``."""
    placeholder = config.placeholders[0] if config.placeholders else DEFAULT_PLACEHOLDER
    meta: dict[str, object] = {"status": "draft"}
    if owner:
        meta["owner"] = owner
    meta["date"] = date  # a YAML date, as authors write it
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False)
    lines = ["---", front.rstrip("\n"), "---", "", f"# {_one_line(title)}", ""]
    if not prompt.sections:
        lines += [placeholder, ""]
    for section in prompt.sections:
        number = f"{section.number}. " if section.number is not None else ""
        lines += [f"## {number}{section.title}", ""]
        if not section.parts:
            lines += [placeholder, ""]
        for part in section.parts:
            lines += [f"### {part}", "", placeholder, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
