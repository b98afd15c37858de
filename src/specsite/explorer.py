"""The data behind the explorer views: every row of the catalog and of each index, in shards.

The index pages are paginated so that no page grows with the collection; the
explorer (``assets/specsite.js``) gives the reader one view over *every* row
instead, filtered, faceted and sorted in the browser. It loads purpose-built
JSON, never ``specs.json``:

* ``explorer/specs-N.<hash>.json``: spec-level fields (title, URL, status,
  owner, date, modules, tags, catalog counts, problems) of ``SHARD_SPECS``
  consecutive specs, stored once and shared by every view;
* ``explorer/<index>-N.<hash>.json``: the rows (items) of one index for the
  same specs, each referring to its spec by position;
* ``explorer/manifest.json``: the names of the shards of this build. Pages name only
  the manifest, so an edit to one spec changes one shard and the manifest, never the
  pages that show a view (``serve --dirty`` re-renders none of them).

Shards are bounded by a number of specs, so no file grows with the collection,
and named by a hash of their content, so a browser may cache them for good.
Values are plain text (markup removed); the browser inserts them with
``textContent`` only.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from specsite.config import Config, IndexConfig, KindConfig
from specsite.model import Spec
from specsite.timeline import changed_on
from specsite.urls import page_url

FORMAT = 1
DATA_DIR = "explorer"
SHARD_SPECS = 250  # specs per shard: at ~15 items a spec, about 0.3 MB of rows
RECOMMENDATION_LIMIT = 160  # characters of the recommendation kept for the catalog view
TEXT_LIMIT = 300  # characters of an item's text kept for the view (Search has all of it)

# Positions in a spec record (documented here and in specsite.js, which reads them).
SPEC_FIELDS = (
    "title",
    "url",
    "status",
    "owner",
    "date",
    "modules",
    "tags",
    "counts",
    "firsts",
    "problems",
    "updated",
    "prompt",
    "changed",
    "recommendation",
    "refs",
    "components",
)
ROW_FIELDS = ("spec", "kind", "id", "text", "resolved")  # then the index's item fields
ITEM_FIELDS = ("severity", "mitigation")


def _text(value: Any) -> str:
    """A metadata value as one line of plain text (a list, such as several owners, joined)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return " ".join(str(value).split())


def _words(value: Any) -> list[str]:
    """A metadata list (``modules``, ``tags``) as distinct strings; a lone string is one."""
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else str(value).split(",")
    seen: list[str] = []
    for entry in values:
        word = _text(entry)
        if word and word not in seen:
            seen.append(word)
    return seen


def _clip(text: str, limit: int = TEXT_LIMIT) -> str:
    text = _text(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


MANIFEST = f"{DATA_DIR}/manifest.json"
Memo = Callable[[object, Callable[[], str]], str]


def _named(stem: str, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{DATA_DIR}/{stem}.{digest}.json"


@dataclass
class ExplorerData:
    """The data files of one build and, per view, the shards it loads."""

    files: dict[str, str] = field(default_factory=dict)  # site path -> JSON text
    spec_shards: list[str] = field(default_factory=list)
    row_shards: dict[str, list[str]] = field(default_factory=dict)  # index slug -> shards


def open_count(spec: Spec, kind: KindConfig) -> tuple[int, str]:
    """How many items of a kind (open ones for resolvable kinds), and the first one's id."""
    items = spec.open_items(kind.key)
    return len(items), items[0].id if items else ""


def owner_of(spec: Spec) -> str:
    """The owner as the views show and filter it (several owners: one value, joined)."""
    return _text(spec.info.get("owner", spec.meta.get("owner")))


def modules_of(spec: Spec) -> list[str]:
    """The modules a spec touches, as the views filter them (the ``module`` facet)."""
    return _words(spec.info.get("modules", spec.meta.get("modules")))


def spec_record(spec: Spec, config: Config, url: str) -> list[Any]:
    counts = [open_count(spec, kind) for kind in config.kinds]
    changed = changed_on(spec)
    return [
        _text(spec.title),
        url,
        config.statuses.normalize(spec.status) or "",
        owner_of(spec),
        spec.shown("date"),  # as written, else from git (lifecycle.py)
        modules_of(spec),
        _words(spec.info.get("tags", spec.meta.get("tags"))),
        [count for count, _ in counts],
        [first for _, first in counts],
        len([p for p in spec.problems if p.severity != "info"]),
        spec.shown("updated"),
        spec.lifecycle.provenance.state,  # prompt: current, changed or unknown
        "" if changed is None else changed.isoformat(),
        _clip(spec.recommendation, RECOMMENDATION_LIMIT),
        spec.references,
        list(spec.components),
    ]


def item_fields(index: IndexConfig) -> tuple[str, ...]:
    """The item fields an index shows as columns: the risk register's severity and
    mitigation (read by the item walk from labels, table columns and sub-bullets)."""
    return ITEM_FIELDS if "risk" in index.kinds else ()


def index_rows(specs: list[Spec], index: IndexConfig) -> list[list[Any]]:
    """The rows of one index for a shard of specs, spec and kind by position; then the
    index's item fields ('' when an item has none)."""
    rows: list[list[Any]] = []
    fields = item_fields(index)
    for position, spec in enumerate(specs):
        for kind_position, key in enumerate(index.kinds):
            for item in spec.items_of(key):
                resolved = None if item.resolved is None else int(item.resolved)
                row = [position, kind_position, item.id, _clip(item.text), resolved]
                row += [_clip(item.fields.get(name, "")) for name in fields]
                rows.append(row)
    return rows


def _spec_shard(config: Config, start: int, chunk: list[Spec], urls: list[str]) -> str:
    records = [spec_record(spec, config, url) for spec, url in zip(chunk, urls, strict=True)]
    return _dump({"v": FORMAT, "first": start, "specs": records})


def _row_shard(index: IndexConfig, start: int, chunk: list[Spec]) -> str:
    return _dump({"v": FORMAT, "first": start, "rows": index_rows(chunk, index)})


def explorer_data(
    config: Config,
    specs: list[Spec],
    spec_url: Callable[[Spec], str],
    shard: int = SHARD_SPECS,
    memo: Memo | None = None,
) -> ExplorerData:
    """Every shard of the build, rendered from the model (under ``serve``, ``memo`` keeps
    the shards whose specs did not change)."""

    def made(key: object, make: Callable[[], str]) -> str:
        return make() if memo is None else memo(key, make)

    data = ExplorerData(row_shards={index.slug: [] for index in config.indexes})
    for number, start in enumerate(range(0, max(len(specs), 1), shard)):
        chunk = specs[start : start + shard]
        urls = [spec_url(spec) for spec in chunk]
        text = made(
            ("explorer-specs", start, chunk, urls), partial(_spec_shard, config, start, chunk, urls)
        )
        path = _named(f"specs-{number}", text)
        data.files[path] = text
        data.spec_shards.append(path)
        for index in config.indexes:
            text = made(
                ("explorer-rows", index.slug, start, chunk),
                partial(_row_shard, index, start, chunk),
            )
            path = _named(f"{index.slug}-{number}", text)
            data.files[path] = text
            data.row_shards[index.slug].append(path)
    data.files[MANIFEST] = _dump({"v": FORMAT, "specs": data.spec_shards, "rows": data.row_shards})
    return data


def site_root(page: str, directory_urls: bool) -> str:
    """The relative URL from a generated page to the site root (works under any sub-path)."""
    location = page_url(page, directory_urls)
    folder = location.rstrip("/") if directory_urls and location else posixpath.dirname(location)
    return posixpath.relpath(".", folder or ".").rstrip("/") + "/" if folder else "./"


def view_config(
    config: Config,
    data: ExplorerData,
    page: str,
    *,
    directory_urls: bool,
    index: IndexConfig | None = None,
) -> str:
    """The JSON a view's mount point carries: where its shards are and how to show them."""
    kinds = config.kinds if index is None else tuple(config.kind(k) for k in index.kinds)
    view: dict[str, Any] = {
        "v": FORMAT,
        "view": "catalog" if index is None else "index",
        "root": site_root(page, directory_urls),
        "manifest": MANIFEST,
        "kinds": [
            {"key": k.key, "title": k.title, "short": k.short, "resolvable": k.resolvable}
            for k in kinds
        ],
        "statuses": {
            "order": list(config.statuses.order),
            "hidden": sorted(config.statuses.hidden, key=config.statuses.rank),
        },
    }
    if index is not None:
        view["index"] = index.slug
        view["fields"] = list(item_fields(index))
        # catalog count positions of this index's kinds, for the resolvable facet
        view["catalog_kinds"] = [k.key for k in config.kinds]
    return _dump(view)
