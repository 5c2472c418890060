"""The one writer of generated files: refuses a path twice, rewrites only what changed.

Generated files live in site_src/ beside hand-written pages. A manifest lists what the
generator wrote, so stale generated files are removed and hand-written ones never touched.
Unchanged files keep their bytes and mtime, so the engine and rsync-like deploys can skip them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.escape import FrontMatterError, front_matter

MANIFEST = ".generated.json"


class WriterError(Exception):
    """A generated path is unsafe or written twice: a bug in a stage, not in the input."""


@dataclass
class Writer:
    """Owns the generated part of one folder for one build."""

    root: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    _seen: dict[str, str] = field(default_factory=dict)

    def _target(self, relpath: str) -> Path:
        pure = PurePosixPath(relpath)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise WriterError(f"refusing to write outside {self.root}: {relpath!r}")
        return self.root.joinpath(*pure.parts)

    def write(self, relpath: str, content: str | bytes, owner: str = "") -> None:
        """Write one file (text as UTF-8) unless the same bytes are already there."""
        if relpath in self._seen:
            raise WriterError(f"{relpath} written twice (by {self._seen[relpath]} and {owner})")
        self._seen[relpath] = owner or "?"
        if relpath.endswith(".md"):
            # MkDocs silently renders a page whose front matter it cannot read with no title and the
            # front matter as body text: here that is an error, before anything is written.
            text = content if isinstance(content, str) else content.decode("utf-8")
            try:
                front_matter(text)
            except FrontMatterError as exc:
                raise WriterError(f"{relpath} (from {owner or '?'}): {exc}") from None
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self._target(relpath)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            self.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        self.written += 1

    def finish(self) -> None:
        """Remove generated files of earlier builds that this build did not write; save the manifest."""
        manifest = self.root / MANIFEST
        previous: list[str] = []
        if manifest.is_file():
            try:
                previous = json.loads(manifest.read_text(encoding="utf-8"))
            except ValueError:
                previous = []
        for relpath in previous:
            if relpath not in self._seen:
                try:
                    target = self._target(relpath)
                except WriterError:
                    continue
                if target.is_file():
                    target.unlink()
                    self.removed += 1
                    _prune_empty(target.parent, self.root)
        data = json.dumps(sorted(self._seen), indent=0) + "\n"
        if not manifest.is_file() or manifest.read_text(encoding="utf-8") != data:
            manifest.write_text(data, encoding="utf-8")

    @property
    def paths(self) -> list[str]:
        """Every path written or confirmed in this build."""
        return sorted(self._seen)


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
