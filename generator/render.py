"""Stage 5, render: Jinja templates to plain Markdown pages and data files under site_src/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import json

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.escape import finalize, md_text


def environment(root: Path) -> Environment:
    """The Jinja environment: templates/ folder, strict undefined, every output escaped."""
    env = Environment(
        loader=FileSystemLoader(root / "templates"),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,  # finalize escapes for Markdown *and* HTML, which autoescape alone would not
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["e"] = md_text
    env.filters["yaml_str"] = yaml_str
    return env


def yaml_str(value: Any) -> Markup:
    """A front-matter scalar: a JSON string is valid YAML and cannot break out of its line."""
    return Markup(json.dumps(str(value), ensure_ascii=True))


def outputs(root: Path, gathered: Any) -> dict[str, str]:
    """Stage entry point for the build: every generated page."""
    context = {"dataset": gathered.dataset, "derivation": gathered.derivation,
               "value_text": lambda fact: fact.value.form if fact.value else "event"}  # fmt: skip
    return render_pages(root, context)


def render_pages(root: Path, context: dict[str, Any]) -> dict[str, str]:
    """Every generated page as {path under site_src/: Markdown text}."""
    env = environment(root)
    dataset = context["dataset"]
    pages: dict[str, str] = {}
    facts = [record.model for record in dataset.facts.values()]
    pages["facts/index.md"] = env.get_template("facts.md.j2").render(facts=facts, **context)
    return pages
