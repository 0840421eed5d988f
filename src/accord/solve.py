"""Solving: the only module that talks to clingo.

In: the printed program of one edition. Out: a `GroundProgram`, grounded once, that answers any
number of scenarios through assumptions on its `holds/1` atoms: the consequences true in every
answer set (cautious), in some (brave), or the answer sets themselves, with a time limit and a cap
on the number of answer sets. Every clingo symbol is turned into accord's own `Sym` values here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import clingo

from accord.asp import quote

Mode = Literal["brave", "cautious"]


@dataclass(frozen=True, slots=True, order=True)
class Sym:
    """A solver value in accord's terms: a constant, a string (quoted=True) or a function term."""

    name: str
    args: tuple[Sym, ...] = ()
    quoted: bool = False

    def __str__(self) -> str:
        if self.quoted:
            return self.name
        if not self.args:
            return self.name
        return f"{self.name}({', '.join(str(a) for a in self.args)})"


class SolveTimeout(Exception):
    """The solver did not finish within the time limit."""


class SolverError(Exception):
    """clingo rejected the program: an internal error of accord, never a user mistake."""


def _to_sym(symbol: clingo.Symbol) -> Sym:
    if symbol.type == clingo.SymbolType.String:
        return Sym(symbol.string, quoted=True)
    if symbol.type == clingo.SymbolType.Number:
        return Sym(str(symbol.number))
    return Sym(symbol.name, tuple(_to_sym(a) for a in symbol.arguments))


def _to_symbol(value: Sym) -> clingo.Symbol:
    if value.quoted:
        return clingo.String(value.name)
    return clingo.Function(value.name, [_to_symbol(a) for a in value.args])


def string_round_trip(text: str) -> str:
    """Hand a string to clingo as a program literal and read it back (used by tests)."""
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], f"value({quote(text)}).")
    ctl.ground([("base", [])])
    for atom in ctl.symbolic_atoms.by_signature("value", 1):
        return str(atom.symbol.arguments[0].string)
    raise SolverError("no value came back")


@dataclass(frozen=True, slots=True)
class Answer:
    """The shown atoms of one answer set, or of the brave or cautious consequences."""

    atoms: frozenset[Sym]


def _solve_config(ctl: clingo.Control) -> Any:
    """clingo's solver configuration group (typed loosely by clingo itself)."""
    return ctl.configuration.solve


class GroundProgram:
    """One edition's program, grounded once, asked many times."""

    def __init__(self, program: str) -> None:
        messages: list[str] = []
        self._ctl = clingo.Control(
            ["--warn=none"], logger=lambda _code, msg: messages.append(msg), message_limit=5
        )
        try:
            self._ctl.add("base", [], program)
            self._ctl.ground([("base", [])])
        except RuntimeError as err:
            raise SolverError("; ".join(messages) or str(err)) from err
        self._literals: dict[Sym, int] = {}
        for atom in self._ctl.symbolic_atoms.by_signature("holds", 1):
            self._literals[_to_sym(atom.symbol.arguments[0])] = atom.literal

    def knows(self, fact: Sym) -> bool:
        return fact in self._literals

    def _assumptions(self, values: Mapping[Sym, bool]) -> list[int]:
        return [self._literals[f] if v else -self._literals[f] for f, v in sorted(values.items())]

    def consequences(
        self, values: Mapping[Sym, bool], mode: Mode, timeout: float | None, relaxed: bool = False
    ) -> Answer | None:
        """Brave or cautious consequences; None when no answer set exists.

        With `relaxed`, domain constraints are switched off, to report which ones a scenario breaks.
        """
        config = _solve_config(self._ctl)
        config.enum_mode = mode
        config.models = "0"
        last: list[frozenset[Sym]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [frozenset(_to_sym(s) for s in model.symbols(shown=True))]

        relax = clingo.Function("relaxed")
        try:
            if relaxed:
                self._ctl.assign_external(relax, True)
            self._run(self._assumptions(values), on_model, timeout)
        finally:
            config.enum_mode = "auto"
            if relaxed:
                self._ctl.assign_external(relax, False)
        return Answer(last[0]) if last else None

    def answer_sets(
        self, values: Mapping[Sym, bool], cap: int, timeout: float | None
    ) -> tuple[list[Answer], bool]:
        """Up to `cap` answer sets, and whether there were more."""
        config = _solve_config(self._ctl)
        config.models = str(cap + 1)
        found: list[Answer] = []

        def on_model(model: clingo.Model) -> None:
            found.append(Answer(frozenset(_to_sym(s) for s in model.symbols(shown=True))))

        try:
            self._run(self._assumptions(values), on_model, timeout)
        finally:
            config.models = "0"
        return found[:cap], len(found) > cap

    def _run(self, assumptions: list[int], on_model: Callable[[clingo.Model], None], timeout: float | None) -> None:
        with self._ctl.solve(assumptions=assumptions, on_model=on_model, async_=True) as handle:
            if not handle.wait(timeout):
                handle.cancel()
                raise SolveTimeout()
            handle.get()


def facts_of(atoms: Iterable[Sym], name: str) -> list[Sym]:
    return sorted(a for a in atoms if a.name == name)
