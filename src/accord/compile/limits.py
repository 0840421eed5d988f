"""A guard against grounding blow-up, checked before an edition is handed to the solver.

In: an edition's checked view. Out: an estimate of the ground instances of each rule (the product
of the sizes of the sorts its variables range over), of all of them together, and of the scenario
space, and `GroundingLimitError` naming the culprits when an estimate exceeds its limit. Near the
limits clingo grounds for tens of seconds and holds about half a gigabyte (docs/reliability.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from accord.language import ir

MAX_RULE_INSTANCES = 5_000_000
MAX_TOTAL_INSTANCES = 10_000_000
MAX_FACT_INSTANCES = 200_000


class GroundingLimitError(Exception):
    """An edition whose grounding would be too large; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Estimate:
    what: str
    instances: int


def _size(view: ir.EditionView, var_sorts: tuple[tuple[str, str], ...]) -> int:
    if not var_sorts:
        return 1
    return math.prod(len(view.sorts[s].members) for _, s in var_sorts if s in view.sorts)


def estimates(view: ir.EditionView) -> list[Estimate]:
    out = [Estimate(f"clause {c.id}", _size(view, c.var_sorts)) for c in view.clauses.values()]
    out += [Estimate(f"definition {d.name}", _size(view, d.var_sorts)) for d in view.definitions.values()]
    out += [Estimate(f"constraint {k.name}", _size(view, k.var_sorts)) for k in view.constraints.values()]
    return out


def check_limits(view: ir.EditionView) -> None:
    facts = sum(math.prod(len(view.sorts[s].members) for s in f.params) for f in view.facts.values())
    if facts > MAX_FACT_INSTANCES:
        raise GroundingLimitError(
            f"edition {view.edition.id} has {facts} fact instances; accord handles at most "
            f"{MAX_FACT_INSTANCES}. Use smaller sorts or fewer relation parameters."
        )
    sizes = [_size(view, item.var_sorts) for items in (view.clauses, view.definitions, view.constraints)
             for item in items.values()]
    if not sizes or (max(sizes) <= MAX_RULE_INSTANCES and sum(sizes) <= MAX_TOTAL_INSTANCES):
        return  # the common case: no estimate is named, so none is written out
    found = sorted(estimates(view), key=lambda e: (-e.instances, e.what))
    if found[0].instances > MAX_RULE_INSTANCES:
        worst = found[0]
        raise GroundingLimitError(
            f"{worst.what} in edition {view.edition.id} would ground to about {worst.instances} "
            f"instances (limit {MAX_RULE_INSTANCES}): its variables range over too many values. "
            "Split it, or bind fewer variables over large sorts."
        )
    total = sum(e.instances for e in found)
    if total > MAX_TOTAL_INSTANCES:
        largest = ", ".join(f"{e.what} (about {e.instances})" for e in found[:3])
        raise GroundingLimitError(
            f"edition {view.edition.id} would ground to about {total} instances in all (limit "
            f"{MAX_TOTAL_INSTANCES}); the largest are {largest}. Bind fewer variables over large sorts."
        )
