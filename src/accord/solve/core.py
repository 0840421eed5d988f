"""accord's own solver values, errors and small clingo helpers.

In: clingo symbols and settings. Out: `Sym` (constants, strings and function terms in accord's
terms), `Answer`, `SolveTimeout`, `SolverError`, and conversions used by the solving classes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import clingo

from accord.compile.asp import quote

Mode = Literal["brave", "cautious"]


@dataclass(frozen=True, slots=True, order=True)
class Sym:
    """A solver value in accord's terms: a constant, a string (quoted=True) or a function term."""

    name: str
    args: tuple[Sym, ...] = ()
    quoted: bool = False
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        # Cached: the same values are hashed again and again on the query path (see docs/performance.md).
        h = self._hash
        if h is None:
            h = hash((self.name, self.args, self.quoted))
            object.__setattr__(self, "_hash", h)
        return h

    def __str__(self) -> str:
        if self.quoted:
            return self.name
        if not self.args:
            return self.name
        return f"{self.name}({', '.join(str(a) for a in self.args)})"


class SolveTimeout(Exception):
    """The solver did not finish within the time limit."""


# clingo's `wait()` turns seconds into a signed 64-bit count of nanoseconds (it overflows into an
# instant timeout past ~9.2e9 s) and its `models` setting is a signed 64-bit number: anything
# beyond these bounds means "no limit" (docs/reliability.md).
_LONGEST_WAIT = 1e9
_MOST_MODELS = 2**62


def time_limit(timeout: float | None) -> float | None:
    """A time limit clingo can wait for: None (no limit) for None, infinite, NaN or huge ones."""
    if timeout is None or math.isnan(timeout) or timeout > _LONGEST_WAIT:
        return None
    return max(timeout, 0.0)


def models_setting(count: int) -> str:
    """clingo's `models` setting for at most `count` answer sets ("0": all of them)."""
    return str(count) if 0 < count < _MOST_MODELS else "0"


class SolverError(Exception):
    """clingo rejected the program: an internal error of accord, never a user mistake."""


def to_sym(symbol: clingo.Symbol) -> Sym:
    """The `Sym` of a clingo symbol: read off its text (one call into clingo) when it is made of
    names, strings and numbers, as every atom accord writes is; any other the long way."""
    found = read_sym(str(symbol))
    return found if found is not None else _to_sym(symbol)


def _to_sym(symbol: clingo.Symbol) -> Sym:
    if symbol.type == clingo.SymbolType.String:
        return _string(symbol.string)
    if symbol.type == clingo.SymbolType.Number:
        return Sym(str(symbol.number))
    return Sym(symbol.name, tuple(_to_sym(a) for a in symbol.arguments))


NAME = r"[a-z_][A-Za-z0-9_']*"  # a name as clingo writes it (a constant or a function's name)
_TOKENS = re.compile(rf'"(?:[^"\\]|\\.)*"|{NAME}|-?[0-9]+|[(),]')
_ESCAPES = re.compile(r"\\(.)")
_ESCAPED = {"n": "\n", "\\": "\\", '"': '"'}


def read_sym(text: str) -> Sym | None:
    """The `Sym` of a symbol's clingo text when it is a name, a string, a number or a function of
    such terms; None for anything else (tuples, negated functions, #inf, #sup), or text that is not
    one whole term."""
    tokens = _TOKENS.findall(text)
    if "".join(tokens) != text or not tokens:
        return None
    stack: list[tuple[str, list[Sym]]] = []
    done: Sym | None = None
    i, count = 0, len(tokens)
    while i < count:
        token = tokens[i]
        first = token[0]
        if done is not None:  # after a term: a comma, a closing parenthesis, or the end
            if not stack:
                return None
            if token == ",":
                stack[-1][1].append(done)
                done = None
            elif token == ")":
                name, args = stack.pop()
                args.append(done)
                done = Sym(name, tuple(args))
            else:
                return None
            i += 1
            if done is None and i < count and tokens[i] == ")":
                return None  # a comma right before a closing parenthesis
            continue
        if first == '"':
            done = _string(_ESCAPES.sub(_unescape, token[1:-1]))
        elif first.isdigit() or first == "-":
            done = Sym(str(int(token)))
        elif first in "(),":
            return None  # a tuple, or a term missing
        elif i + 1 < count and tokens[i + 1] == "(":
            if i + 2 < count and tokens[i + 2] == ")":
                return None  # `f()` is clingo's text of a tuple-like term we leave to the long way
            stack.append((token, []))
            i += 2
            continue
        else:
            done = Sym(token)
        i += 1
    return done if not stack else None


DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # a day of a date sort, which accord hands clingo as a string


def _string(text: str) -> Sym:
    """A clingo string: a day of a date sort is the member it names (`Sym("1952-03-01")`), as the
    facts name it; any other string is quoted."""
    return Sym(text) if DAY.match(text) else Sym(text, quoted=True)


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPED.get(match[1], match[0])


def to_symbol(value: Sym) -> clingo.Symbol:
    if value.quoted or DAY.match(value.name):
        return clingo.String(value.name)
    if not value.args and value.name.isdigit() and len(value.name) < 10:  # a member of an integer sort
        return clingo.Number(int(value.name))
    return clingo.Function(value.name, [to_symbol(a) for a in value.args])


def grounded(program: str, options: Sequence[str] = (), observer: clingo.Observer | None = None) -> clingo.Control:
    """A clingo control with `program` added and grounded (reported to `observer`, if given, as it
    is grounded); clingo's own complaints become a `SolverError`."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none", *options], logger=lambda _code, msg: messages.append(msg), message_limit=5)
    if observer is not None:
        ctl.register_observer(observer)
    try:
        ctl.add("base", [], program)
        ctl.ground([("base", [])])
    except RuntimeError as err:
        raise SolverError("; ".join(messages) or str(err)) from err
    return ctl


def string_round_trip(text: str) -> str:
    """Hand a string to clingo as a program literal and read it back (used by tests)."""
    ctl = grounded(f"value({quote(text)}).")
    for atom in ctl.symbolic_atoms.by_signature("value", 1):
        return str(atom.symbol.arguments[0].string)
    raise SolverError("no value came back")


@dataclass(frozen=True, slots=True)
class Answer:
    """The shown atoms of one answer set, or of the brave or cautious consequences."""

    atoms: frozenset[Sym]


def solve_config(ctl: clingo.Control) -> Any:
    """clingo's solve configuration group (typed loosely by clingo itself)."""
    return ctl.configuration.solve


def solver_config(ctl: clingo.Control) -> Any:
    """clingo's configuration of its (first) solver: heuristics and what a new step forgets."""
    return ctl.configuration.solver
