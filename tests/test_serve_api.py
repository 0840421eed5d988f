"""`accord serve`'s JSON API, in process: the same JSON as the CLI, clear 4xx errors, the limits.

The app is driven through Starlette's test client (httpx); every answer is compared with the
Python API's result objects dumped by `to_json`, which is what `--format json` prints.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI

from accord import api
from accord.analyses.batch.lines import Evaluator
from accord.analyses.diff.changelog import changelog
from accord.report import query as report
from accord.results.query import to_json
from accord.server import Limits, create_app, service
from accord.server.guard import LOOPBACK_HOSTS
from accord.server.openapi import PARAMETERS
from accord.server.service import Service
from accord.solve import SolveTimeout

with warnings.catch_warnings():  # starlette's test client names an alias that anyio deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

SHIP = "news_2015_us_ship_attacked"
STATIC = Path(__file__).resolve().parent.parent / "src" / "accord" / "server" / "static"


@pytest.fixture(scope="module")
def kb() -> api.KnowledgeBase:
    return api.load()


@pytest.fixture(scope="module")
def client(kb: api.KnowledgeBase) -> Iterator[TestClient]:
    with TestClient(create_app(kb)) as c:
        yield c


def _ok(client: TestClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def _error(client: TestClient, url: str, status: int = 400) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    return str(body["error"])


# ---- the same JSON as the command line ---------------------------------------------------------


def test_editions_and_vocabulary_are_the_cli_json(client: TestClient, kb: api.KnowledgeBase) -> None:
    assert _ok(client, "/api/editions") == json.loads(report.editions_json(kb.editions()))
    assert _ok(client, "/api/vocabulary") == report.vocabulary_data(kb.rules)
    view = kb.rules.edition_view("e1997")
    assert _ok(client, "/api/vocabulary?edition=1997") == report.vocabulary_data(view)


@pytest.mark.parametrize("params", [
    {"edition": "e2016", "scenario": SHIP},
    {"edition": "e1997", "scenario": SHIP},
    {"edition": "e2016", "scenario": SHIP, "all": "true", "cap": "3"},
    {"edition": "e2015", "fact": ["armed_attack_on(japan)", "cabinet_decision"], "unknown": ["survival_threatened"]},
    {"as_of": "2015-06-01", "fact": ["armed_attack_on(us_forces)"]},
    {"edition": "e2016", "fact": ["survival_threatened"]},  # impossible: an answer, not an error
    {"edition": "e2016"},  # no fact at all: every fact is false
])
def test_query_is_the_cli_json(client: TestClient, kb: api.KnowledgeBase, params: dict[str, Any]) -> None:
    got = client.get("/api/query", params=params)
    assert got.status_code == 200, got.text
    as_of = dt.date.fromisoformat(params["as_of"]) if "as_of" in params else None
    expected = kb.query(params.get("edition"), as_of=as_of,
                        scenario=params.get("scenario"), facts=params.get("fact", ()),
                        unknown=params.get("unknown", ()),
                        readings_cap=int(params["cap"]) if params.get("all") else None)
    assert got.json() == to_json(expected)


def test_explain_when_and_diff_are_the_cli_json(client: TestClient, kb: api.KnowledgeBase) -> None:
    action = "sdf use_of_force(collective)"
    got = _ok(client, f"/api/explain?edition=e2016&scenario={SHIP}&action={action}")
    assert got == to_json(kb.explain(action, "e2016", scenario=SHIP))
    got = _ok(client, f"/api/when?edition=2016&action={action}&cap=3")
    assert got == to_json(kb.when(action, "e2016", cap=3))
    got = _ok(client, "/api/diff?a=e2015&b=2016-03-29&action=use_of_force&witnesses=2")
    expected = to_json(kb.diff("e2015", "2016-03-29", actions=["use_of_force"], witnesses=2))
    assert got == expected and got["b"]["label"] == "2016-03-29"
    again = _ok(client, "/api/diff?a=e2015&b=e2016&action=use_of_force&witnesses=2")  # the same editions
    assert again["b"]["label"] == "e2016"  # named as asked, not as the cached answer named them


def test_the_changelog_is_the_diff_grouped_by_cause(client: TestClient, kb: api.KnowledgeBase) -> None:
    got = _ok(client, "/api/changelog?a=e2015&b=e2016&action=use_of_force")
    assert got == to_json(changelog(kb.diff("e2015", "e2016", actions=["use_of_force"])))
    assert got["grouping"] == "cause" and got["causes"]
    assert all(p["label"].split(" ", 1)[1].startswith("use_of_force") for c in got["causes"] for p in c["patterns"])
    assert "`b` is required" in _error(client, "/api/changelog?a=e2015", 400)


def test_batch_is_the_cli_output_line_by_line(client: TestClient, kb: api.KnowledgeBase) -> None:
    lines = [json.dumps({"id": "a", "scenario": SHIP}), "", "not json",
             json.dumps({"id": 2, "facts": ["armed_attack_on(japan)"], "unknown": ["cabinet_decision"]})]
    response = client.post("/api/batch?edition=e2016", content="\n".join(lines).encode())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    evaluator = Evaluator(kb, "e2016")
    expected = [json.loads(evaluator.answer(n, text).text) for n, text in [(1, lines[0]), (3, lines[2]), (4, lines[3])]]
    assert [json.loads(line) for line in response.text.splitlines()] == expected
    assert "error" in expected[1]


def test_named_scenarios_and_themes_cover_the_vocabulary(client: TestClient, kb: api.KnowledgeBase) -> None:
    scenarios = _ok(client, "/api/scenarios")
    assert [s["name"] for s in scenarios] == sorted(kb.rules.scenarios)
    ship = next(s for s in scenarios if s["name"] == SHIP)
    assert "survival_threatened" in ship["unknown"] and "armed_attack_on(us_forces)" in ship["true"]
    themes = _ok(client, "/api/themes")
    facts = [f["fact"] for t in themes for f in t["facts"]]
    assert len(facts) == len(set(facts)) == len(kb.engine("e2016").fact_space)
    titles = [t["title"] for t in themes]
    assert titles[:2] == ["Who is attacked or threatened", "Where"] and "Decisions taken" in titles
    for fact in facts:
        kb.parse_fact(fact)  # each is a fact the API reads back


def test_a_rule_base_of_its_own_gets_themes_by_sort() -> None:
    with TestClient(create_app(api.load(MINI))) as c:
        themes = _ok(c, "/api/themes")
        assert {f["fact"] for t in themes for f in t["facts"]} >= {"armed_attack_on(japan)", "cabinet_decision"}
        assert _ok(c, "/api/query?edition=e1&scenario=partner_attacked")["scenario"] == "partner_attacked"


# ---- clear errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "words"), [
    ("/api/query?edition=e1234&fact=cabinet_decision", "no edition `e1234`"),
    ("/api/query?edition=2015&as_of=2015-01-01", "exactly one of `edition` and `as_of`"),
    ("/api/query?fact=cabinet_decision", "exactly one of `edition` and `as_of`"),
    ("/api/query?as_of=2015-13-01", "not a date"),
    ("/api/query?as_of=1900-01-01", "Nothing is in force on 1900-01-01"),
    ("/api/query?edition=e2016&scenario=news_2015_ship", "no scenario"),
    ("/api/query?edition=e2016&fact=armed_atack_on(japan)", "armed_attack_on"),
    ("/api/query?edition=e2016&fact=armed_attack_on(mars)", "not a member of sort `party`"),
    ("/api/query?edition=e2016&fact=piracy&unknown=piracy", "both as true and as unknown"),
    ("/api/query?edition=e2016&facts=cabinet_decision", "Unknown parameter `facts`. Maybe you want `fact`"),
    ("/api/query?edition=e2016&edition=e2015", "at most once"),
    ("/api/query?edition=e2016&all=maybe", "true or false"),
    ("/api/query?edition=e2016&all=1&cap=0", "between 1 and"),
    ("/api/query?edition=e2016&cap=ten", "whole number"),
    ("/api/explain?edition=e2016&action=sdf%20fly", "no action `fly`"),
    ("/api/explain?edition=e2016&action=goj%20use_of_force(collective)", "not `goj`"),
    ("/api/explain?edition=e2016", "`action` is required"),
    ("/api/when?edition=e2016&action=sdf", "not an action"),
    ("/api/diff?a=e1997", "`b` is required"),
    ("/api/diff?a=e1997&b=e2015&action=fly", "Neither side knows the action `fly`"),
    ("/api/diff?a=e1997&b=e2015&given=armed_attack_on(mars)", "not a member"),
    ("/api/diff?a=e1997&b=e2015&witnesses=99", "between 0 and"),
])
def test_bad_input_is_a_400_that_says_why(client: TestClient, url: str, words: str) -> None:
    assert words in _error(client, url)


@pytest.mark.parametrize("side", ["/etc", "rules", "src", "tests/fixtures/mini", "tests/fixtures/mini@e1", "../rules"])
def test_a_request_never_chooses_a_rule_path(client: TestClient, side: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a request made the server load rules")

    monkeypatch.setattr("accord.api.load", refuse)
    monkeypatch.setattr("accord.analyses.diff.compare.load", refuse)
    message = _error(client, f"/api/diff?a={side}&b=e2015")
    assert "edition" in message


def test_unknown_paths_and_methods_are_json_errors(client: TestClient) -> None:
    assert "nothing at `/api/nope`" in _error(client, "/api/nope", 404)
    for method in ("put", "delete", "patch"):
        response = getattr(client, method)("/api/query")
        assert response.status_code == 405 and "read-only" in response.json()["error"]
    response = client.post("/api/query?edition=e2016")
    assert response.status_code == 405


def test_a_server_that_was_not_warmed_answers_all_the_same(kb: api.KnowledgeBase) -> None:
    with TestClient(create_app(kb, warm=False)) as c:
        assert _ok(c, f"/api/query?edition=e1978&scenario={SHIP}") == to_json(kb.query("e1978", scenario=SHIP))
        response = c.post("/api/batch?edition=e1978", content=json.dumps({"scenario": SHIP}).encode())
        assert response.status_code == 200 and json.loads(response.text)["line"] == 1


def test_the_solver_time_limit_is_a_503(kb: api.KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(kb, warm=False)) as c:
        def slow(*args: object, **kwargs: object) -> None:
            raise SolveTimeout()

        monkeypatch.setattr(service, "query", slow)
        assert "time limit" in _error(c, "/api/query?edition=e2016&fact=cabinet_decision", 503)


# ---- limits and safety --------------------------------------------------------------------------


def test_request_size_limits(kb: api.KnowledgeBase) -> None:
    limits = Limits(max_body=2048, max_url=600, max_batch=2)
    with TestClient(create_app(kb, limits, warm=False)) as c:
        response = c.post("/api/batch?edition=e2016", content=b"x" * 4096)
        assert response.status_code == 413 and "larger than the server accepts" in response.json()["error"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(8):
                yield b"y" * 1024

        response = c.post("/api/batch?edition=e2016", content=chunks())
        assert response.status_code == 413
        long_url = "/api/query?edition=e2016" + "&fact=cabinet_decision" * 40
        assert "URL has" in _error(c, long_url, 414)
        three = "\n".join(json.dumps({"scenario": SHIP}) for _ in range(3))
        response = c.post("/api/batch?edition=e2016", content=three.encode())
        assert response.status_code == 413 and "at most 2" in response.json()["error"]
        response = c.post("/api/batch?edition=e2016", content=b"\xff\xfe{}")
        assert response.status_code == 400 and "UTF-8" in response.json()["error"]


def test_only_loopback_host_names_are_answered(kb: api.KnowledgeBase) -> None:
    app = create_app(kb, warm=False, hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8321") as c:
        assert c.get("/api/editions").status_code == 200
        assert c.get("/api/editions", headers={"host": "localhost:8321"}).status_code == 200
        assert c.get("/api/editions", headers={"host": "[::1]:8321"}).status_code == 200
        response = c.get("/api/editions", headers={"host": "attacker.example:8321"})
        assert response.status_code == 400 and "only requests addressed to" in response.json()["error"]


def test_every_response_carries_safe_headers_and_no_cors(client: TestClient) -> None:
    for url in ("/", "/api/editions", "/api/nope", "/static/js/main.js"):
        response = client.get(url, headers={"origin": "http://elsewhere.example"})
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "access-control-allow-origin" not in response.headers


def test_the_page_and_its_assets_are_served_and_fetch_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "static/js/main.js" in page.text  # relative: a base served under /bases/NAME/ too
    assert client.get("/static/js/main.js").headers["content-type"].split(";")[0] in (
        "text/javascript", "application/javascript")
    files = [p for p in STATIC.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} <= {".html", ".css", ".js", ".svg"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for marker in ("http://", "https://", "//cdn", "@import", "url(http"):
            if path.suffix == ".svg" and marker == "http://":  # the SVG namespace is a name, not a fetch
                text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
            assert marker not in text, f"{path.name} refers to {marker}"
        assert client.get(f"/static/{path.relative_to(STATIC).as_posix()}").status_code == 200


def test_compiled_editions_are_reused_never_parsed_or_grounded_again(
        kb: api.KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(kb)) as c:
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("a request parsed or grounded rules")

        monkeypatch.setattr("accord.solve.GroundProgram.__init__", refuse)
        monkeypatch.setattr("accord.solve.AnalysisProgram.__init__", refuse)
        monkeypatch.setattr("accord.knowledge.pipeline.build", refuse)
        monkeypatch.setattr("accord.language.parse.parse_file", refuse, raising=False)
        for edition in ("e1960", "e1997", "e2016"):
            _ok(c, f"/api/query?edition={edition}&scenario={SHIP}")
            _ok(c, f"/api/explain?edition={edition}&scenario={SHIP}&action=sdf%20asset_protection&changes=1")


def test_concurrent_requests_get_the_answers_of_sequential_ones(client: TestClient, kb: api.KnowledgeBase) -> None:
    names = sorted(kb.rules.scenarios)[:12]
    expected = {(e, n): to_json(kb.query(e, scenario=n)) for e in ("e1999", "e2016") for n in names}
    failures: list[str] = []

    def ask(edition: str) -> None:
        for name in names:
            got = client.get(f"/api/query?edition={edition}&scenario={name}").json()
            if got != expected[(edition, name)]:
                failures.append(f"{edition} {name}")

    threads = [threading.Thread(target=ask, args=(e,)) for e in ("e1999", "e2016", "e1999", "e2016")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_the_openapi_document_lists_every_endpoint_and_parameter(client: TestClient) -> None:
    doc = _ok(client, "/api/openapi.json")
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == set(PARAMETERS)
    for path, names in PARAMETERS.items():
        (operation,) = doc["paths"][path].values()
        assert [p["name"] for p in operation.get("parameters", [])] == list(names)
    query = doc["components"]["schemas"]["QueryResult"]
    assert query["additionalProperties"] is False and "actions" in query["required"]


def test_costly_answers_are_cached(kb: api.KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    service = Service(kb)
    first = service.when("e2016", "sdf asset_protection", 2)
    monkeypatch.setattr(kb, "when", lambda *a, **k: (_ for _ in ()).throw(AssertionError("not cached")))
    assert service.when("e2016", "sdf asset_protection", 2) == first
