"""The ground program behind an edition, read off clingo's grounder.

In: the printed program of an edition. Out: `GroundRules`, the grounded rules as plain numbers
(clingo's program atoms) with the shown symbols of those atoms, or `Unsupported` saying which
construct the program uses that `accord.solve.bitwise` cannot evaluate (weight rules, optimisation,
disjunction, choices over anything but the scenario's facts, externals other than `relaxed`). A
fact's chosen atom is its `holds/1` atom itself, or the atom its `holds/1` atom is linked to by a
rule with that atom alone as body (as accord writes it, `to_asp.fact_space`). The rules are what
clingo itself solves: accord's evaluator starts from the same grounding, not from a second
reading of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import clingo

from accord.solve import binding
from accord.solve.binding import SymbolText
from accord.solve.core import Sym, grounded, read_sym, to_sym


@dataclass(frozen=True)
class GroundRules:
    """A ground normal program over numbered atoms.

    `rules` are (head, body) pairs, a body literal negative for `not`; `constraints` are bodies
    that must not hold; `inputs` maps each scenario fact (the argument of a `holds/1` atom) to its
    chosen atom; `relaxed` is the atom of the `relaxed` external (None when there is none);
    `shown_texts` maps an atom to the texts of the shown symbols it stands for, as clingo writes
    them, and `always_texts` are those of shown symbols that are plain facts; `shown` and `always`
    are the same as values, read from the texts when first asked for.
    """

    rules: tuple[tuple[int, tuple[int, ...]], ...]
    constraints: tuple[tuple[int, ...], ...]
    inputs: dict[Sym, int]
    relaxed: int | None
    shown_texts: dict[int, tuple[str, ...]]
    always_texts: frozenset[str]

    @cached_property
    def shown(self) -> dict[int, tuple[Sym, ...]]:
        return {atom: tuple(map(text_sym, texts)) for atom, texts in self.shown_texts.items()}

    @cached_property
    def always(self) -> frozenset[Sym]:
        return frozenset(map(text_sym, self.always_texts))


def text_sym(text: str) -> Sym:
    """The value of a symbol's text as clingo writes it."""
    return read_sym(text) or to_sym(clingo.parse_term(text))


class Unsupported(Exception):
    """The program uses a construct the bit-parallel evaluator does not handle; the message says which."""


class _Recorder(clingo.Observer):
    def __init__(self) -> None:
        self.rules: list[tuple[bool, tuple[int, ...], tuple[int, ...]]] = []
        self.outputs: list[tuple[clingo.Symbol, int]] = []
        self.externals: list[tuple[int, clingo.TruthValue]] = []
        self.unsupported: list[str] = []

    def rule(self, choice: bool, head: Sequence[int], body: Sequence[int]) -> None:
        self.rules.append((choice, tuple(head), tuple(body)))

    def output_atom(self, symbol: clingo.Symbol, atom: int) -> None:
        self.outputs.append((symbol, atom))

    def external(self, atom: int, value: clingo.TruthValue) -> None:
        self.externals.append((atom, value))

    def weight_rule(self, *_: Any) -> None:
        self.unsupported.append("a weight rule")

    def minimize(self, *_: Any) -> None:
        self.unsupported.append("an optimisation statement")

    def project(self, *_: Any) -> None:
        self.unsupported.append("a projection")

    def output_term(self, *_: Any) -> None:
        self.unsupported.append("a shown term")

    def heuristic(self, *_: Any) -> None:
        self.unsupported.append("a heuristic")

    def assume(self, *_: Any) -> None:
        self.unsupported.append("an assumption")

    def acyc_edge(self, *_: Any) -> None:
        self.unsupported.append("an acyclicity edge")

    def theory_atom(self, *_: Any) -> None:
        self.unsupported.append("a theory atom")

    def theory_atom_with_guard(self, *_: Any) -> None:
        self.unsupported.append("a theory atom")


def observe(program: str) -> GroundRules:
    """Ground `program` and return its rules; raises `Unsupported` when they are not a normal
    program whose only choices are the scenario facts."""
    recorder = _Recorder()
    ctl = grounded(program, observer=recorder)
    if recorder.unsupported:
        raise Unsupported(f"the program has {recorder.unsupported[0]}")
    shown: dict[int, list[str]] = {}
    always: set[str] = set()
    facts: dict[int, Sym] = {}  # the atom of each shown `holds(F)`, to F
    for text, (_, atom) in zip(_texts([symbol for symbol, _ in recorder.outputs]), recorder.outputs, strict=True):
        if atom == 0:
            always.add(text)
            continue
        shown.setdefault(atom, []).append(text)
        if text.startswith("holds("):
            sym = text_sym(text)
            if sym.name == "holds" and len(sym.args) == 1:
                facts[atom] = sym.args[0]
    relaxed = _relaxed(recorder.externals, ctl.symbolic_atoms)
    chosen = {atom for choice, head, body in recorder.rules if choice and not body for atom in head}
    if any(choice and body for choice, _, body in recorder.rules):
        raise Unsupported("the program chooses something other than the scenario's facts")
    inputs = _inputs(recorder.rules, facts, chosen)
    rules: list[tuple[int, tuple[int, ...]]] = []
    constraints: list[tuple[int, ...]] = []
    for choice, head, body in recorder.rules:
        if choice:
            continue
        if not head:
            constraints.append(body)
        elif len(head) == 1:
            if head[0] in chosen:
                raise Unsupported("the program derives a scenario fact")
            rules.append((head[0], body))
        else:
            raise Unsupported("the program has a disjunctive rule")
    return GroundRules(
        rules=tuple(rules),
        constraints=tuple(constraints),
        inputs=inputs,
        relaxed=relaxed,
        shown_texts={atom: tuple(texts) for atom, texts in shown.items()},
        always_texts=frozenset(always),
    )


def _texts(symbols: list[clingo.Symbol]) -> list[str]:
    """The symbols' texts, as `str` gives them: in bulk through clingo's C binding where it is there."""
    if not binding.has(*SymbolText.FUNCTIONS) or not all(hasattr(s, "_rep") for s in symbols):
        return [str(s) for s in symbols]  # pragma: no cover - a clingo without the binding
    return SymbolText().texts([s._rep for s in symbols])


def _inputs(rules: list[tuple[bool, tuple[int, ...], tuple[int, ...]]], facts: dict[int, Sym],
            chosen: set[int]) -> dict[Sym, int]:
    """Each fact's chosen atom: its `holds` atom when that is chosen, or else the chosen atom of
    the one rule that derives it (`holds(F) :- c`); every chosen atom must be exactly one fact's."""
    derived: dict[int, list[tuple[int, ...]]] = {}
    for choice, head, body in rules:
        if not choice and len(head) == 1 and head[0] in facts:
            derived.setdefault(head[0], []).append(body)
    inputs: dict[Sym, int] = {}
    for atom, fact in facts.items():
        bodies = derived.get(atom, [])
        if atom in chosen and not bodies:
            inputs[fact] = atom
        elif atom not in chosen and len(bodies) == 1 and len(bodies[0]) == 1 and bodies[0][0] in chosen:
            inputs[fact] = bodies[0][0]
        elif atom in chosen or bodies:
            raise Unsupported("the program derives a scenario fact")
    if len(set(inputs.values())) != len(inputs) or set(inputs.values()) != chosen:
        raise Unsupported("the program chooses something other than the scenario's facts")
    return inputs


def _relaxed(externals: list[tuple[int, clingo.TruthValue]], atoms: clingo.SymbolicAtoms) -> int | None:
    """The atom of the `relaxed` external, which starts out false; no other external is allowed."""
    if not externals:
        return None
    relaxed = atoms[clingo.Function("relaxed")]
    for atom, value in externals:
        if relaxed is None or atom != relaxed.literal or value != clingo.TruthValue.False_:
            raise Unsupported("the program has an external other than `relaxed`, or one not false at the start")
    return externals[0][0]
