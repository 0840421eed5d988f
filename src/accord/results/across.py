"""The result of `accord diff --across FROM..TO`: what changed in behaviour at each change point.

In: built by `accord.analyses.diff.across`. Out: plain frozen dataclasses: one `Step` per change
point between the two dates, holding the timeline's changes of that day and the diff of the
segment before with the segment after, its behaviour grouped by the provision that changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.results.diff import ClauseChange, DiffResult, TargetDiff
from accord.results.timeline import Change


@dataclass(frozen=True, slots=True)
class ProvisionGroup:
    """A clause that changed on the day, and the actions whose behaviour moved with it."""

    change: ClauseChange
    behaviour: tuple[TargetDiff, ...]


@dataclass(frozen=True, slots=True)
class Step:
    date: str
    changes: tuple[Change, ...]
    groups: tuple[ProvisionGroup, ...]
    diff: DiffResult


@dataclass(frozen=True, slots=True)
class AcrossResult:
    start: str
    end: str
    steps: tuple[Step, ...]

    @property
    def equivalent(self) -> bool:
        return all(step.diff.equivalent for step in self.steps)
