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
