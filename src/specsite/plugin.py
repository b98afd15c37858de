"""The MkDocs plugin: collect the specs, add the generated pages, report problems.

All the work happens in the MkDocs-free core (``specsite.build``); this adapter only
moves data between MkDocs objects and the core. It runs under MkDocs 1.6 and
ProperDocs, either as ``plugins: [specsite]`` (options under the plugin) or through
the ``hooks/specsite_hooks.py`` shim (options under ``extra: specsite:``).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from specsite import mermaid, static_html
from specsite.attachments import unresolved_by_page
from specsite.build import Build, build
from specsite.cache import SpecCache
from specsite.config import Config, ConfigError, check_folders, load_config
from specsite.folderwatch import rewatch_when_recreated
from specsite.guard import escaped_body
from specsite.lifecycle import repo_links, with_repo
from specsite.pages import CATALOG_MARKER, HOME_PAGE, PROMPT_PAGE
from specsite.parallel import worker_count
from specsite.render_ahead import Converted, convert_ahead
from specsite.reproducible import newest_mtime
from specsite.sanitize import clean_page
from specsite.search import Record
from specsite.search_adapter import (
    SEARCH_ASSETS,
    replace_theme_search,
    send_records,
    site_records,
    start_index,
)
from specsite.search_index import PagefindIndex, SearchIndexError
from specsite.specpage import spec_page_uri

log = get_plugin_logger("specsite")

# MkDocs' own message about a relative link it cannot find in a page
_MKDOCS_LINK = re.compile(
    r"^Doc file '(?P<page>.*?)' contains (?:an unrecognized relative link|a link) "
    r"'(?P<url>.*)', (?:it was left as is|but the target)"
)


class ReportedLinks(logging.Filter):
    """Drops MkDocs' messages about the links specsite already reported against the spec's
    source file and line (``link-unresolved``), so each broken link is reported once, where
    it is written, not against the generated page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, frozenset[str]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        match = _MKDOCS_LINK.match(record.getMessage())
        return match is None or match["url"] not in self.links.get(match["page"], frozenset())


ASSETS = ("specsite.css", "specsite.js")
ASSET_DIR = "assets/specsite"


class SpecsitePluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """The plugin's options: the keys of ``defaults.yml``, all optional.

    MkDocs checks each key's type and names the key at fault, like its own options;
    ``None`` means "use the default", and values and nested keys are validated by the
    core's ``load_config``. A test keeps this list equal to ``defaults.yml``.
    """

    specs_dir = c.Optional(c.Type(str))
    prompt = c.Optional(c.Type(str))
    output_heading = c.Optional(c.Type(str))
    specs_url = c.Optional(c.Type(str))
    page_size = c.Optional(c.Type(int))
    sidecar = c.Optional(c.Type(str))
    required = c.Optional(c.Type(list))
    section_aliases = c.Optional(c.Type(dict))
    kinds = c.Optional(c.Type(dict))
    indexes = c.Optional(c.Type(dict))
    references = c.Optional(c.Type(dict))
    ignore_references = c.Optional(c.Type(list))
    resolved_markers = c.Optional(c.Type(list))
    placeholders = c.Optional(c.Type(list))
    mermaid = c.Optional(c.Type(str))
    api = c.Optional(c.Type(dict))
    max_file_size = c.Optional(c.Type(int))
    trust_html = c.Optional(c.Type(bool))
    statuses = c.Optional(c.Type(dict))
    search = c.Optional(c.Type(bool))
    metadata = c.Optional(c.Type(dict))
    title_prefixes = c.Optional(c.Type(list))
    workers = c.Optional(c.Type(int))
    recommendation = c.Optional(c.Type(str))
    exclude = c.Optional(c.Type(list))


class SpecsitePlugin(BasePlugin[SpecsitePluginConfig]):  # type: ignore[no-untyped-call]
    """One instance per MkDocs run: state lives here and is reset by every build."""

    def __init__(self, *, from_extra: bool = False) -> None:
        super().__init__()
        self.from_extra = from_extra  # hooks setup: options under `extra: specsite:`
        self.settings: Config | None = None
        self.result: Build | None = None
        self.user_nav = False
        self.set_epoch = False
        self.mermaid = mermaid.MermaidSource(None)
        self.mermaid_warned = False
        # `serve` only: parsed specs and generated pages kept between rebuilds
        self.cache: SpecCache | None = None
        self.page_dir: Path | None = None
        self.dirty = False
        self.command = "build"  # under serve an error is reported, never fatal
        self.sources: dict[str, str] = {}  # spec page uri -> the spec's source file
        self.edit_urls: dict[str, str] = {}  # spec page uri -> its source file's edit URL
        self.static: dict[str, dict[str, str]] = {}  # page -> static tables kept out of Markdown
        self.search_index: PagefindIndex | None = None  # Pagefind, running beside the build
        self.pending_index: PagefindIndex | None = None  # `serve`: still writing after a build
        self.search_records: list[Record] = []  # `serve`: sent after the build, in the background
        self.written: dict[str, str] = {}  # `serve`: generated page -> Markdown on disk
        self.appended: dict[str, str] = {}  # `serve`: page -> what the last build appended
        self.templates = CompiledTemplates()  # `serve`: the theme's templates, compiled once
        self.reported_links = ReportedLinks()
        self.skips_unmodified = False  # `--dirty`: MkDocs converts only modified pages
        self.converted: dict[str, Converted] | None = None  # pages converted ahead, this build
        self.filtered: dict[str, tuple[str, str]] = {}  # page -> (HTML, HTML after on_page_content)

    def event_handlers(self) -> dict[str, Any]:
        """The plugin's events as the module functions a ``hooks:`` file provides."""
        return {
            name: getattr(self, name)
            for name, value in vars(type(self)).items()
            if name.startswith("on_") and callable(value)
        }

    # -- lifetime -------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Under ``serve``, keep parsed specs and write generated pages to files, so a
        rebuild re-reads only edited specs and ``--dirty`` re-renders only changed pages."""
        self.command = command
        self.skips_unmodified = dirty
        if command == "serve":
            self.cache = SpecCache()
            self.page_dir = Path(tempfile.mkdtemp(prefix="specsite-pages-"))
            self.dirty = dirty

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Keep watching the specs folder when it is deleted and created again."""
        if self.settings is not None:
            rewatch_when_recreated(server, self.settings.specs_dir)
        return server

    def on_shutdown(self) -> None:
        self._close_search_index()
        if self.page_dir is not None:
            shutil.rmtree(self.page_dir, ignore_errors=True)
            self.page_dir = None

    # -- configuration -------------------------------------------------------

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[Any, Any]:
        """MkDocs only warns about an unknown plugin option; for specsite a typo is an error
        (it would silently change what the site shows), whatever ``--strict`` says."""
        errors, warnings = super().load_config(options, config_file_path)
        return [*errors, *warnings], []

    def user_options(self, config: MkDocsConfig) -> dict[str, Any] | None:
        if self.from_extra:
            extra: dict[str, Any] | None = config.extra.get("specsite")
            return extra
        return {key: value for key, value in self.config.items() if value is not None}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.set_epoch:  # our own value from the previous `serve` build
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.set_epoch = False
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            self.settings = load_config(self.user_options(config), root)
            check_folders(self.settings, Path(config.docs_dir))
            repo = repo_links(
                config.repo_url, config.edit_uri, config.edit_uri_template, config.docs_dir
            )
            self.settings = with_repo(self.settings, repo)  # spec pages link their source
        except ConfigError as error:
            raise PluginError(str(error)) from error
        self.result = None
        self.user_nav = config.nav is not None
        self.mermaid = mermaid.resolve(self.settings.mermaid, root)
        self.mermaid_warned = False
        if self.settings.mermaid not in (None, mermaid.CDN) and self.mermaid.missing:
            raise PluginError(f"specsite config 'mermaid': no file at {self.settings.mermaid}")
        watched = (self.settings.specs_dir, self.settings.prompt)
        config.watch.extend(str(p) for p in watched if p.exists())
        if "attr_list" not in config.markdown_extensions:  # headings that would share an item's id
            config.markdown_extensions.append("attr_list")  # get their own ('{#risk-1_1}')
        assets = [("extra_css", "specsite.css"), ("extra_javascript", "specsite.js")]
        if self.settings.search:  # Pagefind replaces the theme's search: see search_adapter
            if not replace_theme_search(config):
                log.info("specsite: list `search` under `plugins:` to show the search box")
            assets += [("extra_css", "search.css"), ("extra_javascript", "search.js")]
        for kind, name in assets:
            entries = getattr(config, kind)
            if f"{ASSET_DIR}/{name}" not in entries:
                entries.append(f"{ASSET_DIR}/{name}")
        return config

    # -- pages ---------------------------------------------------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        settings = self.settings
        assert settings is not None, "on_config runs first"
        for file in list(files):  # specs kept inside docs/ are published by specsite, not twice
            if file.abs_src_path and Path(file.abs_src_path).is_relative_to(settings.specs_dir):
                files.remove(file)
        doc_uris = {f.src_uri for f in files.documentation_pages()}
        self._close_search_index()  # a previous `serve` build that failed
        index = self.search_index = start_index() if settings.search else None
        result = build(
            settings,
            doc_uris,
            has_home=HOME_PAGE in doc_uris,
            directory_urls=config.use_directory_urls,
            cache=self.cache,
        )
        self.result = result
        self.reported_links.links = unresolved_by_page(result.collection, settings.specs_url)
        pages_log = logging.getLogger("mkdocs.structure.pages")
        if self.reported_links not in pages_log.filters:
            pages_log.addFilter(self.reported_links)
        self.static = {}
        self.converted = None
        self.filtered = {}
        self.sources = {
            spec_page_uri(spec, settings.specs_url): spec.source for spec in result.collection.specs
        }
        self.edit_urls = {
            spec_page_uri(spec, settings.specs_url): spec.lifecycle.edit_url
            for spec in result.collection.specs
            if spec.lifecycle.edit_url
        }
        self._report(result, fatal=self.command != "serve")
        self._stamp_build_date(result, settings, files, config)
        spec_prefix = settings.specs_url + "/"
        in_nav = set(_nav_pages(result.plan.nav))
        for uri, markdown in result.plan.pages.items():
            if uri in doc_uris:
                raise PluginError(f"specsite: docs/{uri} is a page specsite generates; rename it")
            inclusion = (
                InclusionLevel.UNDEFINED
                if uri in in_nav and not uri.startswith(spec_prefix)
                else InclusionLevel.NOT_IN_NAV  # spec pages and later pages of a listing
            )
            markdown, self.static[uri] = static_html.lift(markdown)
            files.append(self._generated(config, uri, markdown, inclusion))
        for path, text in result.plan.files.items():
            files.append(File.generated(config, path, content=text))
        for uri, source in result.plan.attachments.items():  # copied as they are
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        for name in ASSETS + (SEARCH_ASSETS if index is not None else ()):
            data = resources.files("specsite").joinpath("assets", name).read_bytes()
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", content=data))
        if self.mermaid.path is not None:
            files.append(
                File.generated(config, mermaid.SITE_PATH, abs_src_path=str(self.mermaid.path))
            )
        if not self.user_nav:
            config.nav = result.plan.nav
        if self.dirty:  # pages whose catalog or 'Cited by' changed with the specs
            appended, self.appended = self.appended, dict(result.plan.appendices)
            for file in files:
                uri = file.src_uri
                if uri in result.plan.appendices and appended.get(uri) != self.appended[uri]:
                    file.is_modified = lambda: True  # type: ignore[method-assign]
        if index is not None:
            records = site_records(result.collection.specs, files, settings, config, self.cache)
            if self.command == "serve":  # sent once the pages are written: an edit shows first
                self.search_records = records
            else:  # Pagefind indexes and writes in its own process from here on
                send_records(index, records, config)
        return files

    def _generated(
        self, config: MkDocsConfig, uri: str, markdown: str, inclusion: InclusionLevel
    ) -> File:
        """A generated page: in memory for a build; under ``serve``, a file rewritten only
        when its Markdown changes, so ``serve --dirty`` skips the pages an edit left alone."""
        if self.page_dir is None:
            return File.generated(config, uri, content=markdown, inclusion=inclusion)
        path = self.page_dir / uri
        if self.written.get(uri) != markdown or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(markdown.encode("utf-8"))
            self.written[uri] = markdown
        return File.generated(config, uri, abs_src_path=str(path), inclusion=inclusion)

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Under ``serve`` the theme's templates are compiled once, not on every rebuild
        (MkDocs makes a new Jinja environment each build; about a second at each edit)."""
        if self.cache is not None:
            env.bytecode_cache = self.templates
        return env

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """A generated page takes its HTML from the worker processes (``render_ahead``),
        which start at the first one. Last resort behind the guard (``specsite.guard``): if
        Python-Markdown runs out of recursion on a spec page, report the spec's source file
        (not the generated page) and publish the page as escaped text."""
        uri = page.file.src_uri
        if self.result is None or uri not in self.result.plan.pages:
            return page
        if uri in self.edit_urls:  # the theme's edit button: the spec's file
            page.edit_url = self.edit_urls[uri]
        if self.converted is None:
            self.converted = self._convert_ahead(type(page), config, files)
        source = self.sources.get(uri)
        render = page.render

        def converted_or_guarded(config: MkDocsConfig, files: Files) -> None:
            assert self.converted is not None
            done = self.converted.pop(uri, None)
            if done is not None and done.apply(page, files):
                self.filtered[uri] = (done.content, done.filtered)
                return
            if source is None:
                render(config, files)
                return
            try:
                render(config, files)
            except RecursionError:
                log.warning(
                    f"{source}: is nested too deeply for the Markdown converter; "
                    "published as plain text [markdown-too-complex]"
                )
                page.markdown = escaped_body(page.markdown or "")
                render(config, files)

        page.render = converted_or_guarded  # type: ignore[method-assign]
        return page

    def _convert_ahead(
        self, page_class: type[Page], config: MkDocsConfig, files: Files
    ) -> dict[str, Converted]:
        """Every generated page MkDocs is about to convert, converted on every core; not
        when a plugin gave Markdown an extension object, which may keep what it sees of
        each page (autorefs' anchors) in this process."""
        assert self.result is not None and self.settings is not None
        if any(not isinstance(name, str) for name in config.markdown_extensions):
            log.debug("pages converted in MkDocs' loop: a plugin added a Markdown extension")
            return {}
        uris = [
            uri
            for uri in self.result.plan.pages
            if uri not in self.result.plan.appendices
            and (file := files.get_file_from_path(uri)) is not None
            and (not self.skips_unmodified or file.is_modified())
        ]

        def page_filter(html: str, page: Page) -> str:
            return self.on_page_content(html, page=page, config=config, files=files)

        workers = worker_count(self.settings.workers)
        converted = convert_ahead(uris, page_class, config, files, page_filter, workers=workers)
        if converted:
            log.debug(f"{len(converted)} of {len(uris)} pages converted on {workers} processes")
        return converted

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Add the catalog to the hand-written home page and 'Cited by' to reference pages."""
        if self.result is None:
            return markdown
        extra = self.result.plan.appendices.get(page.file.src_uri)
        if extra is None:
            return markdown
        extra, self.static[page.file.src_uri] = static_html.lift(extra)
        if CATALOG_MARKER in markdown:
            return markdown.replace(CATALOG_MARKER, extra, 1)
        return markdown.rstrip("\n") + "\n\n" + extra

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Spec text is untrusted: spec pages and the prompt page, which hold Markdown as
        written, pass the core sanitizer (the other pages are built from escaped values)."""
        uri = page.file.src_uri
        done = self.filtered.pop(uri, None)
        if done is not None and html is done[0]:  # filtered ahead, with the page's conversion
            return done[1]
        if self.static.get(uri):
            html = static_html.restore(html, self.static[uri])
        if self.result is None or self.settings is None or uri not in self.result.plan.pages:
            return html
        if uri != PROMPT_PAGE and not uri.startswith(self.settings.specs_url + "/"):
            return html
        return clean_page(html, trust_html=self.settings.trust_html)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Pages with a diagram load Mermaid from the site itself, never from a CDN."""
        if self.mermaid.cdn or not mermaid.has_diagram(output):
            return output
        if self.mermaid.path is not None:
            return mermaid.with_local_script(output, get_relative_url(mermaid.SITE_PATH, page.url))
        if not self.mermaid_warned:
            self.mermaid_warned = True
            log.warning(
                f"{page.file.src_uri} has a Mermaid diagram but no local mermaid.min.js "
                "was found (run scripts/setup, set 'mermaid:' to a file, or 'mermaid: cdn'); "
                "diagrams are shown as source"
            )
        return mermaid.as_source(output)

    # -- search ------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Wait for Pagefind to finish the index it built beside the MkDocs build; under
        ``serve`` let it finish in the background, so an edit shows before its search does."""
        index, self.search_index = self.search_index, None
        if index is None:
            return
        if self.command == "serve":
            self.pending_index = index
            records, self.search_records = self.search_records, []
            threading.Thread(
                target=self._finish_in_background, args=(index, records, config), daemon=True
            ).start()
            return
        try:
            index.finish()
        except SearchIndexError as error:
            raise PluginError(f"specsite: {error}") from error

    def _finish_in_background(
        self, index: PagefindIndex, records: list[Record], config: MkDocsConfig
    ) -> None:
        try:
            send_records(index, records, config)
            index.finish()
        except SearchIndexError as error:
            if index is self.pending_index:  # not stopped on purpose by a newer build
                log.warning(f"search index not updated: {error}")
        if index is self.pending_index:
            self.pending_index = None

    def on_build_error(self, *, error: Exception) -> None:
        self._close_search_index()

    def _close_search_index(self) -> None:
        """Stop Pagefind: the current build's, and a previous ``serve`` build's still writing."""
        current, pending = self.search_index, self.pending_index
        self.search_index = self.pending_index = None
        if current is not None:
            current.close()
        if pending is not None:  # a previous `serve` build's index, overtaken by this build
            pending.abandon()

    # -- helpers -------------------------------------------------------------

    def _stamp_build_date(
        self, result: Build, settings: Config, files: Files, config: MkDocsConfig
    ) -> None:
        """MkDocs stamps the sitemap and its gzip with the build date: unless SOURCE_DATE_EPOCH
        is set, take it from the newest input, so two builds of the same sources are identical."""
        if "SOURCE_DATE_EPOCH" in os.environ:
            return
        inputs = [spec.path for spec in result.collection.specs]
        inputs += [settings.prompt, Path(config.config_file_path or ".")]
        inputs += [Path(f.abs_src_path) for f in files if f.abs_src_path]
        stamp = newest_mtime(inputs)
        if stamp is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(stamp)
            self.set_epoch = True

    @staticmethod
    def _report(result: Build, *, fatal: bool) -> None:
        """Log every problem; an error fails the build whatever the flags (``fatal``; not
        under serve, which keeps answering with the last good site and reports the error)."""
        errors = 0
        for problem, message in result.messages():
            if problem.severity == "info":
                log.info(message)
            elif problem.severity == "error":
                errors += 1
                log.error(message)
            else:
                log.warning(message)
        if errors and fatal:
            raise PluginError(f"specsite: {errors} error(s) above; fix them to build the site")


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory, keyed (by Jinja) on each template's source."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _nav_pages(nav: Any) -> list[str]:
    """The page paths a MkDocs nav lists (nested sections and titles included)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    if isinstance(nav, list):
        return [page for entry in nav for page in _nav_pages(entry)]
    return []
