"""The behaviour half of `accord diff`: which statuses differ in some scenario, with witnesses.

In: the edition views of both sides, the actions compared, the facts given (true or false), a
witness count and a time limit per solve. Out: the `TargetDiff`s of the actions whose statuses
differ in some scenario, or None when no scenario satisfies both sides' domain constraints.

Decided by clingo over the whole declared scenario space, never by enumerating scenarios here.
A small diff is one program (`accord.analyses.diff.program`), grounded once: one brave solve yields every
(status, direction, actor, action) that differs in some scenario, and its exhaustive search proves
every other one unchanged; for each change, witnesses come from solves under assumptions:
fewest-fact scenarios by optimisation, then further subset-minimal ones.

A large diff is cut into slices (`accord.analyses.diff.slice`), each an action group with the clauses,
definitions, constraints and facts it reaches, and each searched the same way on its own small
program (`accord.analyses.diff.lines`): a brave search visits about one scenario per change it finds, each
over the whole program, so one program for everything would cost the square of the size. First
the domain constraints alone say whether the space is empty and which constraint components must
go into every slice. The answers are those of the whole program (tests/test_diff_split.py); where
several scenarios have the fewest facts, the one shown may differ. Slices are independent, so a
diff with many of them shares them among processes, one per core (`accord.util.forked`): each
takes the next slice not yet taken whenever it is free, the heaviest first, and the changes they
find are put together in target order, so the result is the same whatever the number of
processes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from accord.analyses.diff.layers import LayerKey, layer_changes, side_layer_atoms, side_layers
from accord.analyses.diff.lines import Lines
from accord.analyses.diff.program import (
    CHANGE,
    ECHO,
    FREE,
    PREFIXES,
    STATUSES,
    Target,
    diff_program,
    instances,
    layers_of,
    target_key,
    union_facts,
    union_sorts,
)
from accord.analyses.diff.slice import Component, Slice, components, constraint_views, slices
from accord.compile.asp import print_program
from accord.language import ast, ir
from accord.results.diff import (
    DecidingClause,
    Direction,
    Movement,
    SideOutcome,
    Status,
    StatusChange,
    TargetDiff,
    Witness,
)
from accord.results.query import Role, Verdict
from accord.solve import SearchProgram, Sym
from accord.util import collector, forked

_ROLES = frozenset({"applies", "excused", "overridden"})
_ROLE = {ast.Modality.MAY: Role.PERMITS, ast.Modality.MUST: Role.REQUIRES, ast.Modality.MUST_NOT: Role.FORBIDS}

# A diff with fewer clauses than this (both sides together) is solved as one program: a few
# hundred clauses ground and search in a fraction of a second, and the witnesses stay the ones the
# whole program finds (the bundled knowledge base, with about 220 clauses for two editions).
SPLIT_FROM = 400

# A sliced diff with at least this many slices is shared among processes, one per core: each
# slice costs a few milliseconds, a forked process about as much as a slice.
PARALLEL_FROM = 64

Moved = dict[Target, dict[Status | LayerKey, dict[Direction, tuple[Witness, ...]]]]


def fact_sym(atom: ir.GroundAtom) -> Sym:
    return Sym(atom[0], tuple(Sym(x) for x in atom[1]))


def _free(atom: ir.GroundAtom) -> Sym:
    return Sym(FREE[0], (fact_sym(atom),))


def _action_sym(t: Target) -> Sym:
    return Sym(t.action, tuple(Sym(x) for x in t.arguments))


def _side_atoms(view: ir.EditionView, prefix: str, t: Target) -> list[Sym]:
    """The atoms that say a target's statuses and the roles of its clauses on one side (only those
    that can hold: a clause about other arguments never applies, one without an exception is
    never excused, one that no clause overrides is never overridden)."""
    key = (Sym(t.actor), _action_sym(t))
    out = [Sym(prefix + s, key) for s in STATUSES]
    overridden = {o for c in view.clauses.values() for o in c.overrides}
    for c in view.clauses.values():
        if c.about(t.actor) and c.action == t.action and all(
                isinstance(x, ast.Var) or x.name == y for x, y in zip(c.args, t.arguments, strict=True)):
            roles = ("applies", *(("excused",) if c.unless is not None else ()),
                     *(("overridden",) if c.id in overridden else ()))
            out += [Sym(prefix + r, (Sym(c.id, quoted=True), *key)) for r in roles]
    return out + side_layer_atoms(view, prefix, t)


def _outcome(view: ir.EditionView, prefix: str, model: frozenset[Sym], t: Target) -> SideOutcome:
    key = (Sym(t.actor), _action_sym(t))
    permitted, forbidden, required = (Sym(prefix + s, key) in model for s in STATUSES)
    if required and forbidden:
        verdict = Verdict.CONFLICT
    elif required or permitted or forbidden:
        verdict = Verdict.REQUIRED if required else Verdict.PERMITTED if permitted else Verdict.FORBIDDEN
    else:
        verdict = Verdict.NOT_PERMITTED
    clauses = []
    roles = [atom for atom in model if len(atom.args) == 3 and atom.args[1:] == key
             and atom.name.removeprefix(prefix) in _ROLES and atom.name.startswith(prefix)]
    for atom in sorted(roles):
        clause = view.clauses[atom.args[0].name]
        role = {"applies": _ROLE[clause.modality], "excused": Role.EXCEPTION_HELD,
                "overridden": Role.OVERRIDDEN}[atom.name.removeprefix(prefix)]
        clauses.append(DecidingClause(clause.id, clause.cite, clause.says, role))
    label, layers = side_layers(view, prefix, model, t)
    return SideOutcome(verdict, permitted, forbidden, required, tuple(clauses), label, layers)


def _everywhere(
    views: Sequence[ir.EditionView], comps: Sequence[Component], given: Mapping[ir.GroundAtom, bool],
    timeout: float | None,
) -> set[str] | None:
    """The names every slice must take: the facts given as true, and the constraint components
    that rule out the scenario where all their facts are false; None when no scenario satisfies
    both sides' constraints and the given facts. (A fact given as false is false outside a slice
    anyway.)"""
    out = {name for (name, _), value in given.items() if value}
    if not comps:
        return out
    a, b = constraint_views(views[0], views[1], comps)
    search = SearchProgram(print_program(diff_program(a, b, ())), FREE)
    tied = set().union(*(c.facts for c in comps))  # a given fact no constraint mentions leaves some scenario
    if search.brave({_free(f): v for f, v in given.items() if f[0] in tied}, timeout) is None:
        return None
    facts = union_facts(*views)
    sorts = {s.name: s for s in union_sorts(*views)}
    for comp in comps:
        if comp.facts & out:
            continue
        every = instances([f for f in facts if f.name in comp.facts], sorts)
        if search.brave({_free(f): False for f in every}, timeout) is None:
            out |= comp.names
    return out


class _Empty(Exception):
    """A slice has no scenario at all: neither has the whole space."""


def _solve(piece: Slice, search: SearchProgram, assumptions: Mapping[Sym, bool], witnesses: int,
           timeout: float | None) -> Moved:
    """The changes of one slice, with their witnesses, by target; `_Empty` when the slice has no
    scenario at all."""
    views = (piece.a, piece.b)
    found = search.brave(assumptions, timeout)
    if found is None:
        raise _Empty()
    moved: Moved = defaultdict(dict)
    reads: dict[Target, list[Sym]] = {}  # the same atoms for every change of a target: looked up once
    for found_atom in sorted(found):
        atom = Sym(CHANGE[0], found_atom.args)  # shown as `found/4` by a sliced program
        what = atom.args[0]
        status: Status | LayerKey = ((what.args[0].name, what.args[1].name) if what.name == "layer"
                                     else Status(what.name))
        direction = Direction(atom.args[1].name)
        action = atom.args[3]
        t = Target(atom.args[2].name, action.name, tuple(x.name for x in action.args))
        read = reads.get(t)
        if read is None:
            read = reads[t] = [x for v, p in zip(views, PREFIXES, strict=True) for x in _side_atoms(v, p, t)]
        models = search.minimal_models({**assumptions, atom: True}, witnesses, read, timeout)
        shown = sorted(
            (Witness(tuple(sorted(str(x.args[0]) for x in m if x.name == FREE[0] and len(x.args) == 1)),
                     *(_outcome(v, p, m, t) for v, p in zip(views, PREFIXES, strict=True)))
             for m in models),
            key=lambda w: (len(w.facts), w.facts),
        )
        moved[t].setdefault(status, {})[direction] = tuple(shown)
    return dict(moved)


def behaviour(
    a: ir.EditionView, b: ir.EditionView, compared: Mapping[Target, str], given: Mapping[ir.GroundAtom, bool],
    witnesses: int, timeout: float | None, split: bool | None = None, jobs: int | None = None,
) -> tuple[TargetDiff, ...] | None:
    """The targets whose statuses differ in some scenario; None when no scenario is possible.

    `split` cuts the diff into slices; by default a diff with fewer than `SPLIT_FROM` clauses on
    both sides together is solved whole (see the module docstring). `jobs` is how many processes
    share the slices (`shares`); by default as many as there are cores, for enough slices."""
    if split is None:
        split = len(a.clauses) + len(b.clauses) >= SPLIT_FROM
    if split:
        with collector.paused():  # a large diff allocates much that stays alive (accord.util.collector)
            return _sliced(a, b, compared, given, witnesses, timeout, jobs)
    search = SearchProgram(print_program(diff_program(a, b, compared)), FREE)
    assumptions = {_free(f): v for f, v in given.items()}
    try:
        moved = _solve(Slice(a, b, tuple(compared)), search, assumptions, witnesses, timeout)
    except _Empty:
        return None
    return _diffs(moved, compared, layers_of(a, b))


def shared(a: ir.EditionView, b: ir.EditionView, jobs: int | None) -> bool:
    """Whether a diff of these sides is large enough to be sliced and shared among processes (by
    default, as `behaviour` decides it; `jobs` of 1 says one process)."""
    return len(a.clauses) + len(b.clauses) >= SPLIT_FROM and (jobs or forked.cores()) > 1 and forked.can_fork()


def shares(count: int, jobs: int | None, least: int = PARALLEL_FROM) -> int:
    """How many processes share `count` pieces of work (slices, by default): `jobs` when given (at
    most one per piece), else one per core when there are at least `least` pieces, and one when
    forking is not possible here (`accord.util.forked`)."""
    if jobs is None:
        jobs = forked.cores() if count >= least else 1
    return max(1, min(jobs, count)) if forked.can_fork() else 1


def _sliced(
    a: ir.EditionView, b: ir.EditionView, compared: Mapping[Target, str], given: Mapping[ir.GroundAtom, bool],
    witnesses: int, timeout: float | None, jobs: int | None,
) -> tuple[TargetDiff, ...] | None:
    comps = components((a, b))
    everywhere = _everywhere((a, b), comps, given, timeout)
    if everywhere is None:
        return None
    pieces = slices(a, b, compared, comps, everywhere)
    lines = Lines.of(a, b, pieces, [f for f, value in given.items() if value])
    # Each slice's program is kept until every slice is searched, then all are freed together:
    # freeing clingo's controls one by one, with their memory used again by the next slice, made
    # the N = 10,000 diff 15-35% slower in a process that had grounded a large edition before
    # (docs/performance.md), and no faster in a fresh one. Forked children search the slices of a
    # large diff, and never free them: they leave without freeing anything (`accord.util.forked`).
    kept: list[SearchProgram] = []

    def search(piece: Slice) -> Moved:
        space = lines.space_of(piece)
        program = SearchProgram(lines.program(piece, space), FREE, ECHO)
        kept.append(program)
        return _solve(piece, program, {_free(f): v for f, v in given.items() if f in space}, witnesses, timeout)

    heaviest_first = sorted(pieces, key=_weight, reverse=True)  # so that the last ones taken are light
    try:
        found = forked.map_pulled(search, heaviest_first, shares(len(pieces), jobs))
    except _Empty:
        return None
    moved: Moved = {}
    for part in found:
        moved.update(part)  # a target is in one slice only
    return _diffs(moved, compared, layers_of(a, b))


def _weight(piece: Slice) -> tuple[int, tuple[str, str, tuple[str, ...]]]:
    """How much a slice's search costs, about: its clauses, definitions and constraints, and its
    targets (then its first target, so that the order is fixed)."""
    size = sum(len(v.clauses) + len(v.definitions) + len(v.constraints) for v in (piece.a, piece.b))
    return (size + len(piece.targets), target_key(piece.targets[0]))


def _diffs(moved: Moved, compared: Mapping[Target, str], layers: list[ir.Layer]) -> tuple[TargetDiff, ...]:
    """The changes of each target that has some, in target order."""
    out = []
    for t in sorted(moved, key=target_key):
        changes = []
        for status in Status:
            ways = moved[t].get(status)
            if not ways:
                continue
            movement = Movement.BOTH if len(ways) == 2 else Movement(next(iter(ways)).value)
            changes.append(StatusChange(status, movement, ways.get(Direction.GAINED, ()), ways.get(Direction.LOST, ())))
        by_layer = {k: v for k, v in moved[t].items() if isinstance(k, tuple)}
        out.append(TargetDiff(t.actor, t.action, t.arguments, compared[t], tuple(changes),
                              layer_changes(layers, by_layer)))
    return tuple(out)
