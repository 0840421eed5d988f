"""`accord diff --across FROM..TO`: the diff of every change point between two dates.

In: a `KnowledgeBase`, two dates, and the options of a diff (restrictions, witnesses, a time
limit, processes). Out: an `AcrossResult`: for each change point after FROM and on or before TO,
the segment before it compared with the segment after it, the clauses that changed, each with the
actions whose behaviour changed with it (the same actor and action).

The steps are independent diffs. When each is small enough to be solved in one process (as
`accord.analyses.diff.behaviour.shared` decides), and there are enough of them, they are shared
among processes, one per core (`accord.util.forked`), each step's diff in one of them; a larger
diff shares its own slices instead, step after step. The steps come back in date order, so the
result is the same whatever the number of processes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accord.analyses.diff.behaviour import shared, shares
from accord.analyses.diff.compare import Side, diff_sides
from accord.analyses.timeline import change_points, segments
from accord.knowledge.base import EditionChoiceError, KnowledgeBase
from accord.language import ir
from accord.results.across import AcrossResult, ProvisionGroup, Step
from accord.results.diff import ClauseChangeKind, DiffResult
from accord.solve import SolveTimeout
from accord.util import forked

# Steps shared among processes by default from this many on: a step of the bundled rules costs
# about 40 ms, a forked process a few.
STEPS_PARALLEL_FROM = 4


@dataclass(frozen=True, slots=True)
class Refused:
    """A step's diff that could not be made (a restriction neither side knows, a time limit
    reached): its error is raised once the steps before it are known to have none, so that the
    error a user sees does not depend on which process finished first."""

    error: ValueError | SolveTimeout


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


def step_processes(rules: ir.RuleBase, pairs: Sequence[tuple[str, str]], jobs: int | None) -> int:
    """How many processes share the steps (pairs of editions): one when some step's diff is
    large enough to share its own slices (it gets the processes), else as `shares` says for
    `STEPS_PARALLEL_FROM`."""
    views = {edition: rules.edition_view(edition) for pair in pairs for edition in pair}
    if any(shared(views[a], views[b], jobs) for a, b in pairs):
        return 1
    return shares(len(pairs), jobs, STEPS_PARALLEL_FROM)


def diff_across(
    kb: KnowledgeBase, start: dt.date, end: dt.date, *, actions: Iterable[str] = (), actors: Iterable[str] = (),
    given: Iterable[str] = (), witnesses: int = 0, timeout: float | None = None, jobs: int | None = None,
) -> AcrossResult:
    first = kb.edition_as_of(start)  # a date before everything is an error here too
    days = [d for d in segments(kb) if start < d <= end]
    events = {p.date: p.changes for p in change_points(kb)}
    ids = [first.id, *(kb.edition_as_of(day).id for day in days)]
    pairs = list(itertools.pairwise(ids))
    processes = step_processes(kb.rules, pairs, jobs)
    only_actions, only_actors, facts = tuple(actions), tuple(actors), tuple(given)

    def compared(pair: tuple[str, str]) -> DiffResult | Refused:
        before, after = pair
        try:
            return diff_sides(Side(kb.rules, before, before, "knowledge base"),
                              Side(kb.rules, after, after, "knowledge base"),
                              actions=only_actions, actors=only_actors, given=facts, witnesses=witnesses,
                              timeout=timeout, jobs=1 if processes > 1 else jobs)
        except (ValueError, SolveTimeout) as err:  # raised below, the earliest step's first
            return Refused(err)

    steps = []
    for day, result in zip(days, forked.map_pulled(compared, pairs, processes), strict=True):
        if isinstance(result, Refused):
            raise result.error
        steps.append(Step(day.isoformat(), events.get(day.isoformat(), ()), _groups(result), result))
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
