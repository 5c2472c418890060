"""The order problems are shown in: by cause, root causes first, then by file and line.

A YAML syntax error comes before a schema error, which comes before a broken reference,
which comes before a failed check: the first line printed is the one to fix first. Codes
not listed here are schema problems of one item (the most common kind).
"""

from __future__ import annotations

SYNTAX, SCHEMA, REFERENCES, CHECKS = 0, 1, 2, 3
CAUSE_NAMES = ("syntax", "schema", "references", "checks")

#: Problems found while reading a file, before any item of it is looked at.
SYNTAX_CODES = frozenset(
    {
        "byte-order-mark",
        "control-character",
        "duplicate-key",
        "empty-file",
        "file-too-large",
        "file-unreadable",
        "not-utf8",
        "number-too-large",
        "tab-indent",
        "too-many-nodes",
        "no-fact-files",
        "wrong-top-level",
        "missing-schema-version",
        "invalid-schema-version",
        "schema-version-unsupported",
        "invalid-character",
    }
)
#: Problems between records: what an id points at, or which ids are taken.
REFERENCE_CODES = frozenset(
    {
        "unknown-reference",
        "duplicate-id",
        "document-not-found",
        "id-reused",
        "fact-deleted",
        "unknown-revision",
        "fiscal-year-unknown",
        "supersedes-itself",
        "supersedes-mismatch",
        "supersedes-newer",
        "supersedes-cycle",
        "superseded-twice",
    }
)
#: Problems found by checking a well-formed record against others or against its source.
CHECK_CODES = frozenset(
    {
        "event-with-value",
        "missing-value",
        "unit-dimension-mismatch",
        "negative-value",
        "period-after-source",
        "as-of-after-source",
        "quote-not-found",
        "no-document",
        "check-failed",
        "check-now-passes",
        "chart-series-without-value",
        "chart-unit-mismatch",
        "unit-mismatch",
        "input-unavailable",
        "correction-without-history",
        "too-many-facts",
        "formula-cycle",
        "division-by-zero",
        "non-finite-result",
        "not-an-exchange-rate",
        "percent-scale",
        "periods-differ",
    }
)


def cause(code: str) -> int:
    """The rank of a problem code's cause: syntax 0, schema 1, references 2, checks 3."""
    if code in SYNTAX_CODES or code.startswith(("yaml-", "file-")):
        return SYNTAX
    if code in REFERENCE_CODES:
        return REFERENCES
    if code in CHECK_CODES or code.startswith(("check-", "chart-", "correction-")):
        return CHECKS
    return SCHEMA
