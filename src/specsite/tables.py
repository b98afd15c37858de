"""Tables as item lists: which column holds the item, which rows are items, which are settled.

'| Risk | Likelihood | Mitigation |' under a Risks heading gives one risk per row;
one table with a Category column ('| Category | Description |') can hold every kind.
Columns that key a row ('| ID |', '| Scale |') are skipped when looking for the
item's text, and a row saying 'None' is no item.
"""

from __future__ import annotations

from dataclasses import dataclass

from specsite.blocks import Table, TableRow
from specsite.headings import normalize
from specsite.labels import Labels, is_none
from specsite.plaintext import inline_text
from specsite.resolution import ANSWER_HEADERS, STATUS_HEADERS, Resolution

_CATEGORY_HEADERS = {"category", "type", "kind", "class", "classification"}
# columns that key a row rather than describe it ('| ID |', '| Scale | What breaks |')
_SKIP_HEADERS = {"", "id", "no", "number", "ref", "scale", "load", "multiplier", "factor", "tier"}
_DESCRIPTION_HEADERS = ("description", "details", "summary", "detail")
# columns whose cells name an item: a table without one holds data, not items
_ITEM_HEADERS = frozenset(
    {
        "item",
        "items",
        "question",
        "questions",
        "name",
        "title",
        "issue",
        "issues",
        "concern",
        "concerns",
        "topic",
        "what",
        "bottleneck",
        "scenario",
        "finding",
        "limitation",
        "dependency",
        "problem",
        "assumption",
        "point",
        "change",
        "case",
        "breaks",
        "failure",
        "threat",
        "hazard",
        "exclusion",
        "excluded",
        "feature",
        "out of scope",
        "non goal",
        "non goals",
        "area",
        "component",
        "gap",
        "unknown",
    }
)


@dataclass
class TableItem:
    """One row that is an item; ``settled`` when its status or answer cell closes it."""

    kind: str
    text: str
    row: TableRow
    settled: bool
    column: int  # the cell holding the item's text


def table_items(
    table: Table, context: str | None, labels: Labels, resolution: Resolution
) -> list[TableItem]:
    """The rows of ``table`` that are items, under a heading of kind ``context`` (or None)."""
    headers = [normalize(inline_text(cell)) for cell in table.header]
    category = next((i for i, h in enumerate(headers) if h in _CATEGORY_HEADERS), None)
    if context is None and category is None:
        return []
    column = _description_column(headers, category, labels)
    if column is None:
        return []  # a data table (figures, versions): no row is an item
    status = next((i for i, h in enumerate(headers) if h in STATUS_HEADERS), None)
    answer = next((i for i, h in enumerate(headers) if h in ANSWER_HEADERS), None)
    found: list[TableItem] = []
    for row in table.rows:
        if column >= len(row.cells):
            continue
        kind = context
        if category is not None and category < len(row.cells):
            kind = labels.kind_of(inline_text(row.cells[category])) or kind
        text = inline_text(row.cells[column])
        if kind is None or not text or (is_none(text) and _row_is_none(row, column, category)):
            continue
        settled = False
        if kind in resolution.resolvable:
            if status is not None and status < len(row.cells):
                settled = resolution.status_closes(inline_text(row.cells[status]))
            if answer is not None and answer < len(row.cells):
                settled = settled or resolution.answers(inline_text(row.cells[answer]))
        found.append(TableItem(kind, text, row, settled, column))
    return found


def _row_is_none(row: TableRow, column: int, category: int | None) -> bool:
    """'| Blocker | None | - |' is no item; '| 1x | Nothing breaks | Single worker |' is."""
    others = [
        inline_text(cell).strip(" -—–")
        for index, cell in enumerate(row.cells)
        if index not in (column, category)
    ]
    return all(not text or is_none(text) for text in others)


def _description_column(headers: list[str], category: int | None, labels: Labels) -> int | None:
    """The column holding each row's item, or None when no column names items."""
    usable = [i for i, h in enumerate(headers) if i != category and h not in _SKIP_HEADERS]
    for index in usable:
        if any(word in headers[index] for word in _DESCRIPTION_HEADERS):
            return index
    for index in usable:
        if labels.kind_of(headers[index]) is not None or headers[index] in ("item", "question"):
            return index
    for index in usable:
        words = headers[index].split()
        if headers[index] in _ITEM_HEADERS or any(w in _ITEM_HEADERS for w in words):
            return index
    return None


def column_headers(table: Table) -> list[str]:
    """The table's headers as plain text."""
    return [inline_text(cell) for cell in table.header]
