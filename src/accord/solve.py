"""Solving: the only module that talks to clingo.

In: the printed program of one edition. Out: a `GroundProgram`, grounded once, that answers any
number of scenarios through assumptions on its `holds/1` atoms: the consequences true in every
answer set (cautious), in some (brave), or the answer sets themselves, with a time limit and a cap
on the number of answer sets. `SearchProgram` searches a whole scenario space instead (`accord
diff`): brave consequences, and fewest-fact / subset-minimal answer sets as witnesses. Every clingo
symbol is turned into accord's own `Sym` values here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
        order = sorted(self._literals)
        self._position = {fact: i for i, fact in enumerate(order)}
        self._all_false = [-self._literals[fact] for fact in order]
        self._syms: dict[clingo.Symbol, Sym] = {}
        self._by_handle: dict[int, Sym] = {}
        self._config = _solve_config(self._ctl)
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
            value = self._syms[symbol] = _to_sym(symbol)
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
        """Up to `cap` answer sets, and whether there were more."""
        self._configure("auto", models_setting(cap + 1))
        found: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            found.append(model.symbols(shown=True))

        self._run(self._assumptions(values), on_model, timeout)
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


def facts_of(atoms: Iterable[Sym], name: str) -> list[Sym]:
    return sorted(a for a in atoms if a.name == name)


class SearchProgram:
    """A program grounded once for searching a scenario space (`accord diff`).

    `brave` gives the shown atoms true in some answer set under assumptions (one solve call, the
    exhaustive search proves the rest false). `minimal_models` gives answer sets whose true atoms of
    the `free` predicate are fewest (clingo optimisation), and, when more are asked for than there
    are optimal ones, further subset-minimal ones (domain heuristic, `domRec` enumeration): in each,
    no true `free` atom could be made false. Atoms are accord `Sym`s; assumptions name atoms.
    """

    def __init__(self, program: str, free: tuple[str, int]) -> None:
        messages: list[str] = []
        self._ctl = clingo.Control(
            ["--warn=none", "--heuristic=Domain", "--opt-strategy=usc"],
            logger=lambda _code, msg: messages.append(msg), message_limit=5,
        )
        try:
            self._ctl.add("base", [], program)
            self._ctl.ground([("base", [])])
        except RuntimeError as err:
            raise SolverError("; ".join(messages) or str(err)) from err
        self._free = [(_to_sym(a.symbol), a.literal) for a in self._ctl.symbolic_atoms.by_signature(*free)]
        with self._ctl.backend() as backend:
            backend.add_minimize(0, [(lit, 1) for _, lit in self._free])
            for _, lit in self._free:
                backend.add_heuristic(lit, clingo.HeuristicType.False_, 1, 1, [])
        self._literals: dict[Sym, int | None] = {}

    def literal(self, atom: Sym) -> int | None:
        """The program literal of an atom, or None when grounding showed it can never be true."""
        if atom not in self._literals:
            found = self._ctl.symbolic_atoms[_to_symbol(atom)]
            self._literals[atom] = None if found is None else found.literal
        return self._literals[atom]

    def _assumptions(self, values: Mapping[Sym, bool]) -> list[int] | None:
        out = []
        for atom, value in sorted(values.items()):
            lit = self.literal(atom)
            if lit is None:
                if value:
                    return None
                continue
            out.append(lit if value else -lit)
        return out

    def brave(self, values: Mapping[Sym, bool], timeout: float | None) -> frozenset[Sym] | None:
        """The shown atoms true in some answer set; None when there is no answer set."""
        assumptions = self._assumptions(values)
        if assumptions is None:
            return None
        config = _solve_config(self._ctl)
        solver: Any = self._ctl.configuration.solver
        # The sign heuristic that makes witnesses small makes brave enumeration crawl: use clingo's default.
        config.enum_mode, config.opt_mode, config.models = "brave", "ignore", "0"
        solver.heuristic = "Vsids,92"
        last: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [model.symbols(shown=True)]  # converted once, at the end: conversion is slow

        try:
            self._run(assumptions, on_model, timeout)
        finally:
            config.enum_mode, config.opt_mode = "auto", "opt"
            solver.heuristic = "Domain"
        return frozenset(_to_sym(s) for s in last[0]) if last else None

    def minimal_models(
        self, values: Mapping[Sym, bool], count: int, read: Iterable[Sym], timeout: float | None
    ) -> list[frozenset[Sym]]:
        """Up to `count` distinct minimal answer sets (fewest free atoms first), as the free atoms and
        the `read` atoms true in each; optimal ones first, then further subset-minimal ones by size."""
        assumptions = self._assumptions(values)
        if assumptions is None or count < 1:
            return []
        extra = [(atom, lit) for atom in dict.fromkeys(read) if (lit := self.literal(atom)) is not None]
        watched = self._free + extra
        config = _solve_config(self._ctl)
        optimal: list[frozenset[Sym]] = []

        def read_model(model: clingo.Model) -> frozenset[Sym]:
            return frozenset(atom for atom, lit in watched if model.is_true(lit))

        def on_optimal(model: clingo.Model) -> None:
            if model.optimality_proven:
                optimal.append(read_model(model))

        config.opt_mode = "optN" if count > 1 else "opt"
        config.models = models_setting(count if count > 1 else 0)
        try:
            if count == 1:
                best: list[frozenset[Sym]] = []

                def on_better(model: clingo.Model) -> None:
                    best[:] = [read_model(model)]

                self._run(assumptions, on_better, timeout)
                return best
            self._run(assumptions, on_optimal, timeout)
            if len(optimal) >= count or not optimal:
                return optimal[:count]
            more: list[frozenset[Sym]] = []
            config.enum_mode, config.opt_mode, config.models = "domRec", "ignore", models_setting(count)
            self._run(assumptions, lambda m: more.append(read_model(m)), timeout)
        finally:
            config.enum_mode, config.opt_mode, config.models = "auto", "opt", "0"
        free = {atom for atom, _ in self._free}
        further = sorted((m for m in set(more) if m not in optimal),
                         key=lambda m: (len(m & free), sorted(str(a) for a in m & free)))
        return optimal + further[: count - len(optimal)]

    def _run(self, assumptions: list[int], on_model: Callable[[clingo.Model], None], timeout: float | None) -> None:
        with self._ctl.solve(assumptions=assumptions, on_model=on_model, async_=True) as handle:
            if not handle.wait(time_limit(timeout)):
                handle.cancel()
                raise SolveTimeout()
            handle.get()


class AnalysisProgram:
    """A program grounded once and asked with assumptions on any of its atoms (`accord explain`,
    `accord when`, the semantic findings of `accord check`).

    `model` gives one answer set (all shown atoms), `consequences` the brave or cautious ones, and
    `minimal` answer sets that are subset-minimal in the atoms of the `free` predicates (domain
    heuristic: those atoms are preferred false; `domRec` enumeration: no later answer set is a
    superset of an earlier one). Assuming an atom true that grounding showed can never hold makes
    the question unsatisfiable; assuming it false is then a no-op.
    """

    def __init__(self, program: str, free: Iterable[tuple[str, int]] = ()) -> None:
        messages: list[str] = []
        self._ctl = clingo.Control(
            ["--warn=none", "--heuristic=Domain"], logger=lambda _code, msg: messages.append(msg), message_limit=5
        )
        try:
            self._ctl.add("base", [], program)
            self._ctl.ground([("base", [])])
        except RuntimeError as err:
            raise SolverError("; ".join(messages) or str(err)) from err
        self._literals = {_to_sym(a.symbol): a.literal for a in self._ctl.symbolic_atoms}
        with self._ctl.backend() as backend:
            for signature in free:
                for atom in self._ctl.symbolic_atoms.by_signature(*signature):
                    backend.add_heuristic(atom.literal, clingo.HeuristicType.False_, 1, 1, [])

    def knows(self, atom: Sym) -> bool:
        """Whether the ground program has the atom (it can be true in some answer set)."""
        return atom in self._literals

    def atoms(self, name: str, arity: int) -> list[Sym]:
        return sorted(a for a in self._literals if a.name == name and len(a.args) == arity)

    def _assumptions(self, values: Mapping[Sym, bool]) -> list[int] | None:
        out = []
        for atom, value in sorted(values.items()):
            lit = self._literals.get(atom)
            if lit is None:
                if value:
                    return None
                continue
            out.append(lit if value else -lit)
        return out

    def model(self, values: Mapping[Sym, bool], timeout: float | None) -> Answer | None:
        """The shown atoms of one answer set; None when there is none."""
        found, _more = self.minimal(values, 1, timeout, minimal=False)
        return found[0] if found else None

    def consequences(self, values: Mapping[Sym, bool], mode: Mode, timeout: float | None) -> Answer | None:
        """Brave or cautious consequences among the shown atoms; None when there is no answer set."""
        assumptions = self._assumptions(values)
        if assumptions is None:
            return None
        config = _solve_config(self._ctl)
        config.enum_mode, config.models = mode, "0"
        last: list[frozenset[Sym]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [frozenset(_to_sym(s) for s in model.symbols(shown=True))]

        try:
            self._run(assumptions, on_model, timeout)
        finally:
            config.enum_mode = "auto"
        return Answer(last[0]) if last else None

    def minimal(
        self, values: Mapping[Sym, bool], cap: int, timeout: float | None, minimal: bool = True,
        everything: bool = False,
    ) -> tuple[list[Answer], bool]:
        """Up to `cap` answer sets, subset-minimal in the free atoms (or any, with `minimal=False`),
        in the solver's order, and whether there were more; each as its shown atoms, or with
        `everything` as all its atoms."""
        assumptions = self._assumptions(values)
        if assumptions is None:
            return [], False
        config = _solve_config(self._ctl)
        config.enum_mode, config.models = ("domRec" if minimal else "auto"), models_setting(cap + 1)
        found: list[Answer] = []

        def on_model(model: clingo.Model) -> None:
            symbols = model.symbols(atoms=True) if everything else model.symbols(shown=True)
            found.append(Answer(frozenset(_to_sym(s) for s in symbols)))

        try:
            self._run(assumptions, on_model, timeout)
        finally:
            config.enum_mode, config.models = "auto", "0"
        return found[:cap], len(found) > cap

    def _run(self, assumptions: list[int], on_model: Callable[[clingo.Model], None], timeout: float | None) -> None:
        with self._ctl.solve(assumptions=assumptions, on_model=on_model, async_=True) as handle:
            if not handle.wait(time_limit(timeout)):
                handle.cancel()
                raise SolveTimeout()
            handle.get()
