"""The ground program behind an edition, read off clingo's grounder.

In: the printed program of an edition. Out: `GroundRules`, the grounded rules as plain numbers
(clingo's program atoms) with the shown symbols of those atoms, or `Unsupported` saying which
construct the program uses that `accord.solve.bitwise` cannot evaluate (weight rules, optimisation,
disjunction, choices over anything but the scenario's `holds/1` facts, externals other than
`relaxed`). The rules are what clingo itself solves: accord's evaluator starts from the same
grounding, not from a second reading of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import clingo

from accord.solve.core import Sym, grounded, to_sym


@dataclass(frozen=True, slots=True)
class GroundRules:
    """A ground normal program over numbered atoms.

    `rules` are (head, body) pairs, a body literal negative for `not`; `constraints` are bodies
    that must not hold; `inputs` maps each scenario fact (the argument of a `holds/1` atom) to its
    atom; `relaxed` is the atom of the `relaxed` external (None when there is none); `shown` maps
    an atom to the shown symbols it stands for; `always` are shown symbols that are plain facts.
    """

    rules: tuple[tuple[int, tuple[int, ...]], ...]
    constraints: tuple[tuple[int, ...], ...]
    inputs: dict[Sym, int]
    relaxed: int | None
    shown: dict[int, tuple[Sym, ...]]
    always: frozenset[Sym]


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
    shown: dict[int, list[Sym]] = {}
    always: set[Sym] = set()
    inputs: dict[Sym, int] = {}
    for symbol, atom in recorder.outputs:
        sym = to_sym(symbol)
        if atom == 0:
            always.add(sym)
            continue
        shown.setdefault(atom, []).append(sym)
        if sym.name == "holds" and len(sym.args) == 1:
            inputs[sym.args[0]] = atom
    relaxed = _relaxed(recorder.externals, ctl.symbolic_atoms)
    rules: list[tuple[int, tuple[int, ...]]] = []
    constraints: list[tuple[int, ...]] = []
    input_atoms = set(inputs.values())
    for choice, head, body in recorder.rules:
        if choice:
            if body or not set(head) <= input_atoms:
                raise Unsupported("the program chooses something other than the scenario's facts")
        elif not head:
            constraints.append(body)
        elif len(head) == 1:
            if head[0] in input_atoms:
                raise Unsupported("the program derives a scenario fact")
            rules.append((head[0], body))
        else:
            raise Unsupported("the program has a disjunctive rule")
    return GroundRules(
        rules=tuple(rules),
        constraints=tuple(constraints),
        inputs=inputs,
        relaxed=relaxed,
        shown={atom: tuple(syms) for atom, syms in shown.items()},
        always=frozenset(always),
    )


def _relaxed(externals: list[tuple[int, clingo.TruthValue]], atoms: clingo.SymbolicAtoms) -> int | None:
    """The atom of the `relaxed` external, which starts out false; no other external is allowed."""
    if not externals:
        return None
    relaxed = atoms[clingo.Function("relaxed")]
    for atom, value in externals:
        if relaxed is None or atom != relaxed.literal or value != clingo.TruthValue.False_:
            raise Unsupported("the program has an external other than `relaxed`, or one not false at the start")
    return externals[0][0]
