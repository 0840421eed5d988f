"""Checking a resolved rule base and building its checked form.

In: `Declarations` from `accord.language.resolve`. Out: an `ir.RuleBase`, with diagnostics for unknown
names, arity and sort mismatches, unsafe variables, clauses whose actor or action do not fit,
unknown override and lineage targets, bad editions, scenarios and tests, and cycles; a clause whose
actor is a variable and an expectation with quantifiers through `accord.language.quantified`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TypeVar

from accord.language import ast, integers, ir
from accord.language.check_dates import check_timeline, read_date, read_periods
from accord.language.conditions import ConditionChecker, predicate_params
from accord.language.cycles import check_negation_cycles, check_override_cycles
from accord.language.diagnostics import QUOTED_NAME, Severity, Sink, brief
from accord.language.layers import check_layers
from accord.language.quantified import Instance, actor_range, instances
from accord.language.resolve import Declarations
from accord.language.source import Span

ACTOR_SORT = "actor"
V = TypeVar("V")


def check(decls: Declarations, sink: Sink) -> ir.RuleBase:
    checker = _Checker(decls, sink)
    base = check_layers(decls, checker.run(), sink)
    check_negation_cycles(base.definitions, sink)
    check_override_cycles(base.clauses, sink)
    check_timeline(base, {n: e.node for n, e in decls.tests.entries.items()}, sink)
    if base.change_points():  # the law on a date follows from the dates: a bundle is a counterfactual
        marked = {n: replace(e, counterfactual=bool(e.includes)) for n, e in base.editions.items()}
        base = replace(base, editions=marked)
    return replace(base, warnings=tuple(d for d in sink.sorted() if d.severity is Severity.WARNING))


def _sorted(items: dict[str, V]) -> dict[str, V]:
    return dict(sorted(items.items()))


class _Checker:
    def __init__(self, decls: Declarations, sink: Sink) -> None:
        self.decls = decls
        self.sink = sink

    def run(self) -> ir.RuleBase:
        d = self.decls
        modules = {
            name: ir.Module(
                name,
                m.title,
                tuple(sorted({n.text for i in m.items if isinstance(i, ast.Import) for n in i.modules})),
                tuple(sorted(d.visible[name])),
                read_periods(m.periods, self.sink),
                m.span,
            )
            for name, m in sorted(d.modules.items())
        }
        sorts = {
            n: ir.Sort(n, integers.members(e.node, self.sink), e.node.description, e.module)
            for n, e in d.sorts.entries.items()
        }
        facts: dict[str, ir.Fact] = {}
        definitions: dict[str, ir.Definition] = {}
        for name, entry in d.predicates.entries.items():
            if isinstance(entry.node, ast.FactDecl):
                self.sort_names(entry.node.params, entry.module)
                facts[name] = ir.Fact(name, predicate_params(entry.node), entry.node.description, entry.module)
            else:
                definitions[name] = self.definition(entry.node, entry.module)
        # The versions of an amended provision, oldest first; the latest stands for the provision.
        definition_versions = {
            n: tuple(sorted((self.definition(e.node, e.module) for e in es if isinstance(e.node, ast.Definition)),
                            key=lambda v: v.periods))
            for n, es in d.predicates.versions.items()
        }
        clause_versions = {
            n: tuple(sorted((self.clause(e.node, e.module) for e in es), key=lambda v: v.periods))
            for n, es in d.clauses.versions.items()
        }
        actions = {n: self.action(e.node, e.module) for n, e in d.actions.entries.items()}
        constraints = {n: self.constraint(e.node, e.module) for n, e in d.constraints.entries.items()}
        clauses = {n: self.clause(e.node, e.module) for n, e in d.clauses.entries.items() if n not in clause_versions}
        clauses |= {n: versions[-1] for n, versions in clause_versions.items()}
        definitions |= {n: versions[-1] for n, versions in definition_versions.items()}
        editions = {n: self.edition(e.node) for n, e in d.editions.entries.items()}
        scenarios = {n: self.scenario(e.node, e.module) for n, e in d.scenarios.entries.items()}
        tests = {n: self.test(e.node, e.module) for n, e in d.tests.entries.items()}
        sources = {n: self.source(e.node, e.module) for n, e in d.sources.entries.items()}
        return ir.RuleBase(
            modules=modules,
            sorts=_sorted(sorts),
            facts=_sorted(facts),
            actions=_sorted(actions),
            definitions=_sorted(definitions),
            constraints=_sorted(constraints),
            clauses=_sorted(clauses),
            editions=_sorted(editions),
            scenarios=_sorted(scenarios),
            tests=_sorted(tests),
            sources=_sorted(sources),
            clause_versions=_sorted(clause_versions),
            definition_versions=_sorted(definition_versions),
        )

    def sort_names(self, names: tuple[ast.Name, ...], module: str) -> None:
        for name in names:
            self.decls.lookup(self.decls.sorts, name, module, self.sink)

    def definition(self, node: ast.Definition, module: str) -> ir.Definition:
        self.sort_names(tuple(p.sort for p in node.params), module)
        env: dict[str, str] = {}
        for param in node.params:
            if param.var.name in env:
                self.sink.error(
                    "duplicate-name",
                    "DUPLICATE NAME",
                    f"The parameter `{param.var.name}` appears twice.",
                    param.var.span,
                    "Give each parameter its own name.",
                )
            env[param.var.name] = param.sort.text
        var_sorts = ConditionChecker(self.decls, module, self.sink).check(node.condition, env)
        return ir.Definition(
            node.name.text,
            tuple((p.var.name, p.sort.text) for p in node.params),
            node.description,
            node.condition,
            tuple(sorted(var_sorts.items())),
            module,
            node.span,
            read_periods(node.periods, self.sink),
        )

    def action(self, node: ast.ActionDecl, module: str) -> ir.Action:
        self.sort_names(node.params, module)
        for actor in node.actors:
            self.actor(actor, module)
        return ir.Action(
            node.name.text,
            tuple(p.text for p in node.params),
            tuple(a.text for a in node.actors),
            node.description,
            module,
        )

    def actor(self, name: ast.Name, module: str) -> None:
        entry = self.decls.lookup(self.decls.members, name, module, self.sink)
        if entry is not None and entry.node != ACTOR_SORT:
            self.sink.error(
                "not-an-actor",
                "NOT AN ACTOR",
                f"`{name.text}` is a member of sort `{entry.node}`, not of sort `{ACTOR_SORT}`.",
                name.span,
                f"Actors are the members of the sort named `{ACTOR_SORT}`.",
            )

    def constraint(self, node: ast.ConstraintDecl, module: str) -> ir.Constraint:
        var_sorts = ConditionChecker(self.decls, module, self.sink).check(node.condition, {})
        return ir.Constraint(
            node.name.text, node.description, node.condition, tuple(sorted(var_sorts.items())), module, node.span
        )

    def clause(self, node: ast.Clause, module: str) -> ir.Clause:
        conditions = ConditionChecker(self.decls, module, self.sink)
        head = node.head
        if isinstance(head.actor, ast.Name):
            self.actor(head.actor, module)
        env: dict[str, str] = {}
        action = self.decls.lookup(self.decls.actions, head.action, module, self.sink)
        if action is not None:
            declared = action.node
            actors = [a.text for a in declared.actors]
            if isinstance(head.actor, ast.Name) and head.actor.text not in actors:
                self.sink.error(
                    "actor-mismatch",
                    "ACTOR DOES NOT FIT",
                    f"The action `{head.action.text}` is declared for {_listing(actors)}, not `{head.actor.text}`.",
                    head.actor.span,
                    f"Add `{head.actor.text}` to the action's `by` list, or use another action.",
                )
            params = tuple(p.text for p in declared.params)
            if len(params) != len(head.args):
                self.sink.error(
                    "arity-mismatch",
                    "WRONG NUMBER OF ARGUMENTS",
                    f"The action `{head.action.text}` takes {len(params)} argument(s), "
                    f"but here it has {len(head.args)}.",
                    head.span,
                    f"It is declared as `{head.action.text}({', '.join(params)})`."
                    if params
                    else f"Write just `{head.action.text}`.",
                )
            else:
                for arg, sort in zip(head.args, params, strict=True):
                    conditions.term(arg, sort, env, f"argument of `{head.action.text}`")
        if node.when is not None:
            env = conditions.check(node.when, env)
        if node.unless is not None:
            env = conditions.check(node.unless, env)
        by = tuple(a.text for a in action.node.actors) if action is not None else None
        ranged = actor_range(self.decls, head, node.when, env, by, self.sink)
        for target in node.overrides:
            entry = self.decls.lookup(self.decls.clauses, target, None, self.sink)
            if entry is not None and (
                entry.node.head.action.text != head.action.text
                or not self.actors_of(entry.node.head) & self.actors_of(head)
            ):
                self.sink.error(
                    "override-mismatch",
                    "OVERRIDE OF ANOTHER ACTION",
                    f"Clause `{node.id.text}` is about `{_word(head.actor)} {head.action.text}`, "
                    f"but `{target.text}` is about `{_word(entry.node.head.actor)} {entry.node.head.action.text}`.",
                    target.span,
                    "A clause can only override clauses on the same actor and action.",
                )
        if node.lineage is not None:
            for target in node.lineage.targets:
                self.decls.lookup(self.decls.clauses, target, None, self.sink)
        return ir.Clause(
            id=node.id.text,
            cite=node.cite,
            actor=_word(head.actor),
            modality=head.modality,
            action=head.action.text,
            args=head.args,
            when=node.when,
            unless=node.unless,
            overrides=tuple(sorted({t.text for t in node.overrides})),
            lineage=node.lineage,
            says=node.says,
            notes=node.notes,
            var_sorts=tuple(sorted(env.items())),
            module=module,
            span=node.span,
            periods=read_periods(node.periods, self.sink),
            citations=tuple((c.text, read_periods(c.periods, self.sink)) for c in node.citations),
            actor_range=ranged,
            role=node.role,
        )

    def actors_of(self, head: ast.Head) -> set[str]:
        """The actors a clause's head can be about: its actor, or every actor for a variable."""
        if isinstance(head.actor, ast.Name):
            return {head.actor.text}
        entry = self.decls.sorts.entries.get(ACTOR_SORT)
        return {m.name.text for m in entry.node.members} if entry is not None else set()

    def edition(self, node: ast.Edition) -> ir.Edition:
        in_force = read_date(node.in_force, node.in_force_span or node.span, self.sink) or dt.date.min
        included: set[str] = set()
        for name in node.includes:
            if self.decls.lookup_module(name, self.sink):
                included |= self.decls.visible[name.text]
        return ir.Edition(
            node.name.text, node.title, in_force, tuple(n.text for n in node.includes),
            tuple(sorted(included)), node.notes, node.span,
        )

    def ground(self, name: ast.Name, args: tuple[ast.Name, ...], params: tuple[str, ...], module: str) -> bool:
        if len(params) != len(args):
            self.sink.error(
                "arity-mismatch",
                "WRONG NUMBER OF ARGUMENTS",
                f"`{name.text}` takes {len(params)} argument(s), but here it has {len(args)}.",
                name.span,
                f"It is declared as `{name.text}({', '.join(params)})`." if params else f"Write just `{name.text}`.",
            )
            return False
        checker = ConditionChecker(self.decls, module, self.sink)
        before = len(self.sink.items)
        for arg, sort in zip(args, params, strict=True):
            checker.term(ast.Const(arg.text, arg.span), sort, {}, f"argument of `{name.text}`")
        return len(self.sink.items) == before

    def scenario(self, node: ast.Scenario, module: str) -> ir.Scenario:
        true: list[ir.GroundAtom] = []
        unknown: list[ir.GroundAtom] = []
        seen: dict[ir.GroundAtom, ast.ScenarioFact] = {}
        for fact in node.facts:
            entry = self.decls.lookup(self.decls.predicates, fact.name, module, self.sink)
            if entry is None:
                continue
            if not isinstance(entry.node, ast.FactDecl):
                self.sink.error(
                    "not-a-fact",
                    "DEFINITION IN A SCENARIO",
                    f"`{fact.name.text}` is a definition: accord derives it, a scenario cannot state it.",
                    fact.name.span,
                    "State the facts it is defined from instead.",
                )
                continue
            if integers.open_integer(self.decls, fact, predicate_params(entry.node), self.sink):
                continue
            if not self.ground(fact.name, fact.args, predicate_params(entry.node), module):
                continue
            key = (fact.name.text, tuple(a.text for a in fact.args))
            if key in seen:
                self.sink.error(
                    "duplicate-fact",
                    "FACT STATED TWICE",
                    f"The scenario `{node.name.text}` states `{_show(key)}` more than once.",
                    fact.span,
                    "Keep one line per fact: true (plain), `not`, or `unknown`.",
                    _first_stated(seen[key]),
                )
                continue
            seen[key] = fact
            if fact.truth is ast.Truth.TRUE:
                true.append(key)
            elif fact.truth is ast.Truth.UNKNOWN:
                unknown.append(key)
        return ir.Scenario(
            node.name.text, node.description, tuple(sorted(true)), tuple(sorted(unknown)), module, node.span
        )

    def test(self, node: ast.Test, module: str) -> ir.Test:
        self.decls.lookup(self.decls.scenarios, node.scenario, None, self.sink)
        for edition in node.editions:
            if edition.text[:1].isdigit():  # a date, YYYY-MM-DD
                read_date(edition.text, edition.span, self.sink)
            else:
                self.decls.lookup(self.decls.editions, edition, None, self.sink)
        layered = [  # their labels and verdicts are checked in `accord.language.layers`
            ir.LayerExpectation(exp.qualifier, _text(exp.label), _text(exp.layer), _text(exp.verdict),
                                one.actor.text, exp.action.text, tuple(a.text for a in one.args), exp.because, exp.span)
            for exp in node.layer_expectations for one in self.instances(exp, module)
        ]
        expectations: list[ir.Expectation] = []
        for exp in node.expectations:
            expectations.extend(
                ir.Expectation(exp.qualifier, exp.status, one.actor.text, exp.action.text,
                               tuple(a.text for a in one.args), exp.because, exp.span)
                for one in self.instances(exp, module)
            )
        return ir.Test(
            node.name.text, node.scenario.text, tuple(e.text for e in node.editions),
            tuple(expectations), module, node.span, tuple(layered),
        )

    def instances(self, exp: ast.Expectation | ast.LayerExpectation, module: str) -> list[Instance]:
        """The ground instances of an expectation (`accord.language.quantified`), its actor checked."""
        if isinstance(exp.actor, ast.Name):
            self.actor(exp.actor, module)
        action = self.decls.lookup(self.decls.actions, exp.action, module, self.sink)
        params = tuple(p.text for p in action.node.params) if action is not None else None
        found = instances(self.decls, exp, params, module, self.sink)
        if isinstance(exp.actor, ast.Var) and action is not None:  # only the actors the action is for
            by = {a.text for a in action.node.actors}
            found = [one for one in found if one.actor.text in by]
        return found

    def source(self, node: ast.Source, module: str) -> ir.Source:
        seen: dict[str, ast.Section] = {}
        for section in node.sections:
            if section.ref in seen:
                self.sink.error(
                    "duplicate-name",
                    "DUPLICATE NAME",
                    f"The section \"{brief(section.ref, QUOTED_NAME)}\" is listed twice in source `{node.name.text}`.",
                    section.span,
                    "List each section once.",
                )
            seen[section.ref] = section
        return ir.Source(
            node.name.text,
            node.title,
            tuple(ir.Section(s.ref, s.title, s.grants_nothing, s.span) for s in node.sections),
            module,
        )


def _text(name: ast.Name | None) -> str | None:
    return None if name is None else name.text


def _word(node: ast.Name | ast.Var) -> str:
    return node.name if isinstance(node, ast.Var) else node.text


def _listing(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _show(atom: ir.GroundAtom) -> str:
    name, args = atom
    return f"{name}({', '.join(args)})" if args else name


def _first_stated(fact: ast.ScenarioFact) -> tuple[tuple[Span, str], ...]:
    return ((fact.span, "first stated here"),) if fact.span is not None else ()
