"""Date sorts and date constants in conditions: parsing, checking, printing, compiling, answering
(query, explain, when, JSON), and every date diagnostic of `language/integers.py`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord import api
from accord.analyses.query import query
from accord.cli import app
from accord.language.diagnostics import Diagnostic, Sink
from accord.language.formatter import format_source
from accord.language.source import SourceFile

HEAD = """module m
sort actor { usf "U.S. forces" }
sort day "Days of the crisis" 1952-01-01..1953-12-31
sort party { japan "Japan" }
fact attack_began(day) "The day the attack began"
fact attacked(party) "The party is attacked"
action deploy by usf "Deploy"
edition e { title "E" in_force 2000-01-01 }
"""

RULES = HEAD + """
define late "After the talks began": attack_began(D) and D >= 1952-02-18
clause c { cite "x" usf must not deploy when late says "y" }
clause d { cite "z" usf may deploy says "w" }
scenario march "March" { attack_began(1952-03-01) }
test t { scenario march edition e expect forbidden usf deploy }
"""


def _forbidden(kb: api.KnowledgeBase, fact: str) -> bool:
    result = query(kb, "e", facts=[fact])
    return any(a.label == "usf deploy" and a.forbidden.value != "never" for a in result.actions)


def test_a_date_threshold_decides(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    kb = load_rules(RULES)
    days = ("1952-01-01", "1952-02-17", "1952-02-18", "1952-02-19", "1953-12-31")
    assert [_forbidden(kb, f"attack_began({d})") for d in days] == [False, False, True, True, True]


def test_the_sort_has_its_days(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    members = load_rules(RULES).rules.sorts["day"].members
    assert members[:2] == ("1952-01-01", "1952-01-02") and "1952-02-29" in members and len(members) == 731


def test_formatting_keeps_date_sorts_and_comparisons() -> None:
    once = format_source(SourceFile("rules.accord", RULES), Sink())
    assert once is not None
    assert 'sort day "Days of the crisis" 1952-01-01..1953-12-31' in once and "D >= 1952-02-18" in once
    assert "attack_began(1952-03-01)" in once
    assert format_source(SourceFile("rules.accord", once), Sink()) == once


def test_outputs_show_dates(write_rules: Callable[[str], Path]) -> None:
    path = str(write_rules(RULES))
    runner = CliRunner()
    shown = runner.invoke(app, ["query", "march", "-r", path, "-e", "e", "-f", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["facts"] == [{"fact": "attack_began(1952-03-01)", "value": "true"}]
    when = runner.invoke(app, ["when", "usf", "deploy", "-r", path, "-e", "e"])
    assert "D >= 1952-02-18" in when.output, when.output
    explain = runner.invoke(app, ["explain", "march", "usf", "deploy", "-r", path, "-e", "e"])
    assert explain.exit_code == 0, explain.output
    assert "1952-03-01" in explain.output and "19" + "000" not in explain.output
    tests = runner.invoke(app, ["test", path])
    assert tests.exit_code == 0 and "1 passed" in tests.output, tests.output


def test_diff_witnesses_are_dates(write_rules: Callable[[str], Path], tmp_path: Path) -> None:
    before = write_rules(RULES)
    after = tmp_path / "after.accord"
    after.write_text(RULES.replace("D >= 1952-02-18", "D >= 1952-06-01"), encoding="utf-8")
    shown = CliRunner().invoke(app, ["diff", str(before), str(after)])
    witnesses = [line for line in shown.output.splitlines() if "e.g. when" in line]
    assert witnesses and all("when attack_began(1952-" in line for line in witnesses), shown.output


def test_a_fact_from_the_command_line_is_a_date(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    kb = load_rules(RULES)
    with pytest.raises(api.ScenarioError, match="not a member of sort `day`"):
        query(kb, "e", facts=["attack_began(1954-01-01)"])


def test_a_date_fact_open_as_a_whole_is_refused_with_advice(load_rules: Callable[[str], api.KnowledgeBase],
                                                            diagnostics_of: Callable[[str], list[Diagnostic]]) -> None:
    kb = load_rules(RULES)
    with pytest.raises(api.ScenarioError, match=r"date sort `day` \(1952-01-01\.\.1953-12-31\)"):
        query(kb, "e", unknown=["attack_began"])
    found = diagnostics_of(HEAD + 'scenario s "S" { unknown attack_began }\n')
    assert [d.code for d in found] == ["open-integer"] and "date sort `day`" in found[0].message


@pytest.mark.parametrize(("text", "code"), [
    ('sort late "Late" 1953-01-01..1952-01-01\n', "empty-range"),
    ('sort ages "Ages" 1900-01-01..1999-12-31\n', "sort-too-large"),
    ('sort odd "Odd" 1952-02-30..1952-03-31\n', "invalid-date"),
    ('scenario s "S" { attack_began(1954-01-01) }\n', "out-of-range"),
    ('scenario s "S" { attacked(1952-01-01) }\n', "sort-mismatch"),
    ('define bad "B": attack_began(D) and D >= 14\n', "not-a-date"),
    ('define bad "B": attacked(P) and P < 1952-01-01\n', "not-a-date"),
    ('define bad "B": attack_began(D) and D = 1952-02-31\n', "invalid-date"),
])
def test_date_mistakes(diagnostics_of: Callable[[str], list[Diagnostic]], text: str, code: str) -> None:
    found = diagnostics_of(HEAD + text)
    assert code in [d.code for d in found], found
    assert all(d.span is not None and d.hint for d in found if d.code == code)
