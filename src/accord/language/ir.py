"""The checked intermediate form of a rule base.

In: built by `accord.language.check` from the syntax trees once every name is resolved and every check
passed. Out: plain frozen dataclasses that later stages (the ASP compiler, the analyses, the
reports) read without having to re-check anything. Conditions stay `ast` conditions: after checking,
every atom in them names a known fact or definition with arguments of the right sorts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from accord.language import ast
from accord.language.source import Span


class _InModule(Protocol):
    @property
    def module(self) -> str: ...


_T = TypeVar("_T", bound=_InModule)


@dataclass(frozen=True, slots=True)
class Sort:
    name: str
    members: tuple[str, ...]
    description: str | None
    module: str


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    params: tuple[str, ...]
    description: str
    module: str


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    params: tuple[str, ...]
    actors: tuple[str, ...]
    description: str
    module: str


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    params: tuple[tuple[str, str], ...]
    description: str
    condition: ast.Condition
    var_sorts: tuple[tuple[str, str], ...]
    module: str
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Constraint:
    name: str
    description: str
    condition: ast.Condition
    var_sorts: tuple[tuple[str, str], ...]
    module: str
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Clause:
    id: str
    cite: str
    actor: str
    modality: ast.Modality
    action: str
    args: tuple[ast.Term, ...]
    when: ast.Condition | None
    unless: ast.Condition | None
    overrides: tuple[str, ...]
    lineage: ast.Lineage | None
    says: str
    notes: tuple[str, ...]
    var_sorts: tuple[tuple[str, str], ...]
    module: str
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)
    layer: str | None = None  # the layer of the clause's module, when the rule base declares layers

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.cite.split(";") if part.strip())


@dataclass(frozen=True, slots=True)
class Edition:
    id: str
    title: str
    in_force: dt.date
    includes: tuple[str, ...]
    modules: tuple[str, ...]
    notes: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


GroundAtom = tuple[str, tuple[str, ...]]


def show_atom(atom: GroundAtom) -> str:
    """A ground atom as the rule language writes it: `name(a, b)`, or `name`."""
    name, args = atom
    return f"{name}({', '.join(args)})" if args else name


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    true: tuple[GroundAtom, ...]
    unknown: tuple[GroundAtom, ...]
    module: str
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Expectation:
    qualifier: ast.Qualifier
    status: ast.Status
    actor: str
    action: str
    args: tuple[str, ...]
    because: str | None
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class LayerExpectation:
    """An expected headline label (`label` set) or layer verdict (`layer` and `verdict` set)."""

    qualifier: ast.Qualifier
    label: str | None
    layer: str | None
    verdict: str | None
    actor: str
    action: str
    args: tuple[str, ...]
    because: str | None
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Test:
    name: str
    scenario: str
    editions: tuple[str, ...]
    expectations: tuple[Expectation, ...]
    module: str
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)
    layer_expectations: tuple[LayerExpectation, ...] = ()


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


@dataclass(frozen=True, slots=True)
class Section:
    ref: str
    title: str
    grants_nothing: str | None
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    title: str
    sections: tuple[Section, ...]
    module: str


@dataclass(frozen=True, slots=True)
class Module:
    name: str
    title: str | None
    imports: tuple[str, ...]
    visible: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleBase:
    """Everything a rule base declares, checked; keyed by name and sorted for determinism."""

    modules: dict[str, Module]
    sorts: dict[str, Sort]
    facts: dict[str, Fact]
    actions: dict[str, Action]
    definitions: dict[str, Definition]
    constraints: dict[str, Constraint]
    clauses: dict[str, Clause]
    editions: dict[str, Edition]
    scenarios: dict[str, Scenario]
    tests: dict[str, Test]
    sources: dict[str, Source]
    authority: Authority = field(default_factory=Authority)

    def member_sort(self, member: str) -> str | None:
        for sort in self.sorts.values():
            if member in sort.members:
                return sort.name
        return None

    def edition_view(self, edition: str) -> EditionView:
        modules = set(self.editions[edition].modules)

        def keep(items: dict[str, _T]) -> dict[str, _T]:
            return {k: v for k, v in items.items() if v.module in modules}

        return EditionView(
            edition=self.editions[edition],
            sorts=keep(self.sorts),
            facts=keep(self.facts),
            actions=keep(self.actions),
            definitions=keep(self.definitions),
            constraints=keep(self.constraints),
            clauses=keep(self.clauses),
            authority=self.authority,
        )


@dataclass(frozen=True, slots=True)
class EditionView:
    """The part of a rule base that one edition includes."""

    edition: Edition
    sorts: dict[str, Sort]
    facts: dict[str, Fact]
    actions: dict[str, Action]
    definitions: dict[str, Definition]
    constraints: dict[str, Constraint]
    clauses: dict[str, Clause]
    authority: Authority = field(default_factory=Authority)

