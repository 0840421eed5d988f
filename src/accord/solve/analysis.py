"""Asking one program about any of its atoms (`accord explain`, `accord when`, `accord check`).

In: a traced program. Out: `AnalysisProgram`: single models, brave or cautious consequences, and
subset-minimal answer sets under assumptions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import clingo

from accord.solve.core import (
    Answer,
    Mode,
    SolveTimeout,
    Sym,
    grounded,
    models_setting,
    solve_config,
    time_limit,
    to_sym,
)


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
        self._ctl = grounded(program, ["--heuristic=Domain"])
        self._literals = {to_sym(a.symbol): a.literal for a in self._ctl.symbolic_atoms}
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
        config = solve_config(self._ctl)
        config.enum_mode, config.models = mode, "0"
        last: list[frozenset[Sym]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [frozenset(to_sym(s) for s in model.symbols(shown=True))]

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
        config = solve_config(self._ctl)
        config.enum_mode, config.models = ("domRec" if minimal else "auto"), models_setting(cap + 1)
        found: list[Answer] = []

        def on_model(model: clingo.Model) -> None:
            symbols = model.symbols(atoms=True) if everything else model.symbols(shown=True)
            found.append(Answer(frozenset(to_sym(s) for s in symbols)))

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
