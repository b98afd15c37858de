"""specsite's configuration: defaults from ``defaults.yml`` merged with the user's keys.

The same object serves the MkDocs hook (keys under ``extra: specsite:``) and any
other adapter; validation errors name the key at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec
import yaml

from specsite.statuses import NO_LIFECYCLE, StatusConfig, parse_statuses

if TYPE_CHECKING:
    from specsite.lifecycle import RepoLinks

METADATA_FIELDS = (
    "title",
    "status",
    "owner",
    "date",
    "updated",
    "modules",
    "tags",
    "supersedes",
    "superseded_by",
    "prompt",
    "prompt_version",
    "prompt_hash",
)


class ConfigError(ValueError):
    """A configuration value that specsite cannot use."""


@dataclass(frozen=True)
class KindConfig:
    key: str
    title: str
    short: str
    headings: tuple[str, ...]
    resolvable: bool


@dataclass(frozen=True)
class IndexConfig:
    slug: str
    title: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ApiConfig:
    """Headings or bold labels under which specs define their API (see ``specsite.api``)."""

    headings: tuple[str, ...]  # the whole API part ('API & Event Definitions')
    rest: tuple[str, ...]  # its REST part ('REST API')
    events: tuple[str, ...]  # its event part ('WebSocket API')


@dataclass(frozen=True)
class Config:
    root: Path
    specs_dir: Path
    prompt: Path
    output_heading: str
    specs_url: str
    sidecar: str | None
    required: tuple[str, ...] | None
    section_aliases: dict[str, tuple[str, ...]]
    kinds: tuple[KindConfig, ...]
    indexes: tuple[IndexConfig, ...]
    references: dict[str, str]
    ignore_references: frozenset[str]
    resolved_markers: tuple[str, ...]
    placeholders: tuple[str, ...]
    page_size: int
    mermaid: str | None = None
    api: ApiConfig = ApiConfig((), (), ())
    max_file_size: int = 16_000_000
    trust_html: bool = False
    # Section names the user gave (required, section_aliases): each must match the prompt.
    user_section_names: tuple[str, ...] = ()
    statuses: StatusConfig = NO_LIFECYCLE
    search: bool = True  # specsite's Pagefind search replaces the theme's lunr search
    metadata: dict[str, tuple[str, ...]] = field(default_factory=dict)
    title_prefixes: tuple[str, ...] = ()
    workers: int | None = None  # processes that parse specs, convert pages; None: one per core
    # where the spec files live in the repository (MkDocs' repo_url / edit_uri), set by
    # the adapter, not a specsite key: spec pages link their source (lifecycle.py)
    repo: RepoLinks | None = None
    recommendation: str = "Recommendation"  # the prompt section the catalog quotes
    exclude: tuple[str, ...] = ()  # gitignore-style patterns, relative to specs_dir

    def kind(self, key: str) -> KindConfig:
        for kind in self.kinds:
            if kind.key == key:
                return kind
        raise KeyError(key)


def default_values() -> dict[str, Any]:
    text = resources.files("specsite").joinpath("defaults.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


# The keys each kind and each index may have, with their expected types.
_KIND_KEYS = ("title", "short", "headings", "resolvable")
_INDEX_KEYS = ("title", "kinds")
# A name (index slug, specs_url): one URL path segment, never a path.
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# Pages and folders specsite or MkDocs write at the site root: no index or specs_url may
# take their place.
RESERVED_NAMES = frozenset(
    {
        "index",
        "prompt",
        "conformance",
        "references",
        "build-report",
        "catalog",
        "api",
        "assets",
        "search",
        "pagefind",
        "404",
        "sitemap.xml",
        "sitemap.xml.gz",
        "specs.json",
        "impact",
        "planning",
    }
)
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _where(key: str) -> str:
    return f"specsite config '{key}'"


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{_where(key)}: expected a list of strings, got {value!r}")
    return tuple(value)


def _mapping(value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(key)}: expected a mapping, got {value!r}")
    return {str(k): v for k, v in value.items()}


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{_where(key)}: expected a string, got {value!r}")
    return value


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{_where(key)}: expected true or false, got {value!r}")
    return value


def _positive(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{_where(key)}: expected a whole number above 0, got {value!r}")
    return value


def _known_keys(entry: dict[str, Any], allowed: tuple[str, ...], key: str) -> None:
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise ConfigError(
            f"specsite config: unknown key(s) {', '.join(f'{key}.{u}' for u in unknown)}; "
            f"known keys of '{key}': {', '.join(allowed)}"
        )


def _name(value: Any, key: str) -> str:
    text = _text(value, key)
    if not _NAME.match(text) or text in (".", ".."):
        raise ConfigError(
            f"{_where(key)}: {text!r} must be a plain name (letters, digits, '-', '_', '.'), "
            "not a path"
        )
    return text


def _url(value: Any, key: str) -> str:
    """A reference target: an http(s) URL or a relative path, never javascript: or data:."""
    text = _text(value, key)
    bad = not text.strip() or any(ord(c) < 33 or c in "\\\x7f" for c in text)
    scheme = _URL_SCHEME.match(text)
    if scheme and scheme.group(0).lower() not in ("http:", "https:"):
        bad = True
    if scheme and not re.match(r"^https?://[^/?#]", text, re.IGNORECASE):
        bad = True
    if text.startswith(("/", "//")):
        bad = True
    if bad:
        raise ConfigError(
            f"{_where(key)}: {text!r} must be an http(s) URL or a path relative to docs/"
        )
    return text


def _merged(defaults: dict[str, Any], given: dict[str, Any], key: str) -> dict[str, Any]:
    """Entries merge key by key: overriding one field keeps the default's others."""
    merged: dict[str, Any] = {}
    for name in [*defaults, *(n for n in given if n not in defaults)]:
        if name in given:
            entry = given[name]
            if entry is None:
                merged[name] = None
                continue
            base = defaults.get(name) or {}
            merged[name] = {**base, **_mapping(entry, f"{key}.{name}")}
        else:
            merged[name] = defaults[name]
    return merged


def _check_names(specs_url: str, indexes: list[IndexConfig]) -> None:
    """Index slugs and specs_url may not take the place of a page specsite generates."""
    taken: dict[str, str] = {name: "a page specsite generates" for name in RESERVED_NAMES}
    taken[specs_url.casefold()] = "the folder of spec pages ('specs_url')"
    if specs_url.casefold() in RESERVED_NAMES:
        raise ConfigError(
            f"{_where('specs_url')}: {specs_url!r} is the name of a page specsite generates"
        )
    for index in indexes:
        name = index.slug.casefold()
        if name in taken:
            raise ConfigError(
                f"{_where('indexes.' + index.slug)}: the name {index.slug!r} is already "
                f"{taken[name]}; choose another"
            )
        taken[name] = f"the index 'indexes.{index.slug}'"


def load_config(user: dict[str, Any] | None, root: Path) -> Config:
    """Merge the user's keys over the defaults and validate them.

    ``kinds``, ``indexes`` and ``section_aliases`` merge entry by entry, and each
    kind or index merges field by field, so a user can change one kind's headings
    without restating its title or the other kinds. Unknown keys at any level and
    wrong types are errors naming the full key.
    """
    defaults = default_values()
    given = _mapping(user, "specsite")
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ConfigError(
            f"specsite config: unknown key(s) {', '.join(unknown)}; "
            f"known keys: {', '.join(sorted(defaults))}"
        )
    values: dict[str, Any] = {**defaults, **given}
    try:  # merged key by key, like kinds
        statuses = parse_statuses(
            {**defaults["statuses"], **_mapping(given.get("statuses"), "statuses")}
        )
    except ValueError as error:
        raise ConfigError(str(error)) from error
    for key in ("kinds", "indexes"):
        values[key] = _merged(_mapping(defaults[key], key), _mapping(given.get(key), key), key)
    user_aliases = _mapping(given.get("section_aliases"), "section_aliases")
    values["section_aliases"] = {**_mapping(defaults["section_aliases"], ""), **user_aliases}
    values["api"] = {**_mapping(defaults["api"], "api"), **_mapping(given.get("api"), "api")}
    values["metadata"] = {
        **_mapping(defaults["metadata"], "metadata"),
        **_mapping(given.get("metadata"), "metadata"),
    }

    kinds = []
    for key, entry in _mapping(values["kinds"], "kinds").items():
        if entry is None:  # a user may remove a default kind with `kind: null`
            continue
        where = f"kinds.{key}"
        entry = _mapping(entry, where)
        _known_keys(entry, _KIND_KEYS, where)
        title = _text(entry.get("title", key.replace("_", " ").title()), f"{where}.title")
        kinds.append(
            KindConfig(
                key=key,
                title=title,
                short=_text(entry.get("short", title), f"{where}.short"),
                headings=_strings(entry.get("headings", []), f"{where}.headings"),
                resolvable=_flag(entry.get("resolvable", False), f"{where}.resolvable"),
            )
        )
    kind_keys = {kind.key for kind in kinds}
    indexes = []
    for slug, entry in _mapping(values["indexes"], "indexes").items():
        if entry is None:
            continue
        where = f"indexes.{slug}"
        _name(slug, where)
        entry = _mapping(entry, where)
        _known_keys(entry, _INDEX_KEYS, where)
        wanted = _strings(entry.get("kinds", []), f"{where}.kinds")
        missing = [k for k in wanted if k not in kind_keys]
        if missing:
            raise ConfigError(f"{_where(where + '.kinds')}: unknown kind(s) {missing}")
        indexes.append(IndexConfig(slug, _text(entry.get("title", slug), f"{where}.title"), wanted))

    metadata = {
        name: _strings(names, f"metadata.{name}")
        for name, names in _mapping(values["metadata"], "metadata").items()
        if names is not None
    }
    unknown_fields = sorted(set(metadata) - set(METADATA_FIELDS))
    if unknown_fields:
        raise ConfigError(
            f"specsite config 'metadata': unknown field(s) {', '.join(unknown_fields)}; "
            f"known fields: {', '.join(METADATA_FIELDS)}"
        )
    specs_url = _name(values["specs_url"], "specs_url")
    _check_names(specs_url, indexes)
    required = values["required"]
    sidecar = values["sidecar"]
    output_heading = values["output_heading"]
    references = _mapping(values["references"], "references")
    section_aliases = {
        title: _strings(aliases, f"section_aliases.{title}")
        for title, aliases in _mapping(values["section_aliases"], "section_aliases").items()
    }
    required_names = None if required is None else _strings(required, "required")
    return Config(
        root=root,
        specs_dir=(root / _text(values["specs_dir"], "specs_dir")).resolve(),
        prompt=(root / _text(values["prompt"], "prompt")).resolve(),
        output_heading="" if output_heading is None else _text(output_heading, "output_heading"),
        specs_url=specs_url,
        sidecar=None if sidecar is None else _text(sidecar, "sidecar"),
        required=required_names,
        section_aliases=section_aliases,
        kinds=tuple(kinds),
        indexes=tuple(indexes),
        references={name: _url(t, f"references.{name}") for name, t in references.items()},
        ignore_references=frozenset(_strings(values["ignore_references"], "ignore_references")),
        resolved_markers=_strings(values["resolved_markers"], "resolved_markers"),
        placeholders=_strings(values["placeholders"], "placeholders"),
        page_size=_positive(values["page_size"], "page_size"),
        mermaid=None if values["mermaid"] is None else _text(values["mermaid"], "mermaid"),
        api=ApiConfig(
            **{
                part: _strings(names or [], f"api.{part}")
                for part, names in _api_parts(values["api"]).items()
            }
        ),
        max_file_size=_positive(values["max_file_size"], "max_file_size"),
        trust_html=_flag(values["trust_html"], "trust_html"),
        user_section_names=(*(required_names or ()), *user_aliases),
        statuses=statuses,
        search=_flag(values["search"], "search"),
        metadata=metadata,
        title_prefixes=_strings(values["title_prefixes"] or [], "title_prefixes"),
        workers=None if values["workers"] is None else _positive(values["workers"], "workers"),
        recommendation=_text(values["recommendation"] or "", "recommendation"),
        exclude=_patterns(values["exclude"]),
    )


def _patterns(value: Any) -> tuple[str, ...]:
    """``exclude``: gitignore-style patterns (checked here, so a bad one names the key)."""
    patterns = _strings(value or [], "exclude")
    for pattern in patterns:
        try:
            pathspec.GitIgnoreSpec.from_lines([pattern])
        except (ValueError, TypeError) as error:
            raise ConfigError(
                f"{_where('exclude')}: {pattern!r} is not a valid pattern ({error})"
            ) from error
    return patterns


def _api_parts(value: Any) -> dict[str, Any]:
    parts = _mapping(value, "api")
    unknown = sorted(set(parts) - {"headings", "rest", "events"})
    if unknown:
        raise ConfigError(
            f"specsite config 'api': unknown key(s) {', '.join(unknown)}; "
            "known keys: events, headings, rest"
        )
    return {part: parts.get(part) for part in ("headings", "rest", "events")}


def check_folders(config: Config, docs_dir: Path) -> None:
    """The specs folder may sit inside docs/, but not be docs/ itself or hold it: then
    the hand-written pages (the home page first) would be read as specs."""
    docs = docs_dir.resolve()
    if docs == config.specs_dir or docs.is_relative_to(config.specs_dir):
        raise ConfigError(
            f"{_where('specs_dir')}: the specs folder {config.specs_dir.name!r} is the docs "
            "folder or holds it; keep the specs in their own folder (it may be inside docs/)"
        )
