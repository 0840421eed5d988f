"""Querying one edition: which actions a scenario permits, forbids and requires, and by which clauses.

In: a checked rule base, an edition id, and a scenario (true facts, unknown facts; all others
false). Out: a `QueryResult`. The edition is compiled and grounded once (`EditionEngine`); each
query is a solve under assumptions: cautious consequences give what holds in every completion of
the unknown facts, brave consequences what holds in some.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from accord import ast, ir
from accord.asp import print_program
from accord.results import (
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
)
from accord.solve import Answer, GroundProgram, Sym
from accord.to_asp import to_asp

_ROLE_OF_MODALITY = {
    "may": Role.PERMITS, "must": Role.REQUIRES, "must_not": Role.FORBIDS,
}
_MODALITY_KEY = {ast.Modality.MAY: "may", ast.Modality.MUST: "must", ast.Modality.MUST_NOT: "must_not"}


def fact_sym(atom: ir.GroundAtom) -> Sym:
    name, args = atom
    return Sym(name, tuple(Sym(a) for a in args))


def show_atom(atom: ir.GroundAtom) -> str:
    return str(fact_sym(atom))


class EditionEngine:
    """An edition compiled and grounded once, answering many scenarios."""

    def __init__(self, base: ir.RuleBase, edition: str) -> None:
        self.base = base
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

    @property
    def edition_ref(self) -> EditionRef:
        e = self.view.edition
        return EditionRef(e.id, e.title, e.in_force.isoformat())

    def values(self, true: Iterable[ir.GroundAtom], unknown: Iterable[ir.GroundAtom]) -> dict[Sym, bool]:
        true_set, unknown_set = set(true), set(unknown)
        return {fact_sym(f): f in true_set for f in self.fact_space if f not in unknown_set}

    def query(
        self,
        true: Iterable[ir.GroundAtom],
        unknown: Iterable[ir.GroundAtom] = (),
        *,
        scenario: ir.Scenario | None = None,
        timeout: float | None = None,
        readings_cap: int | None = None,
    ) -> QueryResult:
        true, unknown = sorted(set(true)), sorted(set(unknown))
        known_names = set(self.view.facts)
        outside = tuple(show_atom(a) for a in [*true, *unknown] if a[0] not in known_names)
        values = self.values(true, unknown)
        facts = tuple(
            [FactRef(show_atom(a), "true") for a in true] + [FactRef(show_atom(a), "unknown") for a in unknown]
        )
        cautious = self.ground.consequences(values, "cautious", timeout)
        name = scenario.name if scenario else None
        description = scenario.description if scenario else None
        if cautious is None:
            relaxed = self.ground.consequences(values, "brave", timeout, relaxed=True)
            return QueryResult(self.edition_ref, name, description, facts, outside, possible=False,
                               violations=self._violations(relaxed), actions=())
        brave = cautious if not unknown else self.ground.consequences(values, "brave", timeout)
        assert brave is not None
        readings: tuple[Reading, ...] | None = None
        more = False
        if readings_cap is not None:
            answers, more = self.ground.answer_sets(values, readings_cap, timeout)
            known_unknown = [a for a in unknown if a[0] in known_names]
            readings = tuple(self._reading(a, known_unknown) for a in answers)
        return QueryResult(
            self.edition_ref, name, description, facts, outside, possible=True, violations=(),
            actions=self._actions(cautious, brave),
            readings=readings, more_readings=more,
        )

    def _violations(self, answer: Answer | None) -> tuple[Violation, ...]:
        if answer is None:
            return ()
        names = sorted(a.args[0].name for a in answer.atoms if a.name == "violated")
        return tuple(Violation(n, self.view.constraints[n].description) for n in names)

    def _reading(self, answer: Answer, unknown: list[ir.GroundAtom]) -> Reading:
        held = {a.args[0] for a in answer.atoms if a.name == "holds"}

        def labels(name: str) -> tuple[str, ...]:
            return tuple(sorted(f"{a.args[0]} {a.args[1]}" for a in answer.atoms if a.name == name))

        return Reading(
            facts=tuple(FactRef(show_atom(u), "true" if fact_sym(u) in held else "false") for u in unknown),
            permitted=labels("permitted"),
            forbidden=labels("forbidden"),
            required=labels("required"),
        )

    def _actions(self, cautious: Answer, brave: Answer) -> tuple[ActionResult, ...]:
        by_key_cautious = _index(cautious)
        by_key_brave = _index(brave)
        results = []
        for actor, action, args in self.action_space:
            key = (Sym(actor), Sym(action, tuple(Sym(a) for a in args)))
            sure, maybe = by_key_cautious.get(key, set()), by_key_brave.get(key, set())

            def extent(name: str, sure: set[Sym] = sure, maybe: set[Sym] = maybe) -> Extent:
                if Sym(name) in sure:
                    return Extent.ALWAYS
                return Extent.SOMETIMES if Sym(name) in maybe else Extent.NEVER

            permitted, forbidden = extent("permitted"), extent("forbidden")
            required, conflict = extent("required"), extent("conflict")
            results.append(
                ActionResult(
                    actor=actor,
                    action=action,
                    arguments=args,
                    description=self.view.actions[action].description,
                    verdict=_verdict(permitted, forbidden, required, conflict),
                    permitted=permitted,
                    forbidden=forbidden,
                    required=required,
                    conflict=conflict,
                    clauses=self._clauses(sure, maybe),
                )
            )
        return tuple(results)

    def _clauses(self, sure: set[Sym], maybe: set[Sym]) -> tuple[ClauseRef, ...]:
        refs = []
        for item in sorted(maybe):
            if not item.args:
                continue
            clause = self.view.clauses[item.args[0].name]
            role = {
                "applies": _ROLE_OF_MODALITY[_MODALITY_KEY[clause.modality]],
                "excused": Role.EXCEPTION_HELD,
                "overridden": Role.OVERRIDDEN,
            }[item.name]
            refs.append(
                ClauseRef(clause.id, clause.cite, clause.says, role,
                          Extent.ALWAYS if item in sure else Extent.SOMETIMES)
            )
        return tuple(refs)


def _index(answer: Answer) -> dict[tuple[Sym, Sym], set[Sym]]:
    """Group an answer's atoms by (actor, action): statuses as bare names, clause roles by id."""
    out: dict[tuple[Sym, Sym], set[Sym]] = defaultdict(set)
    for atom in answer.atoms:
        if atom.name in ("permitted", "forbidden", "required", "conflict"):
            out[(atom.args[0], atom.args[1])].add(Sym(atom.name))
        elif atom.name in ("applies", "excused", "overridden"):
            out[(atom.args[1], atom.args[2])].add(Sym(atom.name, (atom.args[0],)))
    return out


def _verdict(permitted: Extent, forbidden: Extent, required: Extent, conflict: Extent) -> Verdict:
    if conflict is not Extent.NEVER:
        return Verdict.CONFLICT
    if required is Extent.ALWAYS:
        return Verdict.REQUIRED
    if permitted is Extent.ALWAYS:
        return Verdict.PERMITTED
    if permitted is Extent.SOMETIMES:
        return Verdict.POSSIBLY_PERMITTED
    if forbidden is not Extent.NEVER:
        return Verdict.FORBIDDEN
    return Verdict.NOT_PERMITTED
