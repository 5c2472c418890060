"""Layer 1, the model: what a fact file may say and what a figure is.

Schema (pydantic models), values and units, the error record and its catalogue, limits, the one
formatter. Imports nothing from the layers above (enforced by import-linter, see pyproject.toml).
"""
