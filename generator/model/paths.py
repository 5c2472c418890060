"""Every path the generator uses, in one dependency-free module (owid/etl's `etl/paths.py`).

Two kinds: files shipped with the generator (the vendored Vega interpreter, the chart
script, unit definitions), found from this package; and folders of the project being built,
relative to its root, which the pipeline joins to the `--root` it was given.
"""

from __future__ import annotations

from pathlib import Path

#: The `generator` package folder (shipped files live under it).
PACKAGE = Path(__file__).resolve().parent.parent
#: The CSP-safe Vega expression interpreter, vendored from npm.
VEGA_INTERPRETER = PACKAGE / "vendor" / "vega-interpreter.js"
#: vega-util's helpers that the vendored interpreter imports.
VEGA_UTIL_SHIM = PACKAGE / "vendor" / "vega-util-shim.js"
#: The host page's listener in the embed snippet, a template with %(name)s fields.
SNIPPET_LISTENER = PACKAGE / "snippet-listener.js"
#: The embed's own script, a template with %(name)s fields.
CHART_SCRIPT = PACKAGE / "aif-charts.js"
#: Currency and count units loaded on top of pint's registry.
UNIT_DEFINITIONS = PACKAGE / "model" / "units.txt"

# Folders of the project, relative to its root.
FACTS = Path("facts")
DOCUMENTS = FACTS / "documents"
ARCHIVE_CHARTS = Path("archive") / "charts"
RELEASES = Path("releases")
TEMPLATES = Path("templates")
THEME = TEMPLATES / "theme"
SITE_SRC = Path("site_src")
SITE = Path("site")
#: Chart renders by content hash (not .cache: `zensical build --clean` empties that).
CHART_CACHE = Path(".generator-cache") / "charts"
MKDOCS_YML = Path("mkdocs.yml")
CHANGELOG = Path("CHANGELOG.md")
SCHEMA_FILE = Path("schema") / "facts.schema.json"
FORMAT_REFERENCE = Path("docs") / "format-reference.md"
ERROR_CODES = Path("docs") / "error-codes.md"
