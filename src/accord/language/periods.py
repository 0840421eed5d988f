"""Periods of force: half-open ranges of days, and the arithmetic on sets of them.

In: dates (`datetime.date`). Out: `Period` values (in force from `start`, inclusive, until `end`,
exclusive; the open ends are `date.min` and `date.max`) and normalized tuples of them (sorted,
disjoint, not touching), with intersection, difference and a readable rendering. Pure and small:
the checker, the views of a rule base on a date and the timeline all count days with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

FIRST, LAST = dt.date.min, dt.date.max


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: dt.date = FIRST
    end: dt.date = LAST

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def show(self) -> str:
        start = "" if self.start == FIRST else f"from {self.start.isoformat()}"
        end = "" if self.end == LAST else f"until {self.end.isoformat()}"
        return f"{start} {end}".strip() or "always"


ALWAYS: tuple[Period, ...] = (Period(),)


def normal(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Sorted, without empty periods, overlapping or touching ones merged."""
    out: list[Period] = []
    for p in sorted(p for p in periods if p.start < p.end):
        if out and p.start <= out[-1].end:
            out[-1] = Period(out[-1].start, max(out[-1].end, p.end))
        else:
            out.append(p)
    return tuple(out)


def in_force(periods: Iterable[Period], day: dt.date) -> bool:
    return any(p.contains(day) for p in periods)


def intersect(a: Iterable[Period], b: Iterable[Period]) -> tuple[Period, ...]:
    listed = list(b)
    return normal(Period(max(p.start, q.start), min(p.end, q.end)) for p in a for q in listed)


def minus(a: Iterable[Period], b: Iterable[Period]) -> tuple[Period, ...]:
    """The days of `a` that are not in `b`."""
    rest = list(normal(a))
    for q in normal(b):
        rest = [part for p in rest
                for part in (Period(p.start, min(p.end, q.start)), Period(max(p.start, q.end), p.end))
                if part.start < part.end]
    return normal(rest)


def boundaries(periods: Iterable[Period]) -> set[dt.date]:
    """The days on which something starts or stops being in force (the open ends left out)."""
    return {d for p in periods for d in (p.start, p.end) if d not in (FIRST, LAST)}


def show(periods: Iterable[Period]) -> str:
    return ", ".join(p.show() for p in periods) or "never"
