"""Searching a whole scenario space (`accord diff`).

In: a program with a free choice over scenario facts. Out: `SearchProgram`: brave consequences,
and fewest-fact or subset-minimal answer sets as witnesses.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import clingo

from accord.solve import binding
from accord.solve.binding import ffi, lib, raise_error
from accord.solve.core import (
    SolveTimeout,
    Sym,
    grounded,
    models_setting,
    read_sym,
    solve_config,
    time_limit,
    to_sym,
)
from accord.solve.symbolic import AtomLiterals, signature_atoms
from accord.solve.watchdog import WATCHDOG


class SearchProgram:
    """A program grounded once for searching a scenario space (`accord diff`).

    `brave` gives the shown atoms true in some answer set under assumptions (one solve call, the
    exhaustive search proves the rest false; with an `echo`, while its external atom is false).
    `minimal_models` gives answer sets whose true atoms of the `free` predicate are fewest (clingo
    optimisation), and, when more are asked for than there are optimal ones, further subset-minimal
    ones (domain heuristic, `domRec` enumeration): in each, no true `free` atom could be made false.
    Atoms are accord `Sym`s; assumptions name atoms.

    `echo` = (E, P) says that the program shows P(F) for every true free atom F while the external
    atom E holds: witnesses are then read from the few shown atoms instead of by asking whether
    each free atom is true, which costs more than a small solve.
    """

    def __init__(self, program: str, free: tuple[str, int], echo: tuple[str, str] | None = None) -> None:
        self._ctl = grounded(program, ["--heuristic=Domain", "--opt-strategy=usc"])
        self._free_signature = free
        self._echo = echo
        self._echo_on = False
        self._setting: tuple[str, str, str, str] | None = None  # as last set by `_configure`
        self._reader = _FreeReader(signature_atoms(self._ctl, *free), free, echo)
        with self._ctl.backend() as backend:
            backend.add_minimize(0, [(lit, 1) for lit, _ in self._reader.free])
            for lit, _ in self._reader.free:
                backend.add_heuristic(lit, clingo.HeuristicType.False_, 1, 1, [])
        self._literals: dict[Sym, int | None] = {}
        self._find = AtomLiterals(self._ctl)
        self._spent = False

    def _configure(self, enum_mode: str, opt_mode: str, models: str, heuristic: str = "Domain") -> None:
        """Set how the next solve runs, touching only the settings that change."""
        wanted = (enum_mode, opt_mode, models, heuristic)
        if wanted == self._setting:
            return
        now = self._setting or ("",) * 4
        config = solve_config(self._ctl)
        for name, value, old in zip(("enum_mode", "opt_mode", "models"), wanted, now, strict=False):
            if value != old:
                setattr(config, name, value)
        if heuristic != now[3]:
            solver: Any = self._ctl.configuration.solver
            solver.heuristic = heuristic
        self._setting = wanted

    def _echoing(self, on: bool) -> None:
        """Switch the echo on for witnesses, off for brave searches; only when it changes, since
        clingo prepares the whole program again after an external atom changes."""
        if self._echo is not None and self._echo_on != on:
            self._ctl.assign_external(clingo.Function(self._echo[0]), on)
            self._echo_on = on

    def literal(self, atom: Sym) -> int | None:
        """The program literal of an atom, or None when grounding showed it can never be true."""
        literals = self._literals
        if atom in literals:
            return literals[atom]
        found = literals[atom] = self._find(atom)
        return found

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
        # The sign heuristic that makes witnesses small makes brave enumeration crawl: use clingo's default.
        self._configure("brave", "ignore", "0", "Vsids,92")
        self._echoing(False)
        last: list[Sequence[clingo.Symbol]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [model.symbols(shown=True)]  # converted once, at the end: conversion is slow

        self._run(assumptions, on_model, timeout)
        return frozenset(to_sym(s) for s in last[0]) if last else None

    def minimal_models(
        self, values: Mapping[Sym, bool], count: int, read: Iterable[Sym], timeout: float | None
    ) -> list[frozenset[Sym]]:
        """Up to `count` distinct minimal answer sets (fewest free atoms first), as the free atoms and
        the `read` atoms true in each; optimal ones first, then further subset-minimal ones by size."""
        assumptions = self._assumptions(values)
        if assumptions is None or count < 1:
            return []
        extra = [(atom, lit) for atom in dict.fromkeys(read) if (lit := self.literal(atom)) is not None]
        optimal: list[frozenset[Sym]] = []

        atoms, literals = [atom for atom, _ in extra], [lit for _, lit in extra]

        reader = self._reader  # not `self`: clingo keeps the last solve's callback (see `_FreeReader`)

        def read_model(model: clingo.Model) -> frozenset[Sym]:
            held = itertools.compress(atoms, _truths(model, literals))
            return frozenset([*reader.free_in(model), *held])

        def on_optimal(model: clingo.Model) -> None:
            if model.optimality_proven:
                optimal.append(read_model(model))

        self._echoing(True)
        if count == 1:
            best: list[frozenset[Sym]] = []

            def on_better(model: clingo.Model) -> None:
                best[:] = [read_model(model)]

            self._configure("auto", "opt", "0")
            self._run(assumptions, on_better, timeout)
            return best
        self._configure("auto", "optN", models_setting(count))
        self._run(assumptions, on_optimal, timeout)
        if len(optimal) >= count or not optimal:
            return optimal[:count]
        more: list[frozenset[Sym]] = []
        self._configure("domRec", "ignore", models_setting(count))
        self._run(assumptions, lambda m: more.append(read_model(m)), timeout)
        free = {atom for m in more for atom in m if (atom.name, len(atom.args)) == self._free_signature}
        further = sorted((m for m in set(more) if m not in optimal),
                         key=lambda m: (len(m & free), sorted(str(a) for a in m & free)))
        return optimal + further[: count - len(optimal)]

    def _run(self, assumptions: list[int], on_model: Callable[[clingo.Model], None], timeout: float | None) -> None:
        """One synchronous solve (the search stays on this thread; `watchdog` says why), stopped
        when the time limit is up. After a timeout the program answers no more: an interrupt that
        came as the search ended would stop its next solve."""
        if self._spent:
            raise SolveTimeout()
        limit = time_limit(timeout)
        if limit is None:
            self._ctl.solve(assumptions=assumptions, on_model=on_model)
            return
        start = time.monotonic()
        token = WATCHDOG.arm(self._ctl, limit)
        try:
            result = self._ctl.solve(assumptions=assumptions, on_model=on_model)
        finally:
            late = WATCHDOG.disarm(token)
        if late or result.interrupted or time.monotonic() - start > limit:
            self._spent = True
            raise SolveTimeout()


class _FreeReader:
    """The free atoms true in a model: from the shown echo atoms, or else asked one by one.

    Apart from the `SearchProgram`, so that the callbacks of a solve refer to it and not to the
    program: a clingo `Control` keeps its last solve's callback, and a callback that held the
    program would make a reference cycle, which leaves the control and everything the program
    read to the cycle collector (paused during a diff) instead of freeing them at once."""

    def __init__(self, free: Iterable[tuple[str, int]], signature: tuple[str, int],
                 echo: tuple[str, str] | None) -> None:
        # Free atoms, as (literal, text), read in bulk (`signature_atoms`), are turned into `Sym`s
        # only when a witness holds them: converting is slow.
        self.free = [(literal, text) for text, literal in free]
        self._signature = signature
        self._echo = echo
        self._syms: dict[int, Sym] = {}
        self._echoed: dict[clingo.Symbol, Sym | None] = {}

    def _sym(self, literal: int, text: str) -> Sym:
        found = self._syms.get(literal)
        if found is None:
            found = self._syms[literal] = read_sym(text) or to_sym(clingo.parse_term(text))
        return found

    def free_in(self, model: clingo.Model) -> list[Sym]:
        if self._echo is None:
            return [self._sym(lit, text) for lit, text in self.free if model.is_true(lit)]
        out = []
        for symbol in model.symbols(shown=True):  # the same few atoms again and again: each read once
            if symbol in self._echoed:
                found = self._echoed[symbol]
            else:
                found = self._echoed[symbol] = (
                    Sym(self._signature[0], (to_sym(symbol.arguments[0]),))
                    if symbol.match(self._echo[1], 1) else None)
            if found is not None:
                out.append(found)
        return out


def _truths(model: clingo.Model, literals: Sequence[int]) -> list[bool]:
    """Whether each program literal is true in the model (`Model.is_true`), with clingo's C call made
    directly: a witness reads each of its target's status and role atoms."""
    rep = getattr(model, "_rep", None)
    if rep is None or not binding.has("clingo_model_is_true"):  # pragma: no cover - a clingo without the binding
        return [model.is_true(lit) for lit in literals]
    cell = ffi.new("bool*")
    is_true = lib.clingo_model_is_true
    out = []
    for lit in literals:
        if not is_true(rep, lit, cell):
            raise_error()
        out.append(bool(cell[0]))
    return out
