"""The synthetic dataset: deterministic, in the seed's proportions, and valid."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.inputs import synth
from generator.model.limits import MAX_FILE_BYTES
from generator.pipeline.build import gather
from generator.pipeline.progress import Progress, choose_mode

ROOT = Path(__file__).resolve().parent.parent


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    synth.generate(ROOT, tmp_path / "a", 120, seed=3)
    synth.generate(ROOT, tmp_path / "b", 120, seed=3)
    synth.generate(ROOT, tmp_path / "c", 120, seed=4)
    a, b, c = (_digest(tmp_path / x / "facts") for x in "abc")
    assert a == b
    assert a != c


def test_proportions_follow_the_seed() -> None:
    plan = synth.plan(1700, seed=1)
    assert len(plan.facts) == 1700
    assert len(plan.entities) == 1400 and len(plan.metrics) == 1100 and len(plan.sources) == 600
    assert len(plan.derived) == 1400 and len(plan.checks) == 700 and len(plan.charts) == 510
    forms = [next(iter(f["value"])) if "value" in f else "event" for f in plan.facts]
    assert 0.55 < forms.count("point") / 1700 < 0.85
    assert forms.count("low") > 50 and forms.count("event") > 50
    assert sum(forms.count(b) for b in ("more_than", "at_least", "at_most")) > 20
    assert {f["status"] for f in plan.facts} >= {"reported", "planned", "estimated", "announced", "intention"}


@pytest.mark.parametrize("n", [60, 400])
def test_generated_project_validates_clean(tmp_path: Path, n: int) -> None:
    plan = synth.generate(ROOT, tmp_path / "p", n, seed=0)
    gathered = gather(tmp_path / "p")
    assert [p.text() for p in gathered.report.problems] == []
    assert len(gathered.dataset.facts) == n
    assert len(gathered.derivation.values) >= len(plan.derived)
    assert len(gathered.derivation.checks) >= len(plan.checks)
    assert all(result.passed or result.definition.acknowledged for result in gathered.derivation.checks.values())
    # Every synthetic quote is in its source's document.
    for fact in plan.facts:
        source = next(s for s in plan.sources if s["id"] == fact["source"])
        text = (tmp_path / "p" / "facts" / source["document"]).read_text(encoding="utf-8")
        assert fact["quote"]["text"] in text


def test_files_are_split_under_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "PER_FILE", 50)
    synth.generate(ROOT, tmp_path / "p", 230, seed=0)
    files = sorted((tmp_path / "p" / "facts" / "synthetic").glob("facts-*.yaml"))
    assert len(files) == 5
    assert all(f.stat().st_size <= MAX_FILE_BYTES for f in files)


def test_progress_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert choose_mode(Tty()) == "bar"
    assert choose_mode(io.StringIO()) == "lines"
    assert choose_mode(Tty(), quiet=True) == "quiet"
    monkeypatch.setenv("CI", "true")
    assert choose_mode(Tty()) == "lines"
    out = io.StringIO()
    progress = Progress(["a", "b"], mode="lines", stream=out)
    with progress.stage("a"):
        pass
    with progress.stage("b"):
        pass
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == ["a", "b"]
    assert set(progress.timings) == {"a", "b"}
    bar = Tty()
    progress = Progress(["a"], mode="bar", stream=bar)
    with progress.stage("a"):
        pass
    assert "\r" in bar.getvalue() and bar.getvalue().endswith("\n") and "1/1" in bar.getvalue()
    silent = io.StringIO()
    with Progress(["a"], mode="quiet", stream=silent).stage("a"):
        pass
    assert silent.getvalue() == ""


def test_realistic_profile_grows_entities_metrics_and_sources_sublinearly() -> None:
    small, large = synth.plan(2500, seed=1, profile="realistic"), synth.plan(10_000, seed=1, profile="realistic")
    assert len(large.facts) == 10_000
    assert (len(large.entities), len(large.metrics), len(large.charts)) == (300, 100, 1000)
    assert 1900 <= len(large.sources) <= 2100
    # Four times the facts: twice the entities and metrics, less than three times the sources.
    assert len(large.entities) == 2 * len(small.entities) and len(large.metrics) == 2 * len(small.metrics)
    assert len(large.sources) < 3 * len(small.sources)
    # The seed profile is unchanged by the profiles' introduction.
    assert synth.plan(1700, seed=1, profile="seed").facts == synth.plan(1700, seed=1).facts


def test_realistic_project_validates_clean(tmp_path: Path) -> None:
    synth.generate(ROOT, tmp_path / "p", 300, seed=0, profile="realistic")
    gathered = gather(tmp_path / "p")
    assert [p.text() for p in gathered.report.problems] == []
    assert len(gathered.dataset.facts) == 300
