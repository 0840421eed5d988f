"""A stratified ground program evaluated from a baseline: one scenario's model by what it changes.

In: `GroundRules` (from `accord.solve.observe`). Out: a `DeltaEvaluator`, whose `run` takes lanes of
bits for some scenario facts (and for the `relaxed` external), every other fact false, and returns
the lanes of every atom whose value differs from the baseline, the scenario where every fact is
false, together with the lanes where a constraint is broken. A lane is one scenario with every fact
fixed; with every fact fixed a stratified program has exactly the one answer set computed here (its
perfect model), or none when a constraint is broken: the same lanes `accord.solve.bitwise` computes.

The baseline is evaluated once, atoms in dependency order (a topological order when nothing is
recursive, as in every program accord writes; else strongly connected components). A run
re-evaluates only the components that read an atom whose value changed, in that order, each once,
and stops where a re-evaluated atom keeps its baseline value: a scenario of a few true facts touches
the few rules that read them, not the whole program. A program with recursion through `not` is
refused (`Unsupported`).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from accord.solve.observe import GroundRules, Unsupported
from accord.util.graphs import strongly_connected


class DeltaEvaluator:
    """A ground program with its baseline model, re-evaluated where a scenario changes it."""

    def __init__(self, program: GroundRules) -> None:
        bodies: dict[int, list[tuple[int, ...]]] = {}
        readers: dict[int, list[int]] = {}  # atom -> the heads of the rules that read it
        for head, body in program.rules:
            bodies.setdefault(head, []).append(body)
            for lit in body:
                readers.setdefault(lit if lit > 0 else -lit, []).append(head)
        self.inputs = program.inputs
        self.relaxed = program.relaxed
        self.constraints = program.constraints
        self._bodies = bodies
        checks: dict[int, list[int]] = {}  # atom -> the constraints that read it
        for n, body in enumerate(program.constraints):
            for lit in body:
                checks.setdefault(abs(lit), []).append(n)
        self._checks = checks
        atoms = set(bodies) | set(readers) | set(checks) | set(program.inputs.values())
        if program.relaxed is not None:
            atoms.add(program.relaxed)
        order = _order(atoms, bodies, readers)
        if order is not None:  # no recursion: every atom a component of its own
            self._members: list[tuple[int, ...]] = [(atom,) for atom in order]
            self._recursive = [False] * len(order)
        else:
            self._members, self._recursive = [], []
            edges = {atom: sorted({abs(lit) for body in bodies.get(atom, ()) for lit in body}) for atom in atoms}
            for component in strongly_connected(sorted(atoms), edges):
                members = set(component)
                for atom in component:
                    if any(lit < 0 and -lit in members for body in bodies.get(atom, ()) for lit in body):
                        raise Unsupported("the program has recursion through `not` (it is not stratified)")
                self._members.append(tuple(component))
                self._recursive.append(len(component) > 1 or any(
                    abs(lit) in members for body in bodies.get(component[0], ()) for lit in body))
        self._rank = {atom: rank for rank, members in enumerate(self._members) for atom in members}
        self._readers = {atom: tuple({self._rank[head] for head in heads}) for atom, heads in readers.items()}
        self.base: dict[int, bool] = {}
        base_lanes: dict[int, int] = {}
        for rank in range(len(self._members)):
            base_lanes.update(self._component(rank, base_lanes, 1))
        self.base = {atom: bool(base_lanes.get(atom, 0)) for atom in atoms}
        self._broken = [n for n, body in enumerate(program.constraints) if self._body(body, {}, 1)]

    def run(self, assigned: Mapping[int, int], full: int) -> tuple[dict[int, int], int]:
        """`assigned` gives the lanes of some input atoms (a fact's chosen atom, or `relaxed`), every
        other input being false; `full` is every lane. Returns the lanes of each atom whose value
        differs from its baseline value in some lane (an assigned atom is always among them), and
        the lanes where some constraint is broken."""
        values = dict(assigned)
        queued: set[int] = set()
        heap: list[int] = []
        checked: set[int] = set()

        def changed(atom: int) -> None:
            for rank in self._readers.get(atom, ()):
                if rank not in queued:
                    queued.add(rank)
                    heapq.heappush(heap, rank)
            checked.update(self._checks.get(atom, ()))

        for atom in assigned:
            changed(atom)
        base = self.base
        while heap:
            for atom, value in self._component(heapq.heappop(heap), values, full).items():
                if value != (full if base[atom] else 0):
                    values[atom] = value
                    changed(atom)
        broken = full if any(n not in checked for n in self._broken) else 0
        for n in checked:
            broken |= self._body(self.constraints[n], values, full)
        return values, broken

    def value(self, atom: int, values: Mapping[int, int], full: int) -> int:
        """An atom's lanes after `run` gave `values`."""
        found = values.get(atom)
        if found is not None:
            return found
        return full if self.base.get(atom, False) else 0

    def _body(self, body: Sequence[int], values: Mapping[int, int], full: int) -> int:
        """The lanes where every literal of a body holds."""
        lanes = full
        base = self.base
        for lit in body:
            atom = lit if lit > 0 else -lit
            found = values.get(atom)
            value = found if found is not None else (full if base.get(atom, False) else 0)
            lanes &= value if lit > 0 else full ^ value
            if not lanes:
                break
        return lanes

    def _derive(self, atom: int, values: Mapping[int, int], full: int) -> int:
        lanes = 0
        for body in self._bodies.get(atom, ()):
            lanes |= self._body(body, values, full)
            if lanes == full:
                break
        return lanes

    def _component(self, rank: int, values: Mapping[int, int], full: int) -> dict[int, int]:
        """The lanes of a component's atoms, given the values of everything it reads (inputs keep
        their values: nothing derives them)."""
        members = self._members[rank]
        if not self._recursive[rank]:
            atom = members[0]
            if atom not in self._bodies:
                return {atom: values.get(atom, 0)}
            return {atom: self._derive(atom, values, full)}
        inner = dict(values)
        for atom in members:
            inner[atom] = 0
        while True:  # positive recursion: the least fixpoint, from every member false
            new = {atom: self._derive(atom, inner, full) for atom in members}
            if all(new[atom] == inner[atom] for atom in members):
                return new
            inner.update(new)


def _order(atoms: set[int], bodies: dict[int, list[tuple[int, ...]]],
           readers: dict[int, list[int]]) -> list[int] | None:
    """The atoms in an order where each comes after every atom it depends on (Kahn's algorithm,
    in linear time); None when some atoms depend on each other (recursion)."""
    waiting = {atom: sum(map(len, bodies.get(atom, ()))) for atom in atoms}
    ready = sorted(atom for atom, count in waiting.items() if not count)
    order: list[int] = []
    while ready:
        atom = ready.pop()
        order.append(atom)
        for head in readers.get(atom, ()):
            waiting[head] -= 1
            if not waiting[head]:
                ready.append(head)
    return order if len(order) == len(atoms) else None
