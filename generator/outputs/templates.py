"""The one Jinja environment: templates/ folder, strict undefined, every output escaped.

Templates lay out; what they show is prepared by the page modules. Escaping happens in
`finalize` for Markdown *and* HTML at once (generator.outputs.escape), so a template cannot forget it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.model import paths
from generator.model.schema import SLUG_PATTERN
from generator.outputs import pages
from generator.outputs.escape import finalize, md_text, yaml_quoted


def environment(root: Path) -> Environment:
    """The Jinja environment: templates/ folder, strict undefined, every output escaped."""
    env = Environment(
        loader=FileSystemLoader(root / paths.TEMPLATES),
        undefined=StrictUndefined,
        finalize=finalize,
        autoescape=False,  # finalize escapes for Markdown *and* HTML, which autoescape alone would not
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["e"] = md_text
    env.filters["yaml_str"] = yaml_str
    env.filters["slug"] = slug
    env.globals["role_label"] = lambda role: pages.ROLE_LABELS.get(role, role)
    return env


def yaml_str(value: Any) -> Markup:
    """A front-matter scalar: HTML-escaped (themes print title and description unescaped into
    <title>, <meta> and the navigation), then a YAML double-quoted string in real UTF-8 that cannot
    leave its line and reads back exactly (generator.outputs.escape.yaml_quoted; the writer checks it)."""
    return Markup(yaml_quoted(str(escape(str(value)))))


def slug(value: Any) -> Markup:
    """An id for an HTML anchor or URL; ids are validated slugs, so anything else is a bug."""
    text = str(value)
    if not re.fullmatch(SLUG_PATTERN, text):
        raise ValueError(f"not a slug: {text!r}")
    return Markup(text)
