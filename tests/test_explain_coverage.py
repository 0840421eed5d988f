"""Clause coverage (`accord test --coverage`, `KnowledgeBase.clause_coverage`)."""

from __future__ import annotations

from pathlib import Path

from accord import api

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_mini_tests_exercise_every_clause(mini: api.KnowledgeBase) -> None:
    report = mini.clause_coverage(minimum=100)
    (edition,) = report.editions
    assert (edition.edition, edition.covered, edition.total, edition.percent) == ("e1", 3, 3, 100.0)
    assert report.passed and report.percent == 100.0
    assert {c.id: c.tests for c in edition.clauses} == {
        "g.assets": ("partner",), "g.force": ("partner",), "law.force": ("partner",)}


def test_only_clauses_deciding_a_checked_action_count() -> None:
    kb = api.load(FIXTURES / "explain")
    report = kb.clause_coverage(minimum=50)
    (edition,) = report.editions
    covered = sorted(c.id for c in edition.clauses if c.covered)
    assert covered == ["c.defend", "c.patrol"]  # c.escort is asked about, but does not fire in the scenario
    assert edition.percent == 25.0 and not report.passed
    assert kb.clause_coverage().passed  # no minimum, no failure
    assert kb.clause_coverage(tests=["nothing"]).covered == 0
