"""Baselines for `accord diff`: scenario-by-scenario enumeration, and an SMT encoding solved with z3.

In: a knowledge base, two editions and, optionally, the fact instances left free (every other one
false). Out: the set of changes `(actor, action, args, status, direction)` each method finds, with
one minimal (fewest true facts) witness size per change, and its time.

- `naive_diff` enumerates the 2^k scenarios of k free facts by size and queries both editions on
  each (the grounded `EditionEngine`s, so this is the fast way to be naive).
- `z3_diff` is the approach of Cedar's analyzer and AWS Zelkova, set up as an SMT user would: the
  same checked rules (accord's IR, parsed and checked before timing starts) encoded once as
  Clark's completion (a Boolean variable per fact instance and per definition instance; clauses,
  exceptions, priorities and default deny as formulas over them; completion is exact for these
  stratified, acyclic programs) on one incremental z3 `Solver`; per action a push of its cone of
  influence, a distinguishing scenario per status and direction, minimised by a falling at-most
  bound over the cone's facts, and a pop. Actions both sides decide by the same rules are skipped,
  as accord skips them (`Z3Diff`). `z3-solver` is a bench-only dependency.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import Any

from accord.api import KnowledgeBase
from accord.compile.to_asp import variables
from accord.language import ast, ir
from accord.language.conditions import atoms
from accord.results.query import Extent

Change = tuple[str, str, tuple[str, ...], str, str]
STATUSES = ("permitted", "forbidden", "required")


def fact_text(atom: ir.GroundAtom) -> str:
    return f"{atom[0]}({', '.join(atom[1])})" if atom[1] else atom[0]


def accord_changes(kb: KnowledgeBase, a: str, b: str, free: list[ir.GroundAtom] | None,
                   timeout: float | None = None, jobs: int | None = None) -> tuple[float, dict[Change, int]]:
    """accord's own diff restricted like the baselines: (seconds, change -> witness size); `jobs`
    processes share a large diff (by default one per core, as `accord diff` does)."""
    given = []
    if free is not None:
        space = set(kb.engine(a).fact_space) | set(kb.engine(b).fact_space)
        given = ["not " + fact_text(f) for f in sorted(space - set(free))]
    start = time.perf_counter()
    result = kb.diff(a, b, witnesses=1, given=given, timeout=timeout, jobs=jobs)
    elapsed = time.perf_counter() - start
    out: dict[Change, int] = {}
    for t in result.behaviour:
        for change in t.changes:
            for direction in ("gained", "lost"):
                found = change.gained if direction == "gained" else change.lost
                if found:
                    out[(t.actor, t.action, t.arguments, change.status.value, direction)] = len(found[0].facts)
    return elapsed, out


def change_list(found: dict[Change, int]) -> list[list[object]]:
    """Changes with their witness sizes as sorted JSON-ready lists, to compare across processes."""
    return sorted([*change[:2], list(change[2]), *change[3:], size] for change, size in found.items())


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


# ---- the SMT peer -------------------------------------------------------------------------------


def spaces(view: ir.EditionView) -> tuple[list[ir.GroundAtom], list[tuple[str, str, tuple[str, ...]]]]:
    """A view's fact instances and its (actor, action, arguments) targets, from the checked IR."""
    facts = [(f.name, combo) for f in view.facts.values()
             for combo in itertools.product(*(view.sorts[s].members for s in f.params))]
    targets = [(actor, a.name, combo) for a in view.actions.values() for actor in a.actors
               for combo in itertools.product(*(view.sorts[s].members for s in a.params))]
    return facts, targets


class Terms:
    """Boolean z3 terms made through z3's C API, as a z3 user who needs speed from Python makes
    them: the Python API's `And`, `Or`, `Not`, `AtMost` coerce and check every argument, which
    costs more than the solving at these sizes."""

    def __init__(self) -> None:
        import z3

        self.z3 = z3
        self.ctx = z3.main_ctx()
        self.ref = self.ctx.ref()
        self.true, self.false = z3.BoolVal(True), z3.BoolVal(False)
        self.one, self.zero = z3.IntVal(1), z3.IntVal(0)

    def _array(self, items: list[Any]) -> Any:
        return (self.z3.Ast * len(items))(*[i.as_ast() for i in items])

    def bool(self, ast_: Any) -> Any:
        return self.z3.BoolRef(ast_, self.ctx)

    def or_(self, items: list[Any]) -> Any:
        if len(items) < 2:
            return items[0] if items else self.false
        return self.bool(self.z3.Z3_mk_or(self.ref, len(items), self._array(items)))

    def and_(self, items: list[Any]) -> Any:
        if len(items) < 2:
            return items[0] if items else self.true
        return self.bool(self.z3.Z3_mk_and(self.ref, len(items), self._array(items)))

    def not_(self, item: Any) -> Any:
        return self.bool(self.z3.Z3_mk_not(self.ref, item.as_ast()))

    def eq(self, a: Any, b: Any) -> Any:
        return self.bool(self.z3.Z3_mk_eq(self.ref, a.as_ast(), b.as_ast()))

    def at_most(self, items: list[Any], k: int) -> Any:
        return self.bool(self.z3.Z3_mk_atmost(self.ref, len(items), self._array(items), k))

    def count(self, items: list[Any]) -> Any:
        """How many of `items` are true, as one integer term."""
        if not items:
            return self.zero
        z3, one, zero = self.z3, self.one.as_ast(), self.zero.as_ast()
        ites = [z3.ArithRef(z3.Z3_mk_ite(self.ref, i.as_ast(), one, zero), self.ctx) for i in items]
        return z3.ArithRef(z3.Z3_mk_add(self.ref, len(ites), self._array(ites)), self.ctx)


class Side:
    """One edition's rules as z3 formulas over shared fact variables: Clark's completion.

    A definition instance is a Boolean variable with its completion `d == body` kept aside (built
    once, the first time something reaches it), with the definition instances and fact instances
    its body uses; a clause's firing, its exceptions, overrides and the statuses of an action are
    formulas over those. What a formula reaches is recorded while it is built (`_uses`), so the
    cone of influence of an action is read off the records instead of walking z3 terms."""

    def __init__(self, view: ir.EditionView, prefix: str, facts: dict[ir.GroundAtom, Any], terms: Terms) -> None:
        import z3

        self.z3 = z3
        self.t = terms
        self.view = view
        self.prefix = prefix
        self.facts = facts
        self.equations: dict[ir.GroundAtom, Any] = {}  # definition instance -> its completion
        self.deps: dict[ir.GroundAtom, tuple[set[ir.GroundAtom], set[ir.GroundAtom]]] = {}
        self._vars: dict[ir.GroundAtom, Any] = {}
        self._uses: tuple[set[ir.GroundAtom], set[ir.GroundAtom]] = (set(), set())  # definitions, facts
        self.by_head: dict[tuple[str, str], list[ir.Clause]] = {}
        for clause in view.clauses.values():
            self.by_head.setdefault((clause.actor, clause.action), []).append(clause)

    def recording(self) -> tuple[set[ir.GroundAtom], set[ir.GroundAtom]]:
        """Start recording what the next formulas use; returns the (definitions, facts) sets filled."""
        self._uses = (set(), set())
        return self._uses

    def cone(self, defs: Iterable[ir.GroundAtom]) -> tuple[set[ir.GroundAtom], set[ir.GroundAtom]]:
        """Every definition instance these reach (themselves included), and every fact instance."""
        seen: set[ir.GroundAtom] = set()
        facts: set[ir.GroundAtom] = set()
        todo = list(defs)
        while todo:
            d = todo.pop()
            if d not in seen:
                seen.add(d)
                inner, used = self.deps[d]
                facts |= used
                todo.extend(inner)
        return seen, facts

    def _value(self, t: ast.Term, env: dict[str, str]) -> str:
        return env[t.name] if isinstance(t, ast.Var) else t.name

    def _bindings(self, names: Iterable[str], sorts: dict[str, str]) -> Iterable[dict[str, str]]:
        names = sorted(names)
        for combo in itertools.product(*(self.view.sorts[sorts[n]].members for n in names)):
            yield dict(zip(names, combo, strict=True))

    def ev(self, cond: ast.Condition, env: dict[str, str], sorts: dict[str, str]) -> Any:
        t = self.t
        local = variables(cond) - set(env)
        if local and not isinstance(cond, ast.And | ast.Or | ast.Not):
            return t.or_([self.ev(cond, {**env, **b}, sorts) for b in self._bindings(local, sorts)])
        match cond:
            case ast.Atom(name=name, args=args):
                atom = (name.text, tuple(self._value(t, env) for t in args))
                if name.text in self.view.facts:
                    var = self.facts.get(atom)
                    if var is None:
                        return t.false
                    self._uses[1].add(atom)
                    return var
                return self.derived(atom)
            case ast.Compare(left=left, op=op, right=right):
                same = self._value(left, env) == self._value(right, env)
                return t.true if same == (op == "=") else t.false
            case ast.Not(operand=inner):
                return t.not_(self.ev(inner, env, sorts))
            case ast.Or(operands=ops):
                return t.or_([self.ev(o, env, sorts) for o in ops])
            case ast.And(operands=ops):
                seen: dict[str, int] = {}
                for o in ops:
                    for v in variables(o) - set(env):
                        seen[v] = seen.get(v, 0) + 1
                shared = [v for v, k in seen.items() if k > 1]
                return t.or_([t.and_([self.ev(o, {**env, **b}, sorts) for o in ops])
                              for b in self._bindings(shared, sorts)])
        raise TypeError(cond)

    def derived(self, atom: ir.GroundAtom) -> Any:
        """The variable of a definition instance; its completion is built the first time."""
        var = self._vars.get(atom)
        if var is None:
            var = self._vars[atom] = self.z3.Bool(f"{self.prefix}{fact_text(atom)}")
            outer = self._uses
            mine = self._uses = (set(), set())
            d = self.view.definitions[atom[0]]
            env = {v: value for (v, _), value in zip(d.params, atom[1], strict=True)}
            self.equations[atom] = self.t.eq(var, self.ev(d.condition, env, dict(d.var_sorts)))
            self.deps[atom] = mine
            self._uses = outer
        self._uses[0].add(atom)
        return var

    def constraints(self) -> list[tuple[Any, set[ir.GroundAtom], set[ir.GroundAtom]]]:
        """Each domain constraint as (its negation, the definitions and facts it reaches)."""
        out = []
        for k in self.view.constraints.values():
            defs, facts = self.recording()
            formula = self.t.not_(self.ev(k.condition, {}, dict(k.var_sorts)))
            reached, more = self.cone(defs)
            out.append((formula, reached, facts | more))
        return out

    def statuses(self, actor: str, action: str, args: tuple[str, ...]) -> tuple[Any, Any, Any]:
        t = self.t
        fires: dict[str, Any] = {}
        for clause in self.by_head.get((actor, action), []):
            env = self._unify(clause, args)
            if env is not None:
                fires[clause.id] = self._fires(clause, env)
        applies: dict[str, Any] = {}

        def apply(cid: str) -> Any:
            if cid not in applies:
                beaten = [t.and_([apply(c), fires[cid]]) for c in fires if cid in self.view.clauses[c].overrides]
                applies[cid] = t.and_([fires[cid], t.not_(t.or_(beaten))]) if beaten else fires[cid]
            return applies[cid]

        by = {m: [apply(c) for c in fires if self.view.clauses[c].modality is m] for m in ast.Modality}
        forbidden = t.or_(by[ast.Modality.MUST_NOT])
        required = t.or_(by[ast.Modality.MUST])
        permitted = t.and_([t.or_(by[ast.Modality.MAY] + by[ast.Modality.MUST]), t.not_(forbidden)])
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
        t, sorts = self.t, dict(clause.var_sorts)
        if clause.unless is None:
            return self.ev(clause.when, env, sorts) if clause.when is not None else t.true
        shared = ((variables(clause.when) | set(env)) & variables(clause.unless)) - set(env)
        alts = []
        for b in self._bindings(shared, sorts):
            scope = {**env, **b}
            when = self.ev(clause.when, scope, sorts) if clause.when is not None else t.true
            alts.append(t.and_([when, t.not_(self.ev(clause.unless, scope, sorts))]))
        return t.or_(alts)


def _names(cond: ast.Condition | None) -> set[str]:
    return set() if cond is None else {atom.name.text for atom, _ in atoms(cond)}


def same_rules(a: ir.EditionView, b: ir.EditionView) -> set[tuple[str, str]]:
    """The (actor, action) groups both sides decide by the same rules, over facts and definitions
    that mean the same (down to everything they reach), on the same sorts: no scenario can tell
    them apart, so neither side is asked about them (accord skips the same groups). A clause's id
    counts only where overrides name it; its words not at all."""
    if a.sorts != b.sorts or a.facts != b.facts:
        return set()
    uses = {(i, d.name): _names(d.condition) for i, v in enumerate((a, b)) for d in v.definitions.values()}

    def reach(names: set[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(names)
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo += uses.get((0, n), set()) | uses.get((1, n), set())
        return seen

    def meaning(view: ir.EditionView, name: str) -> object:
        d = view.definitions.get(name)
        return None if d is None else (d.params, d.condition, d.var_sorts)

    groups: dict[tuple[str, str], tuple[list[ir.Clause], list[ir.Clause]]] = {}
    for i, view in enumerate((a, b)):
        for c in view.clauses.values():
            groups.setdefault((c.actor, c.action), ([], []))[i].append(c)
    out = set()
    for key, (ca, cb) in groups.items():
        named = {t for c in (*ca, *cb) for t in c.overrides} | {c.id for c in (*ca, *cb) if c.overrides}

        def rules(clauses: list[ir.Clause], named: set[str] = named) -> object:
            return (sorted((c.id, c.modality.value, c.args, c.when, c.unless, c.overrides, c.var_sorts)
                           for c in clauses if c.id in named),
                    {(c.modality, c.args, c.when, c.unless, c.var_sorts) for c in clauses if c.id not in named})

        mentioned = reach(set().union(*(_names(c.when) | _names(c.unless) for c in (*ca, *cb))))
        if rules(ca) == rules(cb) and all(meaning(a, n) == meaning(b, n) for n in mentioned):
            out.add(key)
    return out


class Z3Diff:
    """The fair SMT peer: both sides' completion built once, over one incremental z3 `Solver`.

    The domain constraints (with the completion of what they reach) are asserted once, at the
    base level. Constraints that share fact instances form components; a component that rules out
    the scenario where all its facts are false is part of every action's cone (as in accord's
    slices). Per action: push; assert the completion of the definitions its statuses reach (its
    cone of influence); one check for "any status differs"; then, per (status, direction) that can
    differ, a check and a witness minimised by a falling at-most bound (`AtMost` over the cone's
    fact variables, lowered below the last model's count until unsat); pop. Facts outside the cone
    stay false in a witness, which the components' all-false scenarios allow.
    """

    def __init__(self, a: ir.EditionView, b: ir.EditionView, free: list[ir.GroundAtom] | None) -> None:
        import z3

        self.z3 = z3
        fa, ta = spaces(a)
        fb, tb = spaces(b)
        chosen = sorted(set(fa) | set(fb)) if free is None else free
        self.facts = {f: z3.Bool(fact_text(f)) for f in chosen}
        self.t = Terms()
        self.sides = (Side(a, "a!", self.facts, self.t), Side(b, "b!", self.facts, self.t))
        skip = same_rules(a, b)
        self.targets = [t for t in sorted(set(ta) | set(tb)) if t[:2] not in skip]
        self.skipped = len(set(ta) | set(tb)) - len(self.targets)
        self.solver = z3.Solver()
        self._base: list[set[ir.GroundAtom]] = [set(), set()]  # definition instances asserted at the base
        self.possible = self._constraints()

    def _constraints(self) -> bool:
        solver, z3 = self.solver, self.z3
        parent: dict[ir.GroundAtom, ir.GroundAtom] = {}

        def root(x: ir.GroundAtom) -> ir.GroundAtom:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, side in enumerate(self.sides):
            for formula, defs, facts in side.constraints():
                solver.add(formula, *(side.equations[d] for d in defs - self._base[i]))
                self._base[i] |= defs
                first = next(iter(facts), None)
                for f in facts:
                    parent[root(f)] = root(first) if first is not None else root(f)
        self.component: dict[ir.GroundAtom, set[ir.GroundAtom]] = {}
        for f in parent:
            self.component.setdefault(root(f), set()).add(f)
        self.by_fact = {f: self.component[root(f)] for f in parent}
        if solver.check() != z3.sat:
            return False
        self.forced: set[ir.GroundAtom] = set()
        for members in self.component.values():
            solver.push()
            solver.add(*(self.t.not_(self.facts[f]) for f in members))
            if solver.check() != z3.sat:
                self.forced |= members
            solver.pop()
        return True

    def run(self, budget: float, start: float) -> tuple[dict[Change, int], float]:
        """Every change with its fewest-fact witness size, and the share of actions done in budget."""
        z3, solver = self.z3, self.solver
        found: dict[Change, int] = {}
        if not self.possible:
            return found, 1.0
        for done, (actor, action, args) in enumerate(self.targets):
            if time.perf_counter() - start > budget:
                return found, done / len(self.targets)
            equations, facts = [], set(self.forced)
            pairs = []
            for i, side in enumerate(self.sides):
                defs, used = side.recording()
                pairs.append(side.statuses(actor, action, args))
                reached, more = side.cone(defs)
                equations += [side.equations[d] for d in reached - self._base[i]]
                facts |= used | more
            for f in list(facts):
                facts |= self.by_fact.get(f, set())
            cone = [self.facts[f] for f in sorted(facts)]
            t = self.t
            goals = []
            for status, xa, xb in zip(STATUSES, *pairs, strict=True):
                goals += [(status, "gained", t.and_([xb, t.not_(xa)])), (status, "lost", t.and_([xa, t.not_(xb)]))]
            solver.push()
            solver.add(*equations)
            if self._sat(t.or_([g for _, _, g in goals])):
                count = t.count(cone)
                for status, direction, goal in goals:
                    solver.push()
                    solver.add(goal)
                    if solver.check() == z3.sat:
                        found[(actor, action, args, status, direction)] = self._fewest(cone, count)
                    solver.pop()
            solver.pop()
        return found, 1.0

    def _sat(self, formula: Any) -> bool:
        self.solver.push()
        self.solver.add(formula)
        sat = self.solver.check() == self.z3.sat
        self.solver.pop()
        return sat

    def _fewest(self, cone: list[Any], count: Any) -> int:
        """The fewest true cone facts of a model (the solver has just found one): the bound falls
        below each model's count (`count`, the cone's true facts as one term) until no model is left."""
        z3, solver = self.z3, self.solver
        best = self._count(count)
        while best > 0:
            solver.push()
            solver.add(self.t.at_most(cone, best - 1))
            sat = solver.check() == z3.sat
            if sat:
                best = self._count(count)
            solver.pop()
            if not sat:
                break
        return best

    def _count(self, count: Any) -> int:
        value: int = self.solver.model().eval(count, model_completion=True).as_long()
        return value


def z3_diff(kb: KnowledgeBase, a: str, b: str, free: list[ir.GroundAtom] | None,
            budget: float) -> tuple[float, dict[Change, int], float]:
    """(seconds, change -> witness size, share of actions done within `budget` seconds). The
    encoding is built from accord's checked rules (`kb.rules`, parsed and checked before timing
    starts): z3's time is its own encoding and solving, never accord's parsing or grounding."""
    view_a, view_b = kb.rules.edition_view(kb.edition(a).id), kb.rules.edition_view(kb.edition(b).id)
    start = time.perf_counter()
    peer = Z3Diff(view_a, view_b, free)
    found, done = peer.run(budget, start)
    return time.perf_counter() - start, found, done
