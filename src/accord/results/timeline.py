"""The results of the timeline analyses: change points, and verdicts over time.

In: built by `accord.analyses.timeline`. Out: plain frozen dataclasses that the reports render
(human, Markdown, JSON) and the API returns. Dates are YYYY-MM-DD strings; an open end is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from accord.results.query import ClauseRef, Verdict


class ChangeKind(Enum):
    ENTERED = "entered into force"
    AMENDED = "amended"
    RENUMBERED = "renumbered"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed on a change point: a module, a clause or a definition."""

    kind: ChangeKind
    what: str  # "module", "clause", "definition"
    name: str
    cite: str  # the citation in force after the change (before it, for an expiry)
    detail: str  # e.g. the former citation of a renumbered clause
    source: str  # where the date is written: FILE:LINE


@dataclass(frozen=True, slots=True)
class ChangePoint:
    date: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Band:
    """A run of days with one verdict: from `start` until `end` (exclusive; None: still)."""

    start: str
    end: str | None
    verdict: Verdict
    clauses: tuple[ClauseRef, ...]


@dataclass(frozen=True, slots=True)
class LabelBand:
    """With layers of authority, a run of days with one headline label (`label` None: the label
    differs between readings); `status` is what the label makes the action (None: nothing)."""

    start: str
    end: str | None
    label: str | None
    description: str
    status: str | None


@dataclass(frozen=True, slots=True)
class Flip:
    """A boundary between two bands, and the provisions that entered or left the answer there."""

    date: str
    before: Verdict
    after: Verdict
    gained: tuple[ClauseRef, ...]
    lost: tuple[ClauseRef, ...]


@dataclass(frozen=True, slots=True)
class ActionTimeline:
    label: str
    bands: tuple[Band, ...]
    flips: tuple[Flip, ...]
    labels: tuple[LabelBand, ...] = ()  # the headline label's bands, with layers of authority


@dataclass(frozen=True, slots=True)
class ScenarioTimeline:
    scenario: str | None
    facts: tuple[str, ...]
    start: str
    actions: tuple[ActionTimeline, ...]
