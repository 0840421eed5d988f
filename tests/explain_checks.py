"""Independent checks of explanations, against the reference evaluator in `tests/reference.py`.

`check_explanation` verifies that an `Explanation` is a valid derivation, without trusting the
solver or the traced program:

- every step's claim (a fact, a definition instance, a clause applying, a status) has the truth
  value the reference evaluator computes for that reading's completion of the scenario;
- every step that holds and is explained in full is *entailed* by its children: the condition it
  stands for (a definition's body, a clause's `when`, `unless`, or `when and not unless`)
  evaluates to true in three-valued (Kleene) logic when only the facts and definition instances
  its children state are known, everything else unknown; every step that fails and is explained in
  full is likewise refuted by its children;
- the status step's children are a deciding clause and, for every prohibition of the action, a
  step showing it does not apply; "why not" names every clause that could have permitted it.

`check_changes` applies every "what would have to change" set and re-queries through
`KnowledgeBase.query`: the status must really flip (and, for a scenario without unknown facts, no
smaller part of the set may flip it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

from reference import _applying, _edition, _head_env, assignments, derive, fires, statuses, strata, variables

from accord.analyses.explain.engine import ActionKey
from accord.api import KnowledgeBase
from accord.language import ast, ir
from accord.results.explain import Explanation, Step, StepKind
from accord.results.query import Extent

GroundAtom = tuple[str, tuple[str, ...]]
_NAME = re.compile(r"([a-z][a-z0-9_]*)(?:\((.*)\))?\Z")
SEE_ABOVE = "explained above"
CIRCULAR = "it could only follow from itself, so it does not hold"


def parse_atom(text: str) -> tuple[str, tuple[str, ...]]:
    match = _NAME.match(text)
    assert match, text
    args = tuple(a.strip() for a in match.group(2).split(",")) if match.group(2) else ()
    return match.group(1), args


# ---- three-valued evaluation ----------------------------------------------------------------------


def _value(term: ast.Term, env: dict[str, str]) -> str:
    return env[term.name] if isinstance(term, ast.Var) else term.name


def kleene(cond: ast.Condition, env: dict[str, str], known: dict[GroundAtom, bool]) -> bool | None:
    if isinstance(cond, ast.Atom):
        return known.get((cond.name.text, tuple(_value(a, env) for a in cond.args)))
    if isinstance(cond, ast.Compare):
        equal = _value(cond.left, env) == _value(cond.right, env)
        return equal if cond.op == "=" else not equal
    if isinstance(cond, ast.Not):
        inner = kleene(cond.operand, env, known)
        return None if inner is None else not inner
    values = [kleene(o, env, known) for o in cond.operands]
    if isinstance(cond, ast.And):
        return False if False in values else True if all(values) else None
    return True if True in values else False if all(v is False for v in values) else None


def some(cond: ast.Condition, env: dict[str, str], known: dict[GroundAtom, bool], var_sorts: dict[str, str],
         sorts: dict[str, tuple[str, ...]]) -> bool | None:
    """Three-valued "for some values of the free variables"."""
    free = variables(cond) - set(env)
    values = [kleene(cond, {**env, **extra}, known) for extra in assignments(free, var_sorts, sorts)]
    return True if True in values else False if all(v is False for v in values) else None


# ---- the checker ----------------------------------------------------------------------------------


class Checker:
    def __init__(self, kb: KnowledgeBase, edition: str, true_facts: set[GroundAtom], key: ActionKey) -> None:
        self.e = _edition(kb.rules, edition)
        self.model = derive(self.e, true_facts, strata(self.e.definitions))
        self.key = key
        self.targets = [c for c in self.e.clauses.values()
                        if (c.actor, c.action) == (key.actor, key.action) and _head_env(c, key.args) is not None]
        firing = {c.id for c in self.targets if fires(c, self._env(c), self.e, self.model)}
        self.applying = _applying(firing, {c.id: c for c in self.targets})
        self.status = statuses(self.e, self.model)[(key.actor, key.action, key.args)]

    def _env(self, clause: ir.Clause) -> dict[str, str]:
        env = _head_env(clause, self.key.args)
        assert env is not None
        return env

    def sorts_of(self, name: str) -> tuple[str, ...]:
        if name in self.e.facts:
            return self.e.facts[name].params
        return tuple(s for _, s in self.e.definitions[name].params)

    # what a set of child steps states
    def known(self, children: Iterable[Step]) -> tuple[dict[GroundAtom, bool], bool]:
        known: dict[GroundAtom, bool] = {}
        vague = False
        for step in _literals(children):
            if step.note == CIRCULAR:
                vague = True
            if step.kind in (StepKind.FACT, StepKind.DEFINITION) and step.name:
                known[parse_atom(step.name)] = step.holds != step.negated
            elif step.kind is StepKind.NO_INSTANCE and step.name:
                name, args = parse_atom(step.name)
                for combo in itertools.product(*(self.e.sorts[s] for s in self.sorts_of(name))):
                    if _fits(args, combo):
                        if (name, combo) not in self.model:  # "no (other) value": every other instance is false
                            known.setdefault((name, combo), False)
                        else:  # a true instance: it must be one of the cases refuted one by one
                            values = {a: v for a, v in zip(args, combo, strict=True) if a[0].isupper()}
                            binding = ", ".join(f"{a} = {v}" for a, v in sorted(values.items()))
                            cases = (step.note or "").removeprefix("other than ").split("; ")
                            assert binding in cases, (step.text, step.note, binding)
            elif step.kind in (StepKind.NO_INSTANCE, StepKind.NO_COMBINATION, StepKind.CUT):
                vague = True
        return known, vague

    def entails(self, value: bool | None, expected: bool, vague: bool, what: str) -> None:
        assert value is expected or (value is None and vague), f"{what}: children give {value}, expected {expected}"

    def step(self, step: Step) -> None:
        full = step.note not in (SEE_ABOVE, CIRCULAR)
        if step.kind in (StepKind.FACT, StepKind.DEFINITION):
            assert step.name is not None
            atom = parse_atom(step.name)
            assert (atom in self.model) == (step.holds != step.negated), f"wrong truth: {step.text}"
            if step.kind is StepKind.DEFINITION and full and step.children:
                d = self.e.definitions[atom[0]]
                env = dict(zip((v for v, _ in d.params), atom[1], strict=True))
                known, vague = self.known(step.children)
                value = some(d.condition, env, known, dict(d.var_sorts), self.e.sorts)
                self.entails(value, atom in self.model, vague, step.text)
        elif step.kind is StepKind.NO_INSTANCE and step.name and not (step.note or "").startswith("other than"):
            name, args = parse_atom(step.name)
            assert not any(a[0] == name and _fits(args, a[1]) for a in self.model), step.text
        elif step.kind is StepKind.CLAUSE:
            self.clause(step, full)
        elif step.kind is StepKind.ALTERNATIVE:
            assert not step.holds
        for child in step.children:
            self.step(child)

    def clause(self, step: Step, full: bool) -> None:
        clause = self.e.clauses[step.name or ""]
        assert step.holds == (clause.id in self.applying), f"{clause.id}: applies is {clause.id in self.applying}"
        if not full:
            return
        env, var_sorts, sorts = self._env(clause), dict(clause.var_sorts), self.e.sorts
        for child in step.children:
            known, vague = self.known(child.children)
            if child.kind is StepKind.CONDITIONS and clause.when is not None:
                if child.text.endswith(("exception does not", "without its exception")):
                    assert child.holds == fires(clause, env, self.e, self.model), child.text
                    self.entails(self.fires3(clause, env, known), child.holds, vague, child.text)
                else:
                    truth = some(clause.when, env, set_of(self.model), var_sorts, sorts)
                    assert child.holds == truth, child.text
                    self.entails(some(clause.when, env, known, var_sorts, sorts), child.holds, vague, child.text)
            elif child.kind is StepKind.EXCEPTION and clause.unless is not None:
                if "so does its exception" in child.text:
                    both = ast.And((clause.when, clause.unless)) if clause.when else clause.unless
                    self.entails(some(both, env, known, var_sorts, sorts), True, vague, child.text)
                else:
                    truth = some(clause.unless, env, set_of(self.model), var_sorts, sorts)
                    assert child.holds == truth, child.text
                    self.entails(some(clause.unless, env, known, var_sorts, sorts), child.holds, vague, child.text)
            elif child.kind is StepKind.PRIORITY:
                overridden = any(clause.id in self.e.clauses[b].overrides for b in self.applying)
                assert child.holds == overridden, child.text

    def fires3(self, clause: ir.Clause, env: dict[str, str], known: dict[GroundAtom, bool]) -> bool | None:
        """Three-valued: for some values of the `when` variables, `when` holds and `unless` does not."""
        assert clause.when is not None and clause.unless is not None
        var_sorts, values = dict(clause.var_sorts), []
        for extra in assignments(variables(clause.when) - set(env), var_sorts, self.e.sorts):
            inner = {**env, **extra}
            w = kleene(clause.when, inner, known)
            u = some(clause.unless, inner, known, var_sorts, self.e.sorts)
            values.append(False if w is False or u is True else True if w and u is False else None)
        return True if True in values else False if all(v is False for v in values) else None

    def reading(self, why: tuple[Step, ...], why_not: tuple[Step, ...], status: str) -> None:
        s = self.status
        expected = ("conflict" if s["conflict"] else "required" if s["required"] else "permitted" if s["permitted"]
                    else "forbidden" if s["forbidden"] else "not permitted")
        assert status == expected, f"status {status}, reference {expected}"
        permits = [c for c in self.targets if c.modality is not ast.Modality.MUST_NOT]
        prohibits = [c for c in self.targets if c.modality is ast.Modality.MUST_NOT]
        if s["permitted"]:
            top = why[0]
            assert top.kind is StepKind.STATUS and top.holds
            deciding = [c for c in top.children if c.kind is StepKind.CLAUSE]
            assert deciding and all(c.holds and c.name in {p.id for p in permits} for c in deciding)
            (guard,) = [c for c in top.children if c.kind is StepKind.PROHIBITIONS]
            assert {c.name for c in guard.children} == {p.id for p in prohibits}
            assert all(not c.holds for c in guard.children)
        else:
            named = {c.name for c in why_not if c.kind is StepKind.CLAUSE}
            assert {p.id for p in permits} <= named
            assert {p.id for p in prohibits if p.id in self.applying} <= named
            if not permits:
                assert any(c.kind is StepKind.DEFAULT_DENY for c in why_not)
        for tree in (*why, *why_not):
            self.step(tree)


def _fits(pattern: tuple[str, ...], values: tuple[str, ...]) -> bool:
    """Whether values match a pattern whose upper-case words are variables (the same variable, the same value)."""
    bound: dict[str, str] = {}
    for p, v in zip(pattern, values, strict=True):
        if p[0].isupper():
            if bound.setdefault(p, v) != v:
                return False
        elif p != v:
            return False
    return True


def set_of(model: set[GroundAtom]) -> dict[GroundAtom, bool]:
    class Closed(dict[GroundAtom, bool]):
        def get(self, key: GroundAtom, default: object = None) -> bool:  # type: ignore[override]
            return key in model

    return Closed()


def _literals(steps: Iterable[Step]) -> Iterator[Step]:
    """The literal steps a group of children states, looking through nested conditions and alternatives."""
    for step in steps:
        yield step
        if step.kind in (StepKind.CONDITION, StepKind.ALTERNATIVE):
            yield from _literals(step.children)


def walk(steps: Iterable[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        yield from walk(step.children)


def check_explanation(kb: KnowledgeBase, edition: str, true: list[GroundAtom], unknown: list[GroundAtom],
                      explanation: Explanation) -> None:
    view = kb.rules.edition_view(edition)
    key = ActionKey(*_split(explanation.action))
    result = kb.query(edition, facts=[_show(f) for f in true], unknown=[_show(f) for f in unknown])
    assert explanation.possible == result.possible
    if not result.possible:
        return
    action = result.action(key.actor, key.action, key.args)
    assert explanation.verdict is action.verdict
    expected = {Extent.ALWAYS: ["permitted"], Extent.NEVER: ["not"], Extent.SOMETIMES: ["permitted", "not"]}
    kinds = ["permitted" if r.why and r.why[0].text.endswith("is permitted") else "not" for r in explanation.readings]
    assert kinds == expected[action.permitted]
    known = {f for f in true if f[0] in view.facts}
    for reading in explanation.readings:
        assumed = {parse_atom(f.fact) for f in reading.assumed if f.value == "true"}
        Checker(kb, edition, known | assumed, key).reading(reading.why, reading.why_not, reading.status)


def check_changes(kb: KnowledgeBase, edition: str, true: list[GroundAtom], unknown: list[GroundAtom],
                  explanation: Explanation) -> None:
    key = ActionKey(*_split(explanation.action))
    for change_set in explanation.changes:
        now_true, now_unknown = _apply(true, unknown, change_set.changes)
        result = kb.query(edition, facts=[_show(f) for f in now_true], unknown=[_show(f) for f in now_unknown])
        assert result.possible
        after = result.action(key.actor, key.action, key.args)
        wanted = Extent.ALWAYS if change_set.target == "permitted" else Extent.NEVER
        assert after.permitted is wanted, f"{change_set} did not flip the status"
        assert after.verdict is change_set.verdict_after
        if not unknown and len(change_set.changes) <= 4:  # subset-minimal: no smaller part flips it
            for size in range(len(change_set.changes)):
                for part in itertools.combinations(change_set.changes, size):
                    t, u = _apply(true, unknown, part)
                    smaller = kb.query(edition, facts=[_show(f) for f in t], unknown=[_show(f) for f in u])
                    if smaller.possible:
                        assert smaller.action(key.actor, key.action, key.args).permitted is not wanted, part


def _apply(true: list[GroundAtom], unknown: list[GroundAtom], changes: Iterable[object]
           ) -> tuple[list[GroundAtom], list[GroundAtom]]:
    t, u = set(true), set(unknown)
    for c in changes:
        atom = parse_atom(c.fact)  # type: ignore[attr-defined]
        kind = c.change  # type: ignore[attr-defined]
        if kind == "add":
            t.add(atom)
        elif kind == "retract":
            t.discard(atom)
        else:
            u.discard(atom)
            if kind == "assume true":
                t.add(atom)
    return sorted(t), sorted(u)


def _split(label: str) -> tuple[str, str, tuple[str, ...]]:
    actor, rest = label.split(" ", 1)
    name, args = parse_atom(rest)
    return actor, name, args


def _show(atom: GroundAtom) -> str:
    return f"{atom[0]}({', '.join(atom[1])})" if atom[1] else atom[0]
