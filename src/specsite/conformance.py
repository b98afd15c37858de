"""Section conformance: which prompt sections a spec has, misses, leaves empty or as placeholder.

A section is present when a heading (or a bold line written instead of one,
'**3. Risks & Concerns**') names it; it is empty when nothing is written below
it, and placeholder when all that is written is 'TBD' or the prompt's own
guidance. Missing, empty or placeholder required sections are warnings.
"""

from __future__ import annotations

import re

from specsite.blocks import Block, Heading, Paragraph
from specsite.labels import Labels
from specsite.model import SectionCondition, SectionState
from specsite.plaintext import fold, inline_text, leading_strong
from specsite.problems import Problem
from specsite.prompt import Prompt

_MARKUP = re.compile(r"[#*_`>|\-\[\]:]+")


def check_sections(
    blocks: list[Block], lines: list[str], prompt: Prompt, labels: Labels
) -> tuple[list[SectionState], list[Problem]]:
    """The state of every prompt section in one spec (``lines`` is its body), with warnings."""
    headings = [b for b in blocks if isinstance(b, Heading)]
    bold_titles: dict[str, Paragraph] = {}
    for block in blocks:
        if isinstance(block, Paragraph):
            lead = leading_strong(block.inline)
            if lead is not None and not lead[1]:
                bold_titles.setdefault(lead[0].rstrip(":"), block)
    states: list[SectionState] = []
    problems: list[Problem] = []
    for section in prompt.sections:
        matches = [h for h in headings if prompt.section_for(inline_text(h.inline)) is section]
        if not matches:
            bold = next(
                (b for label, b in bold_titles.items() if prompt.section_for(label) is section),
                None,
            )
            if bold is not None:
                # '**3. Risks & Concerns**' written as a bold line instead of a heading
                states.append(
                    SectionState(section.title, section.required, "present", bold.line + 1)
                )
                continue
            states.append(SectionState(section.title, section.required, "missing"))
            if section.required:
                problems.append(
                    Problem(
                        "warning",
                        "missing-section",
                        f"required section '{section.title}' is missing",
                    )
                )
            continue
        state: SectionCondition = "present"
        contents = [_section_text(h, blocks, lines) for h in matches]
        if all(not text for text in contents):
            state = "empty"
        elif all(all(labels.is_placeholder(t) for t in text) for text in contents):
            state = "placeholder"
        line = matches[0].line + 1
        states.append(SectionState(section.title, section.required, state, line))
        if state != "present" and section.required:
            problems.append(
                Problem(
                    "warning",
                    f"{state}-section",
                    f"required section '{section.title}' is {state}"
                    + (" (still placeholder text)" if state == "placeholder" else ""),
                    line,
                )
            )
    return states, problems


def _section_text(heading: Heading, blocks: list[Block], lines: list[str]) -> list[str]:
    """The words below ``heading`` up to the next heading of its level, markup removed."""
    start = blocks.index(heading) + 1
    texts: list[str] = []
    for block in blocks[start:]:
        if isinstance(block, Heading):
            if block.level <= heading.level:
                break
            continue
        raw = " ".join(lines[block.line : block.end])
        cleaned = fold(_MARKUP.sub(" ", raw))
        if cleaned:
            texts.append(cleaned)
    return texts
