"""The benchmark's engine memory: the engine process's own high-water mark, read while it runs.

ru_maxrss cannot give it: a child's starts from its parent's high-water mark when it executes, so an
engine started by a large generator process reported at least the generator's size.
"""

from __future__ import annotations

import os
import sys

import pytest

from generator.pipeline import engine


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="VmHWM is read from /proc (Linux)")
def test_the_engine_peak_is_the_engines_own(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "engine_peak_mb", 0.0)
    monkeypatch.setattr(engine, "launcher_rss_mb", 0.0)
    ballast = bytearray(300 * 2**20)  # this process is 300 MB larger than the child will ever be
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident, not just reserved
    grow = "b = bytearray(120 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1)"
    engine._engine([sys.executable, "-c", grow], tmp_path, dict(os.environ), "mkdocs", tmp_path / "site")
    assert 120 <= engine.engine_peak_mb < 250, engine.engine_peak_mb
    assert engine.status_mb(os.getpid()) > 300
    assert engine.launcher_rss_mb > 300  # this process, beside the engine while it ran
    del ballast
