"""`accord when`: every minimal scenario in which an action is permitted.

In: a `KnowledgeBase`, an edition (or a date) and an action (`sdf use_of_force(collective)`). Out: a
`WhenResult`: the subset-minimal sets of facts (every other fact false) under which the edition
permits the action and the domain constraints hold, found by the solver (`domRec` enumeration over
`add/1` with an empty scenario); of the first few times the cap found, the smallest are kept. Each
comes with the clauses that decide it and the facts its derivation needs to be *absent* (read off
the derivation's steps), so it reads as a list of conditions: "A, AND B, AND not C". A definition
that is a threshold over integers is named with its values ("troops(N) with N >= 10").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from accord.analyses.explain.engine import ActionKey, AnalysisEngine, analysis_engine, parse_action
from accord.analyses.explain.goal import Goal, goal
from accord.analyses.explain.why import reading
from accord.knowledge.base import KnowledgeBase
from accord.language import ast, integers, ir
from accord.language.printer import print_condition
from accord.results.explain import Condition, MinimalScenario, Step, StepKind, WhenResult, absence_text
from accord.results.query import ClauseRef, Extent, Role
from accord.solve import Answer

OVERFETCH = 4  # ask the solver for this many times the cap, and keep the smallest


def when(kb: KnowledgeBase, action: str, edition: str | None = None, *, as_of: dt.date | None = None,
         cap: int = 20, timeout: float | None = None, label: str | None = None, layer: str | None = None,
         status: str | None = None) -> WhenResult:
    """The minimal scenarios in which the action is permitted, or (`label`, or `layer` and
    `status`) has that headline label or that layer verdict."""
    analysis = analysis_engine(kb, kb.choose_edition(edition, as_of))
    key = parse_action(analysis.view, action)
    aim = goal(analysis.view, key, label, layer, status)
    values = {**analysis.scenario_values([], []), aim.atom: aim.value}
    answers, more = analysis.solver.minimal(values, OVERFETCH * cap, timeout)  # then keep the smallest
    found = sorted((minimal_scenario(analysis, key, a, aim) for a in answers),
                   key=lambda s: (len(s.facts), [c.fact for c in s.facts]))
    scenarios, more = found[:cap], more or len(found) > cap
    note = (None if scenarios else
            f"No scenario allowed by the domain constraints makes it {aim.phrase} in this edition.")
    return WhenResult(analysis.engine.edition_ref, key.label, analysis.view.actions[key.action].description,
                      tuple(scenarios), more, note, aim.phrase)


def _description(analysis: AnalysisEngine, notation: str) -> str:
    name = notation.split("(")[0]
    if name in analysis.view.facts:
        return analysis.view.facts[name].description
    definition = analysis.view.definitions.get(name)
    if definition is None:
        return name
    threshold = _threshold(definition.condition)
    return f"{definition.description} ({threshold})" if threshold else definition.description


def _threshold(cond: ast.Condition) -> str | None:
    """A definition that is a threshold over integers, as its values: `troops(N) and N >= 10` reads
    "troops(N) with N >= 10"; None for any other definition."""
    parts = cond.operands if isinstance(cond, ast.And) else (cond,)
    atoms = [p for p in parts if isinstance(p, ast.Atom)]
    bounds = [p for p in parts if isinstance(p, ast.Compare) and p.op in ("<", "<=", ">", ">=")
              and any(isinstance(t, ast.Const) and integers.constant_sort(t.name) is not None
                      for t in (p.left, p.right))]
    if not atoms or not bounds or len(atoms) + len(bounds) != len(parts):
        return None
    return f"{' and '.join(map(print_condition, atoms))} with {' and '.join(map(print_condition, bounds))}"


def _quantified(step: Step) -> bool:
    """Whether refuting the step says that no value of a variable makes something hold."""
    return any(s.kind in (StepKind.NO_INSTANCE, StepKind.NO_COMBINATION) for s in _walk(step.children))


def _one_atom_each(cond: ast.Condition) -> bool:
    """A definition whose every alternative is one positive atom (`armed_attack_on(P)`, `a or b`)."""
    match cond:
        case ast.Atom():
            return True
        case ast.Or(operands=ops):
            return all(isinstance(op, ast.Atom) for op in ops)
    return False


def _absences(analysis: AnalysisEngine, steps: tuple[Step, ...], shown: set[str]) -> Iterator[str]:
    """The facts and definitions a derivation needs to be false. A definition that fails because no
    value of its variables satisfies its whole body is named itself: its parts need not be absent
    one by one (`member(P) and not agrees(P)` fails while members exist, if they all agree)."""
    for step in steps:
        if step.kind is StepKind.DEFINITION and step.name is not None and step.holds == step.negated:
            definition = analysis.view.definitions.get(step.name.split("(")[0])
            if definition is not None and not _one_atom_each(definition.condition) and _quantified(step):
                yield step.name
                continue
        absent = step.kind is StepKind.NO_INSTANCE or (step.kind is StepKind.FACT and step.name not in shown)
        if absent and step.name is not None:
            yield step.name
        yield from _absences(analysis, step.children, shown)


def _walk(steps: tuple[Step, ...]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from _walk(step.children)


def minimal_scenario(analysis: AnalysisEngine, key: ActionKey, answer: Answer, aim: Goal | None = None
                     ) -> MinimalScenario:
    facts: list[ir.GroundAtom] = sorted(
        (a.args[0].name, tuple(x.name for x in a.args[0].args)) for a in answer.atoms if a.name == "add"
    )
    shown = {ir.show_atom(f) for f in facts}
    explained = reading(analysis, answer, key, facts, [])
    absent = {name: Condition(name, _description(analysis, name), False)
              for name in _absences(analysis, explained.why, shown)}
    present = tuple(Condition(ir.show_atom(f), analysis.view.facts[f[0]].description, True) for f in facts)
    deciding = [c.clause for s in explained.why for c in s.children
                if c.kind is StepKind.CLAUSE and c.holds and c.clause is not None]
    seen: dict[str, ClauseRef] = {}
    if aim is not None and (aim.label or aim.layer):  # a label or a verdict: the clauses of the layers decide
        seen = {ref.id: ref for lr in explained.layers if aim.layer in (None, lr.layer) for ref in lr.clauses}
    for c in deciding if not seen else ():
        role = Role.PERMITS if c.modality == "may" else Role.REQUIRES
        seen.setdefault(c.id, ClauseRef(c.id, c.cite, c.says, role, Extent.ALWAYS))
    ordered_absent = tuple(absent[k] for k in sorted(absent))
    parts = [f"{c.description} [{c.fact}]" for c in present] + [absence_text(c) for c in ordered_absent]
    summary = ", AND ".join(parts) if parts else "always: no fact needs to hold"
    return MinimalScenario(present, ordered_absent, tuple(seen[k] for k in sorted(seen)), summary)
