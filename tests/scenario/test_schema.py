"""The JSON Schemas are current, valid, and agree with the loader on the shipped files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.engine.catalog import load_catalog
from game.scenario.model import AbusivePolicy, Channel, EndingKind, Persona, SupervisorPolicy
from game.scenario.schema import campaign_schema, dump, scenario_schema
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
    assert technique_ids == set(catalog.techniques)
    assert {p.value for p in AbusivePolicy} == set(
        schema["properties"]["policy"]["properties"]["abusive_caller"]["enum"]
    )
    assert {p.value for p in SupervisorPolicy} == set(
        schema["properties"]["policy"]["properties"]["supervisor_request"]["enum"]
    )
    assert json.loads(dump(schema)) == schema
