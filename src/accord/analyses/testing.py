"""Running the tests written in the rule language.

In: a `KnowledgeBase`. Out: one `TestOutcome` per expectation and edition: whether the action's
status in the test's scenario is what the test expects, and what it actually was.
"""

from __future__ import annotations

from accord.analyses.layer_testing import check_layered
from accord.analyses.query import query
from accord.knowledge.base import KnowledgeBase
from accord.language import ast, ir
from accord.results.query import Extent, QueryResult
from accord.results.testing import TestOutcome
from accord.solve import SolveTimeout

_EXPECTED_EXTENT = {
    ast.Qualifier.ALWAYS: Extent.ALWAYS,
    ast.Qualifier.POSSIBLY: Extent.SOMETIMES,
    ast.Qualifier.NEVER: Extent.NEVER,
}
_WORDS = {Extent.ALWAYS: "", Extent.SOMETIMES: "possibly ", Extent.NEVER: "not "}


def describe(e: ir.Expectation, extent: Extent | None = None) -> str:
    args = f"({', '.join(e.args)})" if e.args else ""
    word = _WORDS[extent if extent is not None else _EXPECTED_EXTENT[e.qualifier]]
    return f"{word}{e.status.value} {e.actor} {e.action}{args}"


def _location(e: ir.Expectation) -> str:
    return f"{e.span.file}:{e.span.line}" if e.span else ""


def run_tests(kb: KnowledgeBase, names: list[str] | None = None, timeout: float | None = None) -> list[TestOutcome]:
    """Every test (or the named ones) in each of its editions; `SolveTimeout`, naming the test, when
    a query runs past `timeout` seconds."""
    outcomes: list[TestOutcome] = []
    for test in kb.rules.tests.values():
        if names and test.name not in names:
            continue
        for edition in test.editions:
            try:
                result = query(kb, edition, scenario=test.scenario, timeout=timeout)
            except SolveTimeout as err:
                raise SolveTimeout(f"test `{test.name}` in edition `{edition}`") from err
            outcomes.extend(_check(test, edition, e, result) for e in test.expectations)
            outcomes.extend(check_layered(test, edition, e, result) for e in test.layer_expectations)
    return outcomes


def _check(test: ir.Test, edition: str, e: ir.Expectation, result: QueryResult) -> TestOutcome:
    expected = describe(e)

    def outcome(passed: bool, actual: str) -> TestOutcome:
        return TestOutcome(test.name, edition, expected, e.because, passed, actual, _location(e))

    if not result.possible:
        broken = ", ".join(v.constraint for v in result.violations)
        return outcome(False, f"the scenario is impossible in this edition (breaks {broken})")
    try:
        action = result.action(e.actor, e.action, e.args)
    except KeyError:
        return outcome(False, f"the edition does not know the action `{e.action}` for `{e.actor}`")
    actual_extent = {
        ast.Status.PERMITTED: action.permitted,
        ast.Status.FORBIDDEN: action.forbidden,
        ast.Status.REQUIRED: action.required,
    }[e.status]
    actual = describe(e, actual_extent)
    return outcome(actual_extent is _EXPECTED_EXTENT[e.qualifier], actual)
