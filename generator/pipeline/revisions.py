"""The data at a git revision, and the rule that revisions are never silent edits.

`load_at` reads facts/ as it was at a revision (via `git archive`, into a temporary folder)
and gathers it like a build would; `correction_problems` compares that with the working
tree and refuses changed values without a revision of one of the kinds: a correction
(a `history` entry on the fact) or an update (the fact unchanged, a new fact that `supersedes:`
it); and refuses deleted facts and reused ids (a retraction keeps the fact).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from generator.model.errors import Problem
from generator.model.schema import Fact
from generator.pipeline.build import Gathered, gather

#: Fields whose change is a correction, and the history entry field that keeps the old one.
CORRECTED_FIELDS = {
    "value": "previous_value",
    "unit": "previous_unit",
    "status": "previous_status",
    "quote": "previous_quote",
}
IDENTITY_FIELDS = ("entity", "metric", "period")


class RevisionError(Exception):
    """A revision that git does not know, or a folder that is not a git repository."""


def git(root: Path, *args: str) -> bytes:
    """Run git in root and return its stdout; RevisionError with git's message on failure."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RevisionError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def resolve(root: Path, rev: str) -> str:
    """The commit id of a revision, or RevisionError naming the revision."""
    if rev.startswith("-"):  # never let a revision be read as an option
        raise RevisionError(f"'{rev}' is not a revision")
    try:
        return git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except RevisionError:
        raise RevisionError(f"unknown revision '{rev}' (try main, origin/main or a commit id)") from None


def load_at(root: Path, rev: str) -> Gathered:
    """Load, validate and derive facts/ as it was at revision `rev`."""

    commit = resolve(root, rev)
    archive = git(root, "archive", "--format=tar", commit, "--", "facts")
    with tempfile.TemporaryDirectory(prefix="facts-at-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            # Links are left out (the working tree refuses them too: generator/inputs/files.py), and "data"
            # refuses paths outside tmp and special files: a base revision cannot make this read elsewhere.
            tar.extractall(tmp, filter=_no_links)
        return gather(Path(tmp))


def _no_links(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """The "data" extraction filter, with symbolic and hard links skipped instead of raising."""
    if member.issym() or member.islnk():
        return None
    return tarfile.data_filter(member, dest)


def _base_of(base_facts: dict, current_id: str, fact: Fact) -> str | None:
    """The base id this fact continues: its own, or one it was renamed from."""
    if current_id in base_facts:
        return current_id
    return next((old for old in fact.renamed_from if old in base_facts), None)


def changed_fields(old: Fact, new: Fact) -> list[str]:
    """Which corrected fields (value, unit, status, quote) differ between two versions of a fact."""
    return [name for name in CORRECTED_FIELDS if getattr(old, name) != getattr(new, name)]


def correction_problems(root: Path, base_rev: str, gathered: Gathered) -> list[Problem]:
    """Problems for edits since base_rev that would rewrite the record instead of correcting it."""
    try:
        base = load_at(root, base_rev)
    except RevisionError as exc:
        return [Problem(".", 1, 1, "unknown-revision", str(exc), "give a branch, tag or commit that git knows")]
    base_facts = base.dataset.facts
    current = gathered.dataset.facts
    out: list[Problem] = []
    renamed = {old for record in current.values() for old in record.model.renamed_from}
    files_with_errors = {p.file for p in gathered.report.errors}
    for fid, record in current.items():
        fact = record.model
        base_id = _base_of(base_facts, fid, fact)
        if base_id is None:
            continue
        old = base_facts[base_id].model
        moved = [name for name in IDENTITY_FIELDS if getattr(old, name) != getattr(fact, name)]
        if moved:
            what = ", ".join(f"{n} '{getattr(old, n)}' -> '{getattr(fact, n)}'" for n in moved)
            out.append(
                record.problem(
                    ("id",),
                    "id-reused",
                    f"fact '{fid}' now means something else ({what})",
                    "an id is never reused: give the new fact a new id and retract the old "
                    "one with `retracted: {date, reason, replaced_by}`",
                )
            )
            continue
        changed = changed_fields(old, fact)
        if not changed:
            continue
        problem = _history_problem(record, old, fact, changed)
        if problem:
            out.append(problem)
    for fid, old_record in base_facts.items():
        if fid in current or fid in renamed or old_record.file in files_with_errors:
            continue
        out.append(
            Problem(
                old_record.file,
                old_record.line,
                1,
                "fact-deleted",
                f"fact '{fid}' was deleted since {base_rev}",
                "facts are never deleted: keep it and add `retracted: {date: YYYY-MM-DD, reason: ..., "
                "replaced_by: new-id}`, or list its id in the new fact's `renamed_from`",
            )
        )
    return out


def _history_problem(record, old: Fact, new: Fact, changed: list[str]) -> Problem | None:
    """A correction-without-history problem unless a new history entry keeps every old value."""
    at = ("value",) if "value" in changed and new.value is not None else (changed[0],)
    grew = len(new.history) > len(old.history)
    entry = new.history[0] if grew else None
    missing = [
        name for name in changed if entry is None or getattr(entry, CORRECTED_FIELDS[name]) != getattr(old, name)
    ]
    if not missing:
        return None
    what = ", ".join(missing)
    if entry is None:
        message = f"fact '{new.id}' changed its {what} without a new history entry"
    else:
        message = f"fact '{new.id}': the newest history entry does not keep the previous {what}"
    example = _example_entry(old, missing)
    return record.problem(
        at,
        "correction-without-history",
        message,
        f"if our record was wrong (a correction), add as the first item of `history:` {example}; if the source "
        f"itself revised its figure (an update: a new outlook, a restated number), restore this fact as it was "
        f"and add a new fact with `supersedes: {new.id}`",
    )


def _example_entry(old: Fact, missing: list[str]) -> str:
    """A history entry to paste, with the old values filled in."""
    parts = ["changed: YYYY-MM-DD"]
    for name in missing:
        value = getattr(old, name)
        if hasattr(value, "model_dump"):
            value = {k: v for k, v in value.model_dump().items() if v is not None}
            value = "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
        parts.append(f"{CORRECTED_FIELDS[name]}: {value}")
    parts.append("reason: ...")
    return "{" + ", ".join(parts) + "}"


def _short(value: object) -> str:
    if isinstance(value, float):
        return yaml_number(value)
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def yaml_number(value: float) -> str:
    """A number as a contributor writes it in a fact file: 160e9 rather than 1.6e+11."""
    for exponent in range(15, 2, -3):
        mantissa = value / 10**exponent
        if abs(mantissa) >= 1 and round(mantissa, 6) == mantissa:
            return f"{mantissa:g}e{exponent}"
    return f"{value:g}"
