"""Where every name of a rule file is declared and used.

In: an `ast.Module` (with spans). Out: `Occurrence`s, one per name written in the file (a
declaration or a reference, with its namespace), and `Declared` entries for the declarations, with
the syntax node that declares them for hover. Names are unique within a namespace across a rule
base (the checker reports duplicates), so a reference is resolved by namespace and text alone.
Items of a kind this index does not know contribute nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from accord.language import ast
from accord.language.source import Span


class Kind(Enum):
    MODULE = "module"
    SORT = "sort"
    MEMBER = "member"
    PREDICATE = "fact or definition"
    ACTION = "action"
    CONSTRAINT = "constraint"
    CLAUSE = "clause"
    EDITION = "edition"
    SCENARIO = "scenario"
    TEST = "test"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class Occurrence:
    kind: Kind
    name: str
    span: Span
    declaration: bool


@dataclass(frozen=True, slots=True)
class Declared:
    """A declaration: what it is, where, in which module, and the node that declares it."""

    kind: Kind
    name: str
    module: str
    span: Span
    node: ast.Module | ast.Item | ast.Member
    owner: ast.SortDecl | None = None  # the sort of a member


def _name(kind: Kind, name: ast.Name, declaration: bool = False) -> Iterator[Occurrence]:
    if name.span is not None:
        yield Occurrence(kind, name.text, name.span, declaration)


def _names(kind: Kind, names: Iterable[ast.Name]) -> Iterator[Occurrence]:
    for name in names:
        yield from _name(kind, name)


def _terms(terms: Iterable[ast.Term]) -> Iterator[Occurrence]:
    for term in terms:
        if isinstance(term, ast.Const) and term.span is not None:
            yield Occurrence(Kind.MEMBER, term.name, term.span, False)


def _condition(cond: ast.Condition | None) -> Iterator[Occurrence]:
    match cond:
        case ast.Atom(name=name, args=args):
            yield from _name(Kind.PREDICATE, name)
            yield from _terms(args)
        case ast.Compare(left=left, right=right):
            yield from _terms((left, right))
        case ast.Not(operand=operand):
            yield from _condition(operand)
        case ast.And(operands=ops) | ast.Or(operands=ops):
            for op in ops:
                yield from _condition(op)


def _actor(actor: ast.Name | ast.Var) -> Iterator[Occurrence]:
    """A constant actor is a member; a variable actor names nothing declared."""
    if isinstance(actor, ast.Name):
        yield from _name(Kind.MEMBER, actor)


def _clause(item: ast.Clause) -> Iterator[Occurrence]:
    yield from _name(Kind.CLAUSE, item.id, True)
    yield from _actor(item.head.actor)
    yield from _name(Kind.ACTION, item.head.action)
    yield from _terms(item.head.args)
    yield from _condition(item.when)
    yield from _condition(item.unless)
    yield from _names(Kind.CLAUSE, item.overrides)
    if item.lineage is not None:
        yield from _names(Kind.CLAUSE, item.lineage.targets)


def _test(item: ast.Test) -> Iterator[Occurrence]:
    yield from _name(Kind.TEST, item.name, True)
    yield from _name(Kind.SCENARIO, item.scenario)
    yield from _names(Kind.EDITION, item.editions)
    expectations: tuple[ast.Expectation | ast.LayerExpectation, ...] = (*item.expectations, *item.layer_expectations)
    for e in expectations:
        yield from _actor(e.actor)
        yield from _name(Kind.ACTION, e.action)
        for arg in e.args:
            yield from _actor(arg)
        for q in e.quantifiers:
            yield from _name(Kind.SORT, q.sort)
            yield from _names(Kind.MEMBER, q.excluded)
        for c in e.unless:
            yield from _terms((c.left, c.right))


def _item(item: ast.Item) -> Iterator[Occurrence]:
    match item:
        case ast.Import(modules=modules):
            yield from _names(Kind.MODULE, modules)
        case ast.SortDecl(name=name, members=members):
            yield from _name(Kind.SORT, name, True)
            for member in members:
                yield from _name(Kind.MEMBER, member.name, True)
        case ast.FactDecl(name=name, params=params):
            yield from _name(Kind.PREDICATE, name, True)
            yield from _names(Kind.SORT, params)
        case ast.ActionDecl(name=name, params=params, actors=actors):
            yield from _name(Kind.ACTION, name, True)
            yield from _names(Kind.SORT, params)
            yield from _names(Kind.MEMBER, actors)
        case ast.ConstraintDecl(name=name, condition=condition):
            yield from _name(Kind.CONSTRAINT, name, True)
            yield from _condition(condition)
        case ast.Definition(name=name, params=params, condition=condition):
            yield from _name(Kind.PREDICATE, name, True)
            yield from _names(Kind.SORT, (p.sort for p in params))
            yield from _condition(condition)
        case ast.Clause():
            yield from _clause(item)
        case ast.Edition(name=name, includes=includes):
            yield from _name(Kind.EDITION, name, True)
            yield from _names(Kind.MODULE, includes)
        case ast.Scenario(name=name, facts=facts):
            yield from _name(Kind.SCENARIO, name, True)
            for fact in facts:
                yield from _name(Kind.PREDICATE, fact.name)
                yield from _names(Kind.MEMBER, fact.args)
        case ast.Test():
            yield from _test(item)
        case ast.Source(name=name):
            yield from _name(Kind.SOURCE, name, True)


_DECLARING: dict[type, Kind] = {
    ast.SortDecl: Kind.SORT, ast.FactDecl: Kind.PREDICATE, ast.ActionDecl: Kind.ACTION,
    ast.ConstraintDecl: Kind.CONSTRAINT, ast.Definition: Kind.PREDICATE, ast.Clause: Kind.CLAUSE,
    ast.Edition: Kind.EDITION, ast.Scenario: Kind.SCENARIO, ast.Test: Kind.TEST, ast.Source: Kind.SOURCE,
}


def item_name(item: ast.Item) -> ast.Name | None:
    """The name an item declares (None for an import)."""
    if isinstance(item, ast.Clause):
        return item.id
    name = getattr(item, "name", None)
    return name if isinstance(name, ast.Name) else None


def declarations(module: ast.Module) -> Iterator[Declared]:
    if module.name.span is not None:
        yield Declared(Kind.MODULE, module.name.text, module.name.text, module.name.span, module)
    for item in module.items:
        kind, name = _DECLARING.get(type(item)), item_name(item)
        if kind is not None and name is not None and name.span is not None:
            yield Declared(kind, name.text, module.name.text, name.span, item)
        if isinstance(item, ast.SortDecl):
            for m in item.members:
                if m.name.span is not None:
                    yield Declared(Kind.MEMBER, m.name.text, module.name.text, m.name.span, m, item)


@dataclass(slots=True)
class FileIndex:
    """The names of one parsed file, in the order they are written."""

    module: ast.Module
    occurrences: list[Occurrence]
    declared: list[Declared]

    @classmethod
    def of(cls, module: ast.Module) -> FileIndex:
        found = [*_name(Kind.MODULE, module.name, True)]
        for item in module.items:
            found.extend(_item(item))
        found.sort(key=lambda o: o.span.start)
        return cls(module, found, list(declarations(module)))

    def at(self, offset: int) -> Occurrence | None:
        """The name at a character offset (touching its start or its end)."""
        starts = [o.span.start for o in self.occurrences]
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and self.occurrences[index].span.start <= offset <= self.occurrences[index].span.end:
            return self.occurrences[index]
        return None
