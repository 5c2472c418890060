"""`python -m generator.pipeline.mkdocs_dirty <mkdocs build options>`: MkDocs' own `build --dirty`.

A warm build (engine.run, when nothing but pages' contents changed since the site it copies) rebuilds only
the pages whose Markdown is newer than their HTML. MkDocs' command line does that with `--dirty`, but first
logs a warning that a dirty build "will likely lead to inaccurate navigation", which `--strict` counts as
a failure. That warning is about what this project rules out before it asks for one: the navigation names
every entry's title (mkdocs.yml), the search index is the generator's (not rebuilt from the pages MkDocs
happens to read), and a change to the config, the theme, the generator or the set of files makes the build
a clean one. So this runs MkDocs' own command with only that one message dropped; every other warning
still counts.
"""

from __future__ import annotations

import logging
import sys

#: The start of the one message dropped (mkdocs/commands/build.py, MkDocs 1.6).
DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


def main(argv: list[str]) -> int:
    from mkdocs.__main__ import cli

    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    try:
        cli.main(args=["build", "--dirty", *argv], prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover - run as the engine's subprocess
    sys.exit(main(sys.argv[1:]))
