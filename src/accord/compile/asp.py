"""A small typed intermediate form of answer-set programs, and its one printer.

In: terms, atoms, literals, rules, choices, externals and `#show` statements built by
`accord.compile.to_asp`. Out: deterministic clingo program text. The printer owns quoting and identifier
checks, so no user text can ever add a rule: names must be plain identifiers and every other
piece of user text is printed as an escaped string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"_*[a-z][A-Za-z0-9_']*\Z")
_VARIABLE = re.compile(r"_*[A-Z][A-Za-z0-9_']*\Z")
_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})


class AspPrintError(ValueError):
    """Something that cannot be printed: an identifier that is not one, or text clingo cannot
    represent (see `quote`). An internal error, never user input."""


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Str:
    value: str


@dataclass(frozen=True, slots=True)
class Num:
    value: int


@dataclass(frozen=True, slots=True)
class Fn:
    """A constant (no arguments) or a function term; also used as an atom."""

    name: str
    args: tuple[Term, ...] = ()


Term = Var | Str | Num | Fn


@dataclass(frozen=True, slots=True)
class Lit:
    atom: Fn
    positive: bool = True


@dataclass(frozen=True, slots=True)
class Cmp:
    left: Term
    op: str
    right: Term


BodyItem = Lit | Cmp


@dataclass(frozen=True, slots=True)
class Rule:
    """`head :- body.`; a rule without a head is an integrity constraint; without a body, a fact."""

    head: Fn | None
    body: tuple[BodyItem, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    """`{ atom : condition }.`"""

    atom: Fn
    condition: tuple[BodyItem, ...]


@dataclass(frozen=True, slots=True)
class External:
    atom: Fn


@dataclass(frozen=True, slots=True)
class Show:
    name: str
    arity: int


@dataclass(frozen=True, slots=True)
class Comment:
    text: str


Statement = Rule | Choice | External | Show | Comment


@dataclass(frozen=True, slots=True)
class Program:
    statements: tuple[Statement, ...]


def term_variables(term: Term) -> set[str]:
    """The names of the variables in a term."""
    if isinstance(term, Var):
        return {term.name}
    if isinstance(term, Fn):
        return set().union(*(term_variables(a) for a in term.args))
    return set()


def item_variables(item: BodyItem) -> set[str]:
    """The names of the variables in a body literal or comparison."""
    if isinstance(item, Lit):
        return term_variables(item.atom)
    return term_variables(item.left) | term_variables(item.right)


_UNREPRESENTABLE = re.compile("[\x00\ud800-\udfff]")


def quote(value: str) -> str:
    """A clingo string literal for any text clingo can represent.

    clingo can represent every character but two: NUL (clingo reads a program as a C string, so
    a NUL ends it) and lone surrogates U+D800..U+DFFF (they have no UTF-8 encoding). Text holding
    either raises `AspPrintError`; everything else comes back from clingo unchanged.
    """
    if _UNREPRESENTABLE.search(value):
        raise AspPrintError(f"clingo cannot represent NUL or a lone surrogate: {value!r}")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class _Printer:
    """Prints statements one by one, remembering the names and strings it has already checked
    and quoted, so that a name used thousands of times is matched against its pattern once."""

    __slots__ = ("identifiers", "strings", "variables")

    def __init__(self) -> None:
        self.identifiers: set[str] = set()
        self.variables: set[str] = set()
        self.strings: dict[str, str] = {}

    def identifier(self, name: str) -> str:
        if name not in self.identifiers:
            # `not` is clingo's one lower-case keyword
            if not _IDENTIFIER.match(name) or name == "not":
                raise AspPrintError(f"not an identifier: {name!r}")
            self.identifiers.add(name)
        return name

    def term(self, term: Term) -> str:
        if type(term) is Fn:
            return self.fn(term)
        if type(term) is Var:
            if term.name not in self.variables:
                if not _VARIABLE.match(term.name):
                    raise AspPrintError(f"not a variable: {term.name!r}")
                self.variables.add(term.name)
            return term.name
        if type(term) is Str:
            text = self.strings.get(term.value)
            if text is None:
                text = self.strings[term.value] = quote(term.value)
            return text
        if type(term) is Num:
            return str(term.value)
        raise AspPrintError(f"not a term: {term!r}")

    def fn(self, fn: Fn) -> str:
        identifiers = self.identifiers
        name = fn.name if fn.name in identifiers else self.identifier(fn.name)
        if not fn.args:
            return name
        variables = self.variables
        parts: list[str] = []
        for arg in fn.args:  # constants and variables already checked, the most common arguments, inline
            if type(arg) is Fn:
                parts.append(arg.name if not arg.args and arg.name in identifiers else self.fn(arg))
            elif type(arg) is Var and arg.name in variables:
                parts.append(arg.name)
            else:
                parts.append(self.term(arg))
        return name + "(" + ",".join(parts) + ")"

    def body(self, items: tuple[BodyItem, ...]) -> str:
        out: list[str] = []
        for item in items:
            if type(item) is Lit:
                out.append(self.fn(item.atom) if item.positive else "not " + self.fn(item.atom))
            elif type(item) is Cmp:
                if item.op not in _COMPARISONS:
                    raise AspPrintError(f"unknown comparison: {item.op!r}")
                out.append(self.term(item.left) + item.op + self.term(item.right))
            else:
                raise AspPrintError(f"not a body item: {item!r}")
        return ", ".join(out)

    def statement(self, statement: Statement) -> str:
        if type(statement) is Rule:
            if statement.head is None:
                return ":- " + self.body(statement.body) + "."
            if not statement.body:
                return self.fn(statement.head) + "."
            return self.fn(statement.head) + " :- " + self.body(statement.body) + "."
        if type(statement) is Comment:
            # A NUL would end the program where it stands and a lone surrogate cannot be encoded:
            # comments carry user text (a clause's cite, an edition's title), so replace both.
            safe = _UNREPRESENTABLE.sub("\ufffd", statement.text)
            return "\n".join([f"% {line}".rstrip() for line in safe.splitlines() or [""]])
        if type(statement) is Choice:
            inner = self.fn(statement.atom)
            if statement.condition:
                inner += " : " + self.body(statement.condition)
            return "{ " + inner + " }."
        if type(statement) is External:
            return "#external " + self.fn(statement.atom) + "."
        if type(statement) is Show:
            return f"#show {self.identifier(statement.name)}/{statement.arity}."
        raise AspPrintError(f"not a statement: {statement!r}")


def print_term(term: Term) -> str:
    return _Printer().term(term)


def print_statement(statement: Statement) -> str:
    return _Printer().statement(statement)


def print_statements(statements: Iterable[Statement]) -> list[str]:
    """Each statement's text, in order; names checked once for all of them."""
    printer = _Printer()
    return [printer.statement(s) for s in statements]


def print_program(program: Program) -> str:
    """One statement a line, each line ended by a newline."""
    lines = print_statements(program.statements)
    return "\n".join(lines) + "\n" if lines else ""
