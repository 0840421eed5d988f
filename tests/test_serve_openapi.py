"""Property-based API tests of `accord serve`, generated from its own OpenAPI document (schemathesis).

For every operation, schemathesis generates requests from the document, valid and invalid, sends
them to the app in process and checks each answer: never a server error; a status, content type
and body the document declares (every result checked against the schema derived from the result
dataclasses); invalid data rejected with a 4xx. Examples are bounded per operation so the run
stays short; the server's solver time limit keeps any one request short too.
"""

from __future__ import annotations

import warnings

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accord import api
from accord.results.query import to_json
from accord.server import Limits, create_app
from accord.server.themes import themes

with warnings.catch_warnings():  # starlette's test client names an alias that anyio deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

    APP_KB = api.load()
    APP = create_app(APP_KB, Limits(timeout=5.0, max_when=5, max_readings=20, max_changes=2, max_witnesses=1))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", APP)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_every_operation_keeps_to_the_document(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)


# ---- scenarios as the page builds them ----------------------------------------------------------

KB = APP_KB
FACTS = [f.fact for t in themes(KB.rules) for f in t.facts]
EDITIONS = [e.id for e in KB.editions()]
builder_scenarios = st.tuples(
    st.sampled_from(EDITIONS),
    st.dictionaries(st.sampled_from(FACTS), st.sampled_from(["true", "unknown"]), max_size=8),
)


@given(builder_scenarios)
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
def test_any_scenario_the_builder_can_make_gets_the_cli_answer(scenario: tuple[str, dict[str, str]]) -> None:
    edition, values = scenario
    facts = sorted(f for f, v in values.items() if v == "true")
    unknown = sorted(f for f, v in values.items() if v == "unknown")
    with TestClient(APP) as client:
        response = client.get("/api/query", params={"edition": edition, "fact": facts, "unknown": unknown})
    assert response.status_code == 200, response.text
    assert response.json() == to_json(KB.query(edition, facts=facts, unknown=unknown))
