"""The raw-clingo peer of accord's warm query: clingo alone on the same printed program.

In: an edition's printed program (`EditionEngine.program_text`) and scenarios as fact texts
(true, unknown; every other fact false). Out: per scenario, what holds in every completion of the
unknown facts and in some (statuses and clause roles per action), or the domain constraints it
breaks; and the same solves with nothing read, the solver alone.

Set up as a clingo user would drive it from Python: one `Control`, grounded once; a scenario is
one solve with assumptions on the `holds/1` atoms, models read with the public
`Model.symbols(shown=True)`. It asks clingo exactly what accord's engine asks
(`accord.analyses.engine.EditionEngine.query`, `accord.solve.ground.GroundProgram`): with no unknown
fact, one model (`models=1`); with one to three, every answer set in one solve, intersected and
joined; with more, a cautious and then a brave solve; with no answer set, a brave solve with the
`relaxed` external on, for the constraints broken. The solve configuration is only touched when
it changes, as accord's is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import clingo

from accord.results.query import Extent, QueryResult, Role

ENUMERATE_UP_TO = 3  # as accord's engine: up to 2^3 answer sets are listed, not bounded twice
Answers = frozenset[tuple[str, ...]]


class RawClingo:
    def __init__(self, program: str) -> None:
        self.ctl = clingo.Control(["--warn=none"])
        self.ctl.add("base", [], program)
        self.ctl.ground([("base", [])])
        self.literal = {str(a.symbol.arguments[0]): a.literal for a in self.ctl.symbolic_atoms.by_signature("holds", 1)}
        self._config = self.ctl.configuration.solve
        self._setting: tuple[str, str] | None = None
        self._relaxed = clingo.Function("relaxed")

    def _configure(self, mode: str, models: str) -> None:
        if self._setting != (mode, models):
            self._config.enum_mode = mode
            self._config.models = models
            self._setting = (mode, models)

    def assumptions(self, true: Iterable[str], unknown: Iterable[str]) -> tuple[list[int], int]:
        """The scenario's literals, and how many unknown facts the program knows."""
        t, u = set(true), set(unknown)
        literals = [lit if text in t else -lit for text, lit in self.literal.items() if text not in u]
        return literals, len(u & self.literal.keys())

    def query(self, true: Iterable[str], unknown: Iterable[str], read: bool = True) -> Any:
        """(cautious, brave) shown symbols, or ("impossible", violated symbols); with `read` False,
        the same solves with no model read (the solver alone), returning None."""
        assumptions, k = self.assumptions(true, unknown)
        found: list[list[clingo.Symbol]] = []

        def keep(model: clingo.Model) -> None:
            found.append(model.symbols(shown=True))

        on_model = keep if read else None
        if k == 0:
            self._configure("auto", "1")
            result = self.ctl.solve(assumptions=assumptions, on_model=on_model)
        elif k <= ENUMERATE_UP_TO:
            self._configure("auto", "0")
            result = self.ctl.solve(assumptions=assumptions, on_model=on_model)
        else:
            self._configure("cautious", "0")
            result = self.ctl.solve(assumptions=assumptions, on_last=on_model)
            if result.satisfiable:
                self._configure("brave", "0")
                self.ctl.solve(assumptions=assumptions, on_last=on_model)
        if not result.satisfiable:
            self.ctl.assign_external(self._relaxed, True)
            self._configure("brave", "0")
            found.clear()
            self.ctl.solve(assumptions=assumptions, on_last=on_model)
            self.ctl.assign_external(self._relaxed, False)
            return ("impossible", found[-1]) if read else None
        if not read:
            return None
        if k > ENUMERATE_UP_TO:
            return set(found[0]), set(found[1])
        first = set(found[0])
        return first.intersection(*found[1:]), first.union(*found[1:])


_STATUSES = ("permitted", "forbidden", "required", "conflict")
_ROLE_ATOM = {Role.PERMITS: "applies", Role.REQUIRES: "applies", Role.FORBIDS: "applies",
              Role.EXCEPTION_HELD: "excused", Role.OVERRIDDEN: "overridden"}


def raw_answers(answer: Any) -> Answers:
    """What a raw answer says, in the terms `accord_answers` uses."""
    if answer[0] == "impossible":
        return frozenset(("violated", s.arguments[0].name) for s in answer[1] if s.name == "violated")
    cautious, brave = answer
    out = set()
    for symbol in brave:
        extent = Extent.ALWAYS.value if symbol in cautious else Extent.SOMETIMES.value
        if symbol.name in _STATUSES:
            out.add((symbol.name, str(symbol.arguments[0]), str(symbol.arguments[1]), extent))
        elif symbol.name in ("applies", "excused", "overridden"):
            out.add((symbol.name, symbol.arguments[0].string, str(symbol.arguments[1]), str(symbol.arguments[2]),
                     extent))
    return frozenset(out)


def accord_answers(result: QueryResult) -> Answers:
    """What accord's result says: each action's statuses and clause roles, with their extents."""
    if not result.possible:
        return frozenset(("violated", v.constraint) for v in result.violations)
    out = set()
    for a in result.actions:
        action = f"{a.action}({','.join(a.arguments)})" if a.arguments else a.action
        for status in _STATUSES:
            extent: Extent = getattr(a, status)
            if extent is not Extent.NEVER:
                out.add((status, a.actor, action, extent.value))
        for c in a.clauses:
            out.add((_ROLE_ATOM[c.role], c.id, a.actor, action, c.extent.value))
    return frozenset(out)
