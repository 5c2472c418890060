"""A copy of the project with a payload appended to every text field readers see (one home for both
hostile-output suites: tests/test_escaping.py and tests/test_hostile_output.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.inputs.files import discover
from generator.inputs.load import load_file
from tests.conftest import share_chart_cache

ROOT = Path(__file__).resolve().parent.parent
#: Free-text fields (at any depth of an item) that readers see.
TEXT_FIELDS = {
    "statement",
    "note",
    "notes",
    "title",
    "subtitle",
    "publisher",
    "name",
    "description",
    "explanation",
    "claim",
    "acknowledged",
    "label",
    "group",
    "reason",
    "translation",
}


def poison(node: Any, payload: str, quote: Callable[[int], str], document_lines: list[str]) -> Any:
    """`payload` appended to every text field; each quote becomes `quote(n)`, added to `document_lines`
    so the quote is still found verbatim in its source's document."""
    if isinstance(node, list):
        return [poison(item, payload, quote, document_lines) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in TEXT_FIELDS and isinstance(value, str):
            out[key] = value + payload
        elif key == "quote" and isinstance(value, dict) and isinstance(value.get("text"), str):
            text = quote(len(document_lines))
            document_lines.append(text)
            out[key] = {**poison(value, payload, quote, document_lines), "text": text}
        else:
            out[key] = poison(value, payload, quote, document_lines)
    return out


def make_poisoned_project(
    dest: Path, payload: str, quote: Callable[[int], str], edit: Callable[[dict[str, Any]], None] | None = None
) -> Path:
    """A copy of the project's inputs with the payload everywhere (and `edit` applied to each file's data)."""
    dest.mkdir(parents=True)
    for name in ("facts", "templates", "site_src"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns(".generated.json"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    # The payload changes every chart, so their renders are drawn anew; the Vega bundle is the checkout's.
    share_chart_cache(dest)
    document_lines: list[str] = []
    for path in discover(dest):
        located, problems = load_file(path, path.name)
        assert located is not None, problems
        data = poison(located.data, payload, quote, document_lines)
        if edit is not None:
            edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    for document in (dest / "facts" / "documents").glob("*.txt"):
        with document.open("a", encoding="utf-8") as handle:
            handle.write("\n" + "\n".join(document_lines) + "\n")
    return dest
