"""Broken links on a built site, and which of them specsite caused.

Every relative link and image in the content of a spec page (and of a page of a folder
spec) is checked against the files of the built site. A broken one is the author's when
the page's source file writes that same URL and it goes nowhere in the source tree
either; every other broken link is counted as caused by specsite.

    python scripts/check_links.py SITE_DIR SOURCE_ROOT [--specs-url specs] [--list]

SOURCE_ROOT is the folder the pages' ``Source:`` paths are relative to (the mkdocs.yml
folder, or the parent of a specs folder outside it).
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
import urllib.parse
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def relative_url(url: str) -> bool:
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("/", "#"))


def exists_in_site(site: Path, page_dir: str, url: str) -> bool:
    path = urllib.parse.unquote(re.split(r"[?#]", url, maxsplit=1)[0])
    target = posixpath.normpath(posixpath.join(page_dir, path))
    if target.startswith("../"):
        return False
    file = site / target
    return file.is_file() or (file / "index.html").is_file()


def written_and_broken(source: Path, specs: Path, url: str) -> bool:
    """The source file writes ``url`` and it goes nowhere in the source tree."""
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if url not in text and urllib.parse.unquote(url) not in text:
        return False
    path = urllib.parse.unquote(re.split(r"[?#]", url, maxsplit=1)[0])
    target = Path(posixpath.normpath(posixpath.join(source.parent.as_posix(), path)))
    return not target.exists() or not target.is_relative_to(specs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("source_root", type=Path)
    parser.add_argument("--specs-dir", type=Path, help="the specs folder (default: any)")
    parser.add_argument("--specs-url", default="specs")
    parser.add_argument("--list", action="store_true", help="print every broken link")
    args = parser.parse_args()
    site: Path = args.site
    specs = (args.specs_dir or args.source_root).resolve()
    counts: Counter[str] = Counter()
    listed: list[str] = []
    for page in sorted((site / args.specs_url).rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        content = soup.select_one("article") or soup
        source_label = next(
            (s for s in content.find_all("strong") if s.get_text() == "Source:"), None
        )
        if source_label is None:
            continue
        source_text = str(source_label.next_sibling or "").strip().split(" · ")[0].strip()
        source = (args.source_root / source_text).resolve()
        counts["pages"] += 1
        page_dir = page.parent.relative_to(site).as_posix()
        for element, attribute in [(a, "href") for a in content.find_all("a")] + [
            (i, "src") for i in content.find_all("img")
        ]:
            url = str(element.get(attribute) or "")
            if not relative_url(url) or "headerlink" in (element.get("class") or []):
                continue
            counts["links"] += 1
            if exists_in_site(site, page_dir, url):
                continue
            author = written_and_broken(source, specs, url)
            counts["broken in the source too" if author else "broken by specsite"] += 1
            listed.append(f"{'source' if author else 'SPECSITE'}\t{source_text}\t{url}")
    for key in ("pages", "links", "broken in the source too", "broken by specsite"):
        print(f"{key}: {counts[key]}")
    if args.list:
        print("\n".join(listed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
