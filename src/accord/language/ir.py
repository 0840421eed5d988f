"""The checked intermediate form of a rule base.

In: built by `accord.language.check` from the syntax trees once every name is resolved and every check
passed. Out: plain frozen dataclasses that later stages (the ASP compiler, the analyses, the
reports) read without having to re-check anything. Conditions stay `ast` conditions: after checking,
every atom in them names a known fact or definition with arguments of the right sorts.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar

from accord.language import ast
from accord.language.diagnostics import Diagnostic
from accord.language.ir_authority import Actor as Actor
from accord.language.ir_authority import Authority as Authority
from accord.language.ir_authority import Label as Label
from accord.language.ir_authority import Layer as Layer
from accord.language.ir_authority import Verdict as Verdict
from accord.language.periods import ALWAYS, Period, boundaries, in_force
from accord.language.source import Span


class _InModule(Protocol):
    @property
    def module(self) -> str: ...


class _Dated(_InModule, Protocol):
    @property
    def periods(self) -> tuple[Period, ...]: ...


_T = TypeVar("_T", bound=_InModule)
_V = TypeVar("_V", bound=_Dated)


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
    periods: tuple[Period, ...] = ALWAYS  # its own; its module's bound them too


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
    actor: str  # a member of sort `actor`; with `actor_range`, the variable that stands for one
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
    periods: tuple[Period, ...] = ALWAYS  # its own; its module's bound them too
    citations: tuple[tuple[str, tuple[Period, ...]], ...] = ()  # dated `cite` lines, when there are

    def cited_on(self, day: dt.date) -> str:
        """The citation of the clause as it stood on a day."""
        return next((text for text, periods in self.citations if in_force(periods, day)), self.cite)
    layer: str | None = None  # the layer of the clause's module, when the rule base declares layers
    actor_range: tuple[str, ...] = ()  # a quantified clause: the actors its variable takes; else ()
    role: str | None = None  # `primary`, `supporting`: the role the text gives the actor

    @property
    def actors(self) -> tuple[str, ...]:
        return self.actor_range or (self.actor,)  # the actors the clause can be about

    def about(self, actor: str) -> bool:
        return actor in self.actors

    @property
    def actor_term(self) -> ast.Term:
        """The actor as a term: a variable for a quantified clause, else a constant."""
        return ast.Var(self.actor) if self.actor_range else ast.Const(self.actor)

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections the clause cites, on any day (each dated `cite` line counts)."""
        texts = [self.cite, *(text for text, _ in self.citations)]
        parts = (part.strip() for text in texts for part in text.split(";"))
        return tuple(dict.fromkeys(part for part in parts if part))


@dataclass(frozen=True, slots=True)
class Edition:
    id: str
    title: str
    in_force: dt.date
    includes: tuple[str, ...]
    modules: tuple[str, ...]
    notes: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)
    # A bundle of modules (`include`) in a rule base that carries dates: not the law on its date.
    counterfactual: bool = False


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
    periods: tuple[Period, ...] = ALWAYS
    span: Span | None = field(default=None, compare=False, hash=False, repr=False)


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
    # Every version of a provision that has several (an amendment), oldest first; `clauses` and
    # `definitions` hold the latest.
    clause_versions: dict[str, tuple[Clause, ...]] = field(default_factory=dict)
    definition_versions: dict[str, tuple[Definition, ...]] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()  # what checking found worth saying that stops nothing

    def member_sort(self, member: str) -> str | None:
        for sort in self.sorts.values():
            if member in sort.members:
                return sort.name
        return None

    def _periods(self) -> list[Period]:
        periods = [p for m in self.modules.values() for p in m.periods]
        for name, clause in self.clauses.items():
            for c in self.clause_versions.get(name, (clause,)):
                periods += [*c.periods, *(p for _, ps in c.citations for p in ps)]
        for name, definition in self.definitions.items():
            periods += [p for d in self.definition_versions.get(name, (definition,)) for p in d.periods]
        return periods

    def change_points(self) -> tuple[dt.date, ...]:
        """Every day on which a module, a provision or a citation enters or leaves force, oldest first.
        The days from one to the next (a segment) answer every question alike."""
        return tuple(sorted(boundaries(self._periods())))

    def earliest(self) -> dt.date | None:
        """The first day anything is dated from; None when nothing is dated."""
        starts = [p.start for p in self._periods() if p.start != dt.date.min]
        return min(starts) if starts else None

    def edition_of(self, name: str) -> Edition:
        """A named edition; or, for a date written YYYY-MM-DD, the segment of the timeline holding it,
        named by the day it starts (so that every day of a segment shares one engine)."""
        named = self.editions.get(name)
        if named is not None:
            return named
        day = dt.date.fromisoformat(name)
        points = self.change_points()
        at = bisect.bisect_right(points, day)
        start = points[at - 1] if at else day
        until = f" until {points[at].isoformat()}" if at < len(points) else ""
        return Edition(start.isoformat(), f"The law in force from {start.isoformat()}{until}", start, (), (), ())

    def modules_of(self, edition: Edition) -> set[str]:
        """The modules an edition includes: a bundle's own, or those in force on its date."""
        if edition.includes:
            return set(edition.modules)
        return {m.name for m in self.modules.values() if in_force(m.periods, edition.in_force)}

    def edition_view(self, edition: str) -> EditionView:
        """What an edition includes: for a named date (or a date written YYYY-MM-DD), every module,
        clause, definition and citation in force on it; for a bundle, its modules, each provision
        in the version of the bundle's date (a rule base without dates has only bundles)."""
        named = self.edition_of(edition)
        day = named.in_force
        modules = self.modules_of(named)

        def keep(items: dict[str, _T]) -> dict[str, _T]:
            return {k: v for k, v in items.items() if v.module in modules}

        def on_day(items: dict[str, _V], versions: dict[str, tuple[_V, ...]]) -> dict[str, _V]:
            chosen = ((k, versions.get(k, (v,))) for k, v in items.items())
            return {k: v for k, vs in chosen for v in vs[::-1] if v.module in modules and in_force(v.periods, day)}

        clauses = on_day(self.clauses, self.clause_versions)
        return EditionView(
            edition=named,
            sorts=keep(self.sorts),
            facts=keep(self.facts),
            actions=keep(self.actions),
            definitions=on_day(self.definitions, self.definition_versions),
            constraints=keep(self.constraints),
            clauses={k: replace(c, cite=c.cited_on(day)) if c.citations else c for k, c in clauses.items()},
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

