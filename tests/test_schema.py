"""The schema is declared once: the JSON Schema is generated and current, every field is documented."""

from __future__ import annotations

import json

from generator.cli import schema_text
from generator.inputs.dataset import SECTIONS
from generator.model.paths import SCHEMA_FILE as SCHEMA_PATH
from generator.model.schema import DataFile
from tests.conftest import ROOT


def models(model, seen=None):
    seen = seen if seen is not None else {}
    seen[model.__name__] = model
    for field in model.model_fields.values():
        for candidate in [field.annotation, *getattr(field.annotation, "__args__", ())]:
            for inner in [candidate, *getattr(candidate, "__args__", ())]:
                if hasattr(inner, "model_fields") and inner.__name__ not in seen:
                    models(inner, seen)
    return seen


def test_json_schema_is_current():
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), "run `make schema`"


def test_every_field_of_every_model_is_documented():
    found = models(DataFile)
    assert {"Fact", "Source", "Value", "Quote", "Derived", "Chart"} <= set(found)
    undocumented = [
        f"{name}.{field}"
        for name, model in found.items()
        for field, info in model.model_fields.items()
        if not (info.description and len(info.description) > 10)
    ]
    assert undocumented == []


def test_every_fact_file_points_editors_at_the_schema():
    files = sorted((ROOT / "facts").glob("*.yaml"))
    assert len(files) >= 5
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schema/facts.schema.json\n"
        ), path.name


def test_schema_knows_every_section():
    properties = json.loads(schema_text())["properties"]
    assert set(SECTIONS) <= set(properties)


def test_the_format_reference_documents_every_field_of_every_model():
    from generator.outputs import reference

    page = reference.page()
    found = models(DataFile)
    assert set(found) <= {m.__name__ for m in reference.MODELS}, "a model is missing from reference.MODELS"
    for name, model in found.items():
        assert f"## {name}" in page
        for field in model.model_fields:
            assert f"| `{field}` |" in page, f"{name}.{field} is not in the format reference"
    assert "<code>convert(amount" in page and "`token`" in page and "`MAX_FILE_BYTES`" in page
