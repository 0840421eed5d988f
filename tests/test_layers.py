"""Layers of authority: properties of the bundled rule base, and the JSON Schema of query results.

- the headline of every action is the declared composition (`accord.language.compose`) of the
  layer verdicts it reports;
- every layer verdict is explained by the clauses it lists: a verdict with a basis has a listed
  clause with that effect, the last verdict (`otherwise`) has none;
- a diff of an edition with itself is empty in every layer;
- a query's JSON validates against docs/schema/query.schema.json, which is the schema derived
  from the result types (regenerate with ACCORD_UPDATE_GOLDENS=1).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import api
from accord.language.compose import headline
from accord.results.query import QueryResult, Role, to_json
from accord.server.schema import Components

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schema" / "query.schema.json"
SCHEMA_VERSION = 3  # 1: statuses only; 2: labels and layer verdicts; 3: the role a layer gives (docs/json.md)
EDITIONS = ("e1997", "e2015", "e2016")


@pytest.fixture(scope="module")
def kb() -> api.KnowledgeBase:
    return api.load()


_ROLES = {"permitted": {Role.PERMITS, Role.REQUIRES}, "forbidden": {Role.FORBIDS}, "required": {Role.REQUIRES}}


def scenarios(kb: api.KnowledgeBase) -> st.SearchStrategy[tuple[str, list[str]]]:
    facts = sorted({f for s in kb.rules.scenarios.values() for f in s.true})
    texts = [f"{name}({', '.join(args)})" if args else name for name, args in facts]
    return st.tuples(st.sampled_from(EDITIONS), st.lists(st.sampled_from(texts), max_size=6, unique=True))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_headline_is_the_composition_of_the_layer_verdicts(kb: api.KnowledgeBase, data: st.DataObject) -> None:
    edition, facts = data.draw(scenarios(kb))
    result = kb.query(edition, facts=facts)
    if not result.possible:
        return
    authority = kb.rules.authority
    for action in result.actions:
        verdicts = {lr.layer: lr.verdict for lr in action.layers}
        assert None not in verdicts.values()  # no unknown facts: one reading, one verdict per layer
        composed = headline(authority, action.actor, {k: v for k, v in verdicts.items() if v is not None})
        assert composed is not None and composed.name == action.headline, (action.label, verdicts)
        status = composed.status
        assert (action.permitted.value == "always") == (status == "permitted"), action.label
        assert (action.forbidden.value == "always") == (status == "forbidden"), action.label


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_layer_verdict_is_explained_by_its_clauses(kb: api.KnowledgeBase, data: st.DataObject) -> None:
    edition, facts = data.draw(scenarios(kb))
    result = kb.query(edition, facts=facts)
    for action in result.actions:
        roles = {ref.id: ref.role for ref in action.clauses}
        for lr in action.layers:
            layer = kb.rules.authority.layers[lr.layer]
            verdict = layer.verdict(lr.verdict or "")
            assert verdict is not None
            listed = {roles[c] for c in lr.clauses}
            if verdict.basis is None:
                assert not listed & {Role.PERMITS, Role.FORBIDS, Role.REQUIRES}, (action.label, lr)
            else:
                assert listed & _ROLES[verdict.basis], (action.label, lr)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edition=st.sampled_from(EDITIONS))
def test_a_diff_of_an_edition_with_itself_is_empty_in_every_layer(kb: api.KnowledgeBase, edition: str) -> None:
    result = kb.diff(edition, edition, witnesses=0)
    assert result.equivalent
    assert not any(t.layer_changes for t in result.behaviour)
    assert result.summary.layer_verdicts_changed == 0


def query_schema() -> dict[str, object]:
    components = Components()
    root = components.ref(QueryResult)
    text = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                       "title": "accord query result", "version": SCHEMA_VERSION,
                       **root, "$defs": components.schemas}, indent=2, sort_keys=True)
    loaded: dict[str, object] = json.loads(text.replace("#/components/schemas/", "#/$defs/"))
    return loaded


def test_the_schema_file_is_the_derived_schema() -> None:
    schema = query_schema()
    if os.environ.get("ACCORD_UPDATE_GOLDENS") == "1":
        SCHEMA.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == schema


def test_a_query_validates_against_the_schema_file(kb: api.KnowledgeBase) -> None:
    validator = jsonschema_rs.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    for edition in EDITIONS:
        dumped = to_json(kb.query(edition, scenario="news_2015_us_ship_attacked"))
        assert validator.is_valid(dumped), next(iter(validator.iter_errors(dumped)))
        assert any(action["layers"] for action in dumped["actions"])
    broken = to_json(kb.query("e2016", scenario="news_2015_us_ship_attacked"))
    broken["actions"][0]["layers"][0]["verdict"] = 3
    assert not validator.is_valid(broken)
