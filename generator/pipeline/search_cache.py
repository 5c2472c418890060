"""Each page's search entries from the last build, so a page whose source did not change is not read again.

A page's entries are a pure function of its path and its source (outputs/search.py `page_entries`, with the
front matter read from the same source), so they are kept by the digest of the two, beside the code that
made them: a build with other code (search.py, the passthrough's markers, the front-matter reader, the
Markdown package whose `slugify` names the anchors, another Python) reads none of them. At 2,000 realistic
facts, reading the pages for the index was a fifth of a rebuild where nothing changed (5.3 of 27 s).

The file is the generator's own cache, never restored from elsewhere: pages.yml restores only
.generator-cache/charts/. What it holds becomes markup in the search results (Material inserts an entry's
title and text as HTML), so an entry is only ever taken for the exact source it was made from, and a file
that is not what this module writes is ignored whole.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import sys
from pathlib import Path

from generator.outputs import escape, passthrough, search

#: Where the entries are kept, under the project's root.
CACHE = Path(".generator-cache") / "search.jsonl"


@functools.cache
def code_key() -> str:
    """What the entries depend on besides a page: the code that reads pages for the index, and its packages."""
    digest = hashlib.sha256()
    for module in (search, passthrough, escape):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(f"{sys.version}\0markdown=={importlib.metadata.version('markdown')}".encode())
    digest.update(f"\0pyyaml=={importlib.metadata.version('pyyaml')}".encode())
    return digest.hexdigest()


def page_digest(relpath: str, text: str) -> str:
    """The key of one page's entries: its path in its language's site and its whole source."""
    return hashlib.sha256(f"{relpath}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


class EntryCache:
    """The last build's entries by page (`get`), and this build's (`put`), saved for the next one."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE
        self.previous: dict[str, list[str]] = {}
        self.current: dict[str, list[str]] = {}
        try:
            with self.path.open(encoding="utf-8") as lines:
                head = json.loads(lines.readline())
                if not isinstance(head, dict) or head.get("code") != code_key():
                    return
                found = {}
                for line in lines:
                    item = json.loads(line)
                    if not (isinstance(item, list) and len(item) == 3 and all(isinstance(p, str) for p in item)):
                        return  # not what save writes: none of it is taken
                    found[item[0]] = [item[1], item[2]]
        except (OSError, ValueError):
            return
        self.previous = found

    def get(self, page: str, digest: str) -> str | None:
        """The entries' JSON of `page` (its path under site_src/) if the last build made them from the same source."""
        found = self.previous.get(page)
        return found[1] if found is not None and found[0] == digest else None

    def put(self, page: str, digest: str, entries: str) -> None:
        """This build's entries of one page."""
        self.current[page] = [digest, entries]

    def save(self) -> None:
        """Keep this build's entries for the next one (a whole new file: only pages of this build).

        One JSON line a page, written as it goes: at 10,000 realistic facts the whole file as one string
        (and its bytes) would be ~60 MB more at the build's peak."""
        self.previous = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            with tmp.open("w", encoding="utf-8") as out:
                out.write(json.dumps({"code": code_key()}) + "\n")
                for page, (digest, entries) in self.current.items():
                    out.write(json.dumps([page, digest, entries], ensure_ascii=False) + "\n")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot be saved costs the next build time, nothing else
