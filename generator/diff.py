"""`python -m generator diff BASE [HEAD]`: what a change does to the data, for reviewers.

Facts added, removed, renamed, retracted and changed; derived figures that moved; charts
and pages affected; checks newly failing or fixed; and whether HEAD validates. Text for
terminals, Markdown for pull-request summaries (fact text is untrusted: escaped), JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from generator import pages, revisions
from generator.derive import fact_amount
from generator.schema import Fact
from generator.values import Amount


def amount_text(amount: Amount | None) -> str:
    """An amount in the one house format (short style), or 'event' for none."""
    return pages.say(amount, "short")


def _fact_summary(fact: Fact) -> dict[str, Any]:
    return {"id": fact.id, "value": amount_text(fact_amount(fact)), "kind": fact.value.form if fact.value else "event",
            "status": fact.status, "source": fact.source, "quote": fact.quote.text}  # fmt: skip


def compare(base: Any, head: Any) -> dict[str, Any]:
    """Every difference between two gathered datasets, as plain data."""
    old_facts, new_facts = base.dataset.facts, head.dataset.facts
    renamed_to = {old: fid for fid, r in new_facts.items() for old in r.model.renamed_from if old in old_facts}
    added, removed, renames, retractions, changed = [], [], [], [], []
    touched: set[str] = set()
    for fid, record in new_facts.items():
        fact = record.model
        if fid not in old_facts and fid not in renamed_to.values():
            added.append(_fact_summary(fact))
            touched.add(fid)
            continue
        old_id = fid if fid in old_facts else next(o for o, n in renamed_to.items() if n == fid)
        old = old_facts[old_id].model
        if old_id != fid:
            renames.append({"from": old_id, "to": fid})
            touched.add(fid)
        if fact.retracted and not old.retracted:
            retractions.append({"id": fid, "date": fact.retracted.date, "reason": fact.retracted.reason,
                                "replaced_by": fact.retracted.replaced_by})  # fmt: skip
            touched.add(fid)
        fields = {}
        for name in ("value", "unit", "status", "source", "quote"):
            before, after = getattr(old, name), getattr(fact, name)
            if before == after:
                continue
            if name in ("value", "unit"):
                fields["value"] = [amount_text(fact_amount(old)), amount_text(fact_amount(fact))]
                fields["kind"] = [old.value.form if old.value else "event", fact.value.form if fact.value else "event"]
            elif name == "quote":
                fields["quote"] = [before.text, after.text]
            else:
                fields[name] = [before, after]
        if fields:
            if fields.get("kind", [0, 0])[0] == fields.get("kind", [0, 0])[1]:
                fields.pop("kind", None)
            changed.append({"id": fid, "changes": fields, "history_added": len(fact.history) > len(old.history)})
            touched.add(fid)
    for fid in old_facts:
        if fid not in new_facts and fid not in renamed_to:
            removed.append(_fact_summary(old_facts[fid].model))
            touched.add(fid)
    old_values, new_values = base.derivation.values, head.derivation.values
    moved = []
    for did in sorted(set(old_values) | set(new_values)):
        before = amount_text(old_values[did].amount) if did in old_values else None
        after = amount_text(new_values[did].amount) if did in new_values else None
        if before != after or (did in old_values and did in new_values
                               and old_values[did].exact != new_values[did].exact):  # fmt: skip
            moved.append({"id": did, "old": before, "new": after})
    moved_ids = {m["id"] for m in moved}
    checks = []
    for cid in sorted(set(base.derivation.checks) | set(head.derivation.checks)):
        before = base.derivation.checks.get(cid)
        after = head.derivation.checks.get(cid)
        was, now = (before.passed if before else None), (after.passed if after else None)
        if was != now:
            state = "newly failing" if now is False else "fixed" if now and was is False else \
                "added" if was is None else "removed"  # fmt: skip
            checks.append({"id": cid, "state": state, "detail": after.detail if after else ""})
    charts = sorted(cid for cid, r in head.dataset.charts.items()
                    if any(s.ref in touched or s.ref in moved_ids for s in r.model.series))  # fmt: skip
    pages = _pages(head, base, touched, moved_ids, charts)
    report = head.report
    return {
        "facts": {"added": added, "removed": removed, "renamed": renames, "retracted": retractions,
                  "changed": changed},
        "derived": moved, "checks": checks, "charts": charts, "pages": pages,
        "validation": {"valid": not report.errors, "errors": len(report.errors), "warnings": len(report.warnings),
                       "problems": [p.text() for p in report.sorted()]},
    }  # fmt: skip


def _pages(head: Any, base: Any, touched: set[str], moved: set[str], charts: list[str]) -> list[str]:
    """URLs of every page whose content changes."""
    pages: set[str] = set()
    for fid in touched:
        pages.add(f"/facts/{fid}/")
        record = head.dataset.facts.get(fid) or base.dataset.facts.get(fid)
        if record:
            pages.add(f"/entities/{record.model.entity}/")
            pages.add(f"/metrics/{record.model.metric}/")
    pages.update(f"/derived/{did}/" for did in moved)
    pages.update(f"/charts/{cid}/" for cid in charts)
    return sorted(pages)


def render_text(result: dict[str, Any], base: str, head: str) -> str:
    """A plain-text summary for terminals."""
    lines = [f"Changes from {base} to {head}"]
    facts = result["facts"]
    for key in ("added", "removed"):
        for f in facts[key]:
            lines.append(f"  fact {key}: {f['id']} = {f['value']} ({f['status']}, source {f['source']})")
    for r in facts["renamed"]:
        lines.append(f"  fact renamed: {r['from']} -> {r['to']}")
    for r in facts["retracted"]:
        lines.append(f"  fact retracted: {r['id']} on {r['date']}: {r['reason']}"
                     + (f" (replaced by {r['replaced_by']})" if r["replaced_by"] else ""))  # fmt: skip
    for c in facts["changed"]:
        for name, (old, new) in c["changes"].items():
            lines.append(f"  fact changed: {c['id']} {name}: {old} -> {new}")
        if not c["history_added"]:
            lines.append(f"    (no new history entry for {c['id']})")
    for d in result["derived"]:
        lines.append(f"  derived moved: {d['id']}: {d['old'] or 'none'} -> {d['new'] or 'none'}")
    for c in result["checks"]:
        lines.append(f"  check {c['state']}: {c['id']}" + (f" ({c['detail']})" if c["detail"] else ""))
    for cid in result["charts"]:
        lines.append(f"  chart affected: {cid}")
    for page in result["pages"]:
        lines.append(f"  page affected: {page}")
    if len(lines) == 1:
        lines.append("  no change to the data")
    v = result["validation"]
    lines.append(f"validation of {head}: " + ("valid" if v["valid"] else f"{v['errors']} errors")
                 + f", {v['warnings']} warnings")  # fmt: skip
    lines.extend(f"  {p}" for p in v["problems"])
    return "\n".join(lines)


# Lighter than the site's escape.md_text: a PR summary is also read as raw text, so ids and
# numbers stay legible ("bytedance-ai-budget", "160 bn") while markup, links, code and cell breaks
# are still neutralised.
_MD = {ord(c): f"&#{ord(c)};" for c in "&<>|`\\*_[]#"}


def md(value: Any) -> str:
    """Untrusted text for a Markdown table cell: no markup, links, code or cell breaks."""
    return str(value).replace("\r", "").replace("\n", " ").translate(_MD)


class _Trusted(str):
    """Fixed wording of ours, not from the data: written into Markdown as it is."""


def render_markdown(result: dict[str, Any], base: str, head: str) -> str:
    """A Markdown summary for a pull request."""
    out = [f"## Data changes from `{md(base)}` to `{md(head)}`", ""]
    facts = result["facts"]

    def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
        if not rows:
            return
        out.extend([f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)])
        # Cells are escaped; a _Trusted cell is our own fixed wording and may carry emphasis.
        out.extend("| " + " | ".join(c if isinstance(c, _Trusted) else md(c) for c in row) + " |" for row in rows)
        out.append("")

    table("Facts changed", ["Fact", "Field", "Old", "New", "History entry"],
          [[c["id"], name, old, new, _Trusted("yes" if c["history_added"] else "**missing**")]
           for c in facts["changed"] for name, (old, new) in c["changes"].items()])  # fmt: skip
    table(
        "Facts added",
        ["Fact", "Value", "Kind", "Status", "Source", "Quote"],
        [[f["id"], f["value"], f["kind"], f["status"], f["source"], f["quote"]] for f in facts["added"]],
    )
    table(
        "Facts removed",
        ["Fact", "Value", "Status", "Source"],
        [[f["id"], f["value"], f["status"], f["source"]] for f in facts["removed"]],
    )
    table("Facts renamed", ["Old id", "New id"], [[r["from"], r["to"]] for r in facts["renamed"]])
    table(
        "Facts retracted",
        ["Fact", "Date", "Reason", "Replaced by"],
        [[r["id"], r["date"], r["reason"], r["replaced_by"] or ""] for r in facts["retracted"]],
    )
    table(
        "Derived figures that moved",
        ["Figure", "Old", "New"],
        [[d["id"], d["old"] or "none", d["new"] or "none"] for d in result["derived"]],
    )
    table(
        "Consistency checks",
        ["Check", "State", "Detail"],
        [[c["id"], c["state"], c["detail"]] for c in result["checks"]],
    )
    table("Charts affected", ["Chart"], [[c] for c in result["charts"]])
    table("Pages affected", ["Page"], [[p] for p in result["pages"]])
    if len(out) == 2:
        out.extend(["No change to the data.", ""])
    v = result["validation"]
    out.append("### Validation")
    out.append("")
    out.append("Valid." if v["valid"] else f"**{v['errors']} errors**, {v['warnings']} warnings.")
    if v["problems"]:
        out.append("")
        out.extend(f"- {md(p)}" for p in v["problems"])
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print what changes between two revisions; 1 if HEAD is invalid, 2 on a bad revision."""
    from generator.build import gather

    root: Path = args.root
    try:
        base = revisions.load_at(root, args.base)
        head = revisions.load_at(root, args.head) if args.head else gather(root)
    except revisions.RevisionError as exc:
        print(f"diff: {exc}", file=sys.stderr)
        return 2
    result = compare(base, head)
    head_name = args.head or "working tree"
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        print(render_markdown(result, args.base, head_name), end="")
    else:
        print(render_text(result, args.base, head_name))
    return 0 if result["validation"]["valid"] else 1
