"""Composing a headline label from layer verdicts: the one definition of what a label means.

In: an `ir.Authority`, an actor and the verdict of each layer (a layer missing from the mapping,
or not binding the actor, gives its `otherwise` verdict). Out: the label that holds (the first, in
the order the labels are written, that applies to the actor and whose condition holds), or None.
The compiled program (`accord.compile.layers_asp`) derives the same label per action and reading;
the checker uses `combinations` to find labels that can never hold and verdicts no label covers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import assert_never

from accord.language import ast, ir


def condition_holds(cond: ast.Condition, verdicts: Mapping[str, str]) -> bool:
    """Whether a label condition holds: its atoms `layer(verdict)` compare with `verdicts`."""
    if isinstance(cond, ast.Atom):
        return len(cond.args) == 1 and verdicts.get(cond.name.text) == cond.args[0].name
    if isinstance(cond, ast.Not):
        return not condition_holds(cond.operand, verdicts)
    if isinstance(cond, ast.And):
        return all(condition_holds(o, verdicts) for o in cond.operands)
    if isinstance(cond, ast.Or):
        return any(condition_holds(o, verdicts) for o in cond.operands)
    if isinstance(cond, ast.Compare):
        return False
    assert_never(cond)


def effective(authority: ir.Authority, actor: str, verdicts: Mapping[str, str]) -> dict[str, str]:
    """Every layer's verdict for the actor: a layer that does not bind it, or is not given, is silent."""
    bound = {layer.name for layer in authority.binding(actor)}
    return {
        name: verdicts[name] if name in bound and name in verdicts else layer.otherwise.name
        for name, layer in authority.layers.items()
    }


def headline(authority: ir.Authority, actor: str, verdicts: Mapping[str, str]) -> ir.Label | None:
    """The label of an action of `actor` whose layers give `verdicts`."""
    full = effective(authority, actor, verdicts)
    for label in authority.labels:
        if label.applies_to(actor) and condition_holds(label.condition, full):
            return label
    return None


def silent(authority: ir.Authority, actor: str) -> ir.Label | None:
    """The label of an action no layer speaks to."""
    return headline(authority, actor, {})


def combinations(authority: ir.Authority, actor: str) -> Iterator[dict[str, str]]:
    """Every combination of verdicts of the layers binding `actor`."""
    layers = authority.binding(actor)
    for combo in itertools.product(*([v.name for v in layer.verdicts] for layer in layers)):
        yield dict(zip([layer.name for layer in layers], combo, strict=True))
