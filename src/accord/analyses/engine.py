"""Querying one edition: which actions a scenario permits, forbids and requires, and by which clauses.

In: a checked rule base, an edition id, and a scenario (true facts, unknown facts; all others
false). Out: a `QueryResult`. The edition is compiled and grounded once (`EditionEngine`); each
query is a solve under assumptions: cautious consequences give what holds in every completion of
the unknown facts, brave consequences what holds in some.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cached_property
from operator import itemgetter

from accord.analyses import atom_text, layers
from accord.analyses.closed import ClosedWorld, PathChooser
from accord.compile.asp import print_program
from accord.compile.to_asp import to_asp
from accord.language import ast, ir
from accord.language.compose import silent
from accord.results.query import (
    ActionResult,
    ClauseRef,
    EditionRef,
    Extent,
    FactRef,
    QueryResult,
    Reading,
    Role,
    Verdict,
    Violation,
    verdict_of,
)
from accord.solve import Answer, Assumptions, GroundProgram, Shown, Sym
from accord.solve.observe import Unsupported
from accord.util import collector

_ROLE_OF_MODALITY = {
    "may": Role.PERMITS, "must": Role.REQUIRES, "must_not": Role.FORBIDS,
}
_MODALITY_KEY = {ast.Modality.MAY: "may", ast.Modality.MUST: "must", ast.Modality.MUST_NOT: "must_not"}


def fact_sym(atom: ir.GroundAtom) -> Sym:
    name, args = atom
    return Sym(name, tuple(Sym(a) for a in args))


def fact_text(atom: ir.GroundAtom) -> str:
    """The fact as clingo writes it (`f(a,b)`: accord's names are clingo names, written as they are)."""
    name, args = atom
    return f"{name}({','.join(args)})" if args else name


class EditionEngine:
    """An edition compiled and grounded once, answering many scenarios."""

    def __init__(self, base: ir.RuleBase, edition: str) -> None:
        with collector.paused():  # compiling and grounding build much that stays alive
            self._build(base, edition)

    def _build(self, base: ir.RuleBase, edition: str) -> None:
        self.base = base
        self._quiet: dict[str, ir.Label | None] = {}  # per actor: the label when no layer speaks
        self.view = base.edition_view(edition)
        self.program_text = print_program(to_asp(self.view))
        self.ground = GroundProgram(self.program_text)
        self.fact_space: tuple[ir.GroundAtom, ...] = tuple(
            (fact.name, combo)
            for fact in self.view.facts.values()
            for combo in itertools.product(*(self.view.sorts[s].members for s in fact.params))
        )
        self.action_space: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
            (actor, action.name, combo)
            for action in self.view.actions.values()
            for actor in action.actors
            for combo in itertools.product(*(self.view.sorts[s].members for s in action.params))
        )
        # Computed once, so that a query does no per-fact or per-action work it need not do.
        self._fact_texts = {f: fact_text(f) for f in self.fact_space}
        # Whether the grounded program knows every fact instance, and no other (so a scenario fixes all
        # of them): its facts are then named by their text, and a query needs no fact as a value.
        self.closed = self.ground.fact_texts() == set(self._fact_texts.values())
        # Each action's position, by the text of the action in a shown atom (`actor,action(args)`).
        self._action_texts = {
            f"{actor},{fact_text((action, args))}": i for i, (actor, action, args) in enumerate(self.action_space)
        }
        # The result of each action of `action_space` when no clause speaks to it, shared by every query.
        self.idle = [
            self._layered(ActionResult(actor, action, args, self.view.actions[action].description,
                                       Verdict.NOT_PERMITTED, Extent.NEVER, Extent.NEVER, Extent.NEVER,
                                       Extent.NEVER, ()), set(), set())
            for actor, action, args in self.action_space
        ]
        # What each shown atom (by its number) means for the query: see `_slot`; and per action, its
        # tags in the order of their bits.
        self._slots: dict[int, tuple[int, int]] = {}
        self._tags: dict[int, list[Sym]] = {}
        self._by_masks: dict[tuple[int, int, int], ActionResult] = {}
        self._memo: dict[tuple[int, frozenset[Sym], frozenset[Sym] | None], ActionResult] = {}
        self._refs: dict[tuple[Sym, bool], ClauseRef] = {}
        self._fast: ClosedWorld | bool | None = None  # `_closed_world`: not built yet, or unsupported
        self._asked = 0
        self._chooser = PathChooser()  # which of the two answers closed-world queries faster here

    @cached_property
    def _fact_syms(self) -> dict[ir.GroundAtom, Sym]:
        """Each fact instance's value. They are the ground program's own objects where it has them:
        looking one up there finds it by identity, without comparing values."""
        own = {fact: fact for fact in self.ground.facts()}
        return {f: own.get(value, value) for f in self.fact_space for value in [fact_sym(f)]}

    @cached_property
    def _position(self) -> dict[tuple[Sym, Sym], int]:
        """Each action's position, by the values of its actor and of the action (`meaning`)."""
        return {
            (Sym(actor), Sym(action, tuple(Sym(a) for a in args))): i
            for i, (actor, action, args) in enumerate(self.action_space)
        }

    @property
    def edition_ref(self) -> EditionRef:
        e = self.view.edition
        return EditionRef(e.id, e.title, e.in_force.isoformat(), e.counterfactual)

    def fact_symbol(self, atom: ir.GroundAtom) -> Sym | None:
        """The solver value of a fact instance of this edition; None for one outside its vocabulary."""
        return self._fact_syms.get(atom)

    def values(self, true: Iterable[ir.GroundAtom], unknown: Iterable[ir.GroundAtom]) -> dict[Sym, bool]:
        true_set, unknown_set = set(true), set(unknown)
        syms = self._fact_syms
        return {syms[f]: f in true_set for f in self.fact_space if f not in unknown_set}

    def query(
        self,
        true: Iterable[ir.GroundAtom],
        unknown: Iterable[ir.GroundAtom] = (),
        *,
        scenario: ir.Scenario | None = None,
        timeout: float | None = None,
        readings_cap: int | None = None,
        solve: bool = False,
    ) -> QueryResult:
        """The scenario's result: by the solver, or, for a closed-world edition from its second query
        on, by the evaluator of `accord.analyses.closed` where that gives the whole result (no
        readings asked for, few unknown facts) and measures faster than the solver on this edition
        (`PathChooser`: both answer the first such queries, the solver's result is returned);
        `solve` always asks the solver."""
        true, unknown = sorted(set(true)), sorted(set(unknown))
        known_names = set(self.view.facts)
        outside = tuple(ir.show_atom(a) for a in [*true, *unknown] if a[0] not in known_names)
        facts = tuple(
            [FactRef(ir.show_atom(a), "true") for a in true] + [FactRef(ir.show_atom(a), "unknown") for a in unknown]
        )
        name = scenario.name if scenario else None
        description = scenario.description if scenario else None
        fast = self._closed_world() if readings_cap is None and not solve else None
        if fast is not None and self._chooser.use_fast is False:
            fast = None
        started = time.perf_counter()
        found = fast.answer(true, unknown) if fast is not None else None
        if found is not None:
            if isinstance(found, list):
                quick = QueryResult(self.edition_ref, name, description, facts, outside, possible=False,
                                    violations=self._violations(found), actions=())
            else:
                quick = QueryResult(self.edition_ref, name, description, facts, outside, possible=True,
                                    violations=(), actions=found)
            if self._chooser.use_fast:
                return quick
            took = time.perf_counter() - started
            started = time.perf_counter()
            solved = self._solved(true, unknown, facts, outside, scenario, timeout, readings_cap)
            self._chooser.record(took, time.perf_counter() - started)
            return solved
        return self._solved(true, unknown, facts, outside, scenario, timeout, readings_cap)

    def _solved(self, true: list[ir.GroundAtom], unknown: list[ir.GroundAtom], facts: tuple[FactRef, ...],
                outside: tuple[str, ...], scenario: ir.Scenario | None, timeout: float | None,
                readings_cap: int | None) -> QueryResult:
        """The scenario's result by the solver."""
        name = scenario.name if scenario else None
        description = scenario.description if scenario else None
        values: Mapping[Sym, bool] | Assumptions
        if self.closed:
            texts = self._fact_texts
            values = self.ground.closed_world([f for f in map(texts.get, true) if f is not None],
                                              [f for f in map(texts.get, unknown) if f is not None])
        else:
            values = self.values(true, unknown)
        brave: Shown | None = None
        if self.closed and not unknown:
            # Every fact is fixed and the program is stratified: at most one answer set, which is
            # then both the cautious and the brave consequences. One model, no enumeration.
            cautious = self.ground.shown_only(values, timeout)
        elif self.closed and len(unknown) <= _ENUMERATE_UP_TO:
            # At most 2^k answer sets: listing them all is one solve, not two (cautious, brave).
            both = self.ground.shown_bounds(values, timeout)
            cautious, brave = both if both is not None else (None, None)
        else:
            cautious = self.ground.shown_consequences(values, "cautious", timeout)
        if cautious is None:
            relaxed = self.ground.consequences(values, "brave", timeout, relaxed=True)
            broken = [] if relaxed is None else [a.args[0].name for a in relaxed.atoms if a.name == "violated"]
            return QueryResult(self.edition_ref, name, description, facts, outside, possible=False,
                               violations=self._violations(broken), actions=())
        if brave is None:
            brave = cautious if not unknown else self.ground.shown_consequences(values, "brave", timeout)
        assert brave is not None
        readings: tuple[Reading, ...] | None = None
        more = False
        if readings_cap is not None:
            answers, more = self.ground.answer_sets(values, readings_cap, timeout)
            known_unknown = [a for a in unknown if a[0] in self.view.facts]
            # Sorted: the solver's order depends on earlier solves (its heuristics learn), and output
            # must not. (Which readings a cap keeps can still depend on it.)
            readings = tuple(sorted((self._reading(a, known_unknown) for a in answers),
                                    key=lambda r: [(f.fact, f.value) for f in r.facts]))
        return QueryResult(
            self.edition_ref, name, description, facts, outside, possible=True, violations=(),
            actions=self._actions(cautious, brave),
            readings=readings, more_readings=more,
        )

    def _violations(self, broken: list[str]) -> tuple[Violation, ...]:
        return tuple(Violation(n, self.view.constraints[n].description) for n in sorted(broken))

    def _closed_world(self) -> ClosedWorld | None:
        """The solver-free path of a closed-world edition (`accord.analyses.closed`), built on the
        engine's second query, so that a one-off query never pays for building it."""
        if self._fast is None and self.closed:
            self._asked += 1
            if self._asked >= 2:
                try:
                    with collector.paused():
                        self._fast = ClosedWorld(self)
                except Unsupported:
                    self._fast = False
        return self._fast if isinstance(self._fast, ClosedWorld) else None

    def _reading(self, answer: Answer, unknown: list[ir.GroundAtom]) -> Reading:
        held = {a.args[0] for a in answer.atoms if a.name == "holds"}

        def labels(name: str) -> tuple[str, ...]:
            return tuple(sorted(f"{a.args[0]} {a.args[1]}" for a in answer.atoms if a.name == name))

        return Reading(
            facts=tuple(FactRef(ir.show_atom(u), "true" if fact_sym(u) in held else "false") for u in unknown),
            permitted=labels("permitted"),
            forbidden=labels("forbidden"),
            required=labels("required"),
        )

    def _actions(self, cautious: Shown, brave: Shown) -> tuple[ActionResult, ...]:
        """Every action's result, from the shown atoms that hold in every reading (`cautious`) and
        in some (`brave`). An action no atom speaks to keeps its shared idle result; the others are
        looked up by their tag bits (`_masks`), so a result seen before costs one dictionary lookup."""
        sure = self._masks(cautious)
        some = sure if brave is cautious else self._masks(brave)
        results = self.idle.copy()
        known = self._by_masks
        for i in itertools.compress(range(len(results)), some):
            key = (i, sure[i], some[i])
            result = known.get(key)
            if result is None:
                result = self._from_masks(key)
            results[i] = result
        return tuple(results)

    def _masks(self, shown: Shown) -> list[int]:
        """Per position of `action_space`, the bits of the action's tags among the atoms (one more
        entry at the end collects the atoms about no action)."""
        slots = self._slots
        try:
            found = itemgetter(*shown)(slots) if len(shown) > 1 else [slots[number] for number in shown]
        except KeyError:  # atoms not met before: what they mean is worked out once
            found = [slots.get(number) or self._slot(number) for number in shown]
        masks = [0] * (len(self.idle) + 1)
        for position, bit in found:
            masks[position] |= bit
        return masks

    def _slot(self, number: int) -> tuple[int, int]:
        """(the action's position, the bit of the atom's tag among that action's tags); the spare
        position past the last action, and no bit, for an atom about no action."""
        read = self.meaning_of_text(self.ground.text(number))
        position, tag = read if read is not None else self.meaning(self.ground.atom(number))
        if position < 0 or tag is None:
            slot = (len(self.idle), 0)
        else:
            tags = self._tags.setdefault(position, [])
            if tag not in tags:
                tags.append(tag)
            slot = (position, 1 << tags.index(tag))
        self._slots[number] = slot
        return slot

    def _from_masks(self, key: tuple[int, int, int]) -> ActionResult:
        i, sure, some = key
        tags = self._tags[i]
        held = {tag for bit, tag in enumerate(tags) if sure >> bit & 1}
        result = self.action_result(i, held, None if some == sure else
                                    {tag for bit, tag in enumerate(tags) if some >> bit & 1})
        if len(self._by_masks) > _MEMO_SIZE:
            self._by_masks.clear()
        self._by_masks[key] = result
        return result

    def action_result(self, i: int, sure: set[Sym], maybe: set[Sym] | None) -> ActionResult:
        """The result of the action at position `i` of `action_space`, given the tags (statuses and
        clause roles) that hold in every reading (`sure`) and in some reading (`maybe`; None: the same
        as `sure`). Results are kept and shared: the same tags give the same (frozen) object."""
        key = (i, frozenset(sure), None if maybe is None else frozenset(maybe))
        known = self._memo.get(key)
        if known is not None:  # the same clauses decided this action the same way before
            return known
        some = sure if maybe is None else maybe

        def extent(name: Sym) -> Extent:
            if name in sure:
                return Extent.ALWAYS
            return Extent.SOMETIMES if name in some else Extent.NEVER

        permitted, forbidden = extent(_PERMITTED), extent(_FORBIDDEN)
        required, conflict = extent(_REQUIRED), extent(_CONFLICT)
        idle = self.idle[i]
        result = ActionResult(
            actor=idle.actor,
            action=idle.action,
            arguments=idle.arguments,
            description=idle.description,
            verdict=verdict_of(permitted, forbidden, required, conflict),
            permitted=permitted,
            forbidden=forbidden,
            required=required,
            conflict=conflict,
            clauses=self._clauses(sure, some),
        )
        result = self._layered(result, sure, some)
        if len(self._memo) > _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = result
        return result

    def _layered(self, result: ActionResult, sure: set[Sym], some: set[Sym]) -> ActionResult:
        """The result with its labels, headline and layer verdicts, when the rule base has layers."""
        authority = self.view.authority
        if not authority:
            return result
        if result.actor not in self._quiet:
            self._quiet[result.actor] = silent(authority, result.actor)
        labels = layers.labels_of(authority, self._quiet[result.actor], sure, some)
        only = layers.headline(labels)
        found = layers.layers_of(authority, result.actor, sure, some, result.clauses, self.view.clauses)
        return replace(result, headline=None if only is None else only.name, labels=labels, layers=found)

    def _clauses(self, sure: set[Sym], maybe: set[Sym]) -> tuple[ClauseRef, ...]:
        refs = []
        for item in sorted(maybe):
            if item.name not in _ROLES:
                continue
            always = item in sure
            ref = self._refs.get((item, always))
            if ref is None:
                clause = self.view.clauses[item.args[0].name]
                role = {
                    "applies": _ROLE_OF_MODALITY[_MODALITY_KEY[clause.modality]],
                    "excused": Role.EXCEPTION_HELD,
                    "overridden": Role.OVERRIDDEN,
                }[item.name]
                ref = ClauseRef(clause.id, clause.cite, clause.says, role,
                                Extent.ALWAYS if always else Extent.SOMETIMES)
                self._refs[(item, always)] = ref
            refs.append(ref)
        return tuple(refs)

    def meaning_of_text(self, text: str) -> tuple[int, Sym | None] | None:
        """`meaning`, read off an atom's text (`accord.analyses.atom_text`); None where only `meaning` can."""
        return atom_text.meaning(text, self._action_texts)

    def meaning(self, atom: Sym) -> tuple[int, Sym]:
        """(the action's position, or -1 when the atom is about no action of the space; its tag)."""
        if atom.name in _STATUSES:
            return self._position.get((atom.args[0], atom.args[1]), -1), _STATUSES[atom.name]
        leading = _LEADING.get(atom.name)
        if leading is not None and len(atom.args) == leading + 2:
            actor, action = atom.args[leading], atom.args[leading + 1]
            return self._position.get((actor, action), -1), Sym(atom.name, atom.args[:leading])
        return -1, atom


_PERMITTED, _FORBIDDEN, _REQUIRED, _CONFLICT = (Sym(n) for n in ("permitted", "forbidden", "required", "conflict"))
_STATUSES, _LEADING = atom_text.STATUSES, atom_text.LEADING
_ROLES = frozenset({"applies", "excused", "overridden"})
_MEMO_SIZE = 100_000  # action results kept for reuse (results are frozen, so sharing is safe)
_ENUMERATE_UP_TO = 3  # unknown facts: up to 8 answer sets are listed rather than bounded twice
