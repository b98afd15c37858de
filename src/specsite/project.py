"""The project a command line works on: its ``mkdocs.yml``, specsite's options, its docs pages.

The command line must agree with the site without importing MkDocs (a pre-commit
hook has to start fast), so this module reads ``mkdocs.yml`` the way MkDocs does
for the few keys specsite needs: ``!ENV`` tags resolve like MkDocs resolves them,
other tags (``!!python/name:...``) read as None, and the docs pages are listed
with MkDocs' exclusions (its defaults, ``exclude_docs``, ``draft_docs``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pathspec
import yaml

from specsite.config import Config, ConfigError, load_config

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
DEFAULT_PROMPT = "prompts/study.md"
# MkDocs' own exclusions (mkdocs.structure.files._default_exclude), before exclude_docs.
DEFAULT_EXCLUDE = (".*", "/templates/")
# What MkDocs counts as a Markdown page (mkdocs.utils.markdown_extensions).
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that knows ``!ENV`` and reads any other tag as None."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV VAR`` or ``!ENV [VAR, OTHER, default]``, as MkDocs (pyyaml-env-tag) reads it."""
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
        if len(children) > 1:
            default = loader.construct_object(children[-1])
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        return None
    for name in names:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_constructor("!ENV", _env_tag)
_TolerantLoader.add_multi_constructor("", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _unknown_tag)


def shipped_prompt() -> Path:
    """The default agent prompt installed with specsite (a copy of prompts/study.md)."""
    return Path(str(resources.files("specsite").joinpath("data", "study.md")))


def find_config_file(start: Path) -> Path | None:
    """``mkdocs.yml`` in ``start`` or the nearest folder above it, like git finds ``.git``."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """The parsed ``mkdocs.yml``; ConfigError when it is not a readable YAML mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({error})") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return data


def specsite_options(mkdocs: dict[str, Any]) -> dict[str, Any] | None:
    """specsite's keys as the site reads them: the plugin's options when ``specsite`` is
    among the plugins (its unset options are None), else ``extra: specsite:`` (hooks setup)."""
    plugins = mkdocs.get("plugins")
    entries: list[Any] = []
    if isinstance(plugins, dict):
        entries = [{name: options} for name, options in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    for entry in entries:
        if entry == "specsite":
            return {}
        if isinstance(entry, dict) and "specsite" in entry:
            options = entry["specsite"]
            if options is None:
                return {}
            if not isinstance(options, dict):
                raise ConfigError("mkdocs.yml: the specsite plugin's options must be a mapping")
            return {str(k): v for k, v in options.items() if v is not None}
    extra = mkdocs.get("extra")
    if isinstance(extra, dict):
        options = extra.get("specsite")
        if options is None or isinstance(options, dict):
            return options
        raise ConfigError("mkdocs.yml: 'extra: specsite:' must be a mapping")
    return None


@dataclass(frozen=True)
class Project:
    """Where things are: specsite's settings, the docs folder, the URL style."""

    settings: Config
    docs_dir: Path
    directory_urls: bool
    excluded: pathspec.GitIgnoreSpec  # docs pages MkDocs leaves out of a build

    def in_specs_dir(self, path: Path) -> bool:
        """Whether ``path`` (relative to the working folder) is inside the specs folder."""
        absolute = Path(os.path.normpath(path.absolute()))
        specs = self.settings.specs_dir
        return absolute.is_relative_to(specs) or absolute.resolve().is_relative_to(specs)

    def doc_uris(self) -> set[str]:
        """The docs pages MkDocs builds (its default exclusions, ``exclude_docs`` and
        ``draft_docs`` left out), minus specs kept inside docs/ (specsite publishes those)."""
        uris: set[str] = set()
        if not self.docs_dir.is_dir():
            return uris
        for folder, dirs, files in os.walk(self.docs_dir):
            here = Path(folder)
            if here.resolve().is_relative_to(self.settings.specs_dir):
                dirs[:] = []
                continue
            relative = here.relative_to(self.docs_dir)
            for name in files:
                uri = (relative / name).as_posix()
                if name.endswith(MARKDOWN_SUFFIXES) and not self.excluded.match_file(uri):
                    uris.add(uri)
        return uris


def load_project(
    config_file: Path | None,
    *,
    cwd: Path,
    specs_dir: Path | None = None,
    prompt: Path | None = None,
) -> Project:
    """The project from an explicit config file, else the nearest ``mkdocs.yml`` above
    ``cwd``, else specsite's defaults relative to ``cwd``. ``specs_dir`` and ``prompt``
    (relative to ``cwd``) override the file's settings."""
    path = config_file if config_file is not None else find_config_file(cwd)
    mkdocs: dict[str, Any] = {}
    root = cwd
    if path is not None:
        path = (cwd / path).resolve()
        if not path.is_file():
            raise ConfigError(f"{path}: no such config file")
        mkdocs = read_mkdocs_yml(path)
        root = path.parent
    options = dict(specsite_options(mkdocs) or {})
    if path is None and prompt is None and not (root / DEFAULT_PROMPT).is_file():
        options["prompt"] = str(shipped_prompt())  # no project here: the default prompt
    if specs_dir is not None:
        options["specs_dir"] = str((cwd / specs_dir).resolve())
    if prompt is not None:
        options["prompt"] = str((cwd / prompt).resolve())
    settings = load_config(options, root)
    docs = mkdocs.get("docs_dir") or "docs"
    if not isinstance(docs, str):
        raise ConfigError(f"mkdocs.yml: docs_dir must be a path, got {docs!r}")
    directory_urls = mkdocs.get("use_directory_urls", True)
    patterns = list(DEFAULT_EXCLUDE)
    for key in ("exclude_docs", "draft_docs"):
        value = mkdocs.get(key)
        if isinstance(value, str):
            patterns += value.splitlines()
    excluded = pathspec.GitIgnoreSpec.from_lines(patterns)
    return Project(settings, (root / docs).resolve(), directory_urls is not False, excluded)
