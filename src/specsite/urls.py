"""Page URLs as MkDocs computes them, and links between pages."""

from __future__ import annotations

import functools
import posixpath


@functools.lru_cache(maxsize=1 << 16)
def _relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` (which resolves both against the working directory) once per
    pair: every index row links to its spec, and ``serve`` asks again on each rebuild."""
    return posixpath.relpath(target, start)


def page_url(uri: str, directory_urls: bool) -> str:
    """The URL of a docs page relative to the site root, as MkDocs computes it."""
    stem = uri[:-3] if uri.endswith(".md") else uri
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(target: str, page: str) -> str:
    """A relative ``.md`` link from one docs page to another (MkDocs validates it)."""
    return _relpath(target, posixpath.dirname(page) or ".")


def url_between(target: str, page: str, directory_urls: bool) -> str:
    """The final relative URL from page to target, for raw HTML that MkDocs does not rewrite."""
    target_url = page_url(target, directory_urls)
    page_location = page_url(page, directory_urls)
    base = page_location.rstrip("/") if directory_urls else posixpath.dirname(page_location)
    result = _relpath(target_url or ".", base or ".")
    if target_url.endswith("/") or not target_url:
        result = result.rstrip("/") + "/"
    return result
