"""The variables of a clause, for hover and go-to-definition.

In: a parsed module and a character offset; the folder's declarations, to look up sorts. Out: the
`Variable` written at the offset (in a clause's head, `when` or `unless`), with the atom that binds
it: the first atom of the clause's `when`, outside any `not` (and, in an `or`, in its first
alternative), that takes it as an argument; and for hover the variable's sort (the parameter's sort
there) and the members that sort has. A clause whose actor is a variable (`P may assist(Q) when
party(P) …`) stands for one clause per actor of that sort the condition lets through.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from accord.language import ast
from accord.language.source import Span


@dataclass(frozen=True, slots=True)
class Variable:
    """A variable written in a clause; `binding` the atom that binds it and the argument it is."""

    name: str
    span: Span
    clause: ast.Clause
    binding: tuple[ast.Atom, int] | None

    @property
    def is_actor(self) -> bool:
        actor = self.clause.head.actor
        return isinstance(actor, ast.Var) and actor.name == self.name


def _vars(terms: Iterable[object]) -> Iterator[ast.Var]:
    yield from (t for t in terms if isinstance(t, ast.Var))


def _condition_vars(cond: ast.Condition | None) -> Iterator[ast.Var]:
    match cond:
        case ast.Atom(args=args):
            yield from _vars(args)
        case ast.Compare(left=left, right=right):
            yield from _vars((left, right))
        case ast.Not(operand=operand):
            yield from _condition_vars(operand)
        case ast.And(operands=ops) | ast.Or(operands=ops):
            for op in ops:
                yield from _condition_vars(op)


def _written(clause: ast.Clause) -> Iterator[ast.Var]:
    yield from _vars((clause.head.actor, *clause.head.args))
    yield from _condition_vars(clause.when)
    yield from _condition_vars(clause.unless)


def binding(cond: ast.Condition | None, name: str) -> tuple[ast.Atom, int] | None:
    """The first positive atom of a condition that takes the variable, and the argument it is."""
    match cond:
        case ast.Atom(args=args):
            return next(((cond, i) for i, a in enumerate(args) if isinstance(a, ast.Var) and a.name == name), None)
        case ast.And(operands=ops):
            return next((found for op in ops if (found := binding(op, name)) is not None), None)
        case ast.Or(operands=ops):
            return binding(ops[0], name) if ops else None
    return None


def variable_at(module: ast.Module, offset: int) -> Variable | None:
    """The variable of a clause written at a character offset (touching its start or its end)."""
    for item in module.items:
        if not isinstance(item, ast.Clause) or item.span is None or not item.span.start <= offset <= item.span.end:
            continue
        for var in _written(item):
            if var.span is not None and var.span.start <= offset <= var.span.end:
                return Variable(var.name, var.span, item, binding(item.when, var.name))
    return None


def parameter_sort(node: ast.Module | ast.Item | ast.Member, index: int) -> str | None:
    """The sort of a fact's or definition's parameter (None: no such parameter)."""
    if isinstance(node, ast.FactDecl) and index < len(node.params):
        return node.params[index].text
    if isinstance(node, ast.Definition) and index < len(node.params):
        return node.params[index].sort.text
    return None


def members_text(sort: ast.SortDecl) -> str:
    """The values of a sort, as hover shows them."""
    if sort.bounds is not None:
        return f"the integers from {sort.bounds[0]} to {sort.bounds[1]}"
    if sort.dates is not None:
        return f"the days from {sort.dates[0]} to {sort.dates[1]}"
    return ", ".join(f"`{m.name.text}`" for m in sort.members) or "no members"
