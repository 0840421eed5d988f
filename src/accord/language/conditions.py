"""Checking conditions: names, arity, sorts and variable safety.

In: an `ast` condition, the module it is written in and the sorts of the variables already bound
(the parameters of a definition or of a clause's action). Out: the sort of every variable in the
condition, with diagnostics for unknown names, arity and sort mismatches and unsafe variables.
"""

from __future__ import annotations

from collections.abc import Iterator

from accord.language import ast, integers
from accord.language.diagnostics import Sink
from accord.language.resolve import Declarations


def predicate_params(decl: ast.FactDecl | ast.Definition) -> tuple[str, ...]:
    if isinstance(decl, ast.FactDecl):
        return tuple(p.text for p in decl.params)
    return tuple(p.sort.text for p in decl.params)


def atoms(cond: ast.Condition) -> Iterator[tuple[ast.Atom, bool]]:
    """Every atom in a condition, with whether it occurs under `not`."""
    stack: list[tuple[ast.Condition, bool]] = [(cond, False)]
    while stack:
        node, negated = stack.pop()
        match node:
            case ast.Atom():
                yield node, negated
            case ast.Not(operand=inner):
                stack.append((inner, True))
            case ast.And(operands=ops) | ast.Or(operands=ops):
                stack.extend((op, negated) for op in reversed(ops))
            case ast.Compare():
                pass


def binds(cond: ast.Condition) -> frozenset[str]:
    """The variables a condition binds: those in its positive atoms (all alternatives of an `or`)."""
    match cond:
        case ast.Atom(args=args):
            return frozenset(a.name for a in args if isinstance(a, ast.Var))
        case ast.And(operands=ops):
            return frozenset().union(*(binds(op) for op in ops))
        case ast.Or(operands=ops):
            return frozenset.intersection(*(binds(op) for op in ops))
        case _:
            return frozenset()


class ConditionChecker:
    """Checks conditions written in one module."""

    def __init__(self, decls: Declarations, module: str, sink: Sink) -> None:
        self.decls = decls
        self.module = module
        self.sink = sink

    def check(self, cond: ast.Condition, env: dict[str, str]) -> dict[str, str]:
        """Check a condition; return the sorts of all its variables (and of `env`)."""
        sorts = dict(env)
        for atom, _negated in atoms(cond):
            self._atom(atom, sorts)
        self._comparisons(cond, sorts)
        self._safety(cond, frozenset(env))
        return sorts

    def _atom(self, atom: ast.Atom, sorts: dict[str, str]) -> None:
        entry = self.decls.lookup(self.decls.predicates, atom.name, self.module, self.sink)
        if entry is None:
            return
        params = predicate_params(entry.node)
        if len(params) != len(atom.args):
            self.sink.error(
                "arity-mismatch",
                "WRONG NUMBER OF ARGUMENTS",
                f"`{atom.name.text}` takes {len(params)} argument(s), but here it has {len(atom.args)}.",
                atom.span,
                _signature_hint(atom.name.text, params),
            )
            return
        for arg, sort in zip(atom.args, params, strict=True):
            self.term(arg, sort, sorts, f"argument of `{atom.name.text}`")

    def term(self, arg: ast.Term, sort: str, sorts: dict[str, str], where: str) -> None:
        """Check that a term fits a sort; record the sort of a variable."""
        if isinstance(arg, ast.Var):
            known = sorts.get(arg.name)
            if known is None:
                sorts[arg.name] = sort
            elif known != sort:
                self.sink.error(
                    "sort-mismatch",
                    "SORT MISMATCH",
                    f"The variable `{arg.name}` is a `{known}` elsewhere, but this {where} is a `{sort}`.",
                    arg.span,
                    "Use a different variable for values of a different sort.",
                )
            return
        if integers.is_integer(arg.name):
            integers.check_constant(self.decls, arg, sort, where, self.sink)
            return
        if integers.is_date(arg.name):
            integers.check_date(self.decls, arg, sort, where, self.sink)
            return
        member = self.decls.lookup(
            self.decls.members, ast.Name(arg.name, arg.span), self.module, self.sink
        )
        if member is not None and member.node != sort:
            self.sink.error(
                "sort-mismatch",
                "SORT MISMATCH",
                f"`{arg.name}` is a member of sort `{member.node}`, but this {where} is a `{sort}`.",
                arg.span,
                _members_hint(self.decls, sort),
            )

    def _comparisons(self, cond: ast.Condition, sorts: dict[str, str]) -> None:
        stack: list[ast.Condition] = [cond]
        while stack:
            node = stack.pop()
            match node:
                case ast.Compare(left=left, right=right):
                    self._compare(node, left, right, sorts)
                case ast.Not(operand=inner):
                    stack.append(inner)
                case ast.And(operands=ops) | ast.Or(operands=ops):
                    stack.extend(ops)

    def _compare(self, node: ast.Compare, left: ast.Term, right: ast.Term, sorts: dict[str, str]) -> None:
        def sort_of(term: ast.Term) -> str | None:
            if isinstance(term, ast.Var):
                return sorts.get(term.name)
            if (constant := integers.constant_sort(term.name)) is not None:
                return constant
            entry = self.decls.lookup(
                self.decls.members, ast.Name(term.name, term.span), self.module, self.sink
            )
            return entry.node if entry else None

        left_sort, right_sort = sort_of(left), sort_of(right)
        if node.op in integers.ORDER_COMPARISONS or {integers.INTEGER, integers.DATE} & {left_sort, right_sort}:
            integers.check_comparison(self.decls, node, left_sort, right_sort, self.sink)
        elif left_sort and right_sort and left_sort != right_sort:
            self.sink.error(
                "sort-mismatch",
                "SORT MISMATCH",
                f"This compares a `{left_sort}` with a `{right_sort}`; they can never be equal.",
                node.span,
                "Compare values of the same sort.",
            )

    def _safety(self, cond: ast.Condition, bound: frozenset[str]) -> None:
        match cond:
            case ast.And(operands=ops):
                inner = bound | binds(cond)
                for op in ops:
                    self._safety(op, inner)
            case ast.Or(operands=ops):
                for op in ops:
                    self._safety(op, bound | binds(op))
            case ast.Not(operand=inner_cond):
                for atom, _ in atoms(inner_cond):
                    self._unbound(atom.args, bound, "occurs only under `not`")
                self._comparison_safety(inner_cond, bound)
            case ast.Compare(left=left, right=right):
                self._unbound((left, right), bound, "occurs only in a comparison")
            case ast.Atom():
                pass

    def _comparison_safety(self, cond: ast.Condition, bound: frozenset[str]) -> None:
        stack = [cond]
        while stack:
            node = stack.pop()
            match node:
                case ast.Compare(left=left, right=right):
                    self._unbound((left, right), bound, "occurs only under `not`")
                case ast.Not(operand=inner):
                    stack.append(inner)
                case ast.And(operands=ops) | ast.Or(operands=ops):
                    stack.extend(ops)

    def _unbound(self, terms: tuple[ast.Term, ...], bound: frozenset[str], why: str) -> None:
        for term in terms:
            if isinstance(term, ast.Var) and term.name not in bound:
                self.sink.error(
                    "unsafe-variable",
                    "UNSAFE VARIABLE",
                    f"The variable `{term.name}` {why}, so nothing says which values it takes.",
                    term.span,
                    f"Bind `{term.name}` with a fact or definition that is not negated, "
                    "in the same alternative of the condition.",
                )


def _signature_hint(name: str, params: tuple[str, ...]) -> str:
    if not params:
        return f"`{name}` takes no arguments: write just `{name}`."
    return f"It is declared as `{name}({', '.join(params)})`."


def _members_hint(decls: Declarations, sort: str) -> str | None:
    entry = decls.sorts.entries.get(sort)
    if entry is None:
        return None
    names = [m.name.text for m in entry.node.members]
    shown = ", ".join(f"`{n}`" for n in names[:8]) + (", …" if len(names) > 8 else "")
    return f"The members of `{sort}` are {shown}."
