"""The one writer of generated files: refuses a path twice, rewrites only what changed.

Generated files live in site_src/ beside hand-written pages. A manifest lists what the
generator wrote, so stale generated files are removed and hand-written ones never touched.
Unchanged files keep their bytes and mtime, so the engine and rsync-like deploys can skip them.

A build writes into a staging copy of site_src/ (.site_src-build-<pid>-*, next to it: every file
hard-linked, so it costs no space or copying), which the engine builds from. Only when the build has
succeeded does `commit` move the files that changed into site_src/ and remove the stale ones; a
build that fails or is killed leaves site_src/ exactly as it was, like site/.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator.outputs.escape import FrontMatterError, front_matter
from generator.pipeline.engine import clean_leftovers

MANIFEST = ".generated.json"


class WriterError(Exception):
    """A generated path is unsafe or written twice: a bug in a stage, not in the input."""


@dataclass
class Writer:
    """Owns the generated part of one folder for one build.

    Files are written into `stage` when one is open (see `begin`), else straight into `root`.
    """

    root: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    stage: Path | None = None
    _seen: dict[str, str] = field(default_factory=dict)
    _changed: list[str] = field(default_factory=list)
    _stale: list[str] = field(default_factory=list)

    def begin(self) -> Path:
        """Open a staging copy of root (hard links) that the build writes into; returns its path."""

        self.root.mkdir(parents=True, exist_ok=True)
        clean_leftovers(self.root)
        self.stage = Path(tempfile.mkdtemp(prefix=f".{self.root.name}-build-{os.getpid()}-", dir=self.root.parent))
        _mirror(self.root, self.stage)
        return self.stage

    @property
    def _base(self) -> Path:
        return self.stage if self.stage is not None else self.root

    def _target(self, relpath: str, base: Path | None = None) -> Path:
        pure = PurePosixPath(relpath)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise WriterError(f"refusing to write outside {self.root}: {relpath!r}")
        return (base or self._base).joinpath(*pure.parts)

    def write(self, relpath: str, content: str | bytes, owner: str = "") -> dict[str, Any] | None:
        """Write one file (text as UTF-8) unless the same bytes are already there; returns a page's front matter."""
        if relpath in self._seen:
            raise WriterError(f"{relpath} written twice (by {self._seen[relpath]} and {owner})")
        self._seen[relpath] = owner or "?"
        meta = None
        if relpath.endswith(".md"):
            # MkDocs silently renders a page whose front matter it cannot read with no title and the
            # front matter as body text: here that is an error, before anything is written.
            text = content if isinstance(content, str) else content.decode("utf-8")
            try:
                meta = front_matter(text, both=False)  # as MkDocs reads it; the tests read pages with both parsers
            except FrontMatterError as exc:
                raise WriterError(f"{relpath} (from {owner or '?'}): {exc}") from None
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = self._target(relpath)
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            self.unchanged += 1
            return meta
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_bytes(data)
        except OSError as exc:  # a failed write() names no file: say which one (disk full...)
            tmp.unlink(missing_ok=True)
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        os.replace(tmp, target)  # a new file: never writes through a hard link into root
        self._changed.append(relpath)
        self.written += 1
        return meta

    def _previous(self) -> list[str]:
        return generated_paths(self.root)

    def handwritten(self, suffix: str = ".md") -> list[str]:
        """The files ending in `suffix` that no build generated (the hand-written pages), sorted."""
        generated = set(self._seen) | set(self._previous())
        base = self._base
        found = []
        for path in base.rglob(f"*{suffix}"):
            relpath = path.relative_to(base).as_posix()
            if path.is_file() and not path.is_symlink() and relpath not in generated:
                found.append(relpath)
        return sorted(found)

    def finish(self) -> None:
        """Remove generated files of earlier builds that this build did not write; save the manifest.

        With a stage open, this happens in the stage; `commit` then carries it over to root.
        """
        self._stale = []
        for relpath in self._previous():
            if relpath not in self._seen:
                try:
                    target = self._target(relpath)
                except WriterError:
                    continue
                if target.is_file():
                    target.unlink()
                    self._stale.append(relpath)
                    self.removed += 1
                    _prune_empty(target.parent, self._base)
        if self.stage is None:
            self._save_manifest()

    def _save_manifest(self) -> None:
        manifest = self.root / MANIFEST
        data = json.dumps(sorted(self._seen), indent=0) + "\n"
        if not manifest.is_file() or manifest.read_text(encoding="utf-8") != data:
            tmp = manifest.with_name(f".{MANIFEST}.tmp")
            tmp.write_text(data, encoding="utf-8")
            os.replace(tmp, manifest)

    def commit(self) -> None:
        """Move what the build changed from the stage into root, remove the stale files, save the manifest."""
        if self.stage is None:
            return
        for relpath in self._changed:
            target = self._target(relpath, self.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._target(relpath), target)
        for relpath in self._stale:
            target = self._target(relpath, self.root)
            if target.is_file():
                target.unlink()
                _prune_empty(target.parent, self.root)
        self._save_manifest()
        self.discard()

    def discard(self) -> None:
        """Remove the stage (after a commit, or when the build failed: root is then untouched)."""
        if self.stage is not None:
            shutil.rmtree(self.stage, ignore_errors=True)
            self.stage = None

    @property
    def paths(self) -> list[str]:
        """Every path written or confirmed in this build."""
        return sorted(self._seen)


def _mirror(source: Path, dest: Path) -> None:
    """Make dest a copy of source's tree with every file hard-linked (copied where links fail)."""
    for folder, dirs, names in os.walk(source):
        rel = os.path.relpath(folder, source)
        here = dest if rel == "." else dest / rel
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.symlink(os.readlink(path), here / name)
            else:
                (here / name).mkdir()
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            if rel == "." and name == MANIFEST:
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path):
                os.symlink(os.readlink(path), here / name)
                continue
            try:
                os.link(path, here / name)
            except OSError:
                shutil.copy2(path, here / name)


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def generated_paths(root: Path) -> list[str]:
    """The files the last build generated under `root` (its manifest), [] when there is none or it is unreadable."""
    try:
        previous = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [p for p in previous if isinstance(p, str)] if isinstance(previous, list) else []
