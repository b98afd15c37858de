"""Generated pages converted to HTML on every core, ahead of MkDocs' page loop.

MkDocs converts one page after another on one core, and for a collection that is
most of a build (Python-Markdown, about 50 ms a spec). When the loop reaches the
first page specsite generated, the rest of them are converted in forked worker
processes, each by the running MkDocs' own ``Page.read_source`` and ``Page.render``
with the same config and files, and passed through specsite's own page filter
(the sanitizer). The loop then takes each page's result instead of converting it
again, but only while the page's Markdown is the one converted: a page another
plugin rewrote is converted afresh, in the loop, as before.

What MkDocs logs while converting a page (a broken link...) is kept by the worker
and logged again in this process when the loop reaches that page, so ``--strict``
counts it and the messages come in the order of a build done page by page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from specsite.parallel import MIN_ITEMS, parallel_map

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# Loggers that own handlers in a MkDocs (or ProperDocs) run; a worker's records go to
# none of them, only to the list that travels back.
_ROOTS = ("", "mkdocs", "properdocs")


@dataclass
class Converted:
    """One page as ``Page.render`` left it, and its HTML after specsite's page filter."""

    markdown: str
    content: str
    filtered: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    records: list[logging.LogRecord]

    def apply(self, page: Page, files: Files) -> bool:
        """Fill ``page`` as its own ``render`` would; ``False`` if its Markdown has changed
        since (another plugin's ``on_page_markdown``), so it must be converted again."""
        if page.markdown != self.markdown:
            return False
        for record in self.records:
            logging.getLogger(record.name).handle(record)
        page.content = self.content
        page.toc = self.toc
        page._title_from_render = self.title
        page.present_anchor_ids = self.anchors
        if self.links_to_anchors is not None:
            targets = [(files.get_file_from_path(u), v) for u, v in self.links_to_anchors.items()]
            page.links_to_anchors = {file: links for file, links in targets if file}
        return True


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        record.msg = record.getMessage()  # plain values only: the record is pickled
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


@contextmanager
def _kept_logs() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []
    keep = _Keep(records)
    loggers = [logging.getLogger(name) for name in _ROOTS]
    saved = [logger.handlers for logger in loggers]
    for logger in loggers:
        logger.handlers = [keep]
    try:
        yield records
    finally:
        for logger, handlers in zip(loggers, saved, strict=True):
            logger.handlers = handlers


def convert_ahead(
    uris: Sequence[str],
    page_class: Callable[..., Page],
    config: MkDocsConfig,
    files: Files,
    page_filter: Callable[[str, Page], str],
    *,
    workers: int,
) -> dict[str, Converted]:
    """The pages at ``uris``, converted on ``workers`` processes; empty where that does
    not pay (one core, a handful of pages: a ``serve --dirty`` rebuild)."""
    if workers <= 1 or len(uris) < MIN_ITEMS:
        return {}

    def convert(uri: str) -> Converted | None:
        file = files.get_file_from_path(uri)
        if file is None:
            return None
        page = file.page if file.page is not None else page_class(None, file, config)
        config._current_page = page
        with _kept_logs() as records:
            try:
                page.read_source(config)
                markdown = page.markdown
                page.render(config, files)
                content = page.content
                assert markdown is not None and content is not None
                filtered = page_filter(content, page)
            except Exception:  # the loop converts the page again and reports what went wrong
                return None
        links = page.links_to_anchors
        return Converted(
            markdown=markdown,
            content=content,
            filtered=content if filtered == content else filtered,
            toc=page.toc,
            title=page._title_from_render,
            anchors=page.present_anchor_ids,
            links_to_anchors=None if links is None else {f.src_uri: v for f, v in links.items()},
            records=records,
        )

    done = parallel_map(convert, list(uris), workers=workers)
    return {uri: page for uri, page in zip(uris, done, strict=True) if page is not None}
