"""Building the answer-set program of `accord diff`.

In: the edition views of the two sides (A and B) and the actions to compare (`Target`s). Out: one
typed `asp.Program` over one shared scenario space (every fact instance of the union vocabulary is
free to hold), with side A's rules prefixed `a_` and side B's `b_`, and
`change(Status, Direction, Actor, Action)` true in exactly the answer sets (scenarios allowed by
both sides' domain constraints) where a status holds on one side and not on the other:
`gained` when it holds in B only, `lost` when it holds in A only.

A side whose vocabulary differs from the union (a sort with other members, or a fact of the same
name with other parameters; possible when a user diffs an edited copy) gets its own domains and its
own view of the facts (`a_dom/2`, `a_possible/1`, `a_holds/1`), so a fact instance it does not know
is never true there.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accord.compile.asp import Comment, External, Fn, Lit, Program, Rule, Show, Statement, Str, Var
from accord.compile.to_asp import dom, edition_rules, space, var
from accord.language import ir

STATUSES = ("permitted", "forbidden", "required")
DIRECTIONS = ("gained", "lost")
CHANGE = ("change", 4)
FREE = ("holds", 1)
ECHO = ("witness", "seen")
CARRIED = "carried"
FOUND = "found"
PREFIXES = ("a_", "b_")
_OWN_SPACE_SHARED = frozenset({"relaxed"})


@dataclass(frozen=True, slots=True, order=True)
class Target:
    """An actor, an action and its arguments: one row of the behaviour diff."""

    actor: str
    action: str
    arguments: tuple[str, ...]


def target_key(target: Target) -> tuple[str, str, tuple[str, ...]]:
    """A target's place in `Target`'s order, as a tuple: sorting by it is faster than comparing
    dataclasses."""
    return (target.actor, target.action, target.arguments)


def union_sorts(a: ir.EditionView, b: ir.EditionView) -> list[ir.Sort]:
    """Every sort of either side; a sort both know has the members of both (A's order first)."""
    out: dict[str, ir.Sort] = {}
    for view in (a, b):
        for sort in view.sorts.values():
            known = out.get(sort.name)
            members = sort.members if known is None else (
                *known.members, *(m for m in sort.members if m not in known.members))
            out[sort.name] = ir.Sort(sort.name, members, sort.description, sort.module)
    return [out[k] for k in sorted(out)]


def union_facts(a: ir.EditionView, b: ir.EditionView) -> list[ir.Fact]:
    """Every fact signature of either side (a name with two signatures appears twice)."""
    out: dict[tuple[str, tuple[str, ...]], ir.Fact] = {}
    for view in (a, b):
        for fact in view.facts.values():
            out.setdefault((fact.name, fact.params), fact)
    return [out[k] for k in sorted(out)]


def instances(facts: Iterable[ir.Fact], sorts: dict[str, ir.Sort]) -> list[ir.GroundAtom]:
    """Every ground instance of the facts over the sorts, sorted."""
    return sorted({
        (fact.name, combo)
        for fact in facts
        for combo in itertools.product(*(sorts[s].members for s in fact.params))
    })


def targets(a: ir.EditionView, b: ir.EditionView) -> dict[Target, str]:
    """Every actor/action/arguments either side can speak about, with the action's description."""
    sorts = {s.name: s for s in union_sorts(a, b)}
    out: dict[Target, str] = {}
    for view in (b, a):
        for action in view.actions.values():
            for actor in action.actors:
                for combo in itertools.product(*(sorts[s].members for s in action.params)):
                    out.setdefault(Target(actor, action.name, combo), action.description)
    return {t: out[t] for t in sorted(out, key=target_key)}


def needs_own_space(view: ir.EditionView, union: Sequence[ir.Sort], facts: Sequence[ir.Fact]) -> bool:
    """Whether the shared `dom` and `holds` would show the side members or facts it does not know."""
    by_name = {s.name: s for s in union}
    if any(by_name[s.name].members != s.members for s in view.sorts.values()):
        return True
    names = {f.name for f in view.facts.values()}
    own = {(f.name, f.params) for f in view.facts.values()}
    return any((f.name, f.params) not in own for f in facts if f.name in names)


def _own_space(view: ir.EditionView, prefix: str) -> list[Statement]:
    out: list[Statement] = [Comment("this side's own domains and view of the facts")]
    for sort in view.sorts.values():
        out.extend(Rule(Fn(prefix + "dom", (Fn(sort.name), Fn(m)))) for m in sort.members)
    for fact in view.facts.values():
        names = [f"X{i}" for i in range(len(fact.params))]
        head = Fn(prefix + "possible", (Fn(fact.name, tuple(var(n) for n in names)),))
        out.append(Rule(head, tuple(dom(s, n, prefix + "dom") for n, s in zip(names, fact.params, strict=True))))
    f = Var("F")
    out.append(Rule(Fn(prefix + "holds", (f,)), (Lit(Fn("holds", (f,))), Lit(Fn(prefix + "possible", (f,))))))
    return out


def action_term(target: Target) -> Fn:
    return Fn(target.action, tuple(Fn(a) for a in target.arguments))


def bridge_rules(definitions: Sequence[ir.Definition], every: bool) -> list[Statement]:
    """B's `derived/1` taken from A's for these definitions (`accord.analyses.diff.slice` says when that is
    sound); one rule for all of them when they are `every` definition A has."""
    if every:
        return [Rule(Fn(PREFIXES[1] + "derived", (Var("D"),)), (Lit(Fn(PREFIXES[0] + "derived", (Var("D"),))),))]
    out: list[Statement] = []
    for d in definitions:
        term = Fn(d.name, tuple(Var(f"X{i}") for i in range(len(d.params))))
        out.append(Rule(Fn(PREFIXES[1] + "derived", (term,)), (Lit(Fn(PREFIXES[0] + "derived", (term,))),)))
    return out


def carry_rules(clauses: Iterable[str]) -> list[Statement]:
    """B's clauses of these ids fire, or are excused, exactly when A's do (`accord.analyses.diff.slice` says
    when that is sound): `carried/1` names them."""
    out: list[Statement] = [Rule(Fn(CARRIED, (Str(c),))) for c in clauses]
    key = (Var("C"), Var("A"), Var("X"))
    for part in ("fires", "excused"):
        out.append(Rule(Fn(PREFIXES[1] + part, key),
                        (Lit(Fn(PREFIXES[0] + part, key)), Lit(Fn(CARRIED, (Var("C"),))))))
    return out


def echo_rules() -> list[Statement]:
    """What a sliced program shows, switched by the external `witness` (`ECHO` for
    `SearchProgram`): while it is false, `found/4`, the `change/4` atoms, for the brave search;
    while it holds, `seen(F)` for every fact F that holds, to read a witness from."""
    f, switch = Var("F"), Fn(ECHO[0])
    change = Fn(CHANGE[0], tuple(Var(v) for v in ("S", "D", "A", "X")))
    return [
        External(switch),
        Rule(Fn(FOUND, change.args), (Lit(change), Lit(switch, positive=False))),
        Rule(Fn(ECHO[1], (f,)), (Lit(Fn(FREE[0], (f,))), Lit(switch))),
        Show(FOUND, CHANGE[1]),
        Show(ECHO[1], 1),
    ]


def layers_of(a: ir.EditionView, b: ir.EditionView) -> list[ir.Layer]:
    """The layers of both sides (by name; where both declare one, A's), in name order."""
    return [layer for _, layer in sorted({**b.authority.layers, **a.authority.layers}.items())]


def change_rules(layers: Iterable[ir.Layer] = ()) -> list[Statement]:
    """`change(S, gained, A, X)` when status S holds in B and not in A; `lost` the other way round.
    For each layer L and verdict V other than its last, likewise `change(layer(L, V), D, A, X)`
    (a move to or from the last verdict, `otherwise`, is the move from or to another one)."""
    actor, action = Var("A"), Var("X")
    out: list[Statement] = []
    for layer in layers:
        here_layer = Fn(layer.name)
        for verdict in layer.verdicts[:-1]:
            term = Fn("layer", (here_layer, Fn(verdict.name)))
            for direction, (here, there) in zip(DIRECTIONS, (("b_", "a_"), ("a_", "b_")), strict=True):
                holds = Lit(Fn(here + "verdict", (here_layer, Fn(verdict.name), actor, action)))
                fails = Lit(Fn(there + "verdict", (here_layer, Fn(verdict.name), actor, action)), positive=False)
                out.append(Rule(Fn(CHANGE[0], (term, Fn(direction), actor, action)),
                                (Lit(Fn("target", (actor, action))), holds, fails)))
    for status in STATUSES:
        for direction, (here, there) in zip(DIRECTIONS, (("b_", "a_"), ("a_", "b_")), strict=True):
            out.append(Rule(
                Fn(CHANGE[0], (Fn(status), Fn(direction), actor, action)),
                (
                    Lit(Fn("target", (actor, action))),
                    Lit(Fn(here + status, (actor, action))),
                    Lit(Fn(there + status, (actor, action)), positive=False),
                ),
            ))
    return out


def side_rules(view: ir.EditionView, prefix: str, own_space: bool) -> list[Statement]:
    """One side's rules, with its own domains and view of the facts when `own_space`."""
    if own_space:
        return [*_own_space(view, prefix), *edition_rules(view, prefix, _OWN_SPACE_SHARED, own_predicates=False)]
    return edition_rules(view, prefix, own_predicates=False)


def target_rule(target: Target) -> Rule:
    return Rule(Fn("target", (Fn(target.actor), action_term(target))))


def diff_program(a: ir.EditionView, b: ir.EditionView, compared: Iterable[Target]) -> Program:
    sorts = union_sorts(a, b)
    facts = union_facts(a, b)
    out: list[Statement] = [
        Comment(f"accord diff: A = edition {a.edition.id}, B = edition {b.edition.id}"),
        *space(sorts, facts, own_predicates=False),
    ]
    for view, prefix in zip((a, b), PREFIXES, strict=True):
        out.append(Comment(f"side {prefix[0].upper()}: edition {view.edition.id}"))
        out.extend(side_rules(view, prefix, needs_own_space(view, sorts, facts)))
    out.append(Comment("the actions compared, and where their statuses differ"))
    out.extend(target_rule(t) for t in sorted(compared))
    out.extend(change_rules(layers_of(a, b)))
    out.append(Show(*CHANGE))
    return Program(tuple(out))
