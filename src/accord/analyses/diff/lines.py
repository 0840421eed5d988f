"""The programs of a sliced diff, each statement compiled and printed once.

In: both sides' edition views, the slices of a diff (`accord.analyses.diff.slice`) and the facts given as
true. Out: `Lines`, which puts together the program of any slice: the diff program of
`accord.analyses.diff.program` over the slice's cut-down views, without comments, and with three differences:
its space is the fact instances the slice's conditions can ask about (`possible/1` facts, and the
domains of the rule variables' sorts); B takes from A the definitions and clause conditions that
mean what A's do (`Slice.bridged`, `Slice.carried`); and what it shows is switched by the external
`witness` (`diff_asp.echo_rules`).

Slices share definitions, constraints and facts (a definition is in the slice of every action
that reaches it): compiling each slice on its own would compile those again and again. So each
side is compiled once, over everything some slice holds, and every printed statement is filed
under what it belongs to: a sort's domain, and per side a fact's own instances (a side with its
own view of the facts), a definition, a domain constraint, a clause (its modality and overrides)
or a clause's conditions (with the auxiliary rules they need, which come just before them), or
else the side's general rules, which every slice takes. A slice's program is then its lines, in
the order of the whole program.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from accord.analyses.diff.program import (
    PREFIXES,
    bridge_rules,
    carry_rules,
    change_rules,
    echo_rules,
    layers_of,
    needs_own_space,
    side_rules,
    target_key,
    target_rule,
    union_facts,
    union_sorts,
)
from accord.analyses.diff.slice import Slice, asked_by, merged, variable_sorts
from accord.compile.asp import Comment, Fn, Rule, Statement, Str, print_statement, print_statements
from accord.compile.to_asp import space
from accord.language import ir

Key = tuple[str, str]  # ("sort" | "fact" | "definition" | "constraint" | "clause" | "conditions", name)
_AUX: Key = ("aux", "")
_CLAUSE_FACTS = frozenset({"modality", "overrides", "clause_layer"})


def _key(statement: Statement, prefix: str) -> Key | None:
    """What a compiled statement belongs to; None for a general rule."""
    head = getattr(statement, "head", None)
    if not isinstance(head, Fn) or not head.args:
        return None
    name, first = head.name.removeprefix(prefix), head.args[0]
    if isinstance(first, Str):  # a clause's modality and overrides; or its conditions
        return ("clause" if name in _CLAUSE_FACTS else "conditions", first.value)
    if isinstance(first, Fn):
        kind = {"dom": "sort", "possible": "fact", "derived": "definition", "violated": "constraint"}.get(name)
        if kind is not None:
            return (kind, first.name)
        if name == "aux":
            return _AUX
    return None


@dataclass(frozen=True, slots=True)
class _Filed:
    items: dict[Key, list[str]]
    general: list[str]


def _file(statements: Sequence[Statement], prefix: str) -> _Filed:
    items: dict[Key, list[str]] = {}
    general: list[str] = []
    waiting: list[str] = []  # auxiliary rules, until the statement that needs them
    kept = [s for s in statements if not isinstance(s, Comment)]
    for statement, line in zip(kept, print_statements(kept), strict=True):
        key = _key(statement, prefix)
        if key == _AUX:
            waiting.append(line)
        elif key is None:
            general += [*waiting, line]
            waiting = []
        else:
            items.setdefault(key, []).extend([*waiting, line])
            waiting = []
    return _Filed(items, general + waiting)


@dataclass(frozen=True, slots=True)
class Lines:
    """The filed lines of the shared domains, of each side, and the fixed tail of every program;
    the facts given as true, in every slice's space."""

    space: _Filed
    sides: tuple[_Filed, _Filed]
    tail: tuple[str, ...]
    given: frozenset[ir.GroundAtom]
    sorts: dict[str, ir.Sort]
    _asked: dict[tuple[int, str, str], set[ir.GroundAtom]] = field(default_factory=dict)
    _possible: dict[ir.GroundAtom, str] = field(default_factory=dict)

    @staticmethod
    def of(a: ir.EditionView, b: ir.EditionView, pieces: Sequence[Slice], given: Iterable[ir.GroundAtom]) -> Lines:
        """Compile everything the slices hold, once. Whether a side needs its own domains and view
        of the facts is decided on the whole views, as the whole program would."""
        sorts, facts = union_sorts(a, b), union_facts(a, b)
        own = [needs_own_space(v, sorts, facts) for v in (a, b)]
        held = merged(a, b, pieces)
        space_lines = _file(space(union_sorts(*held), (), own_predicates=False), "")
        sides = tuple(_file(side_rules(v, p, o), p) for v, p, o in zip(held, PREFIXES, own, strict=True))
        tail = tuple(print_statements((*change_rules(layers_of(a, b)), *echo_rules())))
        return Lines(space_lines, (sides[0], sides[1]), tail, frozenset(given), {s.name: s for s in sorts})

    def space_of(self, piece: Slice) -> set[ir.GroundAtom]:
        """The fact instances a slice's conditions ask about, and the facts given as true."""
        asked = set(self.given)
        for side, view in enumerate((piece.a, piece.b)):
            for kind, items in (("definition", view.definitions), ("constraint", view.constraints),
                                ("clause", view.clauses)):
                for name, item in items.items():
                    found = self._asked.get((side, kind, name))
                    if found is None:
                        found = self._asked[(side, kind, name)] = asked_by(item, view.facts, self.sorts)
                    asked |= found
        return asked

    def program(self, piece: Slice, space: Iterable[ir.GroundAtom]) -> str:
        """The slice's program over a space of fact instances (`space_of`)."""
        out: list[str] = []
        for sort in sorted(variable_sorts(piece.a) | variable_sorts(piece.b)):  # the facts' instances are listed
            out += self.space.items.get(("sort", sort), ())
        out += (self._possible_line(f) for f in sorted(space))
        out += self.space.general
        for view, filed, carried in zip((piece.a, piece.b), self.sides, ((), piece.carried), strict=True):
            keys = [*(("sort", k) for k in view.sorts), *(("fact", k) for k in view.facts),
                    *(("definition", k) for k in view.definitions), *(("constraint", k) for k in view.constraints)]
            for k in view.clauses:
                keys += [("clause", k)] if k in carried else [("clause", k), ("conditions", k)]
            for key in keys:
                out += filed.items.get(key, ())
            out += filed.general
        if piece.bridged:
            every = set(piece.a.definitions) == {d.name for d in piece.bridged}
            out += print_statements(bridge_rules(piece.bridged, every))
        if piece.carried:
            out += print_statements(carry_rules(piece.carried))
        out += print_statements(target_rule(t) for t in sorted(piece.targets, key=target_key))
        out += self.tail
        return "\n".join(out) + "\n"

    def _possible_line(self, fact: ir.GroundAtom) -> str:
        line = self._possible.get(fact)
        if line is None:
            term = Fn(fact[0], tuple(Fn(x) for x in fact[1]))
            line = self._possible[fact] = print_statement(Rule(Fn("possible", (term,))))
        return line
