"""Links into the explorer views with their filters in the URL, from any generated page.

The explorer (``assets/specsite.js``) reads its state from the query string: the
facets (``status``, ``owner``, ``module``, ``kind``, ``state``), ``all=1`` for the
statuses hidden by default, and the range filters ``since``/``until`` (the day a
spec last changed) and ``ref`` (a cited reference). A chart, the impact page and
the planning view link to exactly the rows they count through these URLs.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from specsite.config import Config, IndexConfig
from specsite.urls import url_between

CATALOG_ANCHOR = "catalog"  # the id of the catalog view's mount on the home page


@dataclass(frozen=True)
class ViewLinks:
    config: Config
    page: str  # the docs uri the links are written in
    catalog_uri: str  # the page holding the catalog view (the home page)
    directory_urls: bool

    def _url(self, target: str, params: dict[str, str], anchor: str = "") -> str:
        query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        base = url_between(target, self.page, self.directory_urls)
        return base + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")

    def to(self, target: str) -> str:
        """A plain link to a docs page, for raw HTML (which MkDocs does not rewrite)."""
        return self._url(target, {})

    def catalog(self, **params: str) -> str:
        """The catalog view filtered by ``params`` (facet or range name -> value)."""
        return self._url(self.catalog_uri, params, CATALOG_ANCHOR)

    def index_of(self, kind: str) -> IndexConfig | None:
        return next((index for index in self.config.indexes if kind in index.kinds), None)

    def items(self, kind: str, **params: str) -> str | None:
        """The first index view listing ``kind``, narrowed to that kind and, for a
        resolvable kind, to its open items; None when no index lists the kind."""
        index = self.index_of(kind)
        if index is None:
            return None
        query: dict[str, str] = {}
        if len(index.kinds) > 1:
            query["kind"] = self.config.kind(kind).title
        if self.config.kind(kind).resolvable:
            query["state"] = "open"
        query.update(params)
        return self._url(f"{index.slug}.md", query)
