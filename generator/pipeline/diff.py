"""`python -m generator diff BASE [HEAD]`: what a change does to the data, for reviewers.

Every kind of record (source, entity, metric, fact, derived figure, check, chart) added,
removed, renamed or changed, with every changed field's old and new value; history entries
and retractions; derived figures and checks added, removed or moved; charts and pages
affected; and whether HEAD validates. Text for terminals, Markdown for pull-request
summaries (fact text is untrusted: escaped), JSON.
"""

from __future__ import annotations

from typing import Any

from generator.compute.derive import fact_amount
from generator.model.schema import Fact
from generator.model.values import Amount
from generator.outputs import pages


def amount_text(amount: Amount | None) -> str:
    """An amount in the one house format (short style), or 'event' for none."""
    return pages.say(amount, "short")


#: Record kinds in the order a reviewer reads them, with their section key in the dataset.
KINDS = (
    ("source", "sources"),
    ("entity", "entities"),
    ("metric", "metrics"),
    ("fact", "facts"),
    ("derived figure", "derived"),
    ("check", "checks"),
    ("chart", "charts"),
)
#: The field that names a record in one line, per section.
_TITLE = {
    "sources": "title",
    "entities": "name",
    "metrics": "name",
    "facts": "statement",
    "derived": "title",
    "checks": "title",
    "charts": "title",
}


def _show(value: Any) -> str:
    """A field value in one line: none, true/false, lists joined by commas."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """{dotted field: scalar or list of scalars} of a dumped record (quote.text, series.1.ref)."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}{key}."))
    elif isinstance(data, list) and any(isinstance(v, (dict, list)) for v in data):
        for i, value in enumerate(data):
            out.update(_flatten(value, f"{prefix}{i}."))
    else:
        out[prefix.rstrip(".")] = data
    return out


def _fields(section: str, model: Any) -> dict[str, Any]:
    """The comparable fields of a record; a fact's value is one amount, its history is listed apart."""
    data = model.model_dump(mode="python")
    data.pop("history", None)
    if section == "facts":
        data.pop("value", None)
        flat = _flatten(data)
        flat["value"] = amount_text(fact_amount(model)) if model.value else "event"
        flat["kind"] = model.value.form if model.value else "event"
        return flat
    return _flatten(data)


def field_changes(section: str, old: Any, new: Any) -> dict[str, list[str]]:
    """{field: [old, new]} for every field that differs between two versions of a record."""
    before, after = _fields(section, old), _fields(section, new)
    changes = {}
    for name in [*before, *(k for k in after if k not in before)]:
        if name in ("id", "renamed_from"):
            continue
        if before.get(name) != after.get(name):
            changes[name] = [_show(before.get(name)), _show(after.get(name))]
    if "kind" in changes and changes["kind"][0] == changes["kind"][1]:
        changes.pop("kind")
    return changes


def _summary(section: str, model: Any) -> dict[str, Any]:
    if section == "facts":
        return _fact_summary(model)
    return {"id": model.id, "title": str(getattr(model, _TITLE[section], "") or "")}


def _fact_summary(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "value": amount_text(fact_amount(fact)),
        "kind": fact.value.form if fact.value else "event",
        "status": fact.status,
        "source": fact.source,
        "quote": fact.quote.text,
        "title": fact.statement,
    }


def _renames(section: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """{old id: new id}: declared with renamed_from, or a record that is the same but for its id."""
    renamed = {o: nid for nid, r in new.items() for o in getattr(r.model, "renamed_from", ()) if o in old}
    gone = [oid for oid in old if oid not in new and oid not in renamed]
    came = [nid for nid in new if nid not in old and nid not in renamed.values()]
    for oid in gone:
        body = {k: v for k, v in _fields(section, old[oid].model).items() if k != "id"}
        for nid in came:
            if nid not in renamed.values() and body == {
                k: v for k, v in _fields(section, new[nid].model).items() if k not in ("id", "renamed_from")
            }:
                renamed[oid] = nid
                break
    return renamed


def _new_history(fid: str, old: Fact | None, new: Fact) -> list[dict[str, Any]]:
    """History entries of a fact that the base did not have, newest first."""
    before = list(old.history) if old else []
    entries = [e for e in new.history if e not in before]
    return [
        {"id": fid, "changed": e.changed, "reason": e.reason, "previous": _previous(new, e), "source": e.source}
        for e in entries
    ]


def _new_update(head: Any, old: Fact | None, new: Fact, touched: dict[str, set[str]]) -> list[dict[str, Any]]:
    """An update the change introduces: `new` now supersedes a fact (the source revised its figure).

    The superseded fact's own page changes too (it is marked superseded), so it is touched.
    """
    if not new.supersedes or (old is not None and old.supersedes == new.supersedes):
        return []
    earlier = head.dataset.facts.get(new.supersedes)
    touched["facts"].add(new.supersedes)
    return [
        {
            "id": new.id,
            "supersedes": new.supersedes,
            "as_of": new.as_of,
            "new": amount_text(fact_amount(new)),
            "old": amount_text(fact_amount(earlier.model)) if earlier else "unknown",
        }
    ]


def _previous(fact: Fact, entry: Any) -> str:
    parts = []
    if entry.previous_value is not None:
        parts.append(
            amount_text(
                fact_amount(
                    fact.model_copy(update={"value": entry.previous_value, "unit": entry.previous_unit or fact.unit})
                )
            )
        )
    elif entry.previous_unit:
        parts.append(f"unit {entry.previous_unit}")
    if entry.previous_status:
        parts.append(f"status {entry.previous_status}")
    if entry.previous_quote:
        parts.append(f"quote \u201c{entry.previous_quote.text}\u201d")
    return "; ".join(parts) or "none"


def compare(base: Any, head: Any) -> dict[str, Any]:
    """Every difference between two gathered datasets, as plain data."""
    records: dict[str, dict[str, list]] = {}
    touched: dict[str, set[str]] = {section: set() for _, section in KINDS}
    history: list[dict[str, Any]] = []
    retractions: list[dict[str, Any]] = []
    fact_changes: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for _, section in KINDS:
        old, new = base.dataset.section(section), head.dataset.section(section)
        renamed = _renames(section, old, new)
        out: dict[str, list] = {"added": [], "removed": [], "renamed": [], "changed": []}
        for nid, record in new.items():
            oid = next((o for o, n in renamed.items() if n == nid), nid)
            if oid not in old:
                out["added"].append(_summary(section, record.model))
                touched[section].add(nid)
                if section == "facts":
                    history.extend(_new_history(nid, None, record.model))
                    updates.extend(_new_update(head, None, record.model, touched))
                continue
            before = old[oid].model
            if oid != nid:
                out["renamed"].append({"from": oid, "to": nid})
                touched[section].update({oid, nid})
            changes = field_changes(section, before, record.model)
            if changes:
                entry: dict[str, Any] = {"id": nid, "changes": changes}
                if section == "facts":
                    entry["history_added"] = len(record.model.history) > len(before.history)
                    fact_changes.append(entry)
                out["changed"].append(entry)
                touched[section].add(nid)
            if section == "facts":
                fact = record.model
                new_entries = _new_history(nid, before, fact)
                history.extend(new_entries)
                if new_entries:
                    touched[section].add(nid)
                updates.extend(_new_update(head, before, fact, touched))
                if fact.retracted and not before.retracted:
                    retractions.append(
                        {
                            "id": nid,
                            "date": fact.retracted.date,
                            "reason": fact.retracted.reason,
                            "replaced_by": fact.retracted.replaced_by,
                        }
                    )
        for oid, record in old.items():
            if oid not in new and oid not in renamed:
                out["removed"].append(_summary(section, record.model))
                touched[section].add(oid)
        records[section] = out
    derived = _derived_changes(base, head)
    moved_ids = {d["id"] for d in derived}
    checks = _check_changes(base, head)
    facts_and_figures = touched["facts"] | touched["derived"] | moved_ids
    charts = sorted(
        set(touched["charts"])
        | {cid for cid, r in head.dataset.charts.items() if any(s.ref in facts_and_figures for s in r.model.series)}
    )
    result_facts = {
        "added": records["facts"]["added"],
        "removed": records["facts"]["removed"],
        "renamed": records["facts"]["renamed"],
        "retracted": retractions,
        "changed": fact_changes,
    }
    report = head.report
    return {
        "records": {section: records[section] for _, section in KINDS if section != "facts"},
        "facts": result_facts,
        "history": history,
        "updates": updates,
        "derived": derived,
        "checks": checks,
        "charts": charts,
        "pages": _pages(head, base, touched, moved_ids, charts, bool(history or retractions), bool(checks)),
        "validation": {
            "valid": not report.errors,
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "problems": [p.text() for p in report.sorted()],
        },
    }


def _derived_changes(base: Any, head: Any) -> list[dict[str, Any]]:
    """Derived figures computed only in head (added), only in base (removed) or to another value (moved)."""
    old_values, new_values = base.derivation.values, head.derivation.values
    out = []
    for did in sorted(set(old_values) | set(new_values)):
        before = pages.say_derived(old_values[did], "short") if did in old_values else None
        after = pages.say_derived(new_values[did], "short") if did in new_values else None
        if before is None:
            out.append({"id": did, "state": "added", "old": None, "new": after})
        elif after is None:
            out.append({"id": did, "state": "removed", "old": before, "new": None})
        elif before != after or old_values[did].exact != new_values[did].exact:
            out.append({"id": did, "state": "moved", "old": before, "new": after})
    return out


def _check_changes(base: Any, head: Any) -> list[dict[str, Any]]:
    """Checks added, removed, newly failing, fixed, or whose computed number moved."""
    out = []
    for cid in sorted(set(base.derivation.checks) | set(head.derivation.checks)):
        before, after = base.derivation.checks.get(cid), head.derivation.checks.get(cid)
        if before is None or after is None:
            state = "added" if before is None else "removed"
        elif before.passed != after.passed:
            state = "newly failing" if not after.passed else "fixed"
        elif before.detail != after.detail:
            state = "moved"
        else:
            continue
        out.append(
            {
                "id": cid,
                "state": state,
                "old": before.detail if before else None,
                "detail": after.detail if after else "",
            }
        )
    return out


def _pages(
    head: Any,
    base: Any,
    touched: dict[str, set[str]],
    moved: set[str],
    charts: list[str],
    corrections: bool,
    checks: bool,
) -> list[str]:
    """URLs of every page whose content changes."""
    pages: set[str] = set()
    for fid in touched["facts"]:
        pages.add(f"/facts/{fid}/")
        for dataset in (head.dataset, base.dataset):
            record = dataset.facts.get(fid)
            if record:
                fact = record.model
                pages.update({f"/entities/{fact.entity}/", f"/metrics/{fact.metric}/", f"/sources/{fact.source}/"})
                pages.update(f"/sources/{s}/" for s in fact.attributed_to)
                if fact.featured:
                    pages.add("/")
    for section, url in (("sources", "sources"), ("entities", "entities"), ("metrics", "metrics")):
        pages.update(f"/{url}/{i}/" for i in touched[section])
        if touched[section]:
            pages.add(f"/{url}/")
    if touched["facts"]:
        pages.update({"/facts/", "/downloads/"})
    pages.update(f"/derived/{did}/" for did in moved | touched["derived"])
    for cid in charts:
        pages.update({f"/charts/{cid}/", f"/embed/{cid}/"})
    if corrections:
        pages.update({"/corrections/", "/corrections/feed.xml"})
    if checks or touched["checks"]:
        pages.add("/consistency/")
    return sorted(pages)


def _all_records(result: dict[str, Any]) -> list[tuple[str, str, dict[str, list]]]:
    """(kind, section, its added/removed/renamed/changed) for every kind of record, facts included."""
    facts = result["facts"]
    rows = []
    for kind, section in KINDS:
        if section == "facts":
            rows.append((kind, section, {k: facts[k] for k in ("added", "removed", "renamed", "changed")}))
        else:
            rows.append((kind, section, result["records"][section]))
    return rows


def render_text(result: dict[str, Any], base: str, head: str) -> str:
    """A plain-text summary for terminals."""
    lines = [f"Changes from {base} to {head}"]
    for kind, section, rec in _all_records(result):
        for f in rec["added"]:
            if section == "facts":
                lines.append(f"  fact added: {f['id']} = {f['value']} ({f['status']}, source {f['source']})")
            else:
                lines.append(f"  {kind} added: {f['id']}: {f['title']}")
        for f in rec["removed"]:
            if section == "facts":
                lines.append(f"  fact removed: {f['id']} = {f['value']} ({f['status']}, source {f['source']})")
            else:
                lines.append(f"  {kind} removed: {f['id']}: {f['title']}")
        for r in rec["renamed"]:
            lines.append(f"  {kind} renamed: {r['from']} -> {r['to']}")
        for c in rec["changed"]:
            for name, (old, new) in c["changes"].items():
                lines.append(f"  {kind} changed: {c['id']} {name}: {old} -> {new}")
            if section == "facts" and not c["history_added"]:
                lines.append(f"    (no new history entry for {c['id']})")
    for r in result["facts"]["retracted"]:
        lines.append(
            f"  fact retracted: {r['id']} on {r['date']}: {r['reason']}"
            + (f" (replaced by {r['replaced_by']})" if r["replaced_by"] else "")
        )
    for u in result["updates"]:
        lines.append(
            f"  fact updated by its source (not a correction): {u['supersedes']} ({u['old']}) is superseded "
            f"by {u['id']} ({u['new']}, as of {u['as_of']})"
        )
    for h in result["history"]:
        lines.append(f"  history entry added: {h['id']} on {h['changed']}: {h['reason']} (previous: {h['previous']})")
    for d in result["derived"]:
        if d["state"] == "moved":
            lines.append(f"  derived moved: {d['id']}: {d['old']} -> {d['new']}")
        elif d["state"] == "added":
            lines.append(f"  derived added: {d['id']} = {d['new']}")
        else:
            lines.append(f"  derived removed: {d['id']} (was {d['old']})")
    for c in result["checks"]:
        detail = f"{c['old']} -> {c['detail']}" if c["state"] == "moved" else c["detail"]
        lines.append(f"  check {c['state']}: {c['id']}" + (f" ({detail})" if detail else ""))
    for cid in result["charts"]:
        lines.append(f"  chart affected: {cid}")
    for page in result["pages"]:
        lines.append(f"  page affected: {page}")
    if len(lines) == 1:
        lines.append("  no change to the data")
    v = result["validation"]
    lines.append(
        f"validation of {head}: " + ("valid" if v["valid"] else f"{v['errors']} errors") + f", {v['warnings']} warnings"
    )
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

    table(
        "Facts changed",
        ["Fact", "Field", "Old", "New", "History entry"],
        [
            [c["id"], name, old, new, _Trusted("yes" if c["history_added"] else "**missing**")]
            for c in facts["changed"]
            for name, (old, new) in c["changes"].items()
        ],
    )
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
    others = [(kind, rec) for kind, section, rec in _all_records(result) if section != "facts"]
    table(
        "Records added",
        ["Kind", "Id", "Title"],
        [[kind, f["id"], f["title"]] for kind, rec in others for f in rec["added"]],
    )
    table(
        "Records removed",
        ["Kind", "Id", "Title"],
        [[kind, f["id"], f["title"]] for kind, rec in others for f in rec["removed"]],
    )
    table(
        "Records changed",
        ["Kind", "Id", "Field", "Old", "New"],
        [
            [kind, c["id"], name, old, new]
            for kind, rec in others
            for c in rec["changed"]
            for name, (old, new) in c["changes"].items()
        ],
    )
    table(
        "Renamed",
        ["Kind", "Old id", "New id"],
        [[kind, r["from"], r["to"]] for kind, section, rec in _all_records(result) for r in rec["renamed"]],
    )
    table(
        "Facts retracted",
        ["Fact", "Date", "Reason", "Replaced by"],
        [[r["id"], r["date"], r["reason"], r["replaced_by"] or ""] for r in facts["retracted"]],
    )
    table(
        "Updates by the source (not corrections)",
        ["Fact", "Supersedes", "As of", "Was", "Now"],
        [[u["id"], u["supersedes"], u["as_of"], u["old"], u["new"]] for u in result["updates"]],
    )
    table(
        "History entries added",
        ["Fact", "Date", "Reason", "Previous"],
        [[h["id"], h["changed"], h["reason"], h["previous"]] for h in result["history"]],
    )
    table(
        "Derived figures",
        ["Figure", "State", "Old", "New"],
        [[d["id"], d["state"], d["old"] or "none", d["new"] or "none"] for d in result["derived"]],
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
