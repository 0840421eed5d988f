"""A reference evaluator for accord's semantics, in plain Python, straight from the checked IR.

In: an `ir.RuleBase`, an edition id and a scenario (true facts, unknown facts; every other fact
instance is false). Out: whether any completion of the unknown facts satisfies the domain
constraints and, for every actor, action and arguments of the edition, the extent (always,
sometimes, never) of permitted, forbidden, required and conflict over those completions.

It shares no code with the ASP path (no `to_asp`, no clingo, no `ir.RuleBase.edition_view`) and
reads conditions as first-order formulas over the finite sorts:

- a condition's variables that are not given (definition parameters, clause head variables) are
  read "for some value" of their sort;
- definitions are computed stratum by stratum (a definition is in a higher stratum than every
  definition it uses under `not`), each stratum to its least fixpoint;
- a completion is ruled out when some constraint's condition holds;
- a clause *fires* for a head instance when, for some values of its `when` variables, `when`
  holds and `unless` does not (for any values of the variables only `unless` has); it *applies*
  when it fires and no applying clause that overrides it exists for the same actor, action and
  arguments;
- forbidden: some `must not` applies; required: some `must` applies; permitted: some `may` or
  `must` applies and it is not forbidden; conflict: required and forbidden.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from accord.language import ast, ir
from accord.results.query import Extent

GroundAtom = tuple[str, tuple[str, ...]]
Key = tuple[str, str, tuple[str, ...]]  # actor, action, arguments
STATUSES = ("permitted", "forbidden", "required", "conflict")


@dataclass(frozen=True)
class Outcome:
    possible: bool
    statuses: dict[Key, dict[str, Extent]]


@dataclass(frozen=True)
class _Edition:
    sorts: dict[str, tuple[str, ...]]
    facts: dict[str, ir.Fact]
    actions: dict[str, ir.Action]
    definitions: dict[str, ir.Definition]
    constraints: dict[str, ir.Constraint]
    clauses: dict[str, ir.Clause]


def _edition(base: ir.RuleBase, edition: str) -> _Edition:
    modules = set(base.editions[edition].modules)
    return _Edition(
        sorts={n: s.members for n, s in base.sorts.items() if s.module in modules},
        facts={n: f for n, f in base.facts.items() if f.module in modules},
        actions={n: a for n, a in base.actions.items() if a.module in modules},
        definitions={n: d for n, d in base.definitions.items() if d.module in modules},
        constraints={n: k for n, k in base.constraints.items() if k.module in modules},
        clauses={n: c for n, c in base.clauses.items() if c.module in modules},
    )


# ---- conditions ---------------------------------------------------------------------------


def variables(cond: ast.Condition | None) -> set[str]:
    if cond is None:
        return set()
    if isinstance(cond, ast.Atom):
        return {a.name for a in cond.args if isinstance(a, ast.Var)}
    if isinstance(cond, ast.Compare):
        return {t.name for t in (cond.left, cond.right) if isinstance(t, ast.Var)}
    if isinstance(cond, ast.Not):
        return variables(cond.operand)
    return set().union(*(variables(o) for o in cond.operands))


def _value(term: ast.Term, env: Mapping[str, str]) -> str:
    return env[term.name] if isinstance(term, ast.Var) else term.name


def evaluate(cond: ast.Condition, env: Mapping[str, str], model: set[GroundAtom]) -> bool:
    """Classical truth of a condition whose variables all have values in `env`."""
    if isinstance(cond, ast.Atom):
        return (cond.name.text, tuple(_value(a, env) for a in cond.args)) in model
    if isinstance(cond, ast.Compare):
        equal = _value(cond.left, env) == _value(cond.right, env)
        return equal if cond.op == "=" else not equal
    if isinstance(cond, ast.Not):
        return not evaluate(cond.operand, env, model)
    if isinstance(cond, ast.And):
        return all(evaluate(o, env, model) for o in cond.operands)
    return any(evaluate(o, env, model) for o in cond.operands)


def assignments(
    names: Iterable[str], var_sorts: Mapping[str, str], sorts: Mapping[str, tuple[str, ...]]
) -> Iterator[dict[str, str]]:
    ordered = sorted(names)
    for values in itertools.product(*(sorts[var_sorts[v]] for v in ordered)):
        yield dict(zip(ordered, values, strict=True))


def holds_for_some(
    cond: ast.Condition,
    env: Mapping[str, str],
    var_sorts: Mapping[str, str],
    sorts: Mapping[str, tuple[str, ...]],
    model: set[GroundAtom],
) -> bool:
    """Whether `cond` holds for some values of its variables that `env` leaves open."""
    free = variables(cond) - set(env)
    return any(evaluate(cond, {**env, **extra}, model) for extra in assignments(free, var_sorts, sorts))


# ---- definitions --------------------------------------------------------------------------


def _dependencies(cond: ast.Condition, negated: bool = False) -> Iterator[tuple[str, bool]]:
    if isinstance(cond, ast.Atom):
        yield cond.name.text, negated
    elif isinstance(cond, ast.Not):
        yield from _dependencies(cond.operand, True)
    elif isinstance(cond, ast.And | ast.Or):
        for op in cond.operands:
            yield from _dependencies(op, negated)


def strata(definitions: Mapping[str, ir.Definition]) -> list[list[str]]:
    """Definitions grouped by stratum, lowest first; raises on a cycle through `not`."""
    level = dict.fromkeys(definitions, 0)
    for _ in range(len(definitions) + 1):
        changed = False
        for name, d in definitions.items():
            for dep, negated in _dependencies(d.condition):
                if dep in definitions and level[dep] + negated > level[name]:
                    level[name] = level[dep] + negated
                    changed = True
        if not changed:
            return [sorted(n for n in definitions if level[n] == k) for k in range(max(level.values(), default=0) + 1)]
    raise ValueError("the definitions depend on themselves through `not`")


def derive(e: _Edition, facts: set[GroundAtom], layers: list[list[str]]) -> set[GroundAtom]:
    """The facts and every definition instance that holds, stratum by stratum."""
    model = set(facts)
    for layer in layers:
        changed = True
        while changed:
            changed = False
            for name in layer:
                d = e.definitions[name]
                var_sorts = dict(d.var_sorts)
                for env in assignments((v for v, _ in d.params), var_sorts, e.sorts):
                    atom = (name, tuple(env[v] for v, _ in d.params))
                    if atom not in model and holds_for_some(d.condition, env, var_sorts, e.sorts, model):
                        model.add(atom)
                        changed = True
    return model


# ---- clauses ------------------------------------------------------------------------------


def _head_env(clause: ir.Clause, args: tuple[str, ...]) -> dict[str, str] | None:
    """The values of the head variables if the clause's head matches the arguments."""
    env: dict[str, str] = {}
    for term, value in zip(clause.args, args, strict=True):
        if isinstance(term, ast.Const):
            if term.name != value:
                return None
        elif env.setdefault(term.name, value) != value:
            return None
    return env


def fires(clause: ir.Clause, head: dict[str, str], e: _Edition, model: set[GroundAtom]) -> bool:
    var_sorts = dict(clause.var_sorts)
    when_vars = variables(clause.when) - set(head)
    for extra in assignments(when_vars, var_sorts, e.sorts):
        env = {**head, **extra}
        if clause.when is not None and not evaluate(clause.when, env, model):
            continue
        if clause.unless is None or not holds_for_some(clause.unless, env, var_sorts, e.sorts, model):
            return True
    return False


def statuses(e: _Edition, model: set[GroundAtom]) -> dict[Key, dict[str, bool]]:
    out: dict[Key, dict[str, bool]] = {}
    for action in e.actions.values():
        for actor in action.actors:
            for args in itertools.product(*(e.sorts[s] for s in action.params)):
                key = (actor, action.name, args)
                firing = set()
                for cid, clause in e.clauses.items():
                    if (clause.actor, clause.action) != (actor, action.name):
                        continue
                    head = _head_env(clause, args)
                    if head is not None and fires(clause, head, e, model):
                        firing.add(cid)
                applying = _applying(firing, e.clauses)
                modalities = {e.clauses[c].modality for c in applying}
                forbidden = ast.Modality.MUST_NOT in modalities
                required = ast.Modality.MUST in modalities
                permitted = bool(modalities & {ast.Modality.MAY, ast.Modality.MUST}) and not forbidden
                out[key] = dict(
                    permitted=permitted, forbidden=forbidden, required=required, conflict=required and forbidden
                )
    return out


def _applying(firing: set[str], clauses: Mapping[str, ir.Clause]) -> set[str]:
    """The firing clauses that no applying clause overrides (overrides are acyclic)."""
    memo: dict[str, bool] = {}

    def applies(cid: str, path: frozenset[str]) -> bool:
        if cid in path:
            raise ValueError(f"clauses override each other in a circle through {cid}")
        if cid not in memo:
            overriders = [c for c in firing if cid in clauses[c].overrides]
            memo[cid] = cid in firing and not any(applies(c, path | {cid}) for c in overriders)
        return memo[cid]

    return {c for c in firing if applies(c, frozenset())}


# ---- scenarios ----------------------------------------------------------------------------


def evaluate_scenario(
    base: ir.RuleBase, edition: str, true: Iterable[GroundAtom], unknown: Iterable[GroundAtom]
) -> Outcome:
    e = _edition(base, edition)
    instances = {
        (f.name, combo) for f in e.facts.values() for combo in itertools.product(*(e.sorts[s] for s in f.params))
    }
    known_true = set(true) & instances
    open_facts = sorted((set(unknown) & instances) - known_true)
    layers = strata(e.definitions)
    seen: list[dict[Key, dict[str, bool]]] = []
    for choice in itertools.product((False, True), repeat=len(open_facts)):
        facts = known_true | {f for f, v in zip(open_facts, choice, strict=True) if v}
        model = derive(e, facts, layers)
        violated = any(
            holds_for_some(k.condition, {}, dict(k.var_sorts), e.sorts, model) for k in e.constraints.values()
        )
        if not violated:
            seen.append(statuses(e, model))
    if not seen:
        return Outcome(False, {})
    result: dict[Key, dict[str, Extent]] = {}
    for key in seen[0]:
        result[key] = {}
        for status in STATUSES:
            count = sum(s[key][status] for s in seen)
            result[key][status] = (
                Extent.ALWAYS if count == len(seen) else Extent.SOMETIMES if count else Extent.NEVER
            )
    return Outcome(True, result)


def evaluate_named(base: ir.RuleBase, edition: str, scenario: str) -> Outcome:
    s = base.scenarios[scenario]
    return evaluate_scenario(base, edition, s.true, s.unknown)
