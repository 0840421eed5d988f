"""The timeline of a rule base, and the verdicts of a scenario's actions over it.

In: a `KnowledgeBase`. Out: `change_points` lists each day something enters into force, is
amended, renumbered or expires (`ChangePoint`s, oldest first); `scenario_timeline` answers a
scenario once per segment of the timeline (the days between two change points answer alike, so
one query per segment is exact for every day) and merges equal verdicts into date bands, naming
at each boundary the clauses that entered or left the answer; with layers of authority, it also
merges equal headline labels into label bands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from accord.analyses.query import query
from accord.knowledge.base import KnowledgeBase
from accord.language import ir
from accord.language.check_dates import effective
from accord.language.periods import FIRST, LAST, in_force, intersect
from accord.language.source import Span
from accord.results.query import ActionResult, Verdict
from accord.results.timeline import (
    ActionTimeline,
    Band,
    Change,
    ChangeKind,
    ChangePoint,
    Flip,
    LabelBand,
    ScenarioTimeline,
)


def segments(kb: KnowledgeBase) -> list[dt.date]:
    """The first day of every segment of the timeline, oldest first (from the earliest provision)."""
    first = kb.rules.earliest()
    points = kb.rules.change_points()
    return [p for p in points if first is None or p >= first]


def change_points(kb: KnowledgeBase) -> tuple[ChangePoint, ...]:
    base = kb.rules
    found: dict[dt.date, list[Change]] = {}
    for module in base.modules.values():
        for p in module.periods:
            for day, kind in ((p.start, ChangeKind.ENTERED), (p.end, ChangeKind.EXPIRED)):
                if day not in (FIRST, LAST):
                    found.setdefault(day, []).append(
                        Change(kind, "module", module.name, module.title or "", "", _where(module.span)))
    for name, clause in base.clauses.items():
        _provision(base, "clause", name, base.clause_versions.get(name, (clause,)), found)
    for name, definition in base.definitions.items():
        _provision(base, "definition", name, base.definition_versions.get(name, (definition,)), found)
    order = list(ChangeKind)
    return tuple(
        ChangePoint(day.isoformat(), tuple(sorted(changes, key=lambda c: (order.index(c.kind), c.what, c.name))))
        for day, changes in sorted(found.items())
    )


def _provision(base: ir.RuleBase, what: str, name: str, versions: Sequence[ir.Clause | ir.Definition],
               found: dict[dt.date, list[Change]]) -> None:
    spans = [(v, effective(base, v)) for v in versions]

    def version_on(day: dt.date) -> ir.Clause | ir.Definition | None:
        return next((v for v, periods in spans if in_force(periods, day)), None)

    def cite(v: ir.Clause | ir.Definition, day: dt.date) -> str:
        return v.cited_on(day) if isinstance(v, ir.Clause) else v.description

    for v, periods in spans:
        # Only the days written on the provision itself: those of its module are the module's changes.
        for p in intersect(v.periods, base.modules[v.module].periods):
            if p.start != FIRST and p.start in {q.start for q in v.periods}:
                before = version_on(p.start - dt.timedelta(days=1))
                kind = ChangeKind.ENTERED if before is None else ChangeKind.AMENDED
                detail = "" if before is None else "a new version replaces the former one"
                found.setdefault(p.start, []).append(Change(kind, what, name, cite(v, p.start), detail, _where(v.span)))
            if p.end != LAST and p.end in {q.end for q in v.periods} and version_on(p.end) is None:
                last = p.end - dt.timedelta(days=1)
                found.setdefault(p.end, []).append(
                    Change(ChangeKind.EXPIRED, what, name, cite(v, last), "", _where(v.span)))
        if isinstance(v, ir.Clause):
            for _, cited in v.citations:
                for p in cited:
                    day = p.start
                    if day == FIRST or not in_force(periods, day) or not in_force(periods, day - dt.timedelta(days=1)):
                        continue
                    former = v.cited_on(day - dt.timedelta(days=1))
                    if former != v.cited_on(day):
                        found.setdefault(day, []).append(Change(ChangeKind.RENUMBERED, what, name, v.cited_on(day),
                                                                f"formerly {former}", _where(v.span)))


def _where(span: Span | None) -> str:
    return f"{Path(span.file).name}:{span.line}" if span is not None else ""


def scenario_timeline(
    kb: KnowledgeBase,
    scenario: str | None = None,
    facts: Iterable[str] = (),
    unknown: Iterable[str] = (),
    actions: Iterable[str] = (),
    timeout: float | None = None,
) -> ScenarioTimeline:
    """Each action's verdict over the whole timeline (the named actions, or every action that is
    anything but not permitted on some day)."""
    facts, unknown = list(facts), list(unknown)
    days = segments(kb) or [kb.editions()[0].in_force]
    answers = [query(kb, day.isoformat(), scenario=scenario, facts=facts, unknown=unknown, timeout=timeout)
               for day in days]
    by_label = [{a.label: a for a in reversed(r.actions)} for r in answers]  # each segment's, by label
    actions = list(actions)
    known = {_compact(label): label for r in by_label for label in r} if actions else {}
    wanted = [known.get(_compact(a)) or _unknown(a) for a in actions]
    labels = wanted or sorted({label for r in by_label for label, a in r.items()
                               if a.verdict is not Verdict.NOT_PERMITTED})
    starts = [day.isoformat() for day in days]  # each segment's first day, written once
    lines = tuple(_action_timeline(label, starts, by_label) for label in labels)
    shown = tuple(f.fact if f.value == "true" else f"unknown {f.fact}" for f in answers[0].facts)
    return ScenarioTimeline(scenario, shown, days[0].isoformat(), lines)


def _action_timeline(label: str, starts: list[str], answers: list[dict[str, ActionResult]]) -> ActionTimeline:
    """One action's bands, flips and label bands over the segments starting on `starts`: a band is
    a run of segments with one verdict, and keeps the deciding clauses of its first segment."""
    found = [answer.get(label) for answer in answers]
    verdicts = [f.verdict if f is not None else Verdict.NOT_PERMITTED for f in found]
    ends: list[str | None] = [*starts[1:], None]  # each segment's end: the next one's first day
    bands: list[Band] = []
    flips: list[Flip] = []
    for first, after in _runs(verdicts):
        opening = found[first]
        clauses = opening.clauses if opening is not None else ()
        if bands:
            before = {c.id: c for c in bands[-1].clauses}
            now = {c.id: c for c in clauses}
            flips.append(Flip(starts[first], bands[-1].verdict, verdicts[first],
                              tuple(now[k] for k in sorted(now.keys() - before.keys())),
                              tuple(before[k] for k in sorted(before.keys() - now.keys()))))
        bands.append(Band(starts[first], ends[after - 1], verdicts[first], clauses))
    return ActionTimeline(label, tuple(bands), tuple(flips), _label_bands(found, starts, ends))


def _runs(values: Sequence[object]) -> list[tuple[int, int]]:
    """The runs of equal neighbours in `values`, as (first index, index after the last)."""
    out = []
    first = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[first]:
            out.append((first, i))
            first = i
    return out


def _label_bands(found: list[ActionResult | None], starts: list[str],
                 ends: list[str | None]) -> tuple[LabelBand, ...]:
    """The label bands: a run of segments, one after the other, in which the action has labels and
    keeps its headline (or, while the readings differ, gives the same labels)."""
    keys: list[tuple[str | None, str] | None] = []
    for result in found:
        if result is None or not result.labels:
            keys.append(None)
            continue
        headline = result.headline
        keys.append((headline, result.labels[0].description if headline
                     else " or ".join(ref.description for ref in result.labels)))
    out = []
    for first, after in _runs(keys):
        key, result = keys[first], found[first]
        if key is None or result is None:
            continue
        out.append(LabelBand(starts[first], ends[after - 1], key[0], key[1],
                             result.labels[0].status if key[0] else None))
    return tuple(out)


class UnknownActionError(ValueError):
    """An action, named for a timeline, that no segment of the timeline knows."""


def _compact(label: str) -> str:
    actor, _, action = label.strip().partition(" ")
    return f"{actor} {action.replace(' ', '')}"


def _unknown(label: str) -> str:
    raise UnknownActionError(f"No edition knows the action `{label}`; write it as ACTOR ACTION(ARGS), "
                             "for example `sdf use_of_force(collective)`.")


