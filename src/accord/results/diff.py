"""The result objects of `accord diff`.

In: built by `accord.analyses.diff.compare` (behaviour, witnesses, the scenario space) and
`accord.analyses.diff.clauses` (clause and vocabulary changes). Out: plain frozen dataclasses, the
single source of the human, Markdown and JSON reports (`results.to_json` dumps them field by field;
docs/json.md documents it). Everything inside is sorted, so a rerun gives byte-identical output.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from accord.results.query import EditionRef, Role, Verdict


class ClauseChangeKind(Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    CARRIED = "carried over"


@dataclass(frozen=True, slots=True)
class ClauseSide:
    """One clause as one side states it."""

    id: str
    cite: str
    actor: str
    action: str
    says: str
    rule: str
    module: str
    actors: tuple[str, ...] = ()  # the actors a quantified clause's variable `actor` takes; () for one actor


@dataclass(frozen=True, slots=True)
class ClauseChange:
    """A clause added, removed, changed or carried over, with the clauses of both sides.

    `matched_by` is how the two sides were paired: `id` (the same clause id), `carries` or
    `replaces` (lineage, followed through intermediate editions), or None (added / removed).
    `differences` names the parts that differ: `cite`, `head`, `when`, `unless`, `overrides`
    (and `says` for wording only).
    """

    kind: ClauseChangeKind
    a: tuple[ClauseSide, ...]
    b: tuple[ClauseSide, ...]
    matched_by: str | None
    differences: tuple[str, ...]

    @property
    def key(self) -> str:
        return (self.b or self.a)[0].id

    def about(self, actions: tuple[str, ...], actors: tuple[str, ...]) -> bool:
        """Whether a clause of either side is about one of the actions and one of the actors
        (an empty tuple allows any)."""
        return any((not actions or c.action in actions)
                   and (not actors or bool(set(c.actors or (c.actor,)) & set(actors)))
                   for c in (*self.a, *self.b))


@dataclass(frozen=True, slots=True)
class VocabularyDiff:
    """Declarations only one side knows (a fact one side does not know is never true there)."""

    sorts_only_a: tuple[str, ...] = ()
    sorts_only_b: tuple[str, ...] = ()
    members_only_a: tuple[str, ...] = ()
    members_only_b: tuple[str, ...] = ()
    facts_only_a: tuple[str, ...] = ()
    facts_only_b: tuple[str, ...] = ()
    actions_only_a: tuple[str, ...] = ()
    actions_only_b: tuple[str, ...] = ()
    definitions_only_a: tuple[str, ...] = ()
    definitions_only_b: tuple[str, ...] = ()
    definitions_changed: tuple[str, ...] = ()
    constraints_only_a: tuple[str, ...] = ()
    constraints_only_b: tuple[str, ...] = ()
    constraints_changed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


class Status(Enum):
    PERMITTED = "permitted"
    FORBIDDEN = "forbidden"
    REQUIRED = "required"


class Direction(Enum):
    """Which way a status moved in a scenario: holds in B but not in A (gained), or the reverse."""

    GAINED = "gained"
    LOST = "lost"


class Movement(Enum):
    """How a status of an action changed over the whole scenario space."""

    UNCHANGED = "unchanged"
    GAINED = "gained"
    LOST = "lost"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class DecidingClause:
    id: str
    cite: str
    says: str
    role: Role


@dataclass(frozen=True, slots=True)
class SideOutcome:
    """An action's status on one side in one witness scenario, and the clauses that decide it."""

    verdict: Verdict
    permitted: bool
    forbidden: bool
    required: bool
    clauses: tuple[DecidingClause, ...]
    # With layers of authority: the action's headline label, and (layer, verdict) for every layer.
    label: str | None = None
    layers: tuple[tuple[str, str], ...] = ()

    def has(self, status: Status) -> bool:
        return {Status.PERMITTED: self.permitted, Status.FORBIDDEN: self.forbidden,
                Status.REQUIRED: self.required}[status]


@dataclass(frozen=True, slots=True)
class Witness:
    """A scenario (its true facts; every other fact is false) in which the status differs."""

    facts: tuple[str, ...]
    a: SideOutcome
    b: SideOutcome


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: Status
    movement: Movement
    gained: tuple[Witness, ...]
    lost: tuple[Witness, ...]

    def witnesses(self, direction: Direction) -> tuple[Witness, ...]:
        return self.gained if direction is Direction.GAINED else self.lost


@dataclass(frozen=True, slots=True)
class LayerChange:
    """A layer's verdict that holds on one side and not on the other in some scenario: `gained`
    (holds in B only) and `lost` (in A only) witnesses, as for a status."""

    layer: str
    verdict: str
    movement: Movement
    gained: tuple[Witness, ...]
    lost: tuple[Witness, ...]

    def witnesses(self, direction: Direction) -> tuple[Witness, ...]:
        return self.gained if direction is Direction.GAINED else self.lost


@dataclass(frozen=True, slots=True)
class TargetDiff:
    """One actor, action and argument tuple whose status changes in some scenario."""

    actor: str
    action: str
    arguments: tuple[str, ...]
    description: str
    changes: tuple[StatusChange, ...]
    layer_changes: tuple[LayerChange, ...] = ()

    @property
    def label(self) -> str:
        args = f"({', '.join(self.arguments)})" if self.arguments else ""
        return f"{self.actor} {self.action}{args}"

    def movement(self, status: Status) -> Movement:
        for change in self.changes:
            if change.status is status:
                return change.movement
        return Movement.UNCHANGED


@dataclass(frozen=True, slots=True)
class SortBound:
    name: str
    members: int


@dataclass(frozen=True, slots=True)
class Space:
    """The declared scenario space the behaviour diff ranges over, and how it was restricted."""

    sorts: tuple[SortBound, ...]
    facts: int
    fact_instances: int
    constraints: tuple[str, ...]
    targets: int
    given: tuple[str, ...]
    actions: tuple[str, ...]
    actors: tuple[str, ...]
    empty: bool


@dataclass(frozen=True, slots=True)
class SideRef:
    """One side of a diff: its label (as given), where its rules came from, and its edition."""

    label: str
    origin: str
    edition: EditionRef


@dataclass(frozen=True, slots=True)
class DiffSummary:
    targets: int
    targets_changed: int
    newly_permitted: int
    no_longer_permitted: int
    newly_forbidden: int
    no_longer_forbidden: int
    newly_required: int
    no_longer_required: int
    clauses_added: int
    clauses_removed: int
    clauses_changed: int
    clauses_carried: int
    vocabulary_differs: bool
    layer_verdicts_changed: int = 0  # actions whose verdict in some layer differs in some scenario


@dataclass(frozen=True, slots=True)
class DiffResult:
    a: SideRef
    b: SideRef
    equivalent: bool
    summary: DiffSummary
    space: Space
    behaviour: tuple[TargetDiff, ...]
    clauses: tuple[ClauseChange, ...]
    vocabulary: VocabularyDiff

    def target(self, actor: str, action: str, arguments: tuple[str, ...] = ()) -> TargetDiff | None:
        for t in self.behaviour:
            if (t.actor, t.action, t.arguments) == (actor, action, arguments):
                return t
        return None

    def movement(self, actor: str, action: str, arguments: tuple[str, ...], status: Status) -> Movement:
        found = self.target(actor, action, arguments)
        return Movement.UNCHANGED if found is None else found.movement(status)


def counts(behaviour: tuple[TargetDiff, ...], status: Status, direction: Direction) -> int:
    """How many targets moved that way (a target moving both ways counts in both directions)."""
    wanted = {Movement.BOTH, Movement.GAINED if direction is Direction.GAINED else Movement.LOST}
    return sum(t.movement(status) in wanted for t in behaviour)
