"""Closed-world queries answered without a solve: a scenario's model found by what it changes.

In: an edition engine (`Engine`: its printed program, fact instances, the meaning of its shown
atoms and its action results) whose ground program `accord.solve.delta` can evaluate (stratified,
every fact instance known, no choice but the scenario's facts), and a scenario: true facts and at
most `MOST_UNKNOWN` unknown ones. Out: the actions' results, or the names of the constraints an
impossible scenario breaks: what the engine's solves give (tests hold the two equal).

Each unknown fact doubles the lanes (2^k completions, as in `accord.analyses.batch.direct`). An
atom holds in every reading when it holds in every lane that breaks no constraint, in some reading
when it holds in one; a scenario whose lanes all break a constraint is impossible, and the
constraints it breaks are those violated in some lane once constraints are relaxed, as the solver
path reads them. Only the actions whose shown atoms differ from the baseline (every fact false)
are worked out; the others keep their baseline result, computed once.

Which path is faster depends on the rule base: the evaluator wins by far on large programs, the
solver on small dense ones, where most rules lie in the cone of any fact. `PathChooser` decides per
engine by timing both on the first queries that both can answer.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Protocol

from accord.language import ir
from accord.results.query import ActionResult
from accord.solve import Sym
from accord.solve.delta import DeltaEvaluator
from accord.solve.observe import Unsupported, observe, text_sym

MOST_UNKNOWN = 6  # unknown facts answered here (2^6 lanes); more go to the solver


class PathChooser:
    """Times the evaluator and the solver on an engine's first `SAMPLES` queries that both answer,
    then keeps the one with the lower median. Either gives the same result; only the time differs."""

    SAMPLES = 5

    def __init__(self) -> None:
        self._fast: list[float] = []
        self._solver: list[float] = []
        self.use_fast: bool | None = None  # None: still timing both

    def record(self, fast: float, solver: float) -> None:
        self._fast.append(fast)
        self._solver.append(solver)
        if len(self._fast) >= self.SAMPLES:
            self.use_fast = statistics.median(self._fast) < statistics.median(self._solver)


class Engine(Protocol):
    program_text: str
    fact_space: tuple[ir.GroundAtom, ...]
    idle: list[ActionResult]

    def fact_symbol(self, atom: ir.GroundAtom) -> Sym | None: ...

    def meaning(self, atom: Sym) -> tuple[int, Sym]: ...

    def meaning_of_text(self, text: str) -> tuple[int, Sym | None] | None: ...

    def action_result(self, i: int, sure: set[Sym], maybe: set[Sym] | None) -> ActionResult: ...


class ClosedWorld:
    """One edition's closed-world scenarios, answered from its ground program's baseline model."""

    def __init__(self, engine: Engine) -> None:
        """Raises `Unsupported` when the edition's program cannot be evaluated this way."""
        program = observe(engine.program_text)
        self._engine = engine
        self.evaluator = DeltaEvaluator(program)
        self._input: dict[ir.GroundAtom, int] = {}  # each fact instance's chosen atom
        for fact in engine.fact_space:
            sym = engine.fact_symbol(fact)
            if sym is None or sym not in program.inputs:
                raise Unsupported("the program's facts are not the edition's")
            self._input[fact] = program.inputs[sym]
        if set(self._input.values()) != set(program.inputs.values()):
            raise Unsupported("the program's facts are not the edition's")
        always = 0  # stands for an atom that always holds (a shown fact)
        tags: dict[int, list[tuple[int, Sym]]] = {}  # action position -> (atom, tag)
        self._violated: list[tuple[int, str]] = []
        shown = [(atom, text) for atom, texts in sorted(program.shown_texts.items()) for text in texts]
        for atom, text in [*shown, *((always, text) for text in sorted(program.always_texts))]:
            read = engine.meaning_of_text(text)  # `meaning`, read off the text where it can be
            position, tag = engine.meaning(text_sym(text)) if read is None else read
            if position >= 0 and tag is not None:
                tags.setdefault(position, []).append((atom, tag))
            elif text.startswith("violated("):
                sym = text_sym(text)
                if sym.name == "violated" and len(sym.args) == 1:
                    self._violated.append((atom, sym.args[0].name))
        self._tags = tags
        self._actions_of: dict[int, list[int]] = {}  # atom -> the actions it speaks to
        for position, found in tags.items():
            for atom, _ in found:
                if atom != always:
                    self._actions_of.setdefault(atom, []).append(position)
        self._results: dict[tuple[int, int, int], ActionResult] = {}
        self.baseline = list(engine.idle)
        for position in tags:
            sure, some = self._bits(position, {}, 1, 1)
            if some:
                self.baseline[position] = self._result(position, sure, some)

    def answer(self, true: Iterable[ir.GroundAtom],
               unknown: Sequence[ir.GroundAtom]) -> tuple[ActionResult, ...] | list[str] | None:
        """Every action's result for a scenario (true facts, unknown ones, every other fact false;
        facts outside the edition's vocabulary are left out), or the names of the constraints it
        breaks when it is impossible; None when it has more than `MOST_UNKNOWN` unknown facts, or is
        impossible in a program without the `relaxed` external."""
        opened = sorted({self._input[f] for f in unknown if f in self._input})
        if len(opened) > MOST_UNKNOWN:
            return None
        lanes = 1 << len(opened)
        full = (1 << lanes) - 1
        assigned: dict[int, int] = {}
        for fact in true:
            atom = self._input.get(fact)
            if atom is not None:
                assigned[atom] = full
        for j, atom in enumerate(opened):
            assigned[atom] = sum(1 << lane for lane in range(lanes) if lane >> j & 1)
        evaluator = self.evaluator
        values, broken = evaluator.run(assigned, full)
        ok = full & ~broken
        if not ok:
            return None if evaluator.relaxed is None else self._violations(evaluator.relaxed, assigned, full)
        results = self.baseline.copy()
        touched = {position for atom in values for position in self._actions_of.get(atom, ())}
        for position in touched:
            sure, some = self._bits(position, values, full, ok)
            results[position] = self._result(position, sure, some) if some else self._engine.idle[position]
        if ok != full:  # an action no changed atom speaks to can still lose lanes: recompute every one
            for position in self._tags.keys() - touched:
                sure, some = self._bits(position, values, full, ok)
                results[position] = self._result(position, sure, some) if some else self._engine.idle[position]
        return tuple(results)

    def _bits(self, position: int, values: dict[int, int], full: int, ok: int) -> tuple[int, int]:
        """The bits of an action's tags that hold in every possible lane, and in some."""
        sure = some = 0
        value = self.evaluator.value
        for bit, (atom, _) in enumerate(self._tags[position]):
            held = (full if atom == 0 else value(atom, values, full)) & ok
            if held:
                some |= 1 << bit
                if held == ok:
                    sure |= 1 << bit
        return sure, some

    def _result(self, position: int, sure: int, some: int) -> ActionResult:
        key = (position, sure, some)
        found = self._results.get(key)
        if found is None:
            tags = self._tags[position]
            sure_tags = {tag for bit, (_, tag) in enumerate(tags) if sure >> bit & 1}
            some_tags = None if some == sure else {tag for bit, (_, tag) in enumerate(tags) if some >> bit & 1}
            if len(self._results) > _MEMO_SIZE:
                self._results.clear()
            found = self._results[key] = self._engine.action_result(position, sure_tags, some_tags)
        return found

    def _violations(self, relaxed: int, assigned: dict[int, int], full: int) -> list[str]:
        """The constraints an impossible scenario breaks: those violated in some lane that breaks no
        constraint once constraints are relaxed (none, when every such lane breaks one too)."""
        values, broken = self.evaluator.run({**assigned, relaxed: full}, full)
        ok = full & ~broken
        value = self.evaluator.value
        return sorted({name for atom, name in self._violated
                       if (full if atom == 0 else value(atom, values, full)) & ok})


_MEMO_SIZE = 100_000  # action results kept for reuse
