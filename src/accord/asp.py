"""A small typed intermediate form of answer-set programs, and its one printer.

In: terms, atoms, literals, rules, choices, externals and `#show` statements built by
`accord.to_asp`. Out: deterministic clingo program text. The printer owns quoting and identifier
checks, so no user text can ever add a rule: names must be plain identifiers and every other
piece of user text is printed as an escaped string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENTIFIER = re.compile(r"_*[a-z][A-Za-z0-9_']*\Z")
_VARIABLE = re.compile(r"_*[A-Z][A-Za-z0-9_']*\Z")


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


def quote(value: str) -> str:
    """A clingo string literal for any text clingo can represent.

    clingo can represent every character but two: NUL (clingo reads a program as a C string, so
    a NUL ends it) and lone surrogates U+D800..U+DFFF (they have no UTF-8 encoding). Text holding
    either raises `AspPrintError`; everything else comes back from clingo unchanged.
    """
    if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
        raise AspPrintError(f"clingo cannot represent NUL or a lone surrogate: {value!r}")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name) or name == "not":  # `not` is clingo's one lower-case keyword
        raise AspPrintError(f"not an identifier: {name!r}")
    return name


def print_term(term: Term) -> str:
    match term:
        case Var(name=name):
            if not _VARIABLE.match(name):
                raise AspPrintError(f"not a variable: {name!r}")
            return name
        case Str(value=value):
            return quote(value)
        case Num(value=value):
            return str(value)
        case Fn(name=name, args=args):
            if not args:
                return _identifier(name)
            return f"{_identifier(name)}({','.join(print_term(a) for a in args)})"


def _body_item(item: BodyItem) -> str:
    if isinstance(item, Lit):
        text = print_term(item.atom)
        return text if item.positive else f"not {text}"
    if item.op not in ("=", "!="):
        raise AspPrintError(f"unknown comparison: {item.op!r}")
    return f"{print_term(item.left)}{item.op}{print_term(item.right)}"


def _body(items: tuple[BodyItem, ...]) -> str:
    return ", ".join(_body_item(i) for i in items)


def print_statement(statement: Statement) -> str:
    match statement:
        case Rule(head=None, body=body):
            return f":- {_body(body)}."
        case Rule(head=head, body=()):
            assert head is not None
            return f"{print_term(head)}."
        case Rule(head=head, body=body):
            assert head is not None
            return f"{print_term(head)} :- {_body(body)}."
        case Choice(atom=atom, condition=condition):
            inner = print_term(atom) + (f" : {_body(condition)}" if condition else "")
            return f"{{ {inner} }}."
        case External(atom=atom):
            return f"#external {print_term(atom)}."
        case Show(name=name, arity=arity):
            return f"#show {_identifier(name)}/{arity}."
        case Comment(text=text):
            # A NUL would end the program where it stands and a lone surrogate cannot be encoded:
            # comments carry user text (a clause's cite, an edition's title), so replace both.
            safe = "".join(
                "\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in text
            )
            return "\n".join(f"% {line}".rstrip() for line in safe.splitlines() or [""])


def print_program(program: Program) -> str:
    return "".join(print_statement(s) + "\n" for s in program.statements)
