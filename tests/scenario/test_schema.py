"""The JSON Schemas are current, valid, and agree with the loader on the shipped files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.engine.catalog import load_catalog
from game.scenario.json_schema import campaign_schema, dump, scenario_schema
from game.scenario.model import AbusivePolicy, Channel, EndingKind, Persona, SupervisorPolicy
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS

SCENARIO_FILES = sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "campaign.yaml")


def test_checked_in_scenario_schema_is_current() -> None:
    assert (SCENARIOS / "schema.json").read_text(encoding="utf-8") == dump(
        scenario_schema(CATALOG)
    ), "run: hold-the-line schema > scenarios/schema.json"


def test_checked_in_campaign_schema_is_current() -> None:
    assert (SCENARIOS / "campaign.schema.json").read_text(encoding="utf-8") == dump(
        campaign_schema()
    ), "run: hold-the-line schema --campaign > scenarios/campaign.schema.json"


def test_schemas_are_valid_draft_7() -> None:
    jsonschema.Draft7Validator.check_schema(scenario_schema(CATALOG))
    jsonschema.Draft7Validator.check_schema(campaign_schema())


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_every_scenario_has_the_modeline_and_matches_the_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema.json\n")
    jsonschema.validate(yaml.safe_load(text), scenario_schema(CATALOG))


def test_campaign_matches_its_schema() -> None:
    text = (SCENARIOS / "campaign.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=campaign.schema.json\n")
    jsonschema.validate(yaml.safe_load(text), campaign_schema())


def test_schema_rejects_what_the_loader_rejects() -> None:
    data = yaml.safe_load((SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8"))
    data["channel"] = "fax"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, scenario_schema(CATALOG))


def test_enums_agree_with_the_catalog() -> None:
    catalog = load_catalog()
    assert {p.value for p in Persona} == set(catalog.personas)
    assert {c.value for c in Channel} == set(catalog.channels)
    assert {e.value for e in EndingKind} == set(catalog.endings)
    schema = scenario_schema(CATALOG)
    technique_ids = {
        entry["const"]
        for entry in schema["properties"]["nodes"]["patternProperties"]["^[a-z][a-z0-9_]*$"][
            "properties"
        ]["choices"]["items"]["properties"]["technique"]["oneOf"][0]["anyOf"]
    }
    assert technique_ids == set(catalog.techniques) | {"apologise", "empathise"}
    assert {p.value for p in AbusivePolicy} == set(
        schema["properties"]["policy"]["properties"]["abusive_caller"]["enum"]
    )
    assert {p.value for p in SupervisorPolicy} == set(
        schema["properties"]["policy"]["properties"]["supervisor_request"]["enum"]
    )
    assert json.loads(dump(schema)) == schema


def _fields(schema: object, where: str = "") -> list[tuple[str, dict[str, object]]]:
    """Every field of a schema (each value of a `properties` mapping, the node pattern),
    with its path."""
    found: list[tuple[str, dict[str, object]]] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("properties", "patternProperties") and isinstance(value, dict):
                for name, field in value.items():
                    found.append((f"{where}.{name}", field))
                    found += _fields(field, f"{where}.{name}")
            else:
                found += _fields(value, where)
    elif isinstance(schema, list):
        for item in schema:
            found += _fields(item, where)
    return found


@pytest.mark.parametrize(
    "make", [lambda: scenario_schema(CATALOG), campaign_schema], ids=["scenario", "campaign"]
)
def test_every_field_has_hover_text_and_an_example(make: object) -> None:
    """What VS Code's YAML extension shows on hover and offers on completion."""
    schema = make()  # type: ignore[operator]
    fields = _fields(schema)
    assert len(fields) >= 8  # the campaign has 8 fields, the scenario many more
    for path, field in fields:
        assert isinstance(field.get("description"), str) and field["description"], path
        examples = field.get("examples")
        assert isinstance(examples, list) and examples, path


def test_every_example_is_valid_for_its_field() -> None:
    """An example an editor offers is one the schema accepts."""
    for path, field in _fields(scenario_schema(CATALOG)) + _fields(campaign_schema()):
        for example in field["examples"]:  # type: ignore[attr-defined]
            if path.endswith(".choices") or path.endswith(".nodes"):
                continue  # the examples there are shortened to show the shape
            jsonschema.validate(example, field)


def test_british_spellings_are_offered_and_accepted() -> None:
    data = yaml.safe_load((SCENARIOS / "late-delivery.yaml").read_text(encoding="utf-8"))
    data["nodes"]["opening"]["choices"][0]["technique"] = ["apologise", "empathise"]
    jsonschema.validate(data, scenario_schema(CATALOG))


def test_a_schema_for_one_file_offers_its_node_ids(tmp_path: Path) -> None:
    from game.scenario.json_schema import node_ids_of

    path = SCENARIOS / "late-delivery.yaml"
    ids = node_ids_of(path)
    assert ids[0] == "opening" and "vents_more" in ids
    schema = scenario_schema(CATALOG, ids)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert schema["properties"]["start"]["enum"] == list(ids)
    data["nodes"]["opening"]["choices"][0]["next"] = "vents_mroe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    broken = tmp_path / "draft.yaml"  # half-written: its ids are still read
    broken.write_text("nodes:\n  opening: {customer: hi\n  second:\n", encoding="utf-8")
    assert node_ids_of(broken) == ()  # unparseable YAML: no ids, no crash
    broken.write_text("nodes:\n  opening: {}\n  Bad-Id: 3\n  second: 7\n", encoding="utf-8")
    assert node_ids_of(broken) == ("opening", "second")
