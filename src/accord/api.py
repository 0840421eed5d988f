"""The Python facade: load a rule base, pick editions, query scenarios, run tests.

In: a path to rules (the bundled knowledge base by default). Out: a `KnowledgeBase` whose methods
return the typed result objects of `accord.results`. Each edition is compiled and grounded once,
on first use, and reused by every later query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from accord import ir
from accord.diagnostics import AccordError, Diagnostic, brief, did_you_mean
from accord.facts import ScenarioError, parse_fact
from accord.grammar import bundled_rules_dir
from accord.limits import check_limits
from accord.pipeline import build
from accord.query import EditionEngine
from accord.results import QueryResult

if TYPE_CHECKING:
    from accord.analysis import AnalysisEngine
    from accord.diff_results import DiffResult
    from accord.explain_results import CoverageReport, Explanation, Finding, WhenResult


class EditionChoiceError(ValueError):
    """An edition or date that does not pick exactly one edition; the message says why."""


def load(paths: Path | str | Sequence[Path | str] | None = None) -> KnowledgeBase:
    """Load and check a rule base; raises `AccordError` with every diagnostic on a mistake."""
    if paths is None:
        chosen = [bundled_rules_dir()]
        if not chosen[0].is_dir():  # a wheel built without rules: say so, not "no such file"
            raise AccordError([Diagnostic(
                "no-rules", "NO RULE FILES", "This installation of accord carries no bundled rules.",
                hint="Give rule files or folders: `--rules PATH` on the command line, `accord.load(PATH)` in Python.",
            )])
    elif isinstance(paths, (str, Path)):
        chosen = [Path(paths)]
    else:
        chosen = [Path(p) for p in paths]
    return KnowledgeBase(build(chosen))


class KnowledgeBase:
    def __init__(self, rules: ir.RuleBase) -> None:
        self.rules = rules
        self._engines: dict[str, EditionEngine] = {}
        self._analyses: dict[str, AnalysisEngine] = {}
        self._facts: dict[str, ir.GroundAtom] = {}

    # ---- editions ----------------------------------------------------------------------

    def editions(self) -> list[ir.Edition]:
        return sorted(self.rules.editions.values(), key=lambda e: (e.in_force, e.id))

    def edition(self, name: str) -> ir.Edition:
        """An edition by id, or by the year it came into force (`2015`)."""
        if name in self.rules.editions:
            return self.rules.editions[name]
        if name.isdigit() and len(name) == 4:
            matches = [e for e in self.editions() if e.in_force.year == int(name)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                ids = ", ".join(e.id for e in matches)
                raise EditionChoiceError(f"Several editions came into force in {name}: {ids}. Name one.")
        known = ", ".join(e.id for e in self.editions()) or "none"
        raise EditionChoiceError(f"There is no edition `{brief(name)}`. Known editions: {known}.")

    def edition_as_of(self, date: dt.date) -> ir.Edition:
        """The edition in force on a date: the latest whose in-force date is on or before it."""
        in_force = [e for e in self.editions() if e.in_force <= date]
        if not in_force:
            first = self.editions()[0] if self.editions() else None
            since = f" The first edition, `{first.id}`, came into force on {first.in_force}." if first else ""
            raise EditionChoiceError(f"No edition was in force on {date.isoformat()}.{since}")
        latest = in_force[-1].in_force
        same_day = [e for e in in_force if e.in_force == latest]
        if len(same_day) > 1:
            ids = ", ".join(e.id for e in same_day)
            raise EditionChoiceError(f"Several editions came into force on {latest}: {ids}. Name one.")
        return same_day[0]

    def engine(self, edition: str) -> EditionEngine:
        chosen = self.edition(edition).id
        if chosen not in self._engines:
            check_limits(self.rules.edition_view(chosen))
            self._engines[chosen] = EditionEngine(self.rules, chosen)
        return self._engines[chosen]

    def compile(self, edition: str) -> str:
        """The emitted ASP program of an edition."""
        return self.engine(edition).program_text

    # ---- queries -----------------------------------------------------------------------

    def scenario(self, name: str) -> ir.Scenario:
        if name not in self.rules.scenarios:
            close = did_you_mean(name, self.rules.scenarios)
            maybe = f" Maybe you want: {', '.join(close)}." if close else ""
            raise ScenarioError(f"There is no scenario `{brief(name)}`.{maybe}")
        return self.rules.scenarios[name]

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
        if (edition is None) == (as_of is None):
            raise EditionChoiceError("Give exactly one of an edition or an as-of date.")
        chosen = self.edition(edition).id if edition is not None else self.edition_as_of(as_of).id  # type: ignore[arg-type]
        named, true, open_facts = self.scenario_facts(scenario, facts, unknown)
        return self.engine(chosen).query(
            true, open_facts, scenario=named, timeout=timeout, readings_cap=readings_cap
        )

    def scenario_facts(
        self, scenario: str | None, facts: Iterable[str] = (), unknown: Iterable[str] = ()
    ) -> tuple[ir.Scenario | None, list[ir.GroundAtom], list[ir.GroundAtom]]:
        """A named scenario (or None) with the facts given as text added: (the scenario, the true
        facts, the unknown facts); `ScenarioError` for a bad name or fact, or a fact given both ways."""
        named = self.scenario(scenario) if scenario is not None else None
        true = list(named.true) if named else []
        open_facts = list(named.unknown) if named else []
        true += [self.parse_fact(f) for f in _listed(facts)]
        open_facts += [self.parse_fact(f) for f in _listed(unknown)]
        clash = sorted(set(true) & set(open_facts))
        if clash:
            raise ScenarioError(f"The fact `{_show(clash[0])}` is given both as true and as unknown.")
        return named, true, open_facts

    def diff(
        self, a: str, b: str, *, actions: Iterable[str] = (), actors: Iterable[str] = (),
        given: Iterable[str] = (), witnesses: int = 1, timeout: float | None = None,
    ) -> DiffResult:
        """Compare two editions, dates or rule paths (`accord diff`); see `accord.diff.diff`."""
        from accord.diff import diff

        return diff(self, a, b, actions=actions, actors=actors, given=given, witnesses=witnesses, timeout=timeout)

    # ---- explanations (`accord explain`, `accord when`, semantic `accord check`) ----------

    def analysis(self, edition: str) -> AnalysisEngine:
        """An edition's traced program, grounded once (see `accord.analysis`)."""
        from accord.analysis import AnalysisEngine

        chosen = self.edition(edition).id
        if chosen not in self._analyses:
            self._analyses[chosen] = AnalysisEngine(self.engine(chosen))
        return self._analyses[chosen]

    def explain(self, action: str, edition: str | None = None, *, as_of: dt.date | None = None,
                scenario: str | None = None, facts: Iterable[str] = (), unknown: Iterable[str] = (),
                changes: int = 5, timeout: float | None = None) -> Explanation:
        """Why `action` (`sdf use_of_force(collective)`) has its status; see `accord.explain.explain`."""
        from accord.explain import explain

        return explain(self, action, edition, as_of=as_of, scenario=scenario, facts=facts, unknown=unknown,
                       changes=changes, timeout=timeout)

    def when(self, action: str, edition: str | None = None, *, as_of: dt.date | None = None,
             cap: int = 20, timeout: float | None = None) -> WhenResult:
        """Every minimal scenario that permits `action`; see `accord.when.when`."""
        from accord.when import when

        return when(self, action, edition, as_of=as_of, cap=cap, timeout=timeout)

    def findings(self, editions: Iterable[str] | None = None, timeout: float | None = None) -> list[Finding]:
        """Dead, shadowed and vacuous clauses and conflicts; see `accord.findings.findings`."""
        from accord.findings import findings

        return findings(self, editions, timeout=timeout)

    def clause_coverage(self, minimum: float | None = None, tests: Iterable[str] | None = None) -> CoverageReport:
        """Which clauses the tests exercise, per edition; see `accord.clause_coverage.clause_coverage`."""
        from accord.clause_coverage import clause_coverage

        return clause_coverage(self, minimum, list(tests) if tests is not None else None)

    def parse_fact(self, text: str) -> ir.GroundAtom:
        """Read a ground fact such as `armed_attack_on(japan)`, checked against the vocabulary.
        Facts read once are remembered (batches repeat them); mistakes are not."""
        known = self._facts.get(text) if isinstance(text, str) else None
        if known is None:
            known = parse_fact(self.rules, text)
            if len(self._facts) >= _FACTS_KEPT:
                self._facts.clear()
            self._facts[text] = known
        return known


_FACTS_KEPT = 100_000  # fact texts remembered by `parse_fact`


def _listed(facts: Iterable[str]) -> Iterable[str]:
    """Facts as given; one fact given as a bare string is that one fact, not its characters."""
    return (facts,) if isinstance(facts, str) else facts


def _show(atom: ir.GroundAtom) -> str:
    name, args = atom
    return f"{name}({', '.join(args)})" if args else name


__all__ = ["AccordError", "Diagnostic", "EditionChoiceError", "KnowledgeBase", "ScenarioError", "load"]
