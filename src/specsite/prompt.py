"""The agent prompt is the schema: its output sections and labelled sub-items drive parsing.

From the prompt's output heading (default 'Output') we take every numbered or
titled sub-heading as a schema section, the bold labels of its top-level
bullets ('**Blockers:**') as the section's parts, and the prompt's own bullet
text as guidance (a spec that still contains it is unfinished).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from specsite.blocks import Heading, ListBlock, Paragraph, parse_blocks, walk
from specsite.config import Config
from specsite.frontmatter import split_front_matter
from specsite.headings import Vocabulary, match_score, normalize
from specsite.model import project_path
from specsite.plaintext import inline_text, leading_strong
from specsite.problems import Problem
from specsite.reading import read_text

_NUMBER = re.compile(r"^\s*(\d+)[.)]?\s")
_OPTIONAL = re.compile(r"\((?:if|optional|when)\b[^)]*\)", re.IGNORECASE)
_REFERENCE = re.compile(r"[\w./-]*?([A-Za-z0-9][\w-]*\.md)\b")


@dataclass(frozen=True)
class Section:
    """One section of the template, as the prompt names it."""

    title: str
    number: int | None
    parts: tuple[str, ...]
    required: bool
    aliases: tuple[str, ...]
    guidance: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


@dataclass
class Prompt:
    source: str
    meta: dict[str, Any]
    body: str
    sha256: str
    sections: list[Section]
    references: list[str]
    problems: list[Problem] = field(default_factory=list)
    _vocabulary: Vocabulary[Section] | None = field(default=None, repr=False, compare=False)

    def meta_text(self, key: str) -> str:
        value = self.meta.get(key)
        return "" if value is None else str(value)

    def section_for(self, heading: str) -> Section | None:
        """The schema section a spec heading stands for, if any."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary((s, s.names) for s in self.sections)
        return self._vocabulary.best(heading)


def load_prompt(config: Config) -> Prompt:
    """Read and parse the prompt; a missing or shapeless prompt becomes problems, not a crash."""
    source = project_path(config.prompt, config.root, config.prompt.parent)
    read = read_text(config.prompt)
    if read.text is None:
        return Prompt(source, {}, "", "", [], [], [*read.problems])
    front = split_front_matter(read.text)
    problems = [*read.problems, *front.problems]
    sections = _sections(front.body, config)
    if not sections:
        problems.append(
            Problem(
                "warning",
                "prompt-no-output-section",
                f"no output sections found under a heading '{config.output_heading}'; "
                "specs are indexed by the configured kinds only, without a conformance check",
            )
        )
    problems += unmatched_section_names(config, sections)
    references = sorted(set(_references(front.body)))
    digest = hashlib.sha256(read.text.encode("utf-8")).hexdigest()
    return Prompt(source, front.meta, front.body, digest, sections, references, problems)


def unmatched_section_names(config: Config, sections: list[Section]) -> list[Problem]:
    """A name under ``required`` or ``section_aliases`` that names no prompt section is an
    error: a typo (``required: [Sumary]``) would otherwise silently require nothing."""
    if not sections:
        return []  # already reported: prompt-no-output-section
    titles = [section.title for section in sections]
    problems = []
    for name in dict.fromkeys(config.user_section_names):
        if not any(
            normalize(name) == normalize(title) or match_score(title, [name]) >= 2000
            for title in titles
        ):
            problems.append(
                Problem(
                    "error",
                    "config-unknown-section",
                    f"the config names a section {name!r} (under 'required' or "
                    f"'section_aliases') that the prompt does not have; its sections: "
                    f"{', '.join(titles)}",
                )
            )
    return problems


def _sections(body: str, config: Config) -> list[Section]:
    blocks = parse_blocks(body)
    start, level = 0, 0
    if config.output_heading:
        for index, block in enumerate(blocks):
            if isinstance(block, Heading) and match_score(
                inline_text(block.inline), [config.output_heading]
            ):
                start, level = index + 1, block.level
                break
        else:
            return []
    region = []
    for block in blocks[start:]:
        if isinstance(block, Heading) and block.level <= level:
            break
        region.append(block)
    headings = [b for b in region if isinstance(b, Heading)]
    if not headings:
        return []
    section_level = min(h.level for h in headings)
    top = [h for h in headings if h.level == section_level]
    if len(top) == 1 and any(h.level > section_level for h in headings):
        # one H1 over the template ('# KEP-NNNN: Your title'): the document's title,
        # its sections are the headings below it
        region = region[region.index(top[0]) + 1 :]
        section_level = min(h.level for h in headings if h.level > section_level)
    sections: list[Section] = []
    current: Heading | None = None
    content: list[Any] = []
    for entry in [*region, None]:
        if entry is None or (isinstance(entry, Heading) and entry.level == section_level):
            if current is not None:
                sections.append(_section(current, content, config))
            current, content = (entry if isinstance(entry, Heading) else None), []
        else:
            content.append(entry)
    return sections


def _section(heading: Heading, content: list[Any], config: Config) -> Section:
    raw_title = inline_text(heading.inline)
    number_match = _NUMBER.match(raw_title)
    title = _NUMBER.sub("", raw_title).strip()
    parts: list[str] = []
    guidance: list[str] = []
    for block in content:
        if isinstance(block, ListBlock):
            for item in block.items:
                lead = leading_strong(item.first_inline) if item.first_inline else None
                if lead is not None:
                    parts.append(lead[0].rstrip(":").strip())
        for inner in walk([block]):
            if isinstance(inner, Paragraph):
                text = inline_text(inner.inline)
                lead = leading_strong(inner.inline)
                guidance.append(lead[1] if lead is not None else text)
    optional = bool(_OPTIONAL.search(title))
    clean_title = title
    if config.required is not None:
        wanted = [normalize(name) for name in config.required]
        required = normalize(clean_title) in wanted
    else:
        required = not optional
    aliases: tuple[str, ...] = ()
    for name, extra in config.section_aliases.items():
        if match_score(clean_title, [name]) >= 2000:
            aliases = aliases + extra
    return Section(
        title=clean_title,
        number=int(number_match.group(1)) if number_match else None,
        parts=tuple(parts),
        required=required,
        aliases=aliases,
        guidance=tuple(g for g in guidance if len(g) > 20),
    )


def _references(body: str) -> list[str]:
    """File names on the prompt's 'References:' lines."""
    names: list[str] = []
    for line in body.splitlines():
        if re.match(r"^\W*references\W", line.strip(), re.IGNORECASE):
            names.extend(m.group(1) for m in _REFERENCE.finditer(line))
    return names
