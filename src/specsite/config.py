"""specsite's configuration: defaults from ``defaults.yml`` merged with the user's keys.

The same object serves the MkDocs hook (keys under ``extra: specsite:``) and any
other adapter; validation errors name the key at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


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

    def kind(self, key: str) -> KindConfig:
        for kind in self.kinds:
            if kind.key == key:
                return kind
        raise KeyError(key)


def default_values() -> dict[str, Any]:
    text = resources.files("specsite").joinpath("defaults.yml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"specsite config '{key}': expected a list of strings, got {value!r}")
    return tuple(value)


def _mapping(value: Any, key: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"specsite config '{key}': expected a mapping, got {value!r}")
    return {str(k): v for k, v in value.items()}


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"specsite config '{key}': expected a string, got {value!r}")
    return value


def _positive(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(
            f"specsite config '{key}': expected a whole number above 0, got {value!r}"
        )
    return value


def load_config(user: dict[str, Any] | None, root: Path) -> Config:
    """Merge the user's keys over the defaults and validate them.

    ``kinds``, ``indexes`` and ``section_aliases`` merge entry by entry, so a
    user can change one kind's headings without restating the others.
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
    for key in ("kinds", "indexes", "section_aliases", "api"):
        values[key] = {**_mapping(defaults[key], key), **_mapping(given.get(key), key)}

    kinds = []
    for key, entry in _mapping(values["kinds"], "kinds").items():
        if entry is None:  # a user may remove a default kind with `kind: null`
            continue
        entry = _mapping(entry, f"kinds.{key}")
        title = _text(entry.get("title", key.replace("_", " ").title()), f"kinds.{key}.title")
        kinds.append(
            KindConfig(
                key=key,
                title=title,
                short=_text(entry.get("short", title), f"kinds.{key}.short"),
                headings=_strings(entry.get("headings", []), f"kinds.{key}.headings"),
                resolvable=bool(entry.get("resolvable", False)),
            )
        )
    kind_keys = {kind.key for kind in kinds}
    indexes = []
    for slug, entry in _mapping(values["indexes"], "indexes").items():
        if entry is None:
            continue
        entry = _mapping(entry, f"indexes.{slug}")
        wanted = _strings(entry.get("kinds", []), f"indexes.{slug}.kinds")
        missing = [k for k in wanted if k not in kind_keys]
        if missing:
            raise ConfigError(f"specsite config 'indexes.{slug}': unknown kind(s) {missing}")
        indexes.append(IndexConfig(slug, _text(entry.get("title", slug), "title"), wanted))

    required = values["required"]
    sidecar = values["sidecar"]
    references = _mapping(values["references"], "references")
    return Config(
        root=root,
        specs_dir=(root / _text(values["specs_dir"], "specs_dir")).resolve(),
        prompt=(root / _text(values["prompt"], "prompt")).resolve(),
        output_heading=_text(values["output_heading"] or "", "output_heading"),
        specs_url=_text(values["specs_url"], "specs_url").strip("/") or "specs",
        sidecar=None if sidecar is None else _text(sidecar, "sidecar"),
        required=None if required is None else _strings(required, "required"),
        section_aliases={
            title: _strings(aliases, f"section_aliases.{title}")
            for title, aliases in _mapping(values["section_aliases"], "section_aliases").items()
        },
        kinds=tuple(kinds),
        indexes=tuple(indexes),
        references={name: _text(t, f"references.{name}") for name, t in references.items()},
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
    )


def _api_parts(value: Any) -> dict[str, Any]:
    parts = _mapping(value, "api")
    unknown = sorted(set(parts) - {"headings", "rest", "events"})
    if unknown:
        raise ConfigError(
            f"specsite config 'api': unknown key(s) {', '.join(unknown)}; "
            "known keys: events, headings, rest"
        )
    return {part: parts.get(part) for part in ("headings", "rest", "events")}
