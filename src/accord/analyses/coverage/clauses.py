"""Clause coverage for `accord test --coverage`: which clauses the rule-language tests exercise.

In: a `KnowledgeBase` and an optional minimum percentage. Out: a `CoverageReport`, per edition: each
clause, whether some test exercises it and which tests do. A test exercises a clause in an edition
when, in the test's scenario and in some completion of its unknown facts, the clause takes part in
deciding an action the test has an expectation about (a status, a label or a layer verdict): it
applies, its exception lifts it, or a clause with priority overrides it (the roles `accord query`
reports). The report passes when every edition's share reaches the minimum.
"""

from __future__ import annotations

from collections import defaultdict

from accord.analyses.query import query
from accord.knowledge.base import KnowledgeBase
from accord.results.explain import ClauseUse, CoverageReport, EditionCoverage
from accord.solve import SolveTimeout


def _percent(covered: int, total: int) -> float:
    return round(100.0 * covered / total, 1) if total else 100.0


def clause_coverage(kb: KnowledgeBase, minimum: float | None = None, names: list[str] | None = None,
                    timeout: float | None = None) -> CoverageReport:
    """Coverage by every test, or by the tests named; `SolveTimeout` (naming the test and edition)
    when one of their queries runs past `timeout` seconds."""
    used: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for test in kb.rules.tests.values():
        if names and test.name not in names:
            continue
        checked = {(e.actor, e.action, e.args) for e in test.expectations}
        checked |= {(e.actor, e.action, e.args) for e in test.layer_expectations}
        for tested in test.editions:
            try:
                result = query(kb, tested, scenario=test.scenario, timeout=timeout)
            except SolveTimeout as err:
                raise SolveTimeout(f"test `{test.name}` in edition `{tested}`") from err
            for action in result.actions:
                if (action.actor, action.action, action.arguments) in checked:
                    for ref in action.clauses:
                        used[tested][ref.id].add(test.name)
    editions = []
    for edition in kb.editions():
        clauses = kb.rules.edition_view(edition.id).clauses.values()
        uses = tuple(ClauseUse(c.id, c.cite, bool(used[edition.id][c.id]), tuple(sorted(used[edition.id][c.id])))
                     for c in clauses)
        covered = sum(u.covered for u in uses)
        editions.append(EditionCoverage(edition.id, len(uses), covered, _percent(covered, len(uses)), uses))
    total = sum(e.total for e in editions)
    covered = sum(e.covered for e in editions)
    passed = minimum is None or all(e.percent >= minimum for e in editions)
    return CoverageReport(tuple(editions), total, covered, _percent(covered, total), minimum, passed)
