"""`accord batch`: one JSON result per line, in input order; bad lines reported, never fatal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, Run

from accord.analyses.batch.lines import BatchLineError, Evaluator, read_request, run
from accord.api import KnowledgeBase
from accord.results.query import to_json

LINES = [
    '{"id": "a", "scenario": "partner_attacked"}',
    '{"id": 2, "facts": ["armed_attack_on(japan)"]}',
    "",
    "not json",
    '{"facts": ["armed_atack_on(japan)"]}',
    '{"id": "u", "facts": ["cabinet_decision"], "unknown": ["survival_threatened", "armed_attack_on(japan)"]}',
    '{"scenario": "nope"}',
    '{"facts": ["survival_threatened"]}',
    '{"id": "outside", "facts": ["cabinet_decision"], "scenario": "partner_attacked"}',
]


def _lines(outputs: list[str]) -> list[dict[str, Any]]:
    return [json.loads(text) for text in outputs]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "a scenario is a JSON object"),
        ("{", "not JSON"),
        ('{"fact": ["x"]}', "unknown key `fact`"),
        ('{"id": [1], "facts": ["x"]}', "`id` must be a string or a number"),
        ('{"facts": "cabinet_decision"}', "`facts` must be a list"),
        ('{"unknown": [1]}', "`unknown` must be a list"),
        ('{"scenario": 3}', "`scenario` must be the name of a scenario"),
        ("{}", "give a `scenario` or at least one fact"),
    ],
)
def test_a_bad_line_says_why(text: str, message: str) -> None:
    with pytest.raises(BatchLineError, match=message):
        read_request(text, 1)


def test_every_line_is_answered_in_order_and_bad_lines_do_not_stop_the_rest(mini: KnowledgeBase) -> None:
    outcomes = list(run(Evaluator(mini, "e1"), LINES))
    assert [o.line for o in outcomes] == [1, 2, 4, 5, 6, 7, 8, 9]  # the blank line 3 is skipped
    assert [o.ok for o in outcomes] == [True, True, False, False, True, False, True, True]
    data = _lines([o.text for o in outcomes])
    assert [d["id"] for d in data] == ["a", 2, None, None, "u", None, None, "outside"]
    assert data[2]["error"].startswith("not JSON")
    assert "armed_attack_on" in data[3]["error"]  # did you mean
    assert "no scenario `nope`" in data[5]["error"]
    assert data[6]["possible"] is False  # an impossible scenario is an answer, not an error


def test_each_answer_is_the_query_json(mini: KnowledgeBase) -> None:
    evaluator = Evaluator(mini, "e1")
    for outcome, text in zip(run(evaluator, LINES), [t for t in LINES if t.strip()], strict=True):
        if not outcome.ok:
            continue
        request = json.loads(text)
        result = mini.query("e1", scenario=request.get("scenario"), facts=request.get("facts", []),
                            unknown=request.get("unknown", []))
        assert json.loads(outcome.text) == {"line": outcome.line, "id": request.get("id"), **to_json(result)}
        assert list(json.loads(outcome.text))[:3] == ["line", "id", "edition"]


def test_reused_action_texts_stay_exact(mini: KnowledgeBase) -> None:
    """The evaluator keeps the text of shared action results; answers must not drift across lines."""
    evaluator = Evaluator(mini, "e1")
    first = [o.text for o in run(evaluator, LINES)]
    again = [o.text for o in run(evaluator, LINES)]
    assert first == again
    fresh = [o.text for o in run(Evaluator(mini, "e1"), list(reversed(LINES)))]

    def unnumbered(texts: list[str]) -> list[str]:
        return sorted(json.dumps({k: v for k, v in json.loads(t).items() if k != "line"}) for t in texts)

    assert unnumbered(first) == unnumbered(fresh)


def test_a_time_limit_is_a_bad_line_not_a_crash(mini: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.solve import SolveTimeout

    evaluator = Evaluator(mini, "e1", timeout=0.5, direct=False)  # the solver path: direct lines have no solve to time
    engine = mini.engine("e1")

    def expired(*_args: object, **_kwargs: object) -> None:
        raise SolveTimeout()

    monkeypatch.setattr(engine.ground, "_run", expired)
    [outcome] = run(evaluator, ['{"id": 7, "facts": ["cabinet_decision"]}'])
    assert not outcome.ok
    assert json.loads(outcome.text) == {"line": 1, "id": 7, "error": "the solver did not finish within 0.5 s."}


# ---- the command line ---------------------------------------------------------------------------


@pytest.fixture
def scenarios_file(tmp_path: Path) -> Path:
    path = tmp_path / "scenarios.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def test_cli_batch(cli: Callable[..., Run], scenarios_file: Path) -> None:
    done = cli(["batch", "--edition", "e1", "--rules", str(MINI), str(scenarios_file)])
    assert done.code == 1  # some lines were bad
    data = [json.loads(line) for line in done.stdout.splitlines()]
    assert [d["line"] for d in data] == [1, 2, 4, 5, 6, 7, 8, 9]
    assert "3 lines could not be answered (lines 4, 5, 7)" in done.stderr
    assert "\x1b" not in done.stderr  # no progress bar when stderr is not a terminal


def test_cli_batch_jobs_and_stdin(cli: Callable[..., Run]) -> None:
    good = "\n".join(LINES[:2] * 3) + "\n"
    one = cli(["batch", "--as-of", "2020-01-01", "--rules", str(MINI), "-"], stdin=good.encode())
    two = cli(["batch", "-e", "e1", "-j", "2", "--rules", str(MINI), "-"], stdin=good.encode())
    assert one.code == 0 and two.code == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == 6


def test_cli_batch_needs_an_edition_and_a_readable_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert cli(["batch", "--rules", str(MINI), "-"]).code == 2
    missing = cli(["batch", "-e", "e1", "--rules", str(MINI), str(tmp_path / "none.jsonl")])
    assert missing.code == 2
    assert "cannot read" in missing.stderr
