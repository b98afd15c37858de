"""The MkDocs side of specsite's search: swap Material's lunr search for Pagefind.

Each function is a few lines the MkDocs plugin calls from one event; everything
else lives in ``search`` (records from the model) and ``search_index`` (the
Pagefind process), which know nothing of MkDocs.

Material's ``search`` plugin stays in ``plugins:`` so the theme keeps drawing the
search button in the header and including ``partials/search.html``; specsite
overrides that partial with its own box and unhooks the plugin's indexing events,
so it neither re-parses every rendered page nor writes ``search/search_index.json``.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify as toc_slugify
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils.meta import get_data

from specsite.cache import SpecCache, memo_map
from specsite.config import Config
from specsite.model import Spec
from specsite.parallel import worker_count
from specsite.search import Record, Slugify, page_record, spec_records
from specsite.search_index import PagefindIndex, find_binary
from specsite.urls import page_url

log = get_plugin_logger("specsite")
THEME_DIR = Path(str(resources.files("specsite").joinpath("theme")))
SEARCH_ASSETS = ("search.css", "search.js")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_UNHOOKED_EVENTS = ("page_context", "post_build", "serve")


def is_material_search(plugin: Any) -> bool:
    return type(plugin).__module__.startswith(("material.plugins.search", "mkdocs.contrib.search"))


def replace_theme_search(config: Any) -> bool:
    """Override the theme's search partial and stop Material's search plugin from indexing.

    Called from ``on_config`` (after the search plugin's own ``on_config``). Returns
    whether a theme search plugin was found (without it the header has no search box).
    """
    config.theme.dirs.insert(0, str(THEME_DIR))
    found = False
    for plugin in list(config.plugins.values()):
        if not is_material_search(plugin):
            continue
        found = True
        for event in _UNHOOKED_EVENTS:
            handlers = config.plugins.events.get(event, [])
            handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not plugin]
    return found


def toc_slugify_of(config: Any) -> tuple[Slugify, str]:
    """The slugify function and separator the ``toc`` extension uses for heading ids."""
    options = dict(config.mdx_configs.get("toc", {}))
    slugify = options.get("slugify") or toc_slugify
    separator = str(options.get("separator", "-"))
    return slugify, separator


def page_records(files: Any, specs_prefix: str) -> list[Record]:
    """Hand-written pages and generated pages not excluded from search (home, prompt,
    reference documents), from their Markdown: known in ``on_files``, before rendering.
    Spec pages have their own records; the catalog and indexes repeat spec text."""
    found = []
    for file in files.documentation_pages():
        if file.src_uri.startswith(specs_prefix):
            continue
        markdown, meta = get_data(file.content_string)
        search = meta.get("search")
        if isinstance(search, dict) and search.get("exclude"):
            continue
        title = meta.get("title")
        if not isinstance(title, str):
            h1 = _H1.search(markdown)
            title = h1.group(1).strip() if h1 else Path(file.src_uri).stem.replace("-", " ")
        url = page_url(file.src_uri, file.use_directory_urls)
        found.append(page_record(url, title, markdown))
    return found


def start_index() -> PagefindIndex:
    """Start Pagefind's process early (in ``on_files``), before the specs are parsed."""
    log.debug(f"search index by {find_binary().describe()}")
    return PagefindIndex()


def site_records(
    specs: list[Spec],
    files: Any,
    settings: Config,
    config: Any,
    cache: SpecCache | None = None,
) -> list[Record]:
    """Every record of the site, from the model (and the hand-written pages' Markdown).
    Made on every core in a build; under ``serve`` an unchanged spec's come from the cache."""
    slugify, separator = toc_slugify_of(config)
    directory_urls = config.use_directory_urls

    def records(index: int) -> list[Record]:
        return list(
            spec_records(
                specs[index], settings, slugify, separator=separator, directory_urls=directory_urls
            )
        )

    def inputs(index: int) -> object:
        return ("search", specs[index], directory_urls)

    found = memo_map(len(specs), inputs, records, cache, workers=worker_count(settings.workers))
    return [r for made in found for r in made] + page_records(files, settings.specs_url + "/")


def send_records(index: PagefindIndex, records: list[Record], config: Any) -> None:
    """Queue the records and ask Pagefind to write the index under the site folder."""
    for record in records:
        index.add(record)
    index.start_writing(Path(config.site_dir))
