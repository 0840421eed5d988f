"""The checked form of a rule base's layers of authority, actor rules and labels.

In: built by `accord.language.layers` from the layer, actor and label declarations once they are
checked. Out: frozen dataclasses, re-exported by `accord.language.ir`, that the compiler, the
analyses and the reports read: which layers bind an actor, each layer's verdicts in order, and
the labels tried in order for an action's headline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.language import ast
from accord.language.source import Span


@dataclass(frozen=True, slots=True)
class Verdict:
    """A verdict of a layer: it holds when the layer's clauses give `basis` (`permitted`,
    `forbidden`, `required`) and no earlier verdict of the layer holds; None: `otherwise`."""

    name: str
    description: str
    basis: str | None


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    description: str
    verdicts: tuple[Verdict, ...]  # the last one is `otherwise`
    module: str

    @property
    def otherwise(self) -> Verdict:
        return self.verdicts[-1]

    def verdict(self, name: str) -> Verdict | None:
        return next((v for v in self.verdicts if v.name == name), None)


@dataclass(frozen=True, slots=True)
class Actor:
    """How an actor's actions are decided: the layers that bind it, in the order declared."""

    name: str
    layers: tuple[str, ...]
    description: str
    module: str


@dataclass(frozen=True, slots=True)
class Label:
    """A headline label: its condition is over layer verdicts (atoms `layer(verdict)`)."""

    name: str
    description: str
    status: str | None  # "permitted", "forbidden", or None
    actors: tuple[str, ...]  # empty: every actor
    condition: ast.Condition
    module: str
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)

    def applies_to(self, actor: str) -> bool:
        return not self.actors or actor in self.actors


@dataclass(frozen=True, slots=True)
class Authority:
    """The layers of a rule base, its actor rules and its labels (in the order they are tried).
    Empty when the rule base declares no layer: then the statuses of docs/semantics.md decide alone."""

    layers: dict[str, Layer] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    labels: tuple[Label, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.layers)

    def label(self, name: str) -> Label | None:
        return next((lb for lb in self.labels if lb.name == name), None)

    def binding(self, actor: str) -> tuple[Layer, ...]:
        """The layers that bind an actor, in the order of its actor rule."""
        rule = self.actors.get(actor)
        return tuple(self.layers[n] for n in rule.layers if n in self.layers) if rule else ()
