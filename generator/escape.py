"""Escaping for generated Markdown: untrusted text can never become markup, links or script.

Every character that HTML or Markdown could read as syntax is written as a numeric
character reference. Python-Markdown leaves those alone and the browser shows the
character, so `<script>`, `[x](javascript:...)`, `*`, `|` in a table cell all stay text.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

_SPECIAL = set("&<>\"'`*_[](){}#|!\\~+-=.:@$^")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}


def md_text(value: Any) -> Markup:
    """Escape any value for Markdown or HTML text or a quoted attribute; Markup passes through."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value).replace("\r", "")
    return Markup(text.translate(_TABLE).replace("\n", " "))


def finalize(value: Any) -> Any:
    """Jinja `finalize`: every `{{ }}` output is escaped unless it is already Markup."""
    return md_text(value)
