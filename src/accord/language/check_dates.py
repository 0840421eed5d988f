"""Checking dates: periods of force, versions of one provision, and references across time.

In: the `ast.Period`s written in the rule files (`read_periods`), and a checked `ir.RuleBase`
(`check_timeline`). Out: `Period` tuples, and diagnostics: malformed dates (`invalid-date`),
`until` on or before `in_force` (`empty-period`), overlapping versions of one provision
(`overlapping-versions`), a provision dated outside its module's period (`outside-module`), a date
of a test before anything is in force (`date-before-everything`), and, as warnings, a reference to
a provision on days when that provision is not in force (`not-in-force`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

from accord.language import ast, ir
from accord.language.conditions import atoms
from accord.language.diagnostics import Diagnostic, Severity, Sink
from accord.language.periods import ALWAYS, FIRST, LAST, Period, intersect, minus, normal, show
from accord.language.source import Span


def read_date(text: str, span: Span | None, sink: Sink) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        sink.error("invalid-date", "INVALID DATE", f"`{text}` is not a calendar date.", span,
                   "Write dates as YYYY-MM-DD, for example 2015-04-27.")
        return None


def read_periods(written: tuple[ast.Period, ...], sink: Sink) -> tuple[Period, ...]:
    """The periods as written; none written: always in force (within what holds it)."""
    if not written:
        return ALWAYS
    out = []
    for p in written:
        start = read_date(p.start, p.span, sink) if p.start is not None else FIRST
        end = read_date(p.end, p.span, sink) if p.end is not None else LAST
        if start is None or end is None:
            continue
        if end <= start:
            sink.error("empty-period", "PERIOD ENDS BEFORE IT STARTS",
                       f"`until {end}` is not after `in_force {start}`: the period holds no day.", p.span,
                       "A period runs from its first day up to, not including, the `until` day.")
            continue
        out.append(Period(start, end))
    return normal(out) or ALWAYS


def effective(base: ir.RuleBase, item: ir.Clause | ir.Definition) -> tuple[Period, ...]:
    """The days a provision is in force: its own periods within its module's."""
    return intersect(item.periods, base.modules[item.module].periods)


def _provisions(base: ir.RuleBase) -> Iterator[ir.Clause | ir.Definition]:
    for name, clause in base.clauses.items():
        yield from base.clause_versions.get(name, (clause,))
    for name, definition in base.definitions.items():
        yield from base.definition_versions.get(name, (definition,))


def check_timeline(base: ir.RuleBase, tests: dict[str, ast.Test], sink: Sink) -> None:
    for item in _provisions(base):
        bounds = base.modules[item.module].periods
        # An open end means "as long as the module": only the days written can fall outside it.
        written = [Period(bounds[0].start if p.start == FIRST else p.start, bounds[-1].end if p.end == LAST else p.end)
                   for p in item.periods]
        if item.periods != ALWAYS and minus(written, bounds):
            sink.error("outside-module", "DATED OUTSIDE ITS MODULE",
                       f"`{_name(item)}` is dated {show(item.periods)}, but its module `{item.module}` is in "
                       f"force only {show(base.modules[item.module].periods)}.", item.span,
                       "A module's period bounds everything in it: date the provision within it, or move it.")
    for clauses in base.clause_versions.values():
        _overlaps(base, clauses, sink)
    for definitions in base.definition_versions.values():
        _overlaps(base, definitions, sink)
    first = base.earliest()
    for test in tests.values():
        for ref in test.editions:
            day = _date_of(ref.text)
            if day is not None and first is not None and day < first:
                sink.error("date-before-everything", "DATE BEFORE EVERYTHING",
                           f"Nothing is in force on {day}: the earliest provision starts on {first}.", ref.span,
                           f"Use a date on or after {first}.")
    _references(base, sink)


def _overlaps(base: ir.RuleBase, versions: Iterable[ir.Clause | ir.Definition], sink: Sink) -> None:
    for a, b in itertools.combinations(versions, 2):
        common = intersect(effective(base, a), effective(base, b))
        if common:
            related = ((a.span, "the other version"),) if a.span else ()
            sink.error("overlapping-versions", "OVERLAPPING VERSIONS",
                       f"Two versions of `{_name(a)}` are both in force {show(common)}.", b.span,
                       "Versions of one provision take turns: end one (`until`) on the day the next starts.",
                       related)


def _references(base: ir.RuleBase, sink: Sink) -> None:
    """Warn where a provision refers to a definition on days that definition is not in force."""
    spans: dict[str, tuple[Period, ...]] = {}
    for item in _provisions(base):
        name = _name(item)
        spans[name] = normal([*spans.get(name, ()), *effective(base, item)])
    for item in _provisions(base):
        own = effective(base, item)
        for target, span in _targets(base, item):
            missing = minus(own, spans.get(target, ALWAYS))
            if missing:
                sink.add(Diagnostic(
                    "not-in-force", "REFERENCE NOT IN FORCE",
                    f"`{_name(item)}` refers to `{target}`, which is not in force {show(missing)}; "
                    f"there the reference does not hold.", span,
                    f"`{target}` is in force {show(spans.get(target, ALWAYS))}.", Severity.WARNING))


def _targets(base: ir.RuleBase, item: ir.Clause | ir.Definition) -> Iterator[tuple[str, Span | None]]:
    conditions = [item.condition] if isinstance(item, ir.Definition) else [item.when, item.unless]
    for cond in conditions:
        if cond is not None:
            for atom, _ in atoms(cond):
                if atom.name.text in base.definitions:
                    yield atom.name.text, atom.name.span


def _name(item: ir.Clause | ir.Definition) -> str:
    return item.id if isinstance(item, ir.Clause) else item.name


def _date_of(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
