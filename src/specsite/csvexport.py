"""CSV files of the catalog and of each index, written from the ``specs.json`` data.

They are made from the export data itself, so a CSV row and its ``specs.json`` item
never disagree. Spec text is untrusted: a cell that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a
leading ``'`` (the OWASP advice against CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from specsite.config import Config

INDEX_COLUMNS = ("spec", "title", "status", "kind", "item id", "text", "resolved", "url", "line")
CATALOG_FILE = "catalog.csv"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as CSV text a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def index_csvs(data: dict[str, Any], config: Config) -> dict[str, str]:
    """One CSV per configured index (``risks.csv`` ...): every item of the index's kinds."""
    files: dict[str, str] = {}
    for index in config.indexes:
        rows = [
            (
                spec["slug"],
                spec["title"],
                spec["status"],
                item["kind"],
                item["id"],
                item["text"],
                item["resolved"],
                item["url"],
                item["line"],
            )
            for spec in data["specs"]
            for item in spec["items"]
            if item["kind"] in index.kinds
        ]
        files[f"{index.slug}.csv"] = _csv(INDEX_COLUMNS, rows)
    return files


def catalog_csv(data: dict[str, Any], config: Config) -> str:
    """One row per spec: metadata, item counts per kind (open ones too for resolvable
    kinds) and the number of warnings and errors."""
    header = ["spec", "title", "status", "owner", "date", "source", "url"]
    for kind in config.kinds:
        header.append(kind.key)
        if kind.resolvable:
            header.append(f"{kind.key} open")
    header.append("problems")
    rows = []
    for spec in data["specs"]:
        meta = spec["meta"]
        row: list[Any] = [
            spec["slug"],
            spec["title"],
            spec["status"],
            meta.get("owner"),
            meta.get("date"),
            spec["source"],
            spec["url"],
        ]
        for kind in config.kinds:
            items = [i for i in spec["items"] if i["kind"] == kind.key]
            row.append(len(items))
            if kind.resolvable:
                row.append(len([i for i in items if not i["resolved"]]))
        row.append(len([p for p in spec["problems"] if p["severity"] != "info"]))
        rows.append(row)
    return _csv(header, rows)


def csv_files(data: dict[str, Any], config: Config) -> dict[str, str]:
    """Every CSV file by name: the catalog and one per index."""
    return {CATALOG_FILE: catalog_csv(data, config), **index_csvs(data, config)}
