"""Bounded integer sorts, integer facts and order comparisons: parsing, checking, printing,
compiling, answering, and every diagnostic of `language/integers.py`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accord import api
from accord.analyses.query import query
from accord.language.diagnostics import Diagnostic, Sink
from accord.language.formatter import format_source
from accord.language.source import SourceFile

HEAD = """module m
sort actor { usf "U.S. forces" }
sort thousands "Troops, in thousands" 0..200
sort party { japan "Japan" }
fact troops(thousands) "Troops introduced, in thousands"
fact attacked(party) "The party is attacked"
action deploy by usf "Deploy"
edition e { title "E" in_force 2000-01-01 }
"""

RULES = HEAD + """
define major "A division or more": troops(N) and N >= 10
define huge "More than a hundred thousand": troops(N) and 100 < N
clause c { cite "x" usf must not deploy when major and not huge says "y" }
clause d { cite "z" usf may deploy says "w" }
"""


def test_a_threshold_decides(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    kb = load_rules(RULES)
    def forbidden(value: int) -> bool:
        result = query(kb, "e", facts=[f"troops({value})"])
        return any(a.label == "usf deploy" and a.forbidden.value != "never" for a in result.actions)
    assert [forbidden(v) for v in (0, 9, 10, 11, 100, 101, 200)] == [False, False, True, True, True, False, False]


def test_the_sort_has_its_integers(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    kb = load_rules(RULES)
    assert kb.rules.sorts["thousands"].members[:3] == ("0", "1", "2")
    assert len(kb.rules.sorts["thousands"].members) == 201


def test_formatting_keeps_ranges_and_comparisons() -> None:
    once = format_source(SourceFile("rules.accord", RULES), Sink())
    assert once is not None
    assert 'sort thousands "Troops, in thousands" 0..200' in once and "N >= 10" in once and "100 < N" in once
    assert format_source(SourceFile("rules.accord", once), Sink()) == once


@pytest.mark.parametrize(("text", "code"), [
    ('sort days "Days" 10..1\n', "empty-range"),
    ('sort seconds "Seconds" 0..1000000\n', "sort-too-large"),
    ('scenario s "S" { troops(201) }\n', "out-of-range"),
    ('scenario s "S" { attacked(3) }\n', "sort-mismatch"),
    ('define bad "B": attacked(P) and P > 3\n', "not-an-integer"),
    ('define bad "B": attacked(P) and P = 3\n', "sort-mismatch"),
])
def test_integer_mistakes(diagnostics_of: Callable[[str], list[Diagnostic]], text: str, code: str) -> None:
    found = diagnostics_of(HEAD + text)
    assert code in [d.code for d in found], found
    assert all(d.span is not None and d.hint for d in found if d.code == code)


def test_an_integer_fact_open_as_a_whole_is_refused_with_advice(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    kb = load_rules(RULES)
    with pytest.raises(api.ScenarioError, match=r"integer sort `thousands` \(0\.\.200\).*--unknown 'troops\(0\)'"):
        query(kb, "e", unknown=["troops"])
