"""`python -m generator serve`: write the pages, run `mkdocs serve`, and rewrite pages when facts change.

MkDocs watches site_src/ and reloads the browser; this module watches facts/ and templates/ and
re-runs the page writing, so editing a fact file changes its page. The Writer keeps unchanged files
as they are, so MkDocs reloads only what changed. It also watches the hand-written pages in site_src/:
the generator writes the search index (Material's plugin is off), and a page edited by hand must reach
it too.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from generator.model.errors import FatalInputError
from generator.pipeline.build import build
from generator.pipeline.engine import OutputError
from generator.pipeline.writer import generated_paths

#: Folders whose changes re-run the generator (site_src/ itself is watched by MkDocs).
WATCHED = ("facts", "templates")
#: The pages' folder: a hand-written page's change re-runs the generator for the search index.
PAGES = "site_src"
DEBOUNCE_SECONDS = 0.3


def rebuild(root: Path) -> str:
    """Rewrite the generated pages once; a one-line result, or the problems when the input is bad."""
    try:
        result = build(root, run_engine=False, strict=False)
    except FatalInputError as exc:
        return exc.report.render("text") + "\npages not rewritten: fix the problems above"
    except OutputError as exc:
        return f"pages not rewritten: {exc}"
    return result.summary()


def is_relevant(root: Path, path: str) -> bool:
    """Whether a changed file should re-run the generator: a fact, a template or a hand-written page, not an
    editor's temporary file."""
    changed = Path(path)
    try:
        parts = changed.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    name = changed.name
    if not parts or name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")):
        return False
    if parts[0] == PAGES:
        # Not a hidden folder's (a build's staging area), nor a page the generator wrote.
        hidden = any(part.startswith(".") for part in parts)
        return name.endswith(".md") and not hidden and "/".join(parts[1:]) not in generated_paths(root / PAGES)
    return parts[0] in WATCHED


class Rebuilder:
    """Debounced rebuilds: a burst of saves gives one rebuild, after it settles."""

    def __init__(self, root: Path, report: Any = print) -> None:
        self.root = root
        self.report = report
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def changed(self, path: str) -> bool:
        """Note a changed file; schedule a rebuild if it matters. True when one was scheduled."""
        if not is_relevant(self.root, path):
            return False
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self._run)
            self._timer.daemon = True
            self._timer.start()
        return True

    def _run(self) -> None:
        with self._lock:  # one rebuild at a time
            self.report(rebuild(self.root))

    def stop(self) -> None:
        """Cancel a pending rebuild."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()


def watch(root: Path, rebuilder: Rebuilder) -> Any:
    """Start a watchdog observer on facts/, templates/ and site_src/; returns it (call .stop() and .join())."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: Any) -> None:
            if event.is_directory or event.event_type not in ("created", "modified", "deleted", "moved"):
                return
            rebuilder.changed(str(getattr(event, "dest_path", "") or event.src_path))

    observer = Observer()
    for name in (*WATCHED, PAGES):
        if (root / name).is_dir():
            observer.schedule(Handler(), str(root / name), recursive=True)
    observer.daemon = True
    observer.start()
    return observer
