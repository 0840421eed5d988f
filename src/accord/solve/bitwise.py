"""Bit-parallel evaluation of a stratified ground program: many scenarios in one pass.

In: `GroundRules` (from `accord.solve.observe`) and the atoms whose values are wanted. Out: a
`BitEvaluator`, whose `run` takes, for every scenario fact, an integer whose bit i says whether the
fact holds in lane i, and returns the same kind of integer for every wanted atom, together with the
lanes where a constraint is broken (no answer set). A lane is one scenario with every fact fixed;
with every fact fixed a stratified program has exactly the one answer set this computes (its
perfect model), or none when a constraint is broken.

The program is compiled once to straight-line Python: atoms in dependency order (strongly connected
components, positive recursion iterated to its least fixpoint), `&` for a body, `|` over the rules of
a head, `FULL ^ x` for `not x`; atoms fixed by the grounding are folded into constants and atoms no
wanted atom or constraint depends on are left out. A program with recursion through `not` is
refused (`Unsupported`), and its scenarios are left to clingo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from accord.solve.observe import GroundRules, Unsupported
from accord.util.graphs import strongly_connected

Value = bool | str  # a constant, or the name of the variable holding the atom's lanes
_CHUNK = 48  # terms per generated expression, so that no expression nests deeply


class BitEvaluator:
    """A ground program compiled to one Python function over lanes of bits."""

    def __init__(self, program: GroundRules, wanted: Sequence[int]) -> None:
        self.facts = tuple(sorted(program.inputs))
        self.position = {fact: i for i, fact in enumerate(self.facts)}
        self.wanted = tuple(wanted)
        source = _Compiler(program, self.wanted, {program.inputs[f]: i for i, f in enumerate(self.facts)}).source()
        scope: dict[str, object] = {}
        exec(compile(source, "<accord ground program>", "exec"), scope)  # our own generated code
        self._function: Callable[[Sequence[int], int, int], tuple[tuple[int, ...], int]] = scope["evaluate"]  # type: ignore[assignment]

    def run(self, facts: Sequence[int], relaxed: int, full: int) -> tuple[tuple[int, ...], int]:
        """`facts[i]` are the lanes where `self.facts[i]` holds, `relaxed` the lanes where domain
        constraints are off, `full` every lane; returns the lanes of each wanted atom and the lanes
        where some constraint is broken."""
        return self._function(facts, relaxed, full)


class _Compiler:
    def __init__(self, program: GroundRules, wanted: tuple[int, ...], inputs: dict[int, int]) -> None:
        self.program = program
        self.wanted = wanted
        self.inputs = inputs
        self.bodies: dict[int, list[tuple[int, ...]]] = {}
        for head, body in program.rules:
            self.bodies.setdefault(head, []).append(body)
        self.values: dict[int, Value] = {}
        self.lines: list[str] = []

    def source(self) -> str:
        needed = self._needed()
        for component in _components(needed - set(self.inputs) - {self.program.relaxed}, self.bodies):
            self._check_stratified(component)
            if len(component) == 1 and not self._recursive(component[0]):
                self._define(component[0])
            else:
                self._iterate(component)
        self.lines.append("broken = 0")
        for body in self.program.constraints:
            self._accumulate("broken", [body])
        outputs = [self._text(self._value(atom)) for atom in self.wanted]
        lines = "\n".join("    " + line for line in self.lines)
        values = "".join(f"{value}, " for value in outputs)
        return f"def evaluate(facts, relaxed, FULL):\n{lines}\n    return ({values}), broken\n"

    def _needed(self) -> set[int]:
        """Every atom a wanted atom or a constraint depends on."""
        todo = [*self.wanted, *(abs(lit) for body in self.program.constraints for lit in body)]
        seen: set[int] = set()
        while todo:
            atom = todo.pop()
            if atom in seen:
                continue
            seen.add(atom)
            for body in self.bodies.get(atom, ()):
                todo.extend(abs(lit) for lit in body)
        return seen

    def _recursive(self, atom: int) -> bool:
        return any(abs(lit) == atom for body in self.bodies.get(atom, ()) for lit in body)

    def _check_stratified(self, component: list[int]) -> None:
        members = set(component)
        for atom in component:
            for body in self.bodies.get(atom, ()):
                if any(lit < 0 and -lit in members for lit in body):
                    raise Unsupported("the program has recursion through `not` (it is not stratified)")

    def _value(self, atom: int) -> Value:
        known = self.values.get(atom)
        if known is not None:
            return known
        if atom in self.inputs:
            value: Value = f"facts[{self.inputs[atom]}]"
        elif atom == self.program.relaxed:
            value = "relaxed"
        else:  # no rule derives it: false (rules are defined before the atoms that use them)
            value = False
        self.values[atom] = value
        return value

    def _terms(self, bodies: Iterable[tuple[int, ...]]) -> list[str] | None:
        """The bodies that can hold, as expressions; None when one of them always holds."""
        terms = []
        for body in bodies:
            literals: list[str] = []
            for lit in body:
                value = self._value(abs(lit))
                if value is (lit < 0):  # a positive literal of a false atom, or `not` of a true one
                    break
                if value is not (lit > 0):  # not a literal that always holds: keep it
                    literals.append(str(value) if lit > 0 else f"(FULL ^ {value})")
            else:
                if not literals:
                    return None
                terms.append(self._conjunction(literals))
        return terms

    def _conjunction(self, literals: list[str]) -> str:
        if len(literals) <= _CHUNK:
            return " & ".join(literals)
        name = f"t{len(self.lines)}"
        self.lines.append(f"{name} = {' & '.join(literals[:_CHUNK])}")
        for start in range(_CHUNK, len(literals), _CHUNK):
            self.lines.append(f"{name} &= {' & '.join(literals[start:start + _CHUNK])}")
        return name

    def _define(self, atom: int) -> None:
        terms = self._terms(self.bodies.get(atom, ()))
        if terms is None or not terms:
            self.values[atom] = terms is None
            return
        name = self.values[atom] = f"v{atom}"
        self._emit_or(name, terms, fresh=True)

    def _iterate(self, component: list[int]) -> None:
        """A positively recursive component: start false, re-derive until nothing changes."""
        for atom in component:
            self.values[atom] = f"v{atom}"
            self.lines.append(f"v{atom} = 0")
        self.lines.append("changed = True")
        self.lines.append("while changed:")
        self.lines.append("    changed = False")
        for atom in component:
            terms = self._terms(self.bodies.get(atom, ()))
            if terms is None:  # a body that always holds: the atom does too
                self.lines.append("    new = FULL")
            else:
                self._emit_or("new", terms, indent="    ", fresh=True)
            self.lines.append(f"    if new != v{atom}:")
            self.lines.append(f"        v{atom} = new")
            self.lines.append("        changed = True")

    def _accumulate(self, name: str, bodies: list[tuple[int, ...]]) -> None:
        terms = self._terms(bodies)
        if terms is None:
            self.lines.append(f"{name} = FULL")
        else:
            self._emit_or(name, terms)

    def _emit_or(self, name: str, terms: list[str], indent: str = "", fresh: bool = False) -> None:
        """`name` = (or, unless `fresh`, |=) the union of `terms`."""
        if fresh and not terms:
            self.lines.append(f"{indent}{name} = 0")
        for start in range(0, len(terms), _CHUNK):
            part = " | ".join(f"({t})" for t in terms[start:start + _CHUNK])
            operator = "=" if fresh and start == 0 else "|="
            self.lines.append(f"{indent}{name} {operator} {part}")

    @staticmethod
    def _text(value: Value) -> str:
        if value is True:
            return "FULL"
        if value is False:
            return "0"
        return str(value)


def _components(atoms: set[int], bodies: dict[int, list[tuple[int, ...]]]) -> list[list[int]]:
    """Strongly connected components of the dependency graph among `atoms`, each listed after
    every component it depends on; deterministic."""
    edges = {atom: sorted({abs(lit) for body in bodies.get(atom, ()) for lit in body if abs(lit) in atoms})
             for atom in atoms}
    return strongly_connected(sorted(atoms), edges)
