"""`accord diff --across FROM..TO`: the diff of every change point between two dates.

In: a `KnowledgeBase`, two dates, and the options of a diff (restrictions, witnesses, a time
limit). Out: an `AcrossResult`: for each change point after FROM and on or before TO, the
segment before it compared with the segment after it, the clauses that changed, each with the
actions whose behaviour changed with it (the same actor and action).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from accord.analyses.diff.compare import Side, diff_sides
from accord.analyses.timeline import change_points, segments
from accord.knowledge.base import EditionChoiceError, KnowledgeBase
from accord.results.across import AcrossResult, ProvisionGroup, Step
from accord.results.diff import ClauseChangeKind, DiffResult


def parse_range(text: str) -> tuple[dt.date, dt.date]:
    """FROM..TO as two dates; `EditionChoiceError` with the reason for anything else."""
    start, dots, end = text.partition("..")
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        raise EditionChoiceError(f"`{text}` is not a range of dates; write FROM..TO, "
                                 "for example 1990-01-01..2017-01-01.") from None
    if not dots or last <= first:
        raise EditionChoiceError(f"`{text}`: the range must end after it starts.")
    return first, last


def diff_across(
    kb: KnowledgeBase, start: dt.date, end: dt.date, *, actions: Iterable[str] = (), actors: Iterable[str] = (),
    given: Iterable[str] = (), witnesses: int = 0, timeout: float | None = None, jobs: int | None = None,
) -> AcrossResult:
    first = kb.edition_as_of(start)  # a date before everything is an error here too
    days = [d for d in segments(kb) if start < d <= end]
    events = {p.date: p.changes for p in change_points(kb)}
    steps = []
    before = first.id
    for day in days:
        after = kb.edition_as_of(day).id
        result = diff_sides(Side(kb.rules, before, before, "knowledge base"),
                            Side(kb.rules, after, after, "knowledge base"),
                            actions=actions, actors=actors, given=given, witnesses=witnesses, timeout=timeout,
                            jobs=jobs)
        steps.append(Step(day.isoformat(), events.get(day.isoformat(), ()), _groups(result), result))
        before = after
    return AcrossResult(start.isoformat(), end.isoformat(), tuple(steps))


def _groups(result: DiffResult) -> tuple[ProvisionGroup, ...]:
    groups = []
    for change in result.clauses:
        if change.kind is ClauseChangeKind.CARRIED:
            continue
        about = {(actor, c.action) for c in (*change.a, *change.b) for actor in c.actors or (c.actor,)}
        moved = tuple(t for t in result.behaviour if (t.actor, t.action) in about)
        groups.append(ProvisionGroup(change, moved))
    return tuple(groups)
