"""Reading an action's layer verdicts and labels off the atoms that hold in the readings.

In: the rule base's `ir.Authority`, an action's actor, the tags (`accord.analyses.engine`) that
hold in every reading and in some, and the clause references of the action. Out: the action's
labels, its headline (the label of every reading, or None when readings differ) and one
`LayerResult` per layer that binds the actor, with the role its deciding clauses give the actor.

In every reading an action has exactly one verdict per layer and exactly one label (the checker
makes the labels cover every combination of verdicts), so a verdict or a label holds in every
reading exactly when it is the only one possible.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from accord.language import ir
from accord.results.query import ClauseRef, Extent, LabelRef, LayerResult, Role, VerdictRef
from accord.solve import Sym

ACTING = Sym("acting")
_DECIDING = frozenset({Role.PERMITS, Role.REQUIRES, Role.FORBIDS})


@cache  # the same few tags, looked up for every action result
def verdict_tag(layer: str, verdict: str) -> Sym:
    return Sym("verdict", (Sym(layer), Sym(verdict)))


@cache  # the same few tags, looked up for every action result
def spoke_tag(layer: str) -> Sym:
    return Sym("spoke", (Sym(layer),))


@cache  # the same few tags, looked up for every action result
def label_tag(label: str) -> Sym:
    return Sym("label", (Sym(label),))


def _extent(only: bool) -> Extent:
    return Extent.ALWAYS if only else Extent.SOMETIMES


def labels_of(authority: ir.Authority, quiet: ir.Label | None, sure: set[Sym], some: set[Sym]) -> tuple[LabelRef, ...]:
    """The labels the action has in some reading, in the order the labels are written; `quiet` is
    the label of the actor's actions when no layer speaks (`compose.silent`)."""
    possible = [label for label in authority.labels
                if label_tag(label.name) in some or (label is quiet and ACTING not in sure)]
    return tuple(LabelRef(lb.name, lb.description, lb.status, _extent(len(possible) == 1)) for lb in possible)


def layers_of(authority: ir.Authority, actor: str, sure: set[Sym], some: set[Sym],
              clauses: Iterable[ClauseRef], clause_of: dict[str, ir.Clause]) -> tuple[LayerResult, ...]:
    """One result per layer binding the actor: its verdicts, the clauses that gave them and the
    role they give the actor (the one role of the applying clauses that have one)."""
    refs = list(clauses)
    out = []
    for layer in authority.binding(actor):
        mine = [r for r in refs if (c := clause_of.get(r.id)) is not None and c.layer == layer.name]
        roles = {c.role for r in mine if r.role in _DECIDING and (c := clause_of[r.id]).role is not None}
        spoke = spoke_tag(layer.name)
        possible = [v for v in layer.verdicts
                    if (v.basis is None and spoke not in sure) or verdict_tag(layer.name, v.name) in some]
        only = len(possible) == 1
        out.append(LayerResult(
            layer=layer.name,
            description=layer.description,
            verdict=possible[0].name if only else None,
            verdicts=tuple(VerdictRef(v.name, v.description, _extent(only)) for v in possible),
            decided=spoke in some,
            clauses=tuple(dict.fromkeys(r.id for r in mine)),
            role=roles.pop() if len(roles) == 1 else None,
        ))
    return tuple(out)


def headline(labels: tuple[LabelRef, ...]) -> LabelRef | None:
    return labels[0] if len(labels) == 1 else None
