"""A small block tree over markdown-it tokens.

The extractor needs structure (headings, lists with their items, table rows,
paragraphs) together with source line numbers, and nothing else. markdown-it
gives a flat token stream with line maps; this module folds it into a tree once,
so that every other module walks plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

# markdown-it abandons the rest of a document past maxNesting (20 in "commonmark")
_OPTIONS = {"html": True, "maxNesting": 200}
# strikethrough: '~~Use X?~~ Resolved: ...' yields the words, not the tildes
_MD = MarkdownIt("commonmark", _OPTIONS).enable(["table", "strikethrough"])
# Block structure only: inline markup is parsed on demand, for the few runs the
# extractor reads (headings, item lead lines), which halves tokenizing time.
_BLOCKS = MarkdownIt("commonmark", _OPTIONS).enable("table").disable(["inline", "text_join"])


@dataclass
class Inline:
    """Inline content: the raw Markdown, its tokens parsed on first use."""

    source: str
    _children: list[Token] | None = field(default=None, repr=False, compare=False)

    @property
    def children(self) -> list[Token]:
        if self._children is None:
            tokens = _MD.parseInline(self.source)
            self._children = list(tokens[0].children or []) if tokens else []
        return self._children


@dataclass
class Block:
    """Base of every block; ``line`` is 0-based within the parsed text."""

    line: int
    end: int


@dataclass
class Heading(Block):
    level: int
    inline: Inline


@dataclass
class Paragraph(Block):
    inline: Inline


@dataclass
class ListItem(Block):
    children: list[Block] = field(default_factory=list)

    @property
    def first_inline(self) -> Inline | None:
        """The item's lead text; an item that opens with raw HTML ('- <b>x</b> y') has one too."""
        first = self.children[0] if self.children else None
        if isinstance(first, Html) and first.line == self.line:
            return Inline(first.source.strip())
        return first.inline if isinstance(first, Paragraph) else None


@dataclass
class ListBlock(Block):
    items: list[ListItem] = field(default_factory=list)


@dataclass
class TableRow(Block):
    cells: list[Inline] = field(default_factory=list)


@dataclass
class Table(Block):
    header: list[Inline] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class Code(Block):
    """Fenced or indented code; its lines are never rewritten."""


@dataclass
class Html(Block):
    """A raw HTML block."""

    source: str = ""


@dataclass
class Quote(Block):
    children: list[Block] = field(default_factory=list)


@dataclass
class Rule(Block):
    pass


def parse_blocks(text: str) -> list[Block]:
    """Tokenize ``text`` once and return its top-level blocks."""
    tokens = _BLOCKS.parse(text)
    blocks, _ = _parse_until(tokens, 0, None)
    return blocks


def _span(token: Token) -> tuple[int, int]:
    return (token.map[0], token.map[1]) if token.map else (0, 0)


def _inline(token: Token) -> Inline:
    return Inline(token.content)


def _parse_until(tokens: list[Token], pos: int, closing: str | None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while pos < len(tokens):
        token = tokens[pos]
        kind = token.type
        if closing is not None and kind == closing:
            return blocks, pos + 1
        line, end = _span(token)
        if kind == "heading_open":
            blocks.append(Heading(line, end, int(token.tag[1:]), _inline(tokens[pos + 1])))
            pos += 3
        elif kind == "paragraph_open":
            blocks.append(Paragraph(line, end, _inline(tokens[pos + 1])))
            pos += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            block, pos = _parse_list(tokens, pos)
            blocks.append(block)
        elif kind == "table_open":
            table, pos = _parse_table(tokens, pos)
            blocks.append(table)
        elif kind == "blockquote_open":
            children, pos = _parse_until(tokens, pos + 1, "blockquote_close")
            blocks.append(Quote(line, end, children))
        elif kind in ("fence", "code_block"):
            blocks.append(Code(line, end))
            pos += 1
        elif kind == "html_block":
            blocks.append(Html(line, end, token.content))
            pos += 1
        elif kind == "hr":
            blocks.append(Rule(line, end))
            pos += 1
        else:
            pos += 1
    return blocks, pos


def _parse_list(tokens: list[Token], pos: int) -> tuple[ListBlock, int]:
    opening = tokens[pos]
    line, end = _span(opening)
    closing = opening.type.replace("_open", "_close")
    block = ListBlock(line, end)
    pos += 1
    while pos < len(tokens) and tokens[pos].type != closing:
        if tokens[pos].type == "list_item_open":
            item_line, item_end = _span(tokens[pos])
            children, pos = _parse_until(tokens, pos + 1, "list_item_close")
            block.items.append(ListItem(item_line, item_end, children))
        else:
            pos += 1
    return block, pos + 1


def _parse_table(tokens: list[Token], pos: int) -> tuple[Table, int]:
    line, end = _span(tokens[pos])
    table = Table(line, end)
    row: TableRow | None = None
    in_head = False
    pos += 1
    while pos < len(tokens) and tokens[pos].type != "table_close":
        token = tokens[pos]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row_line, row_end = _span(token)
            row = TableRow(row_line, row_end)
        elif token.type == "inline" and row is not None:
            row.cells.append(_inline(token))
        elif token.type == "tr_close" and row is not None:
            if in_head:
                table.header = row.cells
            else:
                table.rows.append(row)
            row = None
        pos += 1
    return table, pos + 1


def code_lines(blocks: list[Block]) -> set[int]:
    """Every line that belongs to code or raw HTML, at any depth."""
    lines: set[int] = set()
    for block in walk(blocks):
        if isinstance(block, Code | Html):
            lines.update(range(block.line, block.end))
    return lines


def walk(blocks: list[Block]) -> Iterator[Block]:
    """All blocks, depth first, in document order."""
    for block in blocks:
        yield block
        if isinstance(block, ListBlock):
            for item in block.items:
                yield item
                yield from walk(item.children)
        elif isinstance(block, Quote):
            yield from walk(block.children)
