"""A diff read as a changelog: its behaviour changes grouped by the clause changes that cause them.

In: built by `accord.analyses.diff.changelog` from a `DiffResult`. Out: `Changelog`, a tuple of
`Cause`s, each the clause changes (or the vocabulary change) behind some behaviour changes and the
`Pattern`s of those changes: one action whose status moved the same way for several actors and
argument tuples, with how many instances and one example witness. Sorted, like every result.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.results.diff import ClauseChange, Direction, Status, Witness


@dataclass(frozen=True, slots=True)
class Instance:
    """One actor and argument tuple of a pattern."""

    actor: str
    arguments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pattern:
    """One action whose status moved one way, for every instance listed."""

    action: str
    description: str
    status: Status
    direction: Direction
    instances: tuple[Instance, ...]
    example: Witness | None  # None when the diff computed no witnesses (`--witnesses 0`)
    label: str  # the instances merged: `sdf logistic_support({fuel, goods})`

    @property
    def count(self) -> int:
        return len(self.instances)


@dataclass(frozen=True, slots=True)
class Cause:
    """What the changes of its patterns come from: the changed clauses that decide them on either
    side (`changes`), or, where no deciding clause changed, the definitions and domain constraints
    that did (`vocabulary`)."""

    changes: tuple[ClauseChange, ...]
    vocabulary: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    traced: bool = True  # False: no witness was computed, so nothing says which clauses decide

    @property
    def instances(self) -> int:
        return sum(p.count for p in self.patterns)


@dataclass(frozen=True, slots=True)
class Changelog:
    """The causes, and the clause changes (carried-over clauses aside) that change no behaviour:
    a new wording, a clause another one shadows, a change outside the compared actions."""

    grouping: str  # `cause`, or `none`: one group holding one pattern per changed instance
    causes: tuple[Cause, ...]
    quiet: tuple[ClauseChange, ...]

    @property
    def instances(self) -> int:
        return sum(c.instances for c in self.causes)
