"""MkDocs adapter for specsite: collect the specs, add the generated pages, report problems.

All the work happens in the ``specsite`` package; this file only moves data
between MkDocs objects and the core. It runs under MkDocs 1.6 and ProperDocs.
"""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from specsite.build import Build, build
from specsite.config import Config, ConfigError, load_config
from specsite.pages import CATALOG_MARKER, HOME_PAGE
from specsite.reproducible import newest_mtime

log = get_plugin_logger("specsite")

ASSETS = ("specsite.css", "specsite.js")
ASSET_DIR = "assets/specsite"

# Module state survives `mkdocs serve` rebuilds: on_config resets it every build.
_state: dict[str, Any] = {}

_NOT_IN_NAV = "The following pages exist in the docs directory, but are not included"


class _SpecPagesOutOfNav(logging.Filter):
    """Spec pages are kept out of the nav on purpose: don't list thousands of them at INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        prefix = _state.get("specs_prefix")
        if prefix is None or not message.startswith(_NOT_IN_NAV):
            return True
        head, *lines = message.splitlines()
        rest = [line for line in lines if not line.strip().removeprefix("- ").startswith(prefix)]
        if len(rest) == len(lines):
            return True
        if not rest:
            return False
        record.msg, record.args = "\n".join([head, *rest]), ()
        return True


for _name in ("mkdocs.structure.nav", "properdocs.structure.nav"):
    logging.getLogger(_name).addFilter(_SpecPagesOutOfNav())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _state.get("set_epoch"):  # our own value from the previous `serve` build
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    _state.clear()
    root = Path(config.config_file_path or ".").resolve().parent
    try:
        settings = load_config(config.extra.get("specsite"), root)
    except ConfigError as error:
        raise PluginError(str(error)) from error
    _state["settings"] = settings
    _state["user_nav"] = config.nav is not None
    _state["specs_prefix"] = settings.specs_url + "/"
    config.watch.extend(str(p) for p in (settings.specs_dir, settings.prompt) if p.exists())
    config.extra_css.append(f"{ASSET_DIR}/specsite.css")
    config.extra_javascript.append(f"{ASSET_DIR}/specsite.js")
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    settings: Config = _state["settings"]
    for file in list(files):  # specs kept inside docs/ are published by specsite, not twice
        if file.abs_src_path and Path(file.abs_src_path).is_relative_to(settings.specs_dir):
            files.remove(file)
    doc_uris = {f.src_uri for f in files.documentation_pages()}
    result = build(
        settings,
        doc_uris,
        has_home=HOME_PAGE in doc_uris,
        directory_urls=config.use_directory_urls,
    )
    _report(result)
    _stamp_build_date(result, settings, files, config)
    for uri, markdown in result.plan.pages.items():
        if uri in doc_uris:
            raise PluginError(f"specsite: docs/{uri} is a page specsite generates; rename it")
        files.append(File.generated(config, uri, content=markdown))
    for path, text in result.plan.files.items():
        files.append(File.generated(config, path, content=text))
    for name in ASSETS:
        data = resources.files("specsite").joinpath("assets", name).read_bytes()
        files.append(File.generated(config, f"{ASSET_DIR}/{name}", content=data))
    if not _state["user_nav"]:
        config.nav = result.plan.nav
    _state["appendices"] = result.plan.appendices
    return files


def _stamp_build_date(result: Build, settings: Config, files: Files, config: MkDocsConfig) -> None:
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
        _state["set_epoch"] = True


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Add the catalog to the hand-written home page and 'Cited by' to reference pages."""
    extra: str | None = _state.get("appendices", {}).get(page.file.src_uri)
    if extra is None:
        return markdown
    if CATALOG_MARKER in markdown:
        return markdown.replace(CATALOG_MARKER, extra, 1)
    return markdown.rstrip("\n") + "\n\n" + extra


def _report(result: Build) -> None:
    for problem, message in result.messages():
        if problem.severity == "info":
            log.info(message)
        else:
            log.warning(message)
