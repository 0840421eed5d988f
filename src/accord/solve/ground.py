"""One edition's program, grounded once and asked many times (`accord query`, tests, batches).

In: the printed program of an edition. Out: `GroundProgram`, answering scenarios through
assumptions on `holds/1`: cautious and brave consequences, or the answer sets, under a time limit
and a cap; as `Answer`s of accord's values, or, for the query path, as the numbers of the shown
atoms (`Shown`), which `GroundProgram.atom` turns into values and `GroundProgram.text` into their
text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cached_property

import clingo

from accord.solve.core import (
    NAME,
    Answer,
    Mode,
    SolveTimeout,
    Sym,
    grounded,
    models_setting,
    read_sym,
    solve_config,
    time_limit,
    to_sym,
)
from accord.solve.shown import reader
from accord.solve.symbolic import signature_atoms

# The shown atoms of an answer set or of consequences, as atom numbers of the program that made them
# (small integers, one per distinct atom: `accord.solve.shown`).
Shown = Collection[int]


@dataclass(frozen=True, slots=True)
class Assumptions:
    """A scenario's solver assumptions, prepared by `GroundProgram.closed_world`."""

    literals: list[int]


class GroundProgram:
    """One edition's program, grounded once, asked many times.

    The query path is kept lean (docs/performance.md): assumptions for a closed-world scenario are
    one list copy away (`closed_world`), solving is synchronous unless a time limit needs a
    watchdog, the solver configuration is only touched when it changes, a model's shown atoms are
    read as integers in one call (`accord.solve.shown`), of consequences only the final model's, and
    the `shown_*` methods hand those integers over as they are: a caller that gives them meaning once
    per number (`EditionEngine`) never builds a `Sym` per atom and query.
    """

    def __init__(self, program: str) -> None:
        self._program = program
        self._ctl = grounded(program)
        # Each fact's literal, by the fact's text as clingo writes it (`f(a,b)`), in clingo's order;
        # the facts as values are read off these texts only when asked for (`_facts`).
        self._holds = {text[_HOLDS:-1]: literal for text, literal in signature_atoms(self._ctl, "holds", 1)}
        self._reader = reader()
        self._atoms: dict[int, Sym] = {}  # atom number -> value, for the numbers met so far
        self._config = solve_config(self._ctl)
        self._setting: tuple[str, str] | None = None

    @cached_property
    def _facts(self) -> dict[str, Sym]:
        """Each fact's value, by its text."""
        facts = {text: fact for text in self._holds for fact in [_fact(text)] if fact is not None}
        if len(facts) < len(self._holds):  # facts that are not one plain term: read part by part
            for atom in self._ctl.symbolic_atoms.by_signature("holds", 1):
                argument = atom.symbol.arguments[0]
                facts.setdefault(str(argument), to_sym(argument))
        return facts

    @cached_property
    def _literals(self) -> dict[Sym, int]:
        facts = self._facts
        return {facts[text]: literal for text, literal in self._holds.items()}

    @cached_property
    def _world(self) -> tuple[dict[str, int], list[int]]:
        """Each fact's position in the order of the facts' values (a sorted value map's order), by
        its text, and the literals that make every fact false, in that order."""
        order = _in_value_order(self._holds.keys()) or sorted(self._holds, key=self._facts.__getitem__)
        holds = self._holds
        return {text: i for i, text in enumerate(order)}, [-holds[text] for text in order]

    def knows(self, fact: Sym) -> bool:
        return fact in self._literals

    def facts(self) -> frozenset[Sym]:
        """Every fact instance the program can assume (the arguments of its `holds/1` atoms)."""
        return frozenset(self._literals)

    def fact_texts(self) -> Set[str]:
        """The text of every fact instance the program can assume, as clingo writes it (`f(a,b)`)."""
        return self._holds.keys()

    def closed_world(self, true: Iterable[str], unknown: Iterable[str] = ()) -> Assumptions:
        """The assumptions of a scenario: `true` facts hold, `unknown` ones are open, every other
        fact is false; facts are given by their text (`fact_texts`), and those the program does not
        know are left out. The same literals, in the same order, as a full value map over `facts()`
        would give."""
        position, all_false = self._world
        literals = all_false.copy()
        for text in true:
            i = position.get(text)
            if i is not None:
                literals[i] = -all_false[i]
        opened = False
        for text in unknown:
            i = position.get(text)
            if i is not None:
                literals[i] = 0
                opened = True
        return Assumptions(list(filter(None, literals)) if opened else literals)

    def _assumptions(self, values: Mapping[Sym, bool] | Assumptions) -> list[int]:
        if isinstance(values, Assumptions):
            return values.literals
        return [self._literals[f] if v else -self._literals[f] for f, v in sorted(values.items())]

    def _configure(self, enum_mode: str, models: str) -> None:
        if self._setting != (enum_mode, models):
            self._config.enum_mode = enum_mode
            self._config.models = models
            self._setting = (enum_mode, models)

    def _answer(self, shown: Iterable[int]) -> Answer:
        atoms = self._atoms
        try:
            return Answer(frozenset([atoms[number] for number in shown]))
        except KeyError:  # atoms not seen before: convert them once
            return Answer(frozenset([self.atom(number) for number in shown]))

    def atom(self, number: int) -> Sym:
        """The value of an atom number this program gave."""
        value = self._atoms.get(number)
        if value is None:
            value = read_sym(self._reader.text(number))
            if value is None:
                value = to_sym(self._reader.symbol(number))
            self._atoms[number] = value
        return value

    def text(self, number: int) -> str:
        """The text of an atom number this program gave, as clingo writes it."""
        return self._reader.text(number)

    def consequences(
        self, values: Mapping[Sym, bool] | Assumptions, mode: Mode, timeout: float | None, relaxed: bool = False
    ) -> Answer | None:
        """Brave or cautious consequences; None when no answer set exists.

        With `relaxed`, domain constraints are switched off, to report which ones a scenario breaks.
        """
        relax = clingo.Function("relaxed")
        try:
            if relaxed:
                self._ctl.assign_external(relax, True)
            shown = self.shown_consequences(values, mode, timeout)
        finally:
            if relaxed:
                self._ctl.assign_external(relax, False)
        return None if shown is None else self._answer(shown)

    def shown_consequences(self, values: Mapping[Sym, bool] | Assumptions, mode: Mode,
                           timeout: float | None) -> Shown | None:
        """`consequences` as atom numbers; None when no answer set exists."""
        self._configure(mode, "0")
        return self._last(values, timeout)

    def shown_bounds(self, values: Mapping[Sym, bool] | Assumptions,
                     timeout: float | None) -> tuple[Shown, Shown] | None:
        """The cautious and brave consequences in one solve, as atom numbers, by enumerating every answer
        set (so only for a handful of them: a few unknown facts); None when there is no answer set.
        With one answer set, both are the same object."""
        self._configure("auto", "0")
        found = self._models(values, timeout)
        if not found:
            return None
        if len(found) == 1:
            return found[0], found[0]
        first = set(found[0])
        return first.intersection(*found[1:]), first.union(*found[1:])

    def shown_only(self, values: Mapping[Sym, bool] | Assumptions, timeout: float | None) -> Shown | None:
        """The answer set when the assumptions leave at most one (every choice fixed), else the
        first one found, as atom numbers; None when there is none. One model, no enumeration."""
        self._configure("auto", "1")
        return self._last(values, timeout)

    def answer_sets(
        self, values: Mapping[Sym, bool] | Assumptions, cap: int, timeout: float | None
    ) -> tuple[list[Answer], bool]:
        """Up to `cap` answer sets, and whether there were more.

        Which answer sets a cap keeps depends on the order the solver finds them in, and that order
        on everything earlier solves left in the solver: learnt heuristics, but also the state that
        switching the `relaxed` external on and off leaves behind. This solve runs on a control
        grounded afresh from the same program, so that the same question keeps the same answer sets
        whatever was asked before (a server that has answered other queries, a fresh process). Only
        here: grounding again costs time, and the other answers do not depend on the order.
        """
        fresh = grounded(self._program)
        config = solve_config(fresh)
        config.enum_mode = "auto"
        config.models = models_setting(cap + 1)
        found = self._models(values, timeout, fresh)
        return [self._answer(f) for f in found[:cap]], len(found) > cap

    def _translated(self, literals: list[int], ctl: clingo.Control) -> list[int]:
        """The same assumptions as literals of another control grounded from the same program."""
        theirs = {text[_HOLDS:-1]: literal for text, literal in signature_atoms(ctl, "holds", 1)}
        if theirs == self._holds:
            return literals
        text_of = {literal: text for text, literal in self._holds.items()}
        return [theirs[text_of[abs(lit)]] * (1 if lit > 0 else -1) for lit in literals]

    def _models(self, values: Mapping[Sym, bool] | Assumptions, timeout: float | None,
                ctl: clingo.Control | None = None) -> list[Sequence[int]]:
        """The shown atoms of every model the solve enumerates (on `ctl`, by default this program's
        own control), in the order found."""
        found: list[Sequence[int]] = []
        read = self._reader.read

        def on_model(model: clingo.Model) -> None:
            found.append(read(model))

        assumptions = self._assumptions(values)
        if ctl is not None:
            assumptions = self._translated(assumptions, ctl)
        self._run(assumptions, on_model, timeout, ctl=ctl)
        return found

    def _last(self, values: Mapping[Sym, bool] | Assumptions, timeout: float | None) -> Sequence[int] | None:
        """The last model's shown atoms (the consequences, in a brave or cautious solve); None when
        there is no model. Only the last model is read."""
        last: list[Sequence[int]] = []
        read = self._reader.read

        def on_last(model: clingo.Model) -> None:
            last.append(read(model))

        self._run(self._assumptions(values), None, timeout, on_last)
        return last[0] if last else None

    def _run(self, assumptions: list[int], on_model: Callable[[clingo.Model], None] | None, timeout: float | None,
             on_last: Callable[[clingo.Model], None] | None = None, ctl: clingo.Control | None = None) -> None:
        timeout = time_limit(timeout)
        control = self._ctl if ctl is None else ctl
        if timeout is None:  # no watchdog needed: a synchronous solve saves a thread hand-off
            control.solve(assumptions=assumptions, on_model=on_model, on_last=on_last)
            return
        with control.solve(assumptions=assumptions, on_model=on_model, async_=True) as handle:
            if not handle.wait(timeout):
                handle.cancel()
                raise SolveTimeout()
            handle.get()
            if on_last is not None:
                model = handle.last()
                if model is not None:
                    on_last(model)


_HOLDS = len("holds(")  # where a holds/1 atom's argument starts in its text
_PLAIN_FACT = re.compile(rf"({NAME})(?:\(({NAME}(?:,{NAME})*)\))?")


def _fact(text: str) -> Sym | None:
    """The value of a fact's text; None when it is not one plain term (a tuple, a negated function).
    A fact of plain names (every fact accord writes) is read with one pattern match."""
    plain = _PLAIN_FACT.fullmatch(text)
    if plain is None:
        return read_sym(text)
    name, args = plain[1], plain[2]
    return Sym(name, tuple(Sym(a) for a in args.split(","))) if args is not None else Sym(name)


def _in_value_order(texts: Collection[str]) -> list[str] | None:
    """Facts' texts in the order of their values, when every one is of plain names (a name and
    names as arguments) and none has a prime (`'`); else None. Such texts order as their values do:
    a name comes before the longer names it begins, and every character of a name but the prime
    comes after `(`, `,` and `)`."""
    if not all(map(_PLAIN_FACT.fullmatch, texts)) or any("'" in text for text in texts):
        return None
    return sorted(texts)


def facts_of(atoms: Iterable[Sym], name: str) -> list[Sym]:
    return sorted(a for a in atoms if a.name == name)
