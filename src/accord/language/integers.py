"""Bounded integer sorts: `sort days "Days since the attack" 0..400`, integer constants, and the
order comparisons `<`, `<=`, `>`, `>=` between integer terms; date sorts
(`sort day "Days of the crisis" 1952-01-01..1953-12-31`) and date constants the same way.

In: a declared sort, or a term or comparison of a condition with the sorts of its variables. Out:
the members of an integer sort (the integers as text, `"0"` … `"400"`), and diagnostics for an
empty or too large range (`empty-range`, `sort-too-large`: grounding must stay small), an integer
where a sort of names is wanted or outside its sort's bounds (`sort-mismatch`, `out-of-range`), and
an order comparison of something that is not an integer (`not-an-integer`), and a scenario that
leaves a fact over an integer sort open without a value (`open-integer`). The members of a date
sort are its days as dates (`"1952-01-01"` …); a date that is not a calendar day is `invalid-date`,
one outside its sort `out-of-range`, and a date compared with something that is not one `not-a-date`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from accord.language import ast
from accord.language.diagnostics import Sink

if TYPE_CHECKING:  # the printer and the compiler read the tables below without the resolver
    from accord.language.resolve import Declarations

MAX_INTEGERS = 10_001  # members of one integer sort: every value is a fact instance of its facts
INTEGER = "#integer"  # the sort of an integer constant in a comparison
DATE = "#date"  # the sort of a date constant in a comparison
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

NEGATED_COMPARISON = {"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
ORDER_COMPARISONS = frozenset({"<", "<=", ">", ">="})


def is_integer(name: str) -> bool:
    """Whether a constant is an integer (a member of a bounded integer sort) rather than a name."""
    return name.isdigit()


def is_date(name: str) -> bool:
    """Whether a constant is written as a date (YYYY-MM-DD), a member of a date sort."""
    return _DATE.match(name) is not None


def day(text: str) -> dt.date | None:
    """The calendar day of a date's text; None for one that is not a calendar day."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def members(node: ast.SortDecl, sink: Sink) -> tuple[str, ...]:
    """The members of a sort: its names, the integers of its bounds, or the days of its dates."""
    if node.dates is not None:
        return _days(node, node.dates, sink)
    if node.bounds is None:
        return tuple(m.name.text for m in node.members)
    low, high = node.bounds
    if low > high:
        sink.error("empty-range", "EMPTY RANGE", f"The sort `{node.name.text}` runs from {low} down to {high}: "
                   "it has no members.", node.span, f"Write the smaller bound first: `{high}..{low}`.")
        return ()
    if high - low + 1 > MAX_INTEGERS:
        sink.error("sort-too-large", "SORT TOO LARGE",
                   f"The sort `{node.name.text}` has {high - low + 1} members; an integer sort has at most "
                   f"{MAX_INTEGERS}.", node.span,
                   "Every value is a fact instance to ground: count in larger units (days, not seconds; "
                   "hundreds of troops), or bound the range to the values the rules can tell apart.")
        return ()
    return tuple(str(i) for i in range(low, high + 1))


def _days(node: ast.SortDecl, dates: tuple[str, str], sink: Sink) -> tuple[str, ...]:
    first, last = day(dates[0]), day(dates[1])
    for text, found in zip(dates, (first, last), strict=True):
        if found is None:
            sink.error("invalid-date", "INVALID DATE", f"`{text}` is not a calendar date.", node.span,
                       "Write a real day as YYYY-MM-DD, e.g. 1952-02-29 only in a leap year.")
    if first is None or last is None:
        return ()
    count = (last - first).days + 1
    if count < 1:
        sink.error("empty-range", "EMPTY RANGE", f"The sort `{node.name.text}` runs from {dates[0]} back to "
                   f"{dates[1]}: it has no members.", node.span, f"Write the earlier date first: "
                   f"`{dates[1]}..{dates[0]}`.")
        return ()
    if count > MAX_INTEGERS:
        sink.error("sort-too-large", "SORT TOO LARGE",
                   f"The sort `{node.name.text}` has {count} days; a date sort has at most {MAX_INTEGERS}.",
                   node.span, "Every day is a fact instance to ground: bound the sort to the days the rules "
                   "can tell apart.")
        return ()
    return tuple((first + dt.timedelta(days=i)).isoformat() for i in range(count))


def date_bounds(decls: Declarations, sort: str) -> tuple[str, str] | None:
    entry = decls.sorts.entries.get(sort)
    return entry.node.dates if entry is not None else None


def check_date(decls: Declarations, arg: ast.Const, sort: str, where: str, sink: Sink) -> None:
    """A date given where a value of `sort` is wanted."""
    if not calendar_day(arg, sink):
        return
    limits = date_bounds(decls, sort)
    if limits is None:
        if sort in decls.sorts.entries:
            sink.error("sort-mismatch", "SORT MISMATCH", f"`{arg.name}` is a date, but this {where} is a "
                       f"`{sort}`, not a date sort.", arg.span, f"Give a member of `{sort}`.")
        return
    if not limits[0] <= arg.name <= limits[1]:  # dates as YYYY-MM-DD compare as text
        sink.error("out-of-range", "OUT OF RANGE", f"`{arg.name}` is outside the sort `{sort}` "
                   f"({limits[0]}..{limits[1]}) of this {where}.", arg.span,
                   f"Give a date from {limits[0]} to {limits[1]}, or widen the sort.")


def calendar_day(arg: ast.Term, sink: Sink) -> bool:
    """Whether a date constant is a calendar day; `invalid-date` if not."""
    if day(arg.name) is not None:
        return True
    sink.error("invalid-date", "INVALID DATE", f"`{arg.name}` is not a calendar date.", arg.span,
               "Write a real day as YYYY-MM-DD.")
    return False


def constant_sort(name: str) -> str | None:
    """The sort of a constant that is a number or a date in a comparison; None for a name."""
    return INTEGER if is_integer(name) else DATE if is_date(name) else None


def bounds(decls: Declarations, sort: str) -> tuple[int, int] | None:
    entry = decls.sorts.entries.get(sort)
    return entry.node.bounds if entry is not None else None


def check_constant(decls: Declarations, arg: ast.Const, sort: str, where: str, sink: Sink) -> None:
    """An integer given where a value of `sort` is wanted."""
    limits = bounds(decls, sort)
    if limits is None:
        if sort in decls.sorts.entries:
            sink.error("sort-mismatch", "SORT MISMATCH", f"`{arg.name}` is an integer, but this {where} is a "
                       f"`{sort}`, a sort of names.", arg.span, f"Give a member of `{sort}`.")
        return
    if not limits[0] <= int(arg.name) <= limits[1]:
        sink.error("out-of-range", "OUT OF RANGE", f"`{arg.name}` is outside the sort `{sort}` "
                   f"({limits[0]}..{limits[1]}) of this {where}.", arg.span,
                   f"Give an integer from {limits[0]} to {limits[1]}, or widen the sort.")


def check_comparison(decls: Declarations, node: ast.Compare, left: str | None, right: str | None,
                     sink: Sink) -> None:
    """The sorts of the two sides of a comparison (INTEGER for an integer constant, None unknown)."""
    def integer(sort: str | None) -> bool:
        return sort == INTEGER or (sort is not None and bounds(decls, sort) is not None)

    def date(sort: str | None) -> bool:
        return sort == DATE or (sort is not None and date_bounds(decls, sort) is not None)

    if date(left) or date(right):
        for term in (node.left, node.right):
            if isinstance(term, ast.Const) and is_date(term.name):
                calendar_day(term, sink)
        for term, sort in ((node.left, left), (node.right, right)):
            if sort is not None and not date(sort):
                sink.error("not-a-date", "NOT A DATE",
                           f"`{_shown(term)}` is {'an integer' if integer(sort) else f'a `{sort}`'}; it is "
                           "compared with a date.", term.span,
                           "Compare a variable of a date sort (`sort day 1952-01-01..1953-12-31`) with a "
                           "date or another variable of a date sort.")
        return
    if node.op in ORDER_COMPARISONS:
        for term, sort in ((node.left, left), (node.right, right)):
            if sort is not None and not integer(sort):
                sink.error("not-an-integer", "NOT AN INTEGER",
                           f"`{_shown(term)}` is a `{sort}`; `{node.op}` compares integers.", term.span,
                           "Order comparisons take variables of an integer sort (`sort days 0..400`) and "
                           "integer constants.")
        return
    if INTEGER in (left, right) and left is not None and right is not None and not (integer(left) and integer(right)):
        sink.error("sort-mismatch", "SORT MISMATCH",
                   f"This compares an integer with a `{right if left == INTEGER else left}`; they can never be equal.",
                   node.span, "Compare values of the same sort.")


def open_integer(decls: Declarations, fact: ast.ScenarioFact, params: tuple[str, ...], sink: Sink) -> bool:
    """Report `unknown F` without arguments for a fact over an integer sort (not supported)."""
    if fact.truth is not ast.Truth.UNKNOWN or fact.args:
        return False
    ranged = [(p, b) for p in params if (b := bounds(decls, p) or date_bounds(decls, p)) is not None]
    if not ranged:
        return False
    sort, (low, high) = ranged[0]
    example = ", ".join(str(low) if p == sort else p.upper() for p in params)
    sink.error(
        "open-integer",
        "INTEGER FACT UNKNOWN AS A WHOLE",
        f"`{fact.name.text}` takes a value of the {'date' if isinstance(low, str) else 'integer'} sort `{sort}` "
        f"({low}..{high}); a scenario "
        "cannot leave the whole fact open.",
        fact.span,
        f"Leave open the values the scenario considers, one line each: `unknown {fact.name.text}({example})`.",
    )
    return True


def _shown(term: ast.Term) -> str:
    return term.name
