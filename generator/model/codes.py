"""Every problem code the generator reports, with what it means, for docs/error-codes.md.

The list is the contributor's index of messages: `validate` prints `[code]`, and this file
says what the code means and how it is usually fixed. A test checks that every code used in
generator/ is here.
"""

from __future__ import annotations

from generator.model.causes import CAUSE_NAMES, cause

CODES: dict[str, str] = {
    # reading the file
    "byte-order-mark": "The file starts with a UTF-8 byte-order mark: save it as UTF-8 without BOM.",
    "control-character": "An invisible control or direction-override character: delete it.",
    "duplicate-key": "The same key twice in one mapping: YAML would silently keep the last one.",
    "empty-file": "The file holds no data: start it with `schema_version: 1`.",
    "file-too-large": "The file is over the size limit: split it into topic files.",
    "file-unreadable": "The file cannot be read (permissions, a folder, a broken link).",
    "not-utf8": "A byte that is not UTF-8: save the file as UTF-8.",
    "number-too-large": "A number with too many digits for a float: check the digits, use an exponent (30e12).",
    "tab-indent": "A tab in the indentation: YAML indents with spaces only.",
    "too-many-nodes": "The file has more YAML nodes than the limit: split it.",
    "yaml-alias": "Anchors and aliases (`&a`, `*a`) are refused: write the value out.",
    "yaml-complex-key": "A mapping key that is not plain text.",
    "yaml-multiple-documents": "More than one YAML document (`---`) in one file.",
    "yaml-syntax": "YAML cannot be parsed here: check indentation, colons and quotes on this line or the one before.",
    "yaml-tag": "A YAML tag (`!!python/...`, `!x`) is refused: fact files are plain data.",
    "yaml-too-deep": "Nesting deeper than the limit.",
    "wrong-top-level": "The file is not a mapping of sections (`schema_version:`, `facts:`, ...).",
    "missing-schema-version": "The file does not say `schema_version: 1`.",
    "invalid-schema-version": "`schema_version` is not a whole number the generator knows.",
    "schema-version-unsupported": "`schema_version` is newer than this generator, or cannot be migrated.",
    "no-fact-files": "No `*.yaml` file under facts/: run from the project root.",
    # one item against the format
    "bare-value": "A bare number where a mapping is needed: `value: 85e9` is written `value: {point: 85e9}`.",
    "document-conflict": "A source has both `document` and `document_unavailable`: keep one.",
    "empty-list": "A list that needs at least one item is empty.",
    "empty-text": "A text field is empty: write it or remove the key.",
    "invalid-choice": "A value that is not one of the field's choices (status, role, kind, ...): see the hint.",
    "invalid-date": "Not a real date written YYYY, YYYY-MM or YYYY-MM-DD.",
    "invalid-id": "An id that is not a lowercase slug (letters, digits, single hyphens).",
    "invalid-language": "Not a BCP 47 language tag such as `en`, `fr` or `zh-Hans`.",
    "invalid-period": "Not a period: 2026, 2026-H1, 2026-Q1, 2025-08, 2025-12-08, FY2025, FY2025-Q3, FY2025-H1 "
    "or a range {start: 2025-03, end: 2025-09}.",
    "period-inverted": "A period range that ends before it starts: swap `start` and `end`.",
    "invalid-value": "A value the field does not accept: see docs/format-reference.md.",
    "invalid-value-form": "A value needs exactly one form: point, low and high, more_than, at_least, less_than, at_most.",
    "missing-field": "A required field is missing.",
    "missing-translation": "A quote not in English needs `translation:`.",
    "missing-unit": "A fact with a value needs `unit:`.",
    "non-finite-number": "`.nan` or `.inf` is not a number a fact can have.",
    "range-inverted": "A range whose low is above its high: swap them.",
    "text-too-long": "A text longer than the limit.",
    "unknown-key": "A key the format does not have (often a misspelling: see the hint).",
    "unknown-unit": "A unit name the generator does not know (see the hint for the one meant).",
    "unit-without-value": "A `unit:` without a `value:`: remove it for an event.",
    "unsafe-url": "Only http:// and https:// addresses are allowed.",
    "wrong-type": "A value of the wrong type (text for a number, a list for a mapping, ...).",
    "formula-syntax": "A formula that cannot be read: see the column and the hint.",
    "formula-too-deep": "A formula nested deeper than the limit.",
    "formula-too-long": "A formula longer than the limit.",
    "formula-argument": "A function is given an argument of the wrong kind (see the hint).",
    "formula-arity": "A function is given too many or too few arguments.",
    "formula-bad-number": "A number in a formula that cannot be read.",
    "formula-forbidden": "Something formulas may not contain (attributes, calls of non-functions, ...).",
    "formula-unknown-function": "A function formulas do not have: see the list in docs/format-reference.md.",
    "formula-unknown-name": "A bare name in a formula: write ids as `{fact-id}`.",
    # references between records
    "document-not-found": "`document:` names no file under facts/.",
    "duplicate-id": "An id already used (ids are unique across facts and derived figures, and never reused).",
    "fact-deleted": "A fact was deleted since the base branch: retract it instead.",
    "id-reused": "An id now means something else (another entity, metric or period).",
    "unknown-reference": "An id that is not defined: add the record first, or fix the id (see the hint).",
    "unknown-revision": "`--base` names no git revision.",
    "fiscal-year-unknown": "A fiscal period (FY2025) of an entity without `fiscal_year_start_month`.",
    "supersedes-itself": "A fact names itself in `supersedes:`.",
    "supersedes-mismatch": "An update supersedes a fact of another entity, metric or period.",
    "supersedes-newer": "A fact supersedes one stated later than itself: the later statement supersedes.",
    "supersedes-cycle": "Facts supersede each other in a cycle.",
    "superseded-twice": "Two facts supersede the same one: the newer update supersedes the previous update.",
    # checks of well-formed records
    "as-of-after-source": "`as_of` is after the source was published.",
    "chart-series-without-value": "A chart plots an event or a retracted fact, which has no value.",
    "chart-unit-mismatch": "A chart series cannot be shown in the chart's unit.",
    "check-failed": "A consistency check fails (a warning): correct the facts or say why with `acknowledged:`.",
    "check-now-passes": "An acknowledged check passes now (a warning): remove `acknowledged:`.",
    "correction-without-history": "A value, unit, status or quote changed without a new history entry.",
    "division-by-zero": "A formula divides by zero.",
    "event-with-value": "The metric is an event: the fact takes no value.",
    "formula-cycle": "Derived figures refer to each other in a cycle.",
    "input-unavailable": "A formula input could not be computed: fix that figure first.",
    "missing-value": "The metric is measured: the fact needs a value and a unit.",
    "negative-value": "The metric cannot be negative.",
    "untranslated": "An item has a reader-facing text without a translation into a site language (a warning of `validate`, "
    "counted, that never fails it, even with --strict): "
    'add `translations: {fr: {field: ...}}`; until then its French page shows the English, marked "(in English)".',
    "no-document": "A quoted source has no local document (a warning, an error under --strict): add "
    "`document:` or `document_unavailable:`.",
    "non-finite-result": "A formula gives an infinite or undefined result.",
    "not-an-exchange-rate": "`convert()` was given something that is not an exchange rate.",
    "percent-scale": "A number on the wrong percent scale: `percent` is per cent (50 means 50 %), `dimensionless` "
    "a fraction (0.5 means 50 %); the hint names the scale and the number to write.",
    "periods-differ": "A derived figure combines facts of different periods without `across_periods:` saying why.",
    "period-after-source": "A reported fact for a period after its source was published.",
    "quote-not-found": "The quote is not in the source's document: the hint shows the nearest passage.",
    "too-many-facts": "More facts than the limit.",
    "unit-dimension-mismatch": "The unit does not measure what the metric measures.",
    "unit-mismatch": "A formula adds or compares amounts in units of different dimensions.",
    "chart-series-unknown": "A chart series names no fact or derived figure.",
    "chart-spec-external-reference": "A chart specification would load something from another host.",
    "chart-value-out-of-range": "A charted value is too large or too small to draw.",
    "chart-version-chart-mismatch": "An archived chart version belongs to another chart.",
    "chart-version-hash-mismatch": "An archived chart version's content does not match its file name.",
    "chart-version-invalid-character": "An archived chart version holds an invisible or control character.",
    "chart-version-invalid-date": "An archived chart version has an unreadable date.",
    "chart-version-invalid-hash": "An archived chart version's file name is not its content hash.",
    "chart-version-invalid-id": "An archived chart version has an invalid id.",
    "chart-version-invalid-json": "An archived chart version is not valid JSON.",
    "chart-version-invalid-value": "An archived chart version holds a value it cannot have.",
    "chart-version-missing-field": "An archived chart version lacks a required field.",
    "chart-version-not-a-file": "The chart archive holds something that is not a regular file.",
    "chart-version-not-utf8": "An archived chart version is not UTF-8.",
    "chart-version-too-deep": "An archived chart version is nested too deeply.",
    "chart-version-too-large": "An archived chart version is over the size limit.",
    "chart-version-unexpected-entry": "The chart archive holds an entry it should not.",
    "chart-version-unknown-key": "An archived chart version has a key the format does not have.",
    "chart-version-unreadable": "An archived chart version cannot be read.",
    "chart-version-wrong-type": "An archived chart version has a value of the wrong type.",
    "derived-chain-too-deep": "Derived figures depend on each other in a chain longer than the limit.",
    "derived-out-of-range": "A derived figure's result is too large or too small to show.",
    "file-name-not-utf8": "A file name under facts/ is not UTF-8: rename it.",
    "formula-without-reference": "A formula refers to no fact or derived figure.",
    "invalid-character": "An invisible, bidirectional-control or non-character code point: delete it.",
    "not-regular-file": "Something under facts/ is a link, a folder or a special file, not a regular file.",
    "number-out-of-range": "A number beyond what the site can show: check the digits and the unit.",
    "reserved-id": "An id the site reserves (such as `index`): pick another.",
    "too-many-derived": "More derived figures than the limit.",
    "unit-power-too-large": "A unit power beyond the limit.",
    "unit-too-deep": "A unit expression nested deeper than the limit.",
    "unit-too-long": "A unit expression longer than the limit.",
    "year-out-of-range": "A year outside 0001-9999.",
}


def page() -> str:
    """docs/error-codes.md: every code by cause, in the order validate prints them."""
    lines = [
        "# Problem codes",
        "",
        "Generated by `python -m generator schema` from `generator/model/codes.py`; do not edit by hand.",
        "",
        "`validate` prints each problem as `file:line:column: [code] message (hint)`, root causes",
        "first: syntax, then schema, then references, then checks. Fix the first one first: one",
        "mistake gives one error, so the rest usually goes with it.",
        "",
    ]
    for rank, name in enumerate(CAUSE_NAMES):
        lines += [f"## {name.capitalize()}", "", "| code | meaning |", "| --- | --- |"]
        lines += [f"| `{code}` | {text} |" for code, text in sorted(CODES.items()) if cause(code) == rank]
        lines.append("")
    return "\n".join(lines)
