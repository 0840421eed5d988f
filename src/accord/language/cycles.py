"""Cycle checks: negation through definitions, and priorities between clauses.

In: the checked definitions and clauses. Out: diagnostics for a definition that depends on itself
through `not` (its meaning would be ambiguous) and for clauses that override each other in a
circle (no clause would win).
"""

from __future__ import annotations

from accord.language import ir
from accord.language.conditions import atoms
from accord.language.diagnostics import Sink
from accord.util.graphs import strongly_connected


def check_negation_cycles(definitions: dict[str, ir.Definition], sink: Sink) -> None:
    edges: dict[str, list[str]] = {}
    negative: set[tuple[str, str]] = set()
    for name, definition in sorted(definitions.items()):
        targets = []
        for atom, negated in atoms(definition.condition):
            if atom.name.text in definitions:
                targets.append(atom.name.text)
                if negated:
                    negative.add((name, atom.name.text))
        edges[name] = sorted(set(targets))
    for component in strongly_connected(sorted(definitions), edges):
        members = set(component)
        bad = sorted((a, b) for a, b in negative if a in members and b in members)
        if bad:
            first = definitions[bad[0][0]]
            loop = " → ".join([*component, component[0]])
            sink.error(
                "negation-cycle",
                "CYCLE THROUGH NEGATION",
                f"The definition `{first.name}` depends on itself through `not`: {loop}.",
                first.span,
                "Break the cycle: a concept cannot be defined by its own absence.",
            )


def check_override_cycles(clauses: dict[str, ir.Clause], sink: Sink) -> None:
    edges = {cid: sorted(c.overrides) for cid, c in sorted(clauses.items())}
    for component in strongly_connected(sorted(clauses), edges):
        is_loop = len(component) > 1 or component[0] in edges.get(component[0], [])
        if is_loop:
            first = clauses[component[0]]
            loop = " → ".join([*component, component[0]])
            sink.error(
                "override-cycle",
                "CLAUSES OVERRIDE EACH OTHER",
                f"These clauses override each other in a circle: {loop}.",
                first.span,
                "Decide which clause wins and remove the other `overrides`.",
            )


