"""Limits on untrusted input. Each is checked with a clear error naming the limit."""

#: Largest fact file accepted, in bytes. The seed files are a few kB; 2 MiB holds thousands of facts.
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Deepest nesting of YAML mappings and sequences. The schema needs 5.
MAX_NESTING = 32
#: Most YAML nodes (scalars, mappings, sequences) in one file.
MAX_NODES = 200_000
#: Most facts in the whole dataset.
MAX_FACTS = 100_000
#: Longest formula of a derived figure or check, in characters.
MAX_FORMULA_CHARS = 500
#: Deepest nesting of a formula's expression tree.
MAX_FORMULA_DEPTH = 20
#: Longest free-text field (quote, note, title), in characters.
MAX_TEXT_CHARS = 5_000
#: Largest magnitude of any number written in a fact file (values, previous values, expectations)
#: and of any computed figure or charted value: a trillion trillion. The largest figures here are
#: tens of trillions (tokens a day); beyond this no scale word reads it and rounding stops being exact.
MAX_MAGNITUDE = 1e24
#: Smallest magnitude of a non-zero number written in a fact file: a trillionth. Smaller ones would be
#: printed with a dozen leading zeros; write them in a smaller unit.
MIN_MAGNITUDE = 1e-12
#: Earliest and latest year of any period or date: the range every date library used here accepts
#: (Python's datetime and Babel: 1 to 9999; RFC 3339 in the feed and JavaScript's Date accept more).
MIN_YEAR = 1
MAX_YEAR = 9999
#: Longest chain of derived figures built on derived figures (a figure on facts only has depth 1).
#: The seed data needs 2; every walk over a chain is iterative and memoised, so this bounds what
#: a reader must follow, not the stack.
MAX_DERIVED_DEPTH = 50
#: Most derived figures plus consistency checks in the whole dataset: as many as facts may be. It was
#: 10,000, which the seed's proportions (1.2 a fact) pass at ~8,300 facts and the realistic profile
#: (0.4 a fact) at 25,000, below the fact limit. Every evaluation is iterative and linear: 4,000
#: figures and checks derive in ~0.6 s, so 100,000 in ~15 s.
MAX_DERIVED = 100_000
#: Longest unit expression (a fact's unit, a metric's dimension, a chart's or figure's unit), in characters.
MAX_UNIT_CHARS = 100
#: Deepest nesting of parentheses in a unit expression; pint's parser recurses on each level.
MAX_UNIT_NESTING = 3
#: Largest power (in absolute value) written in a unit expression, as in `USD**2`.
MAX_UNIT_POWER = 6
