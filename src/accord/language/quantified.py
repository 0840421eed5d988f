"""Checking quantified actors: a clause whose actor is a variable, and expectations with `for`.

In: a clause's head, its conditions and the sorts the condition checker found for its variables;
or an expectation with its quantifiers (`for P in actor, Q in nation`), with the resolved
`Declarations`. Out: the actors a clause's variable can take (the members of sort `actor`, narrowed to the
members named by the equalities `V = member` of the definitions that bind it), with
diagnostics when the variable is not bound by a positive condition (`unbound-actor`), is not of
sort `actor` (`actor-variable-sort`) or can take an actor the action is not declared for
(`actor-mismatch`); and each expectation as its ground instances, one per member of each
quantified sort, with diagnostics for a variable without a quantifier (`unquantified-variable`), a
quantifier that no variable uses (`unused-quantifier`) and an expectation with too many instances
(`too-many-instances`). `except M and N` leaves members out of a quantifier's sort and `unless P = Q
or …` leaves out the instances where a comparison holds: a value that is not in the sort
(`not-in-sort`), a comparison without a quantified variable (`unless-without-variable`) and
exclusions that leave no instance at all (`no-instances`) are diagnosed. Whether the clause's layer
binds each actor is checked with the other layer checks (`accord.language.layers`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from accord.language import ast
from accord.language.conditions import ConditionChecker, binds
from accord.language.diagnostics import Sink
from accord.language.integers import ORDER_COMPARISONS, check_comparison, constant_sort
from accord.language.resolve import Declarations
from accord.language.source import Span

ACTOR_SORT = "actor"
MAX_INSTANCES = 10_000  # the ground instances one quantified expectation may stand for


def actor_range(decls: Declarations, head: ast.Head, when: ast.Condition | None,
                var_sorts: dict[str, str], by: tuple[str, ...] | None, sink: Sink) -> tuple[str, ...]:
    """The actors a clause's actor variable can take, in the order of sort `actor`; () when the
    actor is a constant or the variable is in error (reported). `by`: the actors the action is
    declared for (None: the action is unknown, already reported)."""
    var = head.actor
    if not isinstance(var, ast.Var):
        return ()
    if when is None or var.name not in binds(when):
        sink.error("unbound-actor", "UNBOUND ACTOR VARIABLE",
                   f"The actor `{var.name}` is a variable, but no condition of the clause says which actors "
                   "it stands for.",
                   var.span, f"Bind `{var.name}` in `when` with a fact or definition over actors that is not "
                   f"negated, in every alternative: `when party({var.name}) and …`.")
        return ()
    sort = var_sorts.get(var.name)
    if sort != ACTOR_SORT:
        sink.error("actor-variable-sort", "ACTOR VARIABLE OF ANOTHER SORT",
                   f"The actor `{var.name}` is a variable of sort `{sort}`, not of sort `{ACTOR_SORT}`.",
                   var.span, f"Bind `{var.name}` with a fact or definition whose parameter is of sort "
                   f"`{ACTOR_SORT}`, so that every value it takes is an actor.")
        return ()
    possible = _values(decls, when, var.name, frozenset())
    members = tuple(m.name.text for m in decls.sorts.entries[ACTOR_SORT].node.members
                    if possible is None or m.name.text in possible)
    missing = [m for m in members if by is not None and m not in by]
    if missing:
        sink.error("actor-mismatch", "ACTOR DOES NOT FIT",
                   f"The actor `{var.name}` can be {_listing(missing)}, but the action `{head.action.text}` "
                   f"is declared for {_listing(list(by or ()))}.",
                   var.span, f"Add {_listing(missing)} to the action's `by` list, or name the actor.")
        return ()
    return members


@dataclass(frozen=True, slots=True)
class Instance:
    """One ground instance of an expectation: its actor and arguments."""

    actor: ast.Name
    args: tuple[ast.Name, ...]


def instances(decls: Declarations, exp: ast.Expectation | ast.LayerExpectation, params: tuple[str, ...] | None,
              module: str, sink: Sink) -> list[Instance]:
    """The ground instances of an expectation; a ground expectation is its own one. `params`: the
    sorts of the action's parameters (None: the action is unknown, already reported)."""
    sorts: dict[str, str] = {}
    for q in exp.quantifiers:
        if q.var.name in sorts:
            sink.error("duplicate-name", "DUPLICATE NAME", f"The variable `{q.var.name}` is quantified twice.",
                       q.var.span, "Quantify each variable once.")
        elif decls.lookup(decls.sorts, q.sort, module, sink) is not None:
            sorts[q.var.name] = q.sort.text
    named = {q.var.name for q in exp.quantifiers}
    terms = (exp.actor, *exp.args)
    used = {t.name for t in terms if isinstance(t, ast.Var)}
    ok = True
    for term in terms:
        if isinstance(term, ast.Var) and term.name not in named:
            ok = False
            sink.error("unquantified-variable", "VARIABLE WITHOUT A QUANTIFIER",
                       f"The variable `{term.name}` is not quantified, so nothing says which values it takes.",
                       term.span, f"Add `for {term.name} in SORT` after the action, before `because`.")
    for q in exp.quantifiers:
        if q.var.name not in used:
            ok = False
            sink.error("unused-quantifier", "UNUSED QUANTIFIER",
                       f"The expectation quantifies `{q.var.name}`, but neither its actor nor its arguments use it.",
                       q.var.span, f"Use `{q.var.name}` in the expectation, or remove `{q.var.name} in {q.sort.text}`.")
    if isinstance(exp.actor, ast.Var) and exp.actor.name in sorts and sorts[exp.actor.name] != ACTOR_SORT:
        ok = False
        sink.error("actor-variable-sort", "ACTOR VARIABLE OF ANOTHER SORT",
                   f"The actor `{exp.actor.name}` ranges over sort `{sorts[exp.actor.name]}`, not `{ACTOR_SORT}`.",
                   exp.actor.span, f"Quantify it over the actors: `for {exp.actor.name} in {ACTOR_SORT}`.")
    checker = ConditionChecker(decls, module, sink)
    before = len(sink.items)
    if params is not None and len(params) != len(exp.args):
        sink.error("arity-mismatch", "WRONG NUMBER OF ARGUMENTS",
                   f"`{exp.action.text}` takes {len(params)} argument(s), but here it has {len(exp.args)}.",
                   exp.action.span, f"It is declared as `{exp.action.text}({', '.join(params)})`."
                   if params else f"Write just `{exp.action.text}`.")
    elif params is not None:
        env = dict(sorts)
        for arg, sort in zip(exp.args, params, strict=True):
            checker.term(arg if isinstance(arg, ast.Var) else ast.Const(arg.text, arg.span), sort, env,
                         f"argument of `{exp.action.text}`")
    if not ok or len(sink.items) != before or len(sorts) != len(named):
        return []
    order = [q.var.name for q in exp.quantifiers]
    every = {v: tuple(m.name.text for m in decls.sorts.entries[sorts[v]].node.members) for v in order}
    if not _exclusions(decls, exp, sorts, every, sink):
        return []
    left_out = {q.var.name: {m.text for m in q.excluded} for q in exp.quantifiers}
    choices = [tuple(m for m in every[v] if m not in left_out[v]) for v in order]
    count = 1
    for choice in choices:
        count *= len(choice)
    if count > MAX_INSTANCES:
        sink.error("too-many-instances", "TOO MANY INSTANCES",
                   f"This expectation stands for {count} instances; at most {MAX_INSTANCES} are checked.",
                   exp.span, "Quantify fewer variables, or over smaller sorts.")
        return []
    out = []
    for values in itertools.product(*choices):
        value = dict(zip(order, values, strict=True))
        if any(_holds(c, value) for c in exp.unless):
            continue
        ground = [ast.Name(value[t.name], t.span) if isinstance(t, ast.Var) else t for t in terms]
        out.append(Instance(ground[0], tuple(ground[1:])))
    if not out:
        sink.error("no-instances", "NO INSTANCES",
                   "The exclusions (`except`, `unless`) leave no instance of this expectation: it checks nothing.",
                   exp.span, "Exclude fewer values, or remove the expectation.")
    return out


def _exclusions(decls: Declarations, exp: ast.Expectation | ast.LayerExpectation, sorts: dict[str, str],
                every: dict[str, tuple[str, ...]], sink: Sink) -> bool:
    """Whether the values an expectation's `except` and `unless` name are in their sorts, and each
    comparison of `unless` compares a quantified variable (diagnostics if not)."""
    before = len(sink.items)
    for q in exp.quantifiers:
        for m in q.excluded:
            _member(m.text, m.span, q.var.name, sorts, every, sink)
    for c in exp.unless:
        sides = (c.left, c.right)
        unquantified = [t for t in sides if isinstance(t, ast.Var) and t.name not in sorts]
        for t in unquantified:
            sink.error("unquantified-variable", "VARIABLE WITHOUT A QUANTIFIER",
                       f"The variable `{t.name}` is not quantified, so nothing says which values it takes.",
                       t.span, f"Quantify `{t.name}` after `for`, or compare a quantified variable.")
        if unquantified:
            continue
        if not any(isinstance(t, ast.Var) for t in sides):
            sink.error("unless-without-variable", "COMPARISON WITHOUT A VARIABLE",
                       "This comparison of `unless` names no quantified variable: it leaves out every instance "
                       "or none.", c.span, "Compare a quantified variable with a value or another variable.")
            continue
        sort_of = [sorts[t.name] if isinstance(t, ast.Var) else constant_sort(t.name)
                   for t in sides]
        check_comparison(decls, c, sort_of[0], sort_of[1], sink)
        for side, other in ((c.left, c.right), (c.right, c.left)):
            if isinstance(side, ast.Const) and isinstance(other, ast.Var) and constant_sort(side.name) is None:
                _member(side.name, side.span, other.name, sorts, every, sink)
    return len(sink.items) == before


def _member(value: str, span: Span | None, var: str, sorts: dict[str, str], every: dict[str, tuple[str, ...]],
            sink: Sink) -> None:
    if value not in every[var]:
        sink.error("not-in-sort", "NOT IN THE SORT",
                   f"`{value}` is not a member of sort `{sorts[var]}`, which `{var}` ranges over: leaving it out "
                   "leaves out nothing.", span, f"Name a member of `{sorts[var]}`.")


def _holds(c: ast.Compare, value: dict[str, str]) -> bool:
    """Whether a comparison of `unless` holds in an instance."""
    left, right = (value[t.name] if isinstance(t, ast.Var) else t.name for t in (c.left, c.right))
    if c.op in ORDER_COMPARISONS:
        a, b = int(left), int(right)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[c.op]
    return (left == right) == (c.op == "=")


def _values(decls: Declarations, cond: ast.Condition, var: str, seen: frozenset[str]) -> frozenset[str] | None:
    """The constants a condition lets the variable take, through the definitions it names (every
    version) and their equalities `V = member`; None when it could take any member of its sort."""
    match cond:
        case ast.Compare(left=ast.Var(name=name), op="=", right=ast.Const(name=value)) if name == var:
            return frozenset({value})
        case ast.Compare(left=ast.Const(name=value), op="=", right=ast.Var(name=name)) if name == var:
            return frozenset({value})
        case ast.And(operands=operands):
            found = [v for v in (_values(decls, o, var, seen) for o in operands) if v is not None]
            return frozenset.intersection(*found) if found else None
        case ast.Or(operands=operands):
            union: set[str] = set()
            for operand in operands:
                one = _values(decls, operand, var, seen)
                if one is None:
                    return None
                union |= one
            return frozenset(union)
        case ast.Atom(name=name, args=args) if name.text not in seen:
            entry = decls.predicates.entries.get(name.text)
            if entry is None or not isinstance(entry.node, ast.Definition):
                return None
            known = [v for i, arg in enumerate(args) if isinstance(arg, ast.Var) and arg.name == var
                     if (v := _definition_values(decls, name.text, i, seen | {name.text})) is not None]
            return frozenset.intersection(*known) if known else None
    return None


def _definition_values(decls: Declarations, name: str, index: int, seen: frozenset[str]) -> frozenset[str] | None:
    """The constants a definition's parameter can take, over every version of the definition."""
    table = decls.predicates
    versions = table.versions.get(name) or [table.entries[name]]
    union: set[str] = set()
    for entry in versions:
        node = entry.node
        if not isinstance(node, ast.Definition) or index >= len(node.params):
            return None
        one = _values(decls, node.condition, node.params[index].var.name, seen)
        if one is None:
            return None
        union |= one
    return frozenset(union)


def _listing(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)
