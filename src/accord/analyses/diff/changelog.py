"""Grouping a diff's behaviour changes so that a reader sees causes first.

In: a `DiffResult` and a grouping: `cause` (by the changed clauses that decide each change, then by
action and direction, merging actors and arguments) or `none` (one pattern per changed instance,
in one group). Out: a `Changelog`. Every behaviour change lands in exactly one pattern of exactly
one cause; nothing is solved again: the causes are read off the witnesses' deciding clauses.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from accord.results.changelog import Cause, Changelog, Instance, Pattern
from accord.results.diff import ClauseChange, ClauseChangeKind, DiffResult, Direction, Movement, Status, Witness

GROUPINGS = ("cause", "action", "none")
_STATUSES, _DIRECTIONS = list(Status), list(Direction)


class _Key(NamedTuple):
    """What one pattern gathers: an action moving one way; with no grouping, one instance of it."""

    action: str
    status: int  # position in `Status`
    direction: int  # position in `Direction`
    instance: tuple[str, tuple[str, ...]] = ("", ())


class _Found(NamedTuple):
    instance: Instance
    witness: Witness | None
    description: str


_UNTRACED = ("",)  # the group of changes without a witness: no clause can be named as their cause


def _change_of(result: DiffResult) -> dict[tuple[str, str], ClauseChange]:
    """Each changed clause (by side and id) to its change; clauses carried over do not count."""
    out: dict[tuple[str, str], ClauseChange] = {}
    for change in result.clauses:
        if change.kind is ClauseChangeKind.CARRIED:
            continue
        out.update({("a", c.id): change for c in change.a})
        out.update({("b", c.id): change for c in change.b})
    return out


def _causes_of(witness: Witness, change_of: dict[tuple[str, str], ClauseChange]) -> tuple[ClauseChange, ...]:
    found = {change_of[key] for side, outcome in (("a", witness.a), ("b", witness.b))
             for c in outcome.clauses if (key := (side, c.id)) in change_of}
    return tuple(sorted(found, key=lambda c: (c.key, c.kind.value)))


def pattern_label(action: str, instances: tuple[Instance, ...]) -> str:
    """`sdf logistic_support({fuel, goods})`: actors and each argument position merged."""
    def merged(values: list[str]) -> str:
        unique = sorted(set(values))
        return unique[0] if len(unique) == 1 else "{" + ", ".join(unique) + "}"

    actors = merged([i.actor for i in instances])
    arities = {len(i.arguments) for i in instances}
    if arities == {0}:
        return f"{actors} {action}"
    if len(arities) > 1:
        return f"{actors} {action}(…)"
    positions = zip(*(i.arguments for i in instances), strict=True)
    return f"{actors} {action}({', '.join(merged(list(values)) for values in positions)})"


def _pattern(key: _Key, found: list[_Found]) -> Pattern:
    instances = tuple(sorted({f.instance for f in found}, key=lambda i: (i.actor, i.arguments)))
    witnesses = [f.witness for f in found if f.witness is not None]
    example = min(witnesses, key=lambda w: (len(w.facts), w.facts)) if witnesses else None
    return Pattern(key.action, found[0].description, _STATUSES[key.status], _DIRECTIONS[key.direction],
                   instances, example, pattern_label(key.action, instances))


def changelog(result: DiffResult, grouping: str = "cause") -> Changelog:
    """The behaviour changes of `result` as a changelog (`grouping`: `cause` or `none`)."""
    if grouping not in ("cause", "none"):
        raise ValueError(f"a changelog groups by cause or not at all, not by {grouping}")
    change_of = _change_of(result)
    v = result.vocabulary
    vocabulary = (*v.definitions_changed, *v.definitions_only_a, *v.definitions_only_b, *v.constraints_changed,
                  *v.constraints_only_a, *v.constraints_only_b)
    groups: dict[tuple[str, ...], dict[_Key, list[_Found]]] = defaultdict(lambda: defaultdict(list))
    changes_by_key: dict[tuple[str, ...], tuple[ClauseChange, ...]] = {}
    named: set[int] = set()  # the clause changes that decide some behaviour change (by identity)
    untraced = False  # some change has no witness: which clause changes are quiet is not known
    for target in result.behaviour:
        for change in target.changes:
            for direction in _DIRECTIONS:
                if change.movement not in (Movement.BOTH, Movement(direction.value)):
                    continue
                witnesses = change.witnesses(direction)
                witness = witnesses[0] if witnesses else None
                deciding = _causes_of(witness, change_of) if witness is not None else ()
                named.update(id(c) for c in deciding)
                if grouping == "none":
                    deciding = ()
                cause_key = tuple(c.key for c in deciding) if witness is not None or grouping == "none" else _UNTRACED
                untraced |= witness is None
                changes_by_key[cause_key] = deciding
                key = _Key(target.action, _STATUSES.index(change.status), _DIRECTIONS.index(direction))
                if grouping == "none":
                    key = key._replace(instance=(target.actor, target.arguments))
                groups[cause_key][key].append(_Found(Instance(target.actor, target.arguments), witness,
                                                     target.description))
    causes = tuple(
        Cause(changes_by_key[cause_key], vocabulary if not cause_key else (),
              tuple(_pattern(key, found) for key, found in sorted(groups[cause_key].items())),
              traced=cause_key != _UNTRACED)
        for cause_key in sorted(groups, key=lambda k: (k == _UNTRACED, not k, k))
    )
    quiet = () if untraced else tuple(
        c for c in result.clauses if c.kind is not ClauseChangeKind.CARRIED and id(c) not in named)
    return Changelog(grouping, causes, quiet)
