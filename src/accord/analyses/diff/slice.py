"""Cutting the behaviour diff into independent slices, each solved on its own.

In: the edition views of both sides, the actions compared (`Target`s), the domain constraints
grouped into components, and the names every slice must take. Out: `Slice`s, one per (actor,
action) group whose statuses may differ: each side's view cut down to the group's clauses, the
definitions they reach, the constraints that touch their facts, and those facts; also the fact
instances a condition can ask about, the sorts of rule variables, and the views holding
everything some slice holds (`merged`), for `accord.analyses.diff.lines`.

Why a slice gives the same answers as the whole program: the status of an action depends only on
its own clauses (an override between clauses of different actions never applies) and, through
their conditions and the definitions those use, on a cone of facts. Facts are free choices, tied
together only by domain constraints; so a slice also takes every constraint touching one of its
facts, with all the facts of that constraint, until no constraint reaches outside (constraints
sharing facts form one component). A component that forbids the scenario where all its facts are
false, or that holds a fact given as true, goes into every slice (`everywhere`, decided by
`accord.analyses.diff.behaviour`). Every other component is left out of a slice only when all-false
satisfies it: any scenario of the slice, every other fact false, is then a scenario of the whole
space with the same statuses, and the whole space restricted to the slice's facts is a scenario of
the slice. So the changes of a slice's actions, the fewest facts of a witness and
subset-minimality are the same as in the whole space.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from accord.analyses.diff.program import Target, needs_own_space, target_key, union_facts, union_sorts
from accord.language import ast, ir
from accord.language.conditions import atoms

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Slice:
    """Both sides cut down to some actions, and those actions' targets."""

    a: ir.EditionView
    b: ir.EditionView
    targets: tuple[Target, ...]
    bridged: tuple[ir.Definition, ...] = ()  # definitions B takes from A (left out of `b`)
    carried: tuple[str, ...] = ()  # clauses of both sides whose conditions B takes from A


def _names(cond: ast.Condition | None) -> set[str]:
    return set() if cond is None else {atom.name.text for atom, _ in atoms(cond)}


@dataclass(frozen=True, slots=True)
class _Graph:
    """What each definition and constraint of either side mentions, and the fact names."""

    uses: Mapping[str, frozenset[str]]
    facts: frozenset[str]

    @staticmethod
    def of(views: Sequence[ir.EditionView]) -> _Graph:
        uses: dict[str, set[str]] = {}
        for view in views:
            for d in view.definitions.values():
                uses.setdefault(d.name, set()).update(_names(d.condition))
        facts = frozenset(f for view in views for f in view.facts)
        return _Graph({k: frozenset(v) for k, v in uses.items()}, facts)

    def reach(self, names: Iterable[str]) -> set[str]:
        """The names, and every definition and fact they reach through definitions."""
        seen: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self.uses.get(name, ()))
        return seen


@dataclass(frozen=True, slots=True)
class Component:
    """Constraints (of either side, by name) that share facts, and every name they reach."""

    constraints: frozenset[str]
    names: frozenset[str]
    facts: frozenset[str]


def components(views: Sequence[ir.EditionView]) -> list[Component]:
    """The domain constraints of both sides, grouped into components that share no fact, sorted."""
    graph = _Graph.of(views)
    reached: dict[str, set[str]] = {}
    for view in views:
        for k in view.constraints.values():
            reached.setdefault(k.name, set()).update(graph.reach(_names(k.condition)))
    parent: dict[tuple[str, str], tuple[str, str]] = {}  # ("k", constraint) or ("f", fact)

    def root(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for name, names in reached.items():
        for fact in names & graph.facts:
            parent[root(("f", fact))] = root(("k", name))
    grouped: dict[tuple[str, str], set[str]] = {}
    for name in reached:
        grouped.setdefault(root(("k", name)), set()).add(name)
    out = []
    for members in grouped.values():
        names = set().union(*(reached[k] for k in members))
        out.append(Component(frozenset(members), frozenset(names), frozenset(names & graph.facts)))
    return sorted(out, key=lambda c: sorted(c.constraints))


def asked_by(item: ir.Clause | ir.Definition | ir.Constraint, facts: Mapping[str, ir.Fact],
          sorts: Mapping[str, ir.Sort]) -> set[ir.GroundAtom]:
    """The fact instances an item's conditions can ask about: a variable stands for every member
    of its sort. No other instance of a slice's facts changes anything the slice says: it is left
    out of the slice's space, as if false, like the facts of other slices."""
    conditions = (item.when, item.unless) if isinstance(item, ir.Clause) else (item.condition,)
    var_sorts = dict(item.var_sorts)
    out: set[ir.GroundAtom] = set()
    for cond in conditions:
        for atom, _ in atoms(cond) if cond is not None else ():
            if atom.name.text in facts:
                choices = [sorts[var_sorts[t.name]].members if isinstance(t, ast.Var) else (t.name,) for t in atom.args]
                out.update((atom.name.text, combo) for combo in itertools.product(*choices))
    return out


def variable_sorts(view: ir.EditionView) -> set[str]:
    """The sorts the variables of a view's definitions, constraints and clauses range over."""
    out: set[str] = set()
    for items in (view.definitions.values(), view.constraints.values(), view.clauses.values()):
        out.update(sort for item in items for _, sort in item.var_sorts)
    return out


def _sorts(view: ir.EditionView) -> set[str]:
    """The sorts a view's facts, definitions, constraints and clauses range over."""
    return variable_sorts(view) | {sort for f in view.facts.values() for sort in f.params}


def cut(view: ir.EditionView, names: set[str], constraints: frozenset[str],
        clauses: Iterable[ir.Clause]) -> ir.EditionView:
    """The view with only these definitions and facts, these constraints and these clauses, and the
    sorts those range over; each sorted by name, as in a rule base."""
    out = replace(
        view,
        facts=_pick(view.facts, names),
        definitions=_pick(view.definitions, names),
        constraints=_pick(view.constraints, constraints),
        clauses={c.id: c for c in sorted(clauses, key=lambda c: c.id)},
    )
    return replace(out, sorts=_pick(view.sorts, _sorts(out)))


def _pick(items: dict[str, _T], names: Iterable[str]) -> dict[str, _T]:
    """The items of these names, sorted by name (a slice takes few of many)."""
    return {k: items[k] for k in sorted(names) if k in items}


def constraint_views(a: ir.EditionView, b: ir.EditionView, comps: Iterable[Component]) -> tuple[ir.EditionView, ...]:
    """Both sides with only the constraints of these components and what those reach: no clause."""
    chosen = list(comps)
    names = set().union(*(c.names for c in chosen))
    constraints = frozenset().union(*(c.constraints for c in chosen))
    return tuple(cut(v, names, constraints, ()) for v in (a, b))


Group = tuple[str, str]  # an actor and an action


def _rule(c: ir.Clause) -> tuple[object, ...]:
    """What a clause says, but for its id and overrides: its modality, arguments, conditions and
    variables, and its layer of authority."""
    return (c.modality.value, c.args, c.when, c.unless, c.var_sorts, c.layer or "")


def _meaning(clauses: Iterable[ir.Clause]) -> list[tuple[object, ...]]:
    return sorted((c.id, c.overrides, *_rule(c)) for c in clauses)


def _alike(a: list[ir.Clause], b: list[ir.Clause]) -> bool:
    """Whether two sides' clauses about one action say the same: the same rules in the same layers
    of authority, where a clause's id matters only if it overrides or is overridden (so a clause
    carried over into a new one under another id says the same), and its words not at all. (A
    clause that says what another says already, in another layer, changes that layer's verdict.)"""
    named = {t for c in (*a, *b) for t in c.overrides} | {c.id for c in (*a, *b) if c.overrides}

    def rules(clauses: list[ir.Clause]) -> tuple[object, ...]:
        return (_meaning(c for c in clauses if c.id in named), {_rule(c) for c in clauses if c.id not in named})

    return rules(a) == rules(b)


def _definition(view: ir.EditionView, name: str) -> tuple[object, ...] | None:
    d = view.definitions.get(name)
    return None if d is None else (d.params, d.condition, d.var_sorts)


def _same(a: ir.EditionView, b: ir.EditionView, names: Iterable[str]) -> bool:
    """Whether these names mean the same on both sides: the same facts, the same definitions."""
    return all((n in a.facts) == (n in b.facts) and _definition(a, n) == _definition(b, n) for n in names)


def slices(
    a: ir.EditionView, b: ir.EditionView, compared: Iterable[Target], comps: Sequence[Component],
    everywhere: set[str],
) -> list[Slice]:
    """The compared targets whose statuses may differ, a slice per (actor, action) group.

    A target no clause of either side is about never has a status; a group both sides decide by
    the same rules (when both see the same scenario space) has the same statuses in every
    scenario: neither can change, so neither goes into a slice (when both sides have the same
    layers of authority: otherwise the same statuses may give other verdicts and labels).
    `everywhere` are the names every slice takes (the given facts, and the components that must
    be in every slice).

    When both see the same space, a definition that means the same on both sides, down to
    everything it reaches, is compiled for A only: B takes it from A (`bridged`, where B's own
    rules of the slice mention it: a definition only A's rules use needs no B atoms); so are the
    conditions of a clause both sides state alike over such definitions and facts (`carried`); and
    a domain constraint B states as A does, over such definitions and facts, is A's alone."""
    views = (a, b)
    graph = _Graph.of(views)
    clauses: dict[Group, tuple[list[ir.Clause], list[ir.Clause]]] = {}
    mentions: dict[Group, set[str]] = {}
    for i, view in enumerate(views):
        for c in view.clauses.values():
            for actor in c.actors:  # a quantified clause is in the group of every actor it takes
                clauses.setdefault((actor, c.action), ([], []))[i].append(c)
                mentions.setdefault((actor, c.action), set()).update(_names(c.when), _names(c.unless))
    sorts, facts = union_sorts(a, b), union_facts(a, b)
    shared = not any(needs_own_space(v, sorts, facts) for v in views)
    same_authority = a.authority == b.authority  # the same layers, verdicts and labels on both sides
    by_group: dict[Group, list[Target]] = {}
    for t in sorted(compared, key=target_key):
        key = (t.actor, t.action)
        if key in clauses:
            by_group.setdefault(key, []).append(t)
    bridged = {n for n in a.definitions if shared and n in b.definitions and _same(a, b, graph.reach([n]))}
    alike = {k.name for k in a.constraints.values() if shared and b.constraints.get(k.name) == k
             and _same(a, b, graph.reach(_names(k.condition)))}
    by_fact = {f: comp for comp in comps for f in comp.facts}
    out = []
    for key in sorted(by_group):
        if shared and same_authority and _alike(*clauses[key]) and _same(a, b, graph.reach(mentions[key])):
            continue
        names = graph.reach(everywhere | mentions[key])
        touched = {by_fact[f].constraints: by_fact[f] for f in names if f in by_fact}
        constraints = frozenset().union(*(c.constraints for c in touched.values()))
        names |= set().union(*(c.names for c in touched.values()))
        taken = names & bridged
        mine = {c.id: c for c in clauses[key][0]}
        carried = tuple(sorted(
            c.id for c in clauses[key][1] if shared and c.id in mine and _meaning([c]) == _meaning([mine[c.id]])
            and _same(a, b, graph.reach(_names(c.when) | _names(c.unless)))))
        side_b = cut(b, names - taken, constraints - alike, clauses[key][1])
        out.append(Slice(cut(a, names, constraints, clauses[key][0]), side_b, tuple(by_group[key]),
                         tuple(a.definitions[n] for n in sorted(taken & _asked_by_b(side_b, carried))), carried))
    return out


def _asked_by_b(view: ir.EditionView, carried: Iterable[str]) -> set[str]:
    """The names B's own rules of a slice mention: the conditions of its clauses that are not
    carried, of its definitions and of its constraints. Only the bridged definitions among them
    need B's `derived` atoms; the others are A's alone."""
    skip = set(carried)
    out: set[str] = set()
    for c in view.clauses.values():
        if c.id not in skip:
            out |= _names(c.when) | _names(c.unless)
    for d in view.definitions.values():
        out |= _names(d.condition)
    for k in view.constraints.values():
        out |= _names(k.condition)
    return out


def merged(a: ir.EditionView, b: ir.EditionView, pieces: Sequence[Slice]) -> tuple[ir.EditionView, ir.EditionView]:
    """Each side with everything some slice holds, in the order of the whole view."""
    out = []
    for whole, views in ((a, [p.a for p in pieces]), (b, [p.b for p in pieces])):
        out.append(replace(
            whole,
            sorts=_union(whole.sorts, (v.sorts for v in views)),
            facts=_union(whole.facts, (v.facts for v in views)),
            definitions=_union(whole.definitions, (v.definitions for v in views)),
            constraints=_union(whole.constraints, (v.constraints for v in views)),
            clauses=_union(whole.clauses, (v.clauses for v in views)),
        ))
    return out[0], out[1]


def _union(whole: dict[str, _T], parts: Iterable[dict[str, _T]]) -> dict[str, _T]:
    keys = set().union(*parts)
    return {k: v for k, v in whole.items() if k in keys}
