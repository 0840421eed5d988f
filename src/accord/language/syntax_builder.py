"""Building the syntax tree from the parser's reductions.

In: what the LALR parser hands to each rule of grammar/accord.lark when it reduces it (called as
Lark's inline transformer by `accord.language.parse`): the rule's tokens, every one kept, and what the rules
below it returned. Out: `ast` nodes with spans; and, once the file is read, the reserved words
used as names and an over-deep nesting as diagnostics.

A node's span runs from its first token to its last. A parenthesized condition is a `_Group`
until the condition around it takes it in: as a part of a larger condition, it counts with its
parentheses; its own span is without them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from accord.language import ast
from accord.language.diagnostics import Sink
from accord.language.source import SourceFile, Span
from accord.language.syntax_dates import DatesBuilder, periods, unquote

MAX_DEPTH = 64

# The reserved words of docs/language.md: never names, even where the grammar would take one.
RESERVED = frozenset({
    "module", "import", "sort", "fact", "action", "by", "constraint", "never", "define", "clause", "cite",
    "when", "unless", "overrides", "replaces", "carries", "says", "note", "edition", "title", "in_force",
    "include", "until", "scenario", "unknown", "test", "expect", "because", "possibly", "permitted", "forbidden",
    "required", "source", "section", "grants", "nothing", "and", "or", "not", "may", "must",
    "layer", "otherwise", "bound", "label", "for", "in", "role", "except",
})


class Token(Protocol):
    """What the builder reads of a token (Lark's tokens are strings with these attributes)."""

    @property
    def type(self) -> str: ...

    @property
    def start_pos(self) -> int: ...

    @property
    def end_pos(self) -> int: ...


@dataclass(frozen=True, slots=True)
class _Group:
    """A parenthesized condition: the condition, and where its parentheses start and end."""

    condition: ast.Condition
    start: int
    end: int


Operand = ast.Condition | _Group


def _condition(operand: Operand) -> ast.Condition:
    return operand.condition if isinstance(operand, _Group) else operand


def _start(operand: Operand) -> int:
    if isinstance(operand, _Group):
        return operand.start
    assert operand.span is not None
    return operand.span.start


def _end(operand: Operand) -> int:
    if isinstance(operand, _Group):
        return operand.end
    assert operand.span is not None
    return operand.span.end


def _first_too_deep(root: ast.Condition) -> ast.Condition | None:
    """The first condition (depth first, left to right) nested more than MAX_DEPTH levels deep."""
    stack: list[tuple[ast.Condition, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if isinstance(node, ast.Not):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.And | ast.Or):
            stack.extend((operand, depth + 1) for operand in reversed(node.operands))
    return None


class Builder(DatesBuilder):
    """Turns each reduction of the grammar into `ast` nodes with spans (Lark's inline transformer).

    Lark calls the method named after a rule with the rule's children: its tokens, and what the
    methods of the rules below returned. One file at a time: `begin` resets the state of a file.
    """

    def __init__(self) -> None:
        self.begin(SourceFile("", ""))

    def begin(self, source: SourceFile) -> None:
        self.file = source
        self.reserved: list[ast.Name] = []  # names that are reserved words
        self.nested = 0  # `not`, `and` and `or` read since the last whole condition
        self.too_deep: ast.Condition | None = None
        self.late: list[ast.Name] = []  # see `diagnose`

    def span(self, start: int, end: int) -> Span:
        return Span(self.file, start, end)

    def name(self, token: Token) -> ast.Name:
        name = ast.Name(str(token), Span(self.file, token.start_pos, token.end_pos))
        if name.text in RESERVED:
            self.reserved.append(name)
        return name

    def names(self, tokens: Sequence[Token]) -> tuple[ast.Name, ...]:
        return tuple(self.name(t) for t in tokens[::2])  # names separated by commas

    def whole(self, operand: Operand) -> ast.Condition:
        """A condition that stands alone (after `when`, `unless`, `never`, `:`); checks its depth."""
        condition = _condition(operand)
        if self.nested > MAX_DEPTH and self.too_deep is None:
            self.too_deep = _first_too_deep(condition)
        self.nested = 0
        return condition

    def diagnose(self, module: ast.Module, sink: Sink) -> bool:
        """Reports reserved words used as names and an over-deep nesting; False if nesting was too deep.

        Reported is the first over-deep nesting a reader going through the file from the top meets,
        and the reserved words that reader met before it: those written before it except the module's
        name (read last), and those in the lineage of its clause (read before the clause's conditions).
        """
        reserved = self.reserved
        deep = self.too_deep
        if deep is not None:
            cut = _start(deep)
            reserved = [n for n in reserved if n.span is not None and n.span.start < cut and n is not module.name]
            reserved += self.late
        for name in reserved:
            sink.error(
                "reserved-word",
                "RESERVED WORD",
                f"`{name.text}` is a reserved word of the rule language; it cannot be used as a name.",
                name.span,
                f"Choose another name, for example `{name.text}_`.",
            )
        if deep is None:
            return True
        sink.error(
            "too-deep",
            "NESTING TOO DEEP",
            f"This condition nests more than {MAX_DEPTH} levels deep.",
            deep.span,
            "Split it into definitions with names of their own.",
        )
        return False

    def keep(self, c: list[Any]) -> list[Any]:
        """A rule that the rule above it reads: its children, as they are."""
        return c

    name_list = clause_list = term_args = ground_args = grants_nothing = edition_list = keep

    def include(self, c: list[Any]) -> tuple[str, list[Token]]:
        return "include", c[1]

    # ---- the module and its items ------------------------------------------------------------

    def start(self, c: list[Any]) -> ast.Module:
        (keyword, name, title, end, dated), *items = c
        end = items[-1].span.end if items else end
        return ast.Module(name, title, tuple(items), self.span(keyword.start_pos, end), dated)

    def module_header(self, c: list[Any]) -> tuple[Token, ast.Name, str | None, int, tuple[ast.Period, ...]]:
        dated = periods(c)
        words = c[: len(c) - len(dated)]
        end = dated[-1].span.end if dated and dated[-1].span else words[-1].end_pos
        return c[0], self.name(c[1]), unquote(c[2]) if len(words) > 2 else None, end, dated

    def import_decl(self, c: list[Any]) -> ast.Import:
        return ast.Import(self.names(c[1]), self.span(c[0].start_pos, c[1][-1].end_pos))

    def sort_decl(self, c: list[Any]) -> ast.SortDecl:
        description = unquote(c[2]) if c[2].type == "STRING" else None
        span = self.span(c[0].start_pos, c[-1].end_pos)
        if getattr(c[-1], "type", None) == "INT":
            return ast.SortDecl(self.name(c[1]), description, (), span, (int(c[-3]), int(c[-1])))
        if getattr(c[-1], "type", None) == "DATE":
            return ast.SortDecl(self.name(c[1]), description, (), span, dates=(str(c[-3]), str(c[-1])))
        members = tuple(m for m in c[3:-1] if isinstance(m, ast.Member))
        return ast.SortDecl(self.name(c[1]), description, members, span)

    def member(self, c: list[Token]) -> ast.Member:
        return ast.Member(self.name(c[0]), unquote(c[1]) if len(c) > 1 else None)

    def sort_params(self, c: list[Token]) -> tuple[ast.Name, ...]:
        return self.names(c[1:-1])

    def fact_decl(self, c: list[Any]) -> ast.FactDecl:
        params = c[2] if len(c) == 4 else ()
        return ast.FactDecl(self.name(c[1]), params, unquote(c[-1]), self.span(c[0].start_pos, c[-1].end_pos))

    def action_decl(self, c: list[Any]) -> ast.ActionDecl:
        params = c[2] if len(c) == 6 else ()
        return ast.ActionDecl(
            self.name(c[1]), params, self.names(c[-2]), unquote(c[-1]), self.span(c[0].start_pos, c[-1].end_pos)
        )

    def constraint_decl(self, c: list[Any]) -> ast.ConstraintDecl:
        return ast.ConstraintDecl(
            self.name(c[1]), unquote(c[2]), self.whole(c[-1]), self.span(c[0].start_pos, _end(c[-1]))
        )

    def definition(self, c: list[Any]) -> ast.Definition:
        dated = periods(c)
        params = c[2] if len(c) - len(dated) == 6 else ()
        return ast.Definition(
            self.name(c[1]), params, unquote(c[-3 - len(dated)]), self.whole(c[-1]),
            self.span(c[0].start_pos, _end(c[-1])), dated,
        )

    def var_params(self, c: list[Any]) -> tuple[ast.Param, ...]:
        return tuple(c[1:-1:2])

    def var_param(self, c: list[Token]) -> ast.Param:
        return ast.Param(ast.Var(str(c[0]), self.span(c[0].start_pos, c[0].end_pos)), self.name(c[2]))

    def clause(self, c: list[Any]) -> ast.Clause:
        parts: dict[str, Any] = {}
        notes: list[str] = []
        cites: list[ast.Citation] = []
        dated = periods(c)
        for kind, value in c[3 + len(dated):-1]:
            if kind == "note":
                notes.append(value)
            elif kind == "cite":
                cites.append(value)
            else:
                parts[kind] = value
        span = self.span(c[0].start_pos, c[-1].end_pos)
        lineage: ast.Lineage | None = parts.get("lineage")
        if lineage is not None and self.too_deep is not None and _start(self.too_deep) >= span.start:
            self.late = [n for n in lineage.targets if n.text in RESERVED]
        return ast.Clause(
            id=self.name(c[1]),
            cite=cites[0].text,
            head=parts["head"],
            when=parts.get("when"),
            unless=parts.get("unless"),
            overrides=parts.get("overrides", ()),
            lineage=lineage,
            says=parts["says"],
            notes=tuple(notes),
            span=span,
            periods=dated,
            citations=() if len(cites) == 1 and not cites[0].periods else tuple(cites),
            role=parts.get("role"),
        )

    # The parts of a clause, told apart by a word (`cite`: see `DatesBuilder`).

    def head(self, c: list[Any]) -> tuple[str, ast.Head]:
        args, end = (tuple(c[3][1:-1:2]), c[3][-1].end_pos) if len(c) > 3 else ((), c[2].end_pos)
        modality = ast.Modality(" ".join(str(c[1]).split()))
        return "head", ast.Head(self.actor(c[0]), modality, self.name(c[2]), args, self.span(c[0].start_pos, end))

    def actor(self, token: Token) -> ast.Name | ast.Var:
        """A constant actor, or a variable over actors (`P`)."""
        if token.type == "VAR":
            return ast.Var(str(token), self.span(token.start_pos, token.end_pos))
        return self.name(token)

    def role(self, c: list[Token]) -> tuple[str, str]:
        return "role", str(c[1])

    def when(self, c: list[Any]) -> tuple[str, ast.Condition]:
        return "when", self.whole(c[1])

    def unless(self, c: list[Any]) -> tuple[str, ast.Condition]:
        return "unless", self.whole(c[1])

    def overrides(self, c: list[Any]) -> tuple[str, tuple[ast.Name, ...]]:
        return "overrides", self.names(c[1])

    def lineage(self, c: list[Any]) -> tuple[str, ast.Lineage]:
        return "lineage", ast.Lineage(ast.LineageKind(str(c[0])), self.names(c[1]))

    def says(self, c: list[Token]) -> tuple[str, str]:
        return "says", unquote(c[1])

    def note(self, c: list[Token]) -> tuple[str, str]:
        return "note", unquote(c[1])

    def edition(self, c: list[Any]) -> ast.Edition:
        date = c[6]
        parts = c[7:-1]
        included = parts[0][1] if parts and parts[0][0] == "include" else ()
        return ast.Edition(
            self.name(c[1]),
            unquote(c[4]),
            str(date),
            self.names(included),
            tuple(note for kind, note in parts if kind == "note"),
            self.span(c[0].start_pos, c[-1].end_pos),
            self.span(date.start_pos, date.end_pos),
        )

    def scenario(self, c: list[Any]) -> ast.Scenario:
        return ast.Scenario(
            self.name(c[1]), unquote(c[2]), tuple(c[4:-1]), self.span(c[0].start_pos, c[-1].end_pos)
        )

    def scenario_fact(self, c: list[Any]) -> ast.ScenarioFact:
        truth = ast.Truth.TRUE
        first = c[0]
        if first.type == "FACT_MARK":
            truth = ast.Truth.UNKNOWN if str(first) == "unknown" else ast.Truth.FALSE
            c = c[1:]
        args, end = (self.names(c[1][1:-1]), c[1][-1].end_pos) if len(c) > 1 else ((), c[0].end_pos)
        return ast.ScenarioFact(truth, self.name(c[0]), args, self.span(first.start_pos, end))

    def test(self, c: list[Any]) -> ast.Test:
        return ast.Test(
            self.name(c[1]),
            self.name(c[4]),
            self.names(c[6]),
            tuple(c[7:-1]),
            self.span(c[0].start_pos, c[-1].end_pos),
        )

    def source(self, c: list[Any]) -> ast.Source:
        return ast.Source(
            self.name(c[1]), unquote(c[2]), tuple(c[4:-1]), self.span(c[0].start_pos, c[-1].end_pos)
        )

    def section(self, c: list[Any]) -> ast.Section:
        grants = c[3] if len(c) > 3 else None
        reason = unquote(grants[2]) if grants else None
        end = grants[-1].end_pos if grants else c[2].end_pos
        return ast.Section(unquote(c[1]), unquote(c[2]), reason, self.span(c[0].start_pos, end))

    # ---- conditions --------------------------------------------------------------------------

    def atom(self, c: list[Any]) -> ast.Atom:
        name = self.name(c[0])
        if len(c) == 1:
            return ast.Atom(name, (), name.span)
        args = c[1]
        return ast.Atom(name, tuple(args[1:-1:2]), self.span(c[0].start_pos, args[-1].end_pos))

    def comparison(self, c: list[Any]) -> ast.Compare:
        left, op, right = c
        return ast.Compare(left, str(op), right, self.span(left.span.start, right.span.end))

    def variable(self, c: list[Token]) -> ast.Var:
        token = c[0]
        return ast.Var(str(token), Span(self.file, token.start_pos, token.end_pos))

    def constant(self, c: list[Token]) -> ast.Const:
        token = c[0]
        return ast.Const(str(token), Span(self.file, token.start_pos, token.end_pos))

    def negated(self, c: list[Any]) -> ast.Not:
        self.nested += 1
        return ast.Not(_condition(c[1]), self.span(c[0].start_pos, _end(c[1])))

    def conjunction(self, c: list[Any]) -> ast.And:
        self.nested += 1
        return ast.And(tuple(_condition(o) for o in c[::2]), self.span(_start(c[0]), _end(c[-1])))

    def disjunction(self, c: list[Any]) -> ast.Or:
        self.nested += 1
        return ast.Or(tuple(_condition(o) for o in c[::2]), self.span(_start(c[0]), _end(c[-1])))

    def primary(self, c: list[Any]) -> _Group:
        return _Group(_condition(c[1]), c[0].start_pos, c[2].end_pos)


