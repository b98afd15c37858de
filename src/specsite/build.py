"""One build of a collection, from configuration to site plan, with no MkDocs in sight."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from specsite.cache import SpecCache
from specsite.collect import collect
from specsite.config import Config
from specsite.model import Collection
from specsite.pages import SiteBuilder, SitePlan
from specsite.problems import Problem
from specsite.prompt import Prompt, load_prompt
from specsite.references import References


@dataclass
class Build:
    prompt: Prompt
    collection: Collection
    plan: SitePlan

    def messages(self) -> list[tuple[Problem, str]]:
        """Every problem with its located message, prompt first, then files in order."""
        found = [(p, p.located(self.prompt.source)) for p in self.collection.problems]
        for spec in self.collection.specs:
            found += [(p, p.located(spec.source)) for p in spec.problems]
        for entry in self.collection.skipped:
            found += [(p, p.located(entry.source)) for p in entry.problems]
        return found


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
