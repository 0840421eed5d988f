"""The OpenAPI 3.1 document of the server, and the parameters each endpoint takes.

In: the `Limits` in force and an example scenario, action and editions of the loaded rules (for
the document's examples). Out: `PARAMETERS` (the names each endpoint accepts, which the app
enforces, so the document and the server cannot disagree) and `document(...)`, a JSON-ready dict.
Response schemas of results are derived from the result dataclasses (`accord.server.schema`);
the three plain listings (editions, vocabulary, scenarios) are written out here, as
docs/json.md describes them.
"""

from __future__ import annotations

from typing import Any

from accord import __version__
from accord.results.changelog import Changelog
from accord.results.diff import DiffResult
from accord.results.explain import Explanation, WhenResult
from accord.results.query import QueryResult
from accord.results.timeline import ScenarioTimeline
from accord.server.schema import Components, JsonSchema
from accord.server.service import Limits
from accord.server.themes import Theme

PARAMETERS: dict[str, tuple[str, ...]] = {
    "/api/editions": (),
    "/api/vocabulary": ("edition",),
    "/api/scenarios": (),
    "/api/themes": (),
    "/api/query": ("edition", "as_of", "scenario", "fact", "unknown", "all", "cap"),
    "/api/explain": ("action", "edition", "as_of", "scenario", "fact", "unknown", "changes"),
    "/api/when": ("action", "edition", "as_of", "cap"),
    "/api/diff": ("a", "b", "action", "actor", "given", "witnesses"),
    "/api/changelog": ("a", "b", "action", "actor", "given"),
    "/api/batch": ("edition", "as_of"),
    "/api/timeline": ("scenario", "fact", "unknown"),
    "/api/openapi.json": (),
}

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": _STRING}
_ERROR = {"type": "object", "properties": {"error": _STRING}, "required": ["error"], "additionalProperties": False}


def _obj(**properties: JsonSchema) -> JsonSchema:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


_LISTINGS: dict[str, JsonSchema] = {
    "Edition": _obj(id=_STRING, title=_STRING, in_force={"type": "string", "format": "date"},
                    includes=_STRINGS, modules=_STRINGS, notes=_STRINGS),
    "Vocabulary": _obj(
        sorts={"type": "array", "items": _obj(name=_STRING, description={"type": ["string", "null"]},
                                              members=_STRINGS)},
        facts={"type": "array", "items": _obj(name=_STRING, params=_STRINGS, description=_STRING)},
        definitions={"type": "array", "items": _obj(name=_STRING, params=_STRINGS, description=_STRING)},
        actions={"type": "array", "items": _obj(name=_STRING, params=_STRINGS, actors=_STRINGS,
                                                description=_STRING)},
        constraints={"type": "array", "items": _obj(name=_STRING, description=_STRING)},
    ),
    "Scenario": _obj(name=_STRING, description=_STRING, true=_STRINGS, unknown=_STRINGS),
    "Error": _ERROR,
}


def _param(name: str, description: str, schema: JsonSchema, *, required: bool = False,
           example: Any = None) -> JsonSchema:
    out: JsonSchema = {"name": name, "in": "query", "required": required, "description": description,
                       "schema": schema}
    if schema.get("type") == "array":
        out |= {"style": "form", "explode": True}
    if example is not None:
        out["example"] = example
    return out


def _parameters(limits: Limits, examples: dict[str, Any]) -> dict[str, JsonSchema]:
    def count(low: int, high: int, default: int) -> JsonSchema:
        return {"type": "integer", "minimum": low, "maximum": high, "default": default}

    return {
        "edition": _param("edition", "An edition id, or the year it came into force (`2015`). Give this or "
                          "`as_of`.", _STRING, example=examples.get("edition")),
        "as_of": _param("as_of", "A date (YYYY-MM-DD): exactly the provisions in force that day. Give this or "
                        "`edition`.",
                        {"type": "string", "format": "date"}),
        "scenario": _param("scenario", "A named scenario of the knowledge base.", _STRING,
                           example=examples.get("scenario")),
        "fact": _param("fact", "A fact that holds, e.g. `armed_attack_on(japan)` (repeatable); every fact not "
                       "given is false.", _STRINGS, example=[examples["fact"]] if examples.get("fact") else None),
        "unknown": _param("unknown", "A fact left open: every completion is considered (repeatable).", _STRINGS),
        "all": _param("all", "List every reading (answer set), up to `cap`.", {"type": "boolean", "default": False}),
        "cap": _param("cap", "With `all`: at most this many readings.", count(1, limits.max_readings, 100)),
        "cap@when": _param("cap", "At most this many minimal scenarios.", count(1, limits.max_when, 20)),
        "action": _param("action", "The actor, then the action: `sdf use_of_force(collective)`.", _STRING,
                         required=True, example=examples.get("action")),
        "changes": _param("changes", "At most this many minimal changes per direction (0: do not search).",
                          count(0, limits.max_changes, 5)),
        "a": _param("a", "Side A (before): an edition id or year, or a date.", _STRING, required=True,
                    example=examples.get("a")),
        "b": _param("b", "Side B (after): an edition id or year, or a date.", _STRING, required=True,
                    example=examples.get("b")),
        "actor": _param("actor", "Compare only this actor (repeatable).", _STRINGS),
        "given": _param("given", "Only scenarios where this fact holds; `not FACT` where it does not "
                        "(repeatable).", _STRINGS),
        "witnesses": _param("witnesses", "Distinct minimal witness scenarios per change (0: none).",
                            count(0, limits.max_witnesses, 1)),
    }


def _json(schema: JsonSchema, description: str) -> JsonSchema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document(limits: Limits, examples: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document. `examples` names an edition, scenario, fact, action and two sides a, b."""
    components = Components()
    results = {name: components.ref(cls) for name, cls in (
        ("query", QueryResult), ("explain", Explanation), ("when", WhenResult), ("diff", DiffResult),
        ("changelog", Changelog), ("timeline", ScenarioTimeline))}
    theme = components.ref(Theme)
    params = _parameters(limits, examples)
    error = {"$ref": "#/components/schemas/Error"}
    errors = {
        "400": _json(error, "Bad input: an unknown parameter, edition, date, scenario, fact or action, or a "
                            "value out of range; `error` says which."),
        "413": _json(error, "The request body is too large (or a batch has too many scenarios)."),
        "414": _json(error, "The URL is too long."),
        "503": _json(error, "The solver's time limit was reached."),
    }

    def ref(name: str) -> JsonSchema:
        return {"$ref": f"#/components/schemas/{name}"}

    def get(path: str, summary: str, schema: JsonSchema, description: str) -> dict[str, Any]:
        op = path.rsplit("/", 1)[-1].removesuffix(".json")
        return {"get": {"summary": summary, "description": description, "operationId": op,
                        "parameters": [params.get(f"{p}@{op}", params[p]) for p in PARAMETERS[path]],
                        "responses": {"200": _json(schema, summary), **errors}}}

    paths: dict[str, Any] = {
        "/api/editions": get("/api/editions", "The editions, oldest first", {"type": "array", "items": ref("Edition")},
                             "As `accord editions --format json`."),
        "/api/vocabulary": get("/api/vocabulary", "The vocabulary", ref("Vocabulary"),
                               "As `accord vocab --format json`: of one edition, or of the whole rule base."),
        "/api/scenarios": get("/api/scenarios", "The named scenarios", {"type": "array", "items": ref("Scenario")},
                              "Every named scenario: its facts that hold and those left unknown."),
        "/api/themes": get("/api/themes", "Every ground fact, grouped by theme", {"type": "array", "items": theme},
                           "The facts the scenario builder offers, grouped by theme."),
        "/api/query": get("/api/query", "Which actions a scenario permits, forbids and requires", results["query"],
                          "As `accord query --format json`. Give a `scenario` and/or facts."),
        "/api/explain": get("/api/explain", "Why an action has its status, why not, and what would change it",
                            results["explain"], "As `accord explain --format json`."),
        "/api/when": get("/api/when", "Every minimal scenario that permits an action", results["when"],
                         "As `accord when --format json`."),
        "/api/diff": get("/api/diff", "What changed between two editions", results["diff"],
                         "As `accord diff A B --format json`. Sides are editions of the loaded rules only."),
        "/api/changelog": get("/api/changelog", "What changed between two editions, by cause",
                              results["changelog"],
                              "As `accord diff A B --group cause`: the behaviour changes grouped by the clause "
                              "changes that cause them, each pattern with one example witness."),
        "/api/timeline": get("/api/timeline", "Each action's verdict over the whole timeline", results["timeline"],
                             "As `accord timeline SCENARIO --format json`: bands of dates, and what flips them."),
        "/api/openapi.json": get("/api/openapi.json", "This document", {"type": "object"}, "OpenAPI 3.1."),
    }
    paths["/api/batch"] = {"post": {
        "summary": "Many scenarios against one edition",
        "description": "As `accord batch`: the body has one JSON scenario per line (`{\"id\", \"scenario\", "
                       "\"facts\", \"unknown\"}`, docs/batch.md); the answer has one JSON result per line, in order "
                       f"(at most {limits.max_batch} scenarios, {limits.max_body} bytes).",
        "operationId": "batch",
        "parameters": [params[p] for p in PARAMETERS["/api/batch"]],
        "requestBody": {"required": True, "content": {
            "application/x-ndjson": {"schema": _STRING}, "text/plain": {"schema": _STRING}}},
        "responses": {"200": {"description": "One JSON object per line",
                              "content": {"application/x-ndjson": {"schema": _STRING}}}, **errors},
    }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "accord", "version": __version__,
                 "description": "Query the rules of defense agreements: the JSON of the accord command line. "
                                "Read-only; every analysis is over the rules loaded when the server started."},
        "paths": paths,
        "components": {"schemas": {**_LISTINGS, **components.schemas}},
    }
