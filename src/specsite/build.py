"""One build of a collection, from configuration to site plan, with no MkDocs in sight."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from specsite.cache import SpecCache
from specsite.collect import collect
from specsite.config import Config
from specsite.model import Collection
from specsite.pages import SiteBuilder, SitePlan
from specsite.problems import Problem, grouped
from specsite.prompt import Prompt, load_prompt
from specsite.references import References
from specsite.sanitize import terminal_text


@dataclass
class Build:
    prompt: Prompt
    collection: Collection
    plan: SitePlan

    def messages(self) -> list[tuple[Problem, str]]:
        """Every problem with its located message, prompt first, then files in order; a problem
        repeated in one file is one message with its count of mentions. Safe to print: no
        control characters from file names or spec text."""
        sources = [(self.prompt.source, self.collection.problems)]
        sources += [(spec.source, spec.problems) for spec in self.collection.specs]
        sources += [(entry.source, entry.problems) for entry in self.collection.skipped]
        sources += [(where, [note]) for where, note in self.collection.notes]
        return [
            (group.problem, terminal_text(group.located(source)))
            for source, problems in sources
            for group in grouped(problems)
        ]


def build(
    config: Config,
    doc_uris: Iterable[str],
    *,
    has_home: bool = False,
    directory_urls: bool = True,
    cache: SpecCache | None = None,
) -> Build:
    docs = set(doc_uris)
    prompt = load_prompt(config)
    references = References.build(
        prompt.references, config.references, docs, config.ignore_references
    )
    collection = collect(config, prompt, references, cache)
    builder = SiteBuilder(
        config, prompt, collection, references, directory_urls=directory_urls, cache=cache
    )
    plan = builder.plan(docs, has_home=has_home)
    if cache is not None:
        cache.finish()
    return Build(prompt, collection, plan)
