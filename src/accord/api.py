"""The Python facade: load a rule base, pick editions, query scenarios, explain and compare them.

In: a path to rules (the bundled knowledge base by default). Out: a `KnowledgeBase` whose methods
return the typed result objects of `accord.results`. It is `accord.knowledge.KnowledgeBase` with
the analyses as methods; nothing inside accord imports this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from accord.analyses import query as queries
from accord.analyses.coverage.clauses import clause_coverage
from accord.analyses.diff.across import diff_across
from accord.analyses.diff.compare import diff
from accord.analyses.engine import EditionEngine
from accord.analyses.explain.engine import AnalysisEngine, analysis_engine
from accord.analyses.explain.findings import findings
from accord.analyses.explain.when import when
from accord.analyses.explain.why import explain
from accord.analyses.timeline import change_points, scenario_timeline
from accord.knowledge import base
from accord.knowledge.base import EditionChoiceError, rule_paths
from accord.knowledge.facts import ScenarioError
from accord.knowledge.pipeline import build
from accord.language.diagnostics import AccordError, Diagnostic
from accord.results.across import AcrossResult
from accord.results.diff import DiffResult
from accord.results.explain import CoverageReport, Explanation, Finding, WhenResult
from accord.results.query import QueryResult
from accord.results.timeline import ChangePoint, ScenarioTimeline


def load(paths: Path | str | Sequence[Path | str] | None = None) -> KnowledgeBase:
    """Load and check a rule base; raises `AccordError` with every diagnostic on a mistake."""
    return KnowledgeBase(build(rule_paths(paths)))


class KnowledgeBase(base.KnowledgeBase):
    """A loaded rule base with every analysis as a method."""

    def engine(self, edition: str) -> EditionEngine:
        return queries.engine(self, edition)

    def compile(self, edition: str) -> str:
        """The emitted ASP program of an edition."""
        return queries.engine(self, edition).program_text

    def query(
        self,
        edition: str | None = None,
        *,
        as_of: dt.date | None = None,
        scenario: str | None = None,
        facts: Iterable[str] = (),
        unknown: Iterable[str] = (),
        timeout: float | None = None,
        readings_cap: int | None = None,
    ) -> QueryResult:
        """Query a named scenario, or facts given as text (`armed_attack_on(japan)`), or both."""
        return queries.query(self, edition, as_of=as_of, scenario=scenario, facts=facts, unknown=unknown,
                             timeout=timeout, readings_cap=readings_cap)

    def diff(
        self, a: str, b: str, *, actions: Iterable[str] = (), actors: Iterable[str] = (),
        given: Iterable[str] = (), witnesses: int = 1, timeout: float | None = None, jobs: int | None = None,
    ) -> DiffResult:
        """Compare two editions, dates or rule paths (`accord diff`); see `accord.analyses.diff.compare`.
        `jobs` processes share a large diff (by default one per core)."""
        return diff(self, a, b, actions=actions, actors=actors, given=given, witnesses=witnesses, timeout=timeout,
                    jobs=jobs)

    def analysis(self, edition: str) -> AnalysisEngine:
        """An edition's traced program, grounded once (see `accord.analyses.explain.engine`)."""
        return analysis_engine(self, edition)

    def explain(self, action: str, edition: str | None = None, *, as_of: dt.date | None = None,
                scenario: str | None = None, facts: Iterable[str] = (), unknown: Iterable[str] = (),
                changes: int = 5, timeout: float | None = None) -> Explanation:
        """Why `action` (`sdf use_of_force(collective)`) has its status; see `accord.analyses.explain.why`."""
        return explain(self, action, edition, as_of=as_of, scenario=scenario, facts=facts, unknown=unknown,
                       changes=changes, timeout=timeout)

    def when(self, action: str, edition: str | None = None, *, as_of: dt.date | None = None,
             cap: int = 20, timeout: float | None = None) -> WhenResult:
        """Every minimal scenario that permits `action`; see `accord.analyses.explain.when`."""
        return when(self, action, edition, as_of=as_of, cap=cap, timeout=timeout)

    def findings(self, editions: Iterable[str] | None = None, timeout: float | None = None) -> list[Finding]:
        """Dead, shadowed and vacuous clauses and conflicts; see `accord.analyses.explain.findings`."""
        return findings(self, editions, timeout=timeout)

    def change_points(self) -> tuple[ChangePoint, ...]:
        """Every change point of the rules, oldest first (`accord timeline`)."""
        return change_points(self)

    def timeline(self, scenario: str | None = None, *, facts: Iterable[str] = (), unknown: Iterable[str] = (),
                 actions: Iterable[str] = (), timeout: float | None = None) -> ScenarioTimeline:
        """Each action's verdict over the whole timeline (`accord timeline SCENARIO`)."""
        return scenario_timeline(self, scenario, facts, unknown, actions, timeout)

    def diff_across(self, start: dt.date, end: dt.date, *, actions: Iterable[str] = (), actors: Iterable[str] = (),
                    given: Iterable[str] = (), witnesses: int = 0, timeout: float | None = None,
                    jobs: int | None = None) -> AcrossResult:
        """Each change point after `start`, on or before `end`, diffed with the day before (`diff --across`);
        `jobs` processes share the steps, or a large step's slices (None: one per core)."""
        return diff_across(self, start, end, actions=actions, actors=actors, given=given, witnesses=witnesses,
                           timeout=timeout, jobs=jobs)

    def clause_coverage(self, minimum: float | None = None, tests: Iterable[str] | None = None,
                        timeout: float | None = None) -> CoverageReport:
        """Which clauses the tests exercise, per edition; see `accord.analyses.coverage.clauses`."""
        return clause_coverage(self, minimum, list(tests) if tests is not None else None, timeout)


__all__ = ["AccordError", "Diagnostic", "EditionChoiceError", "KnowledgeBase", "ScenarioError", "load"]
