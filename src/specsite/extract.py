"""Everything read from one spec's block tree: its title heading, items and section states.

The parts each live in their own module and can be read alone:

- ``labels``: which words name a kind, a section, an item attribute or a placeholder;
- ``itemwalk``: the walk over one spec that finds item candidates (per-spec state);
- ``tables``: which rows of a table are items;
- ``resolution``: whether an open question is resolved;
- ``numbering``: candidates become items with stable ids;
- ``conformance``: which prompt sections the spec has;
- ``title``: the title rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from specsite.blocks import Block, Heading
from specsite.config import Config
from specsite.conformance import check_sections
from specsite.itemwalk import ItemWalk
from specsite.labels import Labels
from specsite.metadata import DEFAULT_STATUS_ALIASES, FieldNames
from specsite.model import Item, SectionState
from specsite.numbering import number_items
from specsite.problems import Problem
from specsite.prompt import Prompt
from specsite.resolution import Resolution
from specsite.title import title_heading


@dataclass
class Extraction:
    title: tuple[str, Heading] | None  # the first H1, when it names the document
    items: list[Item]
    sections: list[SectionState]
    problems: list[Problem]  # lines are body lines


class Extractor:
    """The schema's rules, built once per build; ``extract`` runs once per spec."""

    def __init__(self, config: Config, prompt: Prompt) -> None:
        self.prompt = prompt
        self.labels = Labels(config, prompt)
        self.resolution = Resolution(config, self.labels)
        self.kinds = [kind.key for kind in config.kinds]
        # status aliases: the built-in ones, then the statuses key's (which wins)
        self.field_names = FieldNames(
            dict(config.metadata),
            status_aliases={**DEFAULT_STATUS_ALIASES, **config.statuses.aliases},
        )
        self.title_prefixes = config.title_prefixes

    def extract(self, blocks: list[Block], lines: list[str], body_line: int) -> Extraction:
        """``lines``: the body the blocks come from, starting at file line ``body_line``."""
        candidates = ItemWalk(self.labels, self.resolution, lines).candidates(blocks)
        items = number_items(candidates, body_line, self.kinds)
        sections, problems = check_sections(blocks, lines, self.prompt, self.labels)
        return Extraction(title_heading(blocks, self.labels), items, sections, problems)
