"""The layers half of a behaviour diff: which atoms say a target's layer verdicts and label on one
side, what they are in a witness, and the `LayerChange`s of a target.

In: one side's edition view and predicate prefix, a target (actor, action, arguments), a witness
model; the gained and lost witnesses found per (layer, verdict). Out: the atoms to read from a
witness, the side's label and `layer verdict` lines, and the target's `LayerChange`s in the order
of the layers and their verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping

from accord.analyses.diff.program import Target
from accord.language import ir
from accord.language.compose import silent
from accord.results.diff import Direction, LayerChange, Movement, Witness
from accord.solve import Sym

LayerKey = tuple[str, str]  # (layer, verdict)


def _key(t: Target) -> tuple[Sym, Sym]:
    return Sym(t.actor), Sym(t.action, tuple(Sym(x) for x in t.arguments))


def side_layer_atoms(view: ir.EditionView, prefix: str, t: Target) -> list[Sym]:
    """The atoms of a target's verdicts, silences and labels on one side."""
    key = _key(t)
    out = []
    for layer in view.authority.binding(t.actor):
        out.append(Sym(prefix + "spoke", (Sym(layer.name), *key)))
        out += [Sym(prefix + "verdict", (Sym(layer.name), Sym(v.name), *key)) for v in layer.verdicts if v.basis]
    out += [Sym(prefix + "label", (Sym(label.name), *key)) for label in view.authority.labels
            if label.applies_to(t.actor)]
    return out


def side_layers(view: ir.EditionView, prefix: str, model: frozenset[Sym],
                t: Target) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The side's headline label in a witness (its label of silence when no layer spoke) and each
    binding layer's verdict, as (layer, verdict)."""
    authority = view.authority
    if not authority:
        return None, ()
    key = _key(t)
    lines: list[tuple[str, str]] = []
    for layer in authority.binding(t.actor):
        held = [v.name for v in layer.verdicts if v.basis and
                Sym(prefix + "verdict", (Sym(layer.name), Sym(v.name), *key)) in model]
        lines.append((layer.name, held[0] if held else layer.otherwise.name))
    found = [lb.name for lb in authority.labels if Sym(prefix + "label", (Sym(lb.name), *key)) in model]
    quiet = silent(authority, t.actor)
    return (found[0] if found else quiet.name if quiet else None), tuple(lines)


def layer_changes(layers: list[ir.Layer], ways: Mapping[LayerKey, dict[Direction, tuple[Witness, ...]]]
                  ) -> tuple[LayerChange, ...]:
    out = []
    for layer in layers:
        for verdict in layer.verdicts:
            found = ways.get((layer.name, verdict.name))
            if not found:
                continue
            movement = Movement.BOTH if len(found) == 2 else Movement(next(iter(found)).value)
            out.append(LayerChange(layer.name, verdict.name, movement, found.get(Direction.GAINED, ()),
                                   found.get(Direction.LOST, ())))
    return tuple(out)
