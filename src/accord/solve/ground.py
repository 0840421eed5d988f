"""One edition's program, grounded once and asked many times (`accord query`, tests, batches).

In: the printed program of an edition. Out: `GroundProgram`, answering scenarios through
assumptions on `holds/1`: cautious and brave consequences, or the answer sets, under a time limit
and a cap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import clingo

from accord.solve.core import (
    Answer,
    Mode,
    SolveTimeout,
    Sym,
    grounded,
    models_setting,
    solve_config,
    solver_config,
    time_limit,
    to_sym,
)


@dataclass(frozen=True, slots=True)
class Assumptions:
    """A scenario's solver assumptions, prepared by `GroundProgram.closed_world`."""

    literals: list[int]


class GroundProgram:
    """One edition's program, grounded once, asked many times.

    The query path is kept lean (docs/performance.md): assumptions for a closed-world scenario are
    one list copy away (`closed_world`), solving is synchronous unless a time limit needs a
    watchdog, the solver configuration is only touched when it changes, and only the final model's
    symbols are converted, through a cache, to `Sym`s.
    """

    def __init__(self, program: str) -> None:
        self._ctl = grounded(program)
        self._literals: dict[Sym, int] = {}
        for atom in self._ctl.symbolic_atoms.by_signature("holds", 1):
            self._literals[_fact(atom.symbol)] = atom.literal
        order = sorted(self._literals)
        self._position = {fact: i for i, fact in enumerate(order)}
        self._all_false = [-self._literals[fact] for fact in order]
        self._syms: dict[clingo.Symbol, Sym] = {}
        self._by_handle: dict[int, Sym] = {}
        self._config = solve_config(self._ctl)
        self._setting: tuple[str, str] | None = None

    def knows(self, fact: Sym) -> bool:
        return fact in self._literals

    def facts(self) -> frozenset[Sym]:
        """Every fact instance the program can assume (the arguments of its `holds/1` atoms)."""
        return frozenset(self._literals)

    def closed_world(self, true: Iterable[Sym], unknown: Iterable[Sym] = ()) -> Assumptions:
        """The assumptions of a scenario: `true` facts hold, `unknown` ones are open, every other
        fact is false; facts the program does not know are left out. The same literals, in the same
        order, as a full value map over `facts()` would give."""
        literals = self._all_false.copy()
        position = self._position
        for fact in true:
            i = position.get(fact)
            if i is not None:
                literals[i] = self._literals[fact]
        for fact in unknown:
            i = position.get(fact)
            if i is not None:
                literals[i] = 0
        return Assumptions(list(filter(None, literals)))

    def _assumptions(self, values: Mapping[Sym, bool] | Assumptions) -> list[int]:
        if isinstance(values, Assumptions):
            return values.literals
        return [self._literals[f] if v else -self._literals[f] for f, v in sorted(values.items())]

    def _configure(self, enum_mode: str, models: str) -> None:
        if self._setting != (enum_mode, models):
            self._config.enum_mode = enum_mode
            self._config.models = models
            self._setting = (enum_mode, models)

    def _answer(self, symbols: Sequence[clingo.Symbol]) -> Answer:
        # clingo 5 hands a model's symbols over as an array of integer handles; reading those
        # directly skips building a Python `Symbol` per atom. Equal handles are equal symbols.
        raw = getattr(symbols, "_p_symbols", None)
        if raw is None:  # pragma: no cover - another clingo release: the public (slower) way
            return Answer(frozenset(self._sym(s) for s in symbols))
        cache = self._by_handle
        try:
            return Answer(frozenset([cache[handle] for handle in raw]))
        except KeyError:  # atoms not seen before: convert them once
            for i, handle in enumerate(raw):
                if handle not in cache:
                    cache[handle] = self._sym(symbols[i])
            return Answer(frozenset([cache[handle] for handle in raw]))

    def _sym(self, symbol: clingo.Symbol) -> Sym:
        value = self._syms.get(symbol)
        if value is None:
            value = self._syms[symbol] = to_sym(symbol)
        return value

    def consequences(
        self, values: Mapping[Sym, bool] | Assumptions, mode: Mode, timeout: float | None, relaxed: bool = False
    ) -> Answer | None:
        """Brave or cautious consequences; None when no answer set exists.

        With `relaxed`, domain constraints are switched off, to report which ones a scenario breaks.
        """
        self._configure(mode, "0")
        last: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [model.symbols(shown=True)]  # converted once, at the end

        relax = clingo.Function("relaxed")
        try:
            if relaxed:
                self._ctl.assign_external(relax, True)
            self._run(self._assumptions(values), on_model, timeout)
        finally:
            if relaxed:
                self._ctl.assign_external(relax, False)
        return self._answer(last[0]) if last else None

    def bounds(self, values: Mapping[Sym, bool] | Assumptions, timeout: float | None) -> tuple[Answer, Answer] | None:
        """The cautious and brave consequences in one solve, by enumerating every answer set (so
        only for a handful of them: a few unknown facts); None when there is no answer set."""
        self._configure("auto", "0")
        found: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            found.append(model.symbols(shown=True))

        self._run(self._assumptions(values), on_model, timeout)
        if not found:
            return None
        if len(found) == 1:
            only = self._answer(found[0])
            return only, only
        answers = [self._answer(f).atoms for f in found]
        return Answer(frozenset.intersection(*answers)), Answer(frozenset.union(*answers))

    def only_answer(self, values: Mapping[Sym, bool] | Assumptions, timeout: float | None) -> Answer | None:
        """The answer set when the assumptions leave at most one (every choice fixed), else the
        first one found; None when there is none. One model, no enumeration."""
        self._configure("auto", "1")
        found: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            found.append(model.symbols(shown=True))

        self._run(self._assumptions(values), on_model, timeout)
        return self._answer(found[0]) if found else None

    def answer_sets(
        self, values: Mapping[Sym, bool] | Assumptions, cap: int, timeout: float | None
    ) -> tuple[list[Answer], bool]:
        """Up to `cap` answer sets, and whether there were more.

        Which answer sets a cap keeps depends on the order the solver finds them in, and that order
        on what earlier solves taught its heuristic. This solve starts from the solver's initial
        heuristic state instead, so that the same question keeps the same answer sets whatever was
        asked before (a server that has answered other queries, a fresh process). Only here:
        forgetting costs every other solve time, and their answers do not depend on the order.
        """
        self._configure("auto", models_setting(cap + 1))
        found: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            found.append(model.symbols(shown=True))

        solver = solver_config(self._ctl)
        solver.forget_on_step = _FORGET
        try:
            self._run(self._assumptions(values), on_model, timeout)
        finally:
            solver.forget_on_step = "no"
        return [self._answer(f) for f in found[:cap]], len(found) > cap

    def _run(self, assumptions: list[int], on_model: Callable[[clingo.Model], None], timeout: float | None) -> None:
        timeout = time_limit(timeout)
        if timeout is None:  # no watchdog needed: a synchronous solve saves a thread hand-off
            self._ctl.solve(assumptions=assumptions, on_model=on_model)
            return
        with self._ctl.solve(assumptions=assumptions, on_model=on_model, async_=True) as handle:
            if not handle.wait(timeout):
                handle.cancel()
                raise SolveTimeout()
            handle.get()


_FORGET = "varScores,signs,lemmaScores,lemmas"  # what a solve that must not depend on earlier ones forgets
_NAME = r"[a-z_][A-Za-z0-9_']*"
_PLAIN_FACT = re.compile(rf"holds\(({_NAME})(?:\(({_NAME}(?:,{_NAME})*)\))?\)")


def _fact(symbol: clingo.Symbol) -> Sym:
    """The fact of a `holds/1` atom. A fact of plain names (every fact accord writes) is read off
    the atom's text, one call into clingo instead of one per argument; any other the long way."""
    plain = _PLAIN_FACT.fullmatch(str(symbol))
    if plain is None:
        return to_sym(symbol.arguments[0])
    name, args = plain[1], plain[2]
    return Sym(name, tuple(Sym(a) for a in args.split(","))) if args is not None else Sym(name)


def facts_of(atoms: Iterable[Sym], name: str) -> list[Sym]:
    return sorted(a for a in atoms if a.name == name)
