"""Baselines for `accord diff`: scenario-by-scenario enumeration, and an SMT encoding solved with z3.

In: a knowledge base, two editions and, optionally, the fact instances left free (every other one
false). Out: the set of changes `(actor, action, args, status, direction)` each method finds, with
one minimal (fewest true facts) witness size per change, and its time.

- `naive_diff` enumerates the 2^k scenarios of k free facts by size and queries both editions on
  each (the grounded `EditionEngine`s, so this is the fast way to be naive).
- `z3_diff` is the approach of Cedar's analyzer and AWS Zelkova: the same checked rules encoded as
  one SMT formula per side (Boolean variables per fact instance; definitions, clauses, exceptions,
  priorities and default deny as Boolean definitions, Clark's completion being exact for these
  stratified, acyclic programs), then one query per action, status and direction: a distinguishing
  scenario, minimised (fewest true facts) with z3's `Optimize`. `z3-solver` is a bench-only
  dependency.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import Any

from accord.api import KnowledgeBase
from accord.compile.to_asp import variables
from accord.language import ast, ir
from accord.results.query import Extent

Change = tuple[str, str, tuple[str, ...], str, str]
STATUSES = ("permitted", "forbidden", "required")


def fact_text(atom: ir.GroundAtom) -> str:
    return f"{atom[0]}({', '.join(atom[1])})" if atom[1] else atom[0]


def accord_changes(kb: KnowledgeBase, a: str, b: str,
                   free: list[ir.GroundAtom] | None) -> tuple[float, dict[Change, int]]:
    """accord's own diff restricted like the baselines: (seconds, change -> witness size)."""
    given = []
    if free is not None:
        space = set(kb.engine(a).fact_space) | set(kb.engine(b).fact_space)
        given = ["not " + fact_text(f) for f in sorted(space - set(free))]
    start = time.perf_counter()
    result = kb.diff(a, b, witnesses=1, given=given)
    elapsed = time.perf_counter() - start
    out: dict[Change, int] = {}
    for t in result.behaviour:
        for change in t.changes:
            for direction in ("gained", "lost"):
                found = change.gained if direction == "gained" else change.lost
                if found:
                    out[(t.actor, t.action, t.arguments, change.status.value, direction)] = len(found[0].facts)
    return elapsed, out


# ---- naive: every scenario, one by one ----------------------------------------------------------


def naive_diff(kb: KnowledgeBase, a: str, b: str, free: list[ir.GroundAtom]) -> tuple[float, dict[Change, int]]:
    ea, eb = kb.engine(a), kb.engine(b)
    found: dict[Change, int] = {}
    start = time.perf_counter()
    for size in range(len(free) + 1):
        for true in itertools.combinations(free, size):
            ra, rb = ea.query(true), eb.query(true)
            if not (ra.possible and rb.possible):
                continue
            sa, sb = _statuses(ra.actions), _statuses(rb.actions)
            for key in sa.keys() | sb.keys():
                for i, status in enumerate(STATUSES):
                    in_a, in_b = key in sa and sa[key][i], key in sb and sb[key][i]
                    if in_a != in_b:
                        found.setdefault((*key, status, "gained" if in_b else "lost"), size)
    return time.perf_counter() - start, found


def _statuses(actions: Iterable[Any]) -> dict[tuple[str, str, tuple[str, ...]], tuple[bool, bool, bool]]:
    return {(x.actor, x.action, x.arguments): (x.permitted is Extent.ALWAYS, x.forbidden is not Extent.NEVER,
                                               x.required is not Extent.NEVER) for x in actions}


# ---- the SMT encoding -------------------------------------------------------------------------------


class Side:
    """One edition's rules as z3 Boolean formulas over shared fact variables."""

    def __init__(self, view: ir.EditionView, facts: dict[ir.GroundAtom, Any]) -> None:
        import z3

        self.z3 = z3
        self.view = view
        self.facts = facts
        self._derived: dict[ir.GroundAtom, Any] = {}
        self.by_head: dict[tuple[str, str], list[ir.Clause]] = {}
        for clause in view.clauses.values():
            self.by_head.setdefault((clause.actor, clause.action), []).append(clause)

    def _value(self, t: ast.Term, env: dict[str, str]) -> str:
        return env[t.name] if isinstance(t, ast.Var) else t.name

    def _bindings(self, names: Iterable[str], sorts: dict[str, str]) -> Iterable[dict[str, str]]:
        names = sorted(names)
        for combo in itertools.product(*(self.view.sorts[sorts[n]].members for n in names)):
            yield dict(zip(names, combo, strict=True))

    def ev(self, cond: ast.Condition, env: dict[str, str], sorts: dict[str, str]) -> Any:
        z3 = self.z3
        local = variables(cond) - set(env)
        if local and not isinstance(cond, ast.And | ast.Or | ast.Not):
            return z3.Or([self.ev(cond, {**env, **b}, sorts) for b in self._bindings(local, sorts)] or [False])
        match cond:
            case ast.Atom(name=name, args=args):
                atom = (name.text, tuple(self._value(t, env) for t in args))
                if name.text in self.view.facts:
                    return self.facts.get(atom, z3.BoolVal(False))
                return self.derived(atom)
            case ast.Compare(left=left, op=op, right=right):
                same = self._value(left, env) == self._value(right, env)
                return z3.BoolVal(same if op == "=" else not same)
            case ast.Not(operand=inner):
                return z3.Not(self.ev(inner, env, sorts))
            case ast.Or(operands=ops):
                return z3.Or([self.ev(o, env, sorts) for o in ops])
            case ast.And(operands=ops):
                seen: dict[str, int] = {}
                for o in ops:
                    for v in variables(o) - set(env):
                        seen[v] = seen.get(v, 0) + 1
                shared = [v for v, k in seen.items() if k > 1]
                return z3.Or([z3.And([self.ev(o, {**env, **b}, sorts) for o in ops])
                              for b in self._bindings(shared, sorts)] or [False])
        raise TypeError(cond)

    def derived(self, atom: ir.GroundAtom) -> Any:
        if atom not in self._derived:
            d = self.view.definitions[atom[0]]
            self._derived[atom] = self.z3.BoolVal(False)  # a guard; definitions are not recursive here
            env = {v: value for (v, _), value in zip(d.params, atom[1], strict=True)}
            self._derived[atom] = self.ev(d.condition, env, dict(d.var_sorts))
        return self._derived[atom]

    def allowed(self) -> Any:
        return self.z3.And([self.z3.Not(self.ev(k.condition, {}, dict(k.var_sorts)))
                            for k in self.view.constraints.values()] or [True])

    def statuses(self, actor: str, action: str, args: tuple[str, ...]) -> tuple[Any, Any, Any]:
        z3 = self.z3
        fires: dict[str, Any] = {}
        for clause in self.by_head.get((actor, action), []):
            env = self._unify(clause, args)
            if env is not None:
                fires[clause.id] = self._fires(clause, env)
        applies: dict[str, Any] = {}

        def apply(cid: str) -> Any:
            if cid not in applies:
                beaten = [z3.And(apply(c), fires[cid]) for c in fires if cid in self.view.clauses[c].overrides]
                applies[cid] = z3.And(fires[cid], z3.Not(z3.Or(beaten))) if beaten else fires[cid]
            return applies[cid]

        by = {m: [apply(c) for c in fires if self.view.clauses[c].modality is m] for m in ast.Modality}
        forbidden = z3.Or(by[ast.Modality.MUST_NOT] or [False])
        required = z3.Or(by[ast.Modality.MUST] or [False])
        permitted = z3.And(z3.Or(by[ast.Modality.MAY] + by[ast.Modality.MUST] or [False]), z3.Not(forbidden))
        return permitted, forbidden, required

    def _unify(self, clause: ir.Clause, args: tuple[str, ...]) -> dict[str, str] | None:
        env: dict[str, str] = {}
        for term, value in zip(clause.args, args, strict=True):
            if isinstance(term, ast.Var):
                if env.setdefault(term.name, value) != value:
                    return None
            elif term.name != value:
                return None
        return env

    def _fires(self, clause: ir.Clause, env: dict[str, str]) -> Any:
        z3, sorts = self.z3, dict(clause.var_sorts)
        if clause.unless is None:
            return self.ev(clause.when, env, sorts) if clause.when is not None else z3.BoolVal(True)
        shared = ((variables(clause.when) | set(env)) & variables(clause.unless)) - set(env)
        alts = []
        for b in self._bindings(shared, sorts):
            scope = {**env, **b}
            when = self.ev(clause.when, scope, sorts) if clause.when is not None else z3.BoolVal(True)
            alts.append(z3.And(when, z3.Not(self.ev(clause.unless, scope, sorts))))
        return z3.Or(alts)


def z3_diff(kb: KnowledgeBase, a: str, b: str, free: list[ir.GroundAtom] | None,
            budget: float) -> tuple[float, dict[Change, int], float]:
    """(seconds, change -> witness size, fraction of queries done within `budget` seconds)."""
    import z3

    start = time.perf_counter()
    ea, eb = kb.engine(a), kb.engine(b)
    space = sorted(set(ea.fact_space) | set(eb.fact_space))
    chosen = space if free is None else free
    facts = {f: z3.Bool(fact_text(f)) for f in chosen}
    sa, sb = Side(ea.view, facts), Side(eb.view, facts)
    targets = sorted(set(ea.action_space) | set(eb.action_space))
    solver = z3.Solver()
    solver.add(sa.allowed(), sb.allowed())
    size = z3.Sum([z3.If(v, 1, 0) for v in facts.values()] or [z3.IntVal(0)])
    found: dict[Change, int] = {}
    done = 0
    for actor, action, args in targets:
        pa, pb = sa.statuses(actor, action, args), sb.statuses(actor, action, args)
        for status, xa, xb in zip(STATUSES, pa, pb, strict=True):
            for direction, goal in (("gained", z3.And(xb, z3.Not(xa))), ("lost", z3.And(xa, z3.Not(xb)))):
                if time.perf_counter() - start > budget:
                    return time.perf_counter() - start, found, done / (len(targets) * 6)
                done += 1
                solver.push()
                solver.add(goal)
                if solver.check() == z3.sat:
                    opt = z3.Optimize()
                    opt.add(sa.allowed(), sb.allowed(), goal)
                    opt.minimize(size)
                    opt.check()
                    model = opt.model()
                    found[(actor, action, args, status, direction)] = sum(
                        1 for v in facts.values() if z3.is_true(model.eval(v, model_completion=True)))
                solver.pop()
    return time.perf_counter() - start, found, 1.0
