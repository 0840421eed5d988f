"""`accord explain`: why an action has its status in a scenario, why not, and what would change it.

In: a `KnowledgeBase`, an edition (or a date), a scenario (named, and/or facts as text) and an
action (`sdf use_of_force(collective)`). Out: an `Explanation`:

- the verdict, as `accord query` gives it;
- per reading (one completion of the unknown facts; two when the action is permitted in some
  completions only): **why** — the derivation from the deciding clause down to scenario facts —
  and **why not** — every clause that could have permitted the action with what failed, and every
  prohibition that blocked it. Both are read off an answer set of the edition's traced program
  (`accord.analyses.explain.derivation`);
- **what would have to change**: subset-minimal sets of facts to add or retract (and of unknown
  facts to decide) that flip the status, found by the solver (`domRec` over `add/1` and `drop/1`
  under the domain constraints), each re-queried to confirm the flip and to name the clauses
  that then decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace

from accord.analyses.explain.derivation import Derivation
from accord.analyses.explain.engine import ActionKey, AnalysisEngine, analysis_engine, parse_action
from accord.analyses.explain.goal import Goal, goal
from accord.analyses.explain.layer_why import layer_readings
from accord.knowledge.base import KnowledgeBase
from accord.knowledge.facts import ScenarioError
from accord.language import ast, ir
from accord.results.explain import Change, ChangeSet, Explanation, ReadingExplanation, Step, StepKind
from accord.results.query import ActionResult, Extent, FactRef, QueryResult, Role
from accord.solve import Answer, Sym

_PERMITS = (ast.Modality.MAY, ast.Modality.MUST)


def scenario_facts(kb: KnowledgeBase, scenario: str | None, facts: Iterable[str], unknown: Iterable[str]
                   ) -> tuple[ir.Scenario | None, list[ir.GroundAtom], list[ir.GroundAtom]]:
    """A named scenario plus facts given as text, as `KnowledgeBase.query` reads them."""
    named = kb.scenario(scenario) if scenario is not None else None
    true = sorted({*(named.true if named else ()), *(kb.parse_fact(f) for f in facts)})
    open_facts = sorted({*(named.unknown if named else ()), *(kb.parse_fact(f) for f in unknown)})
    clash = sorted(set(true) & set(open_facts))
    if clash:
        raise ScenarioError(f"The fact `{ir.show_atom(clash[0])}` is given both as true and as unknown.")
    return named, true, open_facts


def explain(kb: KnowledgeBase, action: str, edition: str | None = None, *, as_of: dt.date | None = None,
            scenario: str | None = None, facts: Iterable[str] = (), unknown: Iterable[str] = (),
            changes: int = 5, timeout: float | None = None, label: str | None = None,
            layer: str | None = None, status: str | None = None) -> Explanation:
    """See the module's docstring; with `label` (or `layer` and `status`) the changes aim for that
    headline label (or that layer's verdict) instead of flipping permission."""
    analysis = analysis_engine(kb, kb.choose_edition(edition, as_of))
    key = parse_action(analysis.view, action)
    aim = goal(analysis.view, key, label, layer, status) if (label or layer or status) else None
    named, true, open_facts = scenario_facts(kb, scenario, facts, unknown)
    result = analysis.engine.query(true, open_facts, scenario=named, timeout=timeout)
    description = analysis.view.actions[key.action].description
    if not result.possible:
        return Explanation(result.edition, result.scenario, result.description, result.facts, key.label,
                           description, False, result.violations, None, (), (), False, None)
    found = result.action(key.actor, key.action, key.args)
    values = analysis.holds_values(true, open_facts)
    readings = []
    for permitted in _readings(found.permitted):
        answer = analysis.model({**values, key.status("permitted"): permitted}, timeout)
        assert answer is not None, "the query found this reading, so the solver must"
        readings.append(reading(analysis, answer, key, true, open_facts))
    change_sets, more, note = find_changes(analysis, key, true, open_facts, found, changes, timeout, aim)
    return Explanation(result.edition, result.scenario, result.description, result.facts, key.label, description,
                       True, (), found.verdict, tuple(readings), tuple(change_sets), more, note, found.labels)


def _readings(permitted: Extent) -> list[bool]:
    return {Extent.ALWAYS: [True], Extent.NEVER: [False], Extent.SOMETIMES: [True, False]}[permitted]


def reading(analysis: AnalysisEngine, answer: Answer, key: ActionKey, true: list[ir.GroundAtom],
            unknown: list[ir.GroundAtom]) -> ReadingExplanation:
    """Why and why not, in one answer set."""
    d = Derivation(analysis, answer, true, unknown)
    atoms = answer.atoms
    known = set(analysis.engine.fact_space)
    assumed = tuple(FactRef(ir.show_atom(u), "true" if Sym("holds", (_sym(u),)) in atoms else "false")
                    for u in unknown if u in known)
    has = {s: key.status(s) in atoms for s in ("permitted", "forbidden", "required", "conflict")}
    targets = analysis.targets(key)
    permits = [c for c in targets if c.modality in _PERMITS]
    prohibits = [c for c in targets if c.modality is ast.Modality.MUST_NOT]
    why: list[Step] = []
    if has["permitted"]:
        deciding = [d.clause(c, key) for c in permits if d.applies(c, key)]
        no_prohibition = (Step(StepKind.PROHIBITIONS, True, "no prohibition applies",
                               children=tuple(d.clause(c, key) for c in prohibits)) if prohibits else
                          Step(StepKind.PROHIBITIONS, True, "no prohibition in this edition speaks to this action"))
        why.append(Step(StepKind.STATUS, True, f"{key.label} is permitted", children=(*deciding, no_prohibition)))
    if has["required"]:
        obliging = [d.clause(c, key) for c in permits if c.modality is ast.Modality.MUST and d.applies(c, key)]
        why.append(Step(StepKind.STATUS, True, f"{key.label} is required", children=tuple(obliging)))
    why_not: list[Step] = []
    if not has["permitted"]:
        if not permits:
            why_not.append(Step(StepKind.DEFAULT_DENY, True,
                                "no clause of this edition can permit this action (default deny)"))
        for c in permits:
            step = d.clause(c, key)
            blocked = step.holds and step.note is None
            note = ("it applies, but the action's label does not permit it: see its layers" if analysis.view.authority
                    else "it applies, but a prohibition below forbids the action")
            why_not.append(replace(step, note=note) if blocked else step)
        why_not.extend(d.clause(c, key) for c in prohibits if d.applies(c, key))
    status = ("conflict" if has["conflict"] else "required" if has["required"] else "permitted" if has["permitted"]
              else "forbidden" if has["forbidden"] else "not permitted")
    label, layers = layer_readings(analysis, answer, key)
    return ReadingExplanation(assumed, status, tuple(why), tuple(why_not), label, layers)


# ---- what would have to change -----------------------------------------------------------------


def _sym(atom: ir.GroundAtom) -> Sym:
    return Sym(atom[0], tuple(Sym(a) for a in atom[1]))


def _atom(sym: Sym) -> ir.GroundAtom:
    return (sym.name, tuple(a.name for a in sym.args))


def _reached(result: QueryResult, key: ActionKey, reached: Callable[[ActionResult], bool]) -> ActionResult | None:
    if not result.possible:
        return None
    found = result.action(key.actor, key.action, key.args)
    return found if reached(found) else None


def _permitted(target: bool) -> Callable[[ActionResult], bool]:
    return lambda a: a.permitted is (Extent.ALWAYS if target else Extent.NEVER)


def find_changes(analysis: AnalysisEngine, key: ActionKey, true: list[ir.GroundAtom], unknown: list[ir.GroundAtom],
                 found: ActionResult, cap: int, timeout: float | None, aim: Goal | None = None
                 ) -> tuple[list[ChangeSet], bool, str | None]:
    """Minimal changes that make the action permitted in every completion, or in none; with `aim`,
    that give it the aimed-for label or layer verdict in every completion."""
    if cap < 1:
        return [], False, None
    out: dict[tuple[Change, ...], ChangeSet] = {}
    more, missing = False, []
    base = analysis.scenario_values(true, unknown)
    aims: list[tuple[Sym, bool, str, Callable[[ActionResult], bool]]]
    if aim is not None:
        aims = [(aim.atom, aim.value, aim.phrase, aim.reached)]
    else:
        flips = {Extent.ALWAYS: [False], Extent.NEVER: [True], Extent.SOMETIMES: [True, False]}[found.permitted]
        aims = [(key.status("permitted"), t, "permitted" if t else "not permitted", _permitted(t)) for t in flips]
    for atom, value, phrase, reached in aims:
        answers, more_here = analysis.solver.minimal({**base, atom: value}, 4 * cap, timeout)
        answers = sorted(answers, key=_size)
        more = more or more_here or len(answers) > cap
        sets = [s for a in answers[:cap] if (s := _change_set(analysis, key, true, unknown, a, phrase, reached,
                                                               timeout))]
        if not sets:
            missing.append(phrase)
        for s in sets:
            out.setdefault(s.changes, s)
    note = None
    if missing:
        note = (f"No change of facts makes it {' or '.join(missing)} in this edition "
                "(within the domain constraints).")
    ordered = sorted(out.values(), key=lambda s: (s.target != "permitted", len(s.changes),
                                                  [(c.fact, c.change) for c in s.changes]))
    return ordered, more, note


def _size(answer: Answer) -> tuple[int, list[Sym]]:
    changed = sorted(x for x in answer.atoms if x.name in ("add", "drop"))
    return len(changed), changed


def _change_set(analysis: AnalysisEngine, key: ActionKey, true: list[ir.GroundAtom], unknown: list[ir.GroundAtom],
                answer: Answer, phrase: str, reached: Callable[[ActionResult], bool],
                timeout: float | None) -> ChangeSet | None:
    adds = sorted(_atom(a.args[0]) for a in answer.atoms if a.name == "add")
    drops = sorted(_atom(a.args[0]) for a in answer.atoms if a.name == "drop")
    known = set(analysis.engine.fact_space)
    decided = {u: Sym("holds", (_sym(u),)) in answer.atoms for u in unknown if u in known}
    engine = analysis.engine

    def scenario(kept: dict[ir.GroundAtom, bool]) -> tuple[list[ir.GroundAtom], list[ir.GroundAtom]]:
        now_true = (set(true) - set(drops)) | set(adds) | {u for u, v in kept.items() if v}
        return sorted(now_true), sorted(set(unknown) - set(kept))

    for fact in sorted(decided):  # leave open every unknown fact the flip does not need
        trial = {u: v for u, v in decided.items() if u != fact}
        if _reached(engine.query(*scenario(trial), timeout=timeout), key, reached):
            decided = trial
    after = _reached(engine.query(*scenario(decided), timeout=timeout), key, reached)
    if after is None:
        return None

    def describe(atom: ir.GroundAtom) -> str:
        return analysis.view.facts[atom[0]].description

    changes = (*(Change(ir.show_atom(a), describe(a), "add") for a in adds),
               *(Change(ir.show_atom(a), describe(a), "retract") for a in drops),
               *(Change(ir.show_atom(u), describe(u), "assume true" if v else "assume false")
                 for u, v in sorted(decided.items())))
    roles = (Role.FORBIDS,) if phrase == "not permitted" else (Role.PERMITS, Role.REQUIRES)
    deciding = [r for r in after.clauses if r.role in roles or phrase not in ("permitted", "not permitted")]
    always = [r for r in deciding if r.extent is Extent.ALWAYS]
    decided_by = tuple(always or deciding)
    return ChangeSet(phrase, tuple(changes), after.verdict, decided_by, after.headline)
