"""Progress of a build: a bar on a terminal, plain lines in logs and CI, nothing with -q.

Each stage is timed whatever the display, so the benchmark reads the same timings the build
shows. Output goes to stderr, so stdout keeps only the one-line summary.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

MODES = ("bar", "lines", "quiet")
BAR_WIDTH = 24


def choose_mode(stream: TextIO, quiet: bool = False) -> str:
    """quiet with -q; plain lines when not a terminal or in CI (CI=true); otherwise a bar."""
    if quiet:
        return "quiet"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return "lines"
    isatty = getattr(stream, "isatty", None)
    return "bar" if isatty is not None and isatty() else "lines"


class Progress:
    """Reports stages as they start and end, and keeps each stage's seconds in `timings`."""

    def __init__(
        self,
        stages: list[str] | tuple[str, ...] = (),
        *,
        mode: str | None = None,
        quiet: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.mode = mode or choose_mode(self.stream, quiet)
        if self.mode not in MODES:
            raise ValueError(f"unknown progress mode {self.mode!r}")
        self.stages = list(stages)
        self.timings: dict[str, float] = {}
        self._done = 0

    def _emit(self, text: str, *, final: bool) -> None:
        if self.mode == "quiet":
            return
        if self.mode == "bar":
            # Redraw one line in place; the last stage ends it with a newline.
            self.stream.write("\r\x1b[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _bar(self, name: str, note: str) -> str:
        total = max(len(self.stages), self._done, 1)
        filled = round(BAR_WIDTH * self._done / total)
        return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {self._done}/{total} {name}{note}"

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time one stage and report it; the time is kept even if the stage raises."""
        if name not in self.stages:
            self.stages.append(name)
        if self.mode == "bar":
            self._emit(self._bar(name, " ..."), final=False)
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            self.timings[name] = self.timings.get(name, 0.0) + seconds
            self._done += 1
            if self.mode == "lines":
                self._emit(f"{name}: {seconds:.2f} s", final=False)
            elif self.mode == "bar":
                self._emit(self._bar(name, f" {seconds:.2f} s"), final=self._done >= len(self.stages))

    def close(self) -> None:
        """End a bar left open (a build that stopped early) with a newline."""
        if self.mode == "bar" and self._done < len(self.stages):
            self.stream.write("\n")
            self.stream.flush()


#: A progress that shows nothing but still times stages (the default in library calls and tests).
def silent() -> Progress:
    """A Progress that prints nothing."""
    return Progress(mode="quiet")
