"""Compiling one edition of a checked rule base to the typed ASP form.

In: an `ir.EditionView`. Out: an `asp.Program` whose answer sets are the lawful readings of every
scenario over the edition's vocabulary (each clause's rules keep its id; the traced form, with a
source map back to each body alternative, is `accord.compile.traced_asp`).

The program has a free choice over every possible fact instance, so it is grounded once and each
scenario is asked through assumptions on its `holds/1` atoms. In an edition's program, rule bodies
read a fact through a predicate of its own (`fact_<name>/n`, chosen, with `holds(<name>(…))`
linked to it) and a definition through one of its own (`def_<name>/n`, with `derived(<name>(…))`
linked to it): the grounder indexes a body literal by going through every atom of its predicate,
so with one predicate for every fact the grounding would grow with clauses times fact instances
(docs/performance.md). `space` and `edition_rules` are the two halves; the second takes a name
prefix so that two editions' rules can share one program and one scenario space (`accord diff`).
A diff's programs are many and small (one per slice), where a predicate per fact costs more
statements than it saves: they are compiled with `own_predicates=False`, every fact read as
`holds(F)`, every definition as `derived(D)`. Clauses compile to `fires/3`
(conditions hold, no exception), `excused/3` (an exception lifted the clause), `applies/3` (fires
and is not overridden); statuses are `permitted/2`, `forbidden/2`, `required/2`, `conflict/2`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import assert_never

from accord.compile.asp import (
    Choice,
    Cmp,
    Comment,
    External,
    Fn,
    Lit,
    Num,
    Program,
    Rule,
    Show,
    Statement,
    Str,
    Term,
    Var,
)
from accord.compile.layers_asp import SHOWN_LAYERS, layer_rules
from accord.language import ast, integers, ir

MODALITY_NAMES = {ast.Modality.MAY: "may", ast.Modality.MUST: "must", ast.Modality.MUST_NOT: "must_not"}

SHARED = frozenset({"dom", "possible", "holds", "relaxed"})
FACT, DEFINITION = "fact_", "def_"  # the name of a fact's, a definition's own predicate, before its name

SHOWN = (
    ("permitted", 2), ("forbidden", 2), ("required", 2), ("conflict", 2),
    ("applies", 3), ("excused", 3), ("overridden", 3), ("violated", 1), ("holds", 1), ("derived", 1),
)

# The edition-independent rules: (head, body); a body atom starting with "~" is negated. Only a
# clause some other clause overrides (`overridable`) gets an `overridden` test, and `allowed`
# gathers a permission's clauses per action before `forbidden` is consulted, once: the same
# statuses with fewer ground bodies for the solver to propagate (docs/performance.md).
_GENERIC: tuple[tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]], ...] = (
    (("fires", "C", "A", "X"), (("when", "C", "A", "X"), ("~unless", "C", "A", "X"))),
    (("excused", "C", "A", "X"), (("when", "C", "A", "X"), ("unless", "C", "A", "X"))),
    (("overridable", "B"), (("overrides", "C", "B"),)),
    (("applies", "C", "A", "X"), (("fires", "C", "A", "X"), ("~overridable", "C"))),
    (("applies", "B", "A", "X"), (("fires", "B", "A", "X"), ("overridable", "B"), ("~overridden", "B", "A", "X"))),
    (("overridden", "B", "A", "X"),
     (("overrides", "C", "B"), ("fires", "B", "A", "X"), ("applies", "C", "A", "X"))),
    (("allowed", "A", "X"), (("applies", "C", "A", "X"), ("modality", "C", "may"))),
    (("allowed", "A", "X"), (("applies", "C", "A", "X"), ("modality", "C", "must"))),
    (("permitted", "A", "X"), (("allowed", "A", "X"), ("~forbidden", "A", "X"))),
    (("forbidden", "A", "X"), (("applies", "C", "A", "X"), ("modality", "C", "must_not"))),
    (("required", "A", "X"), (("applies", "C", "A", "X"), ("modality", "C", "must"))),
    (("conflict", "A", "X"), (("required", "A", "X"), ("forbidden", "A", "X"))),
    (None, (("violated", "N"), ("~relaxed",))),
)


def _generic_atom(parts: tuple[str, ...], prefix: str, shared: frozenset[str] = SHARED) -> Fn:
    name, *args = parts
    name = name.lstrip("~")
    return Fn(name if name in shared else prefix + name, tuple(Var(a) if a[:1].isupper() else value(a) for a in args))


_LAYER_BLIND = frozenset({"allowed", "permitted", "forbidden"})  # replaced by the labels when layers are declared


def generic_rules(prefix: str = "", shared: frozenset[str] = SHARED, layered: bool = False) -> list[Statement]:
    """The edition-independent semantics, with the edition's predicate prefix; `layered`: without
    the layer-blind permission and prohibition, which the labels give (`accord.compile.layers_asp`)."""
    return [
        Rule(
            None if head is None else _generic_atom(head, prefix, shared),
            tuple(Lit(_generic_atom(b, prefix, shared), positive=not b[0].startswith("~")) for b in body),
        )
        for head, body in _GENERIC
        if not (layered and head is not None and head[0] in _LAYER_BLIND)
    ]


def value(name: str) -> Fn | Num | Str:
    """A sort member as a term: a number for a member of a bounded integer sort, a string for a
    day of a date sort (clingo orders `"YYYY-MM-DD"` strings as the days they name), else a constant."""
    if integers.is_integer(name):
        return Num(int(name))
    return Str(name) if integers.is_date(name) else Fn(name)


def var(name: str) -> Var:
    return Var(f"V_{name}")


def dom(sort: str, v: str, name: str = "dom") -> Lit:
    return Lit(Fn(name, (Fn(sort), var(v))))


def variables(cond: ast.Condition | None) -> set[str]:
    if cond is None:
        return set()
    if isinstance(cond, ast.Atom):
        return {a.name for a in cond.args if isinstance(a, ast.Var)}
    if isinstance(cond, ast.Compare):
        return {t.name for t in (cond.left, cond.right) if isinstance(t, ast.Var)}
    if isinstance(cond, ast.Not):
        return variables(cond.operand)
    if isinstance(cond, (ast.And, ast.Or)):
        return set().union(*[variables(o) for o in cond.operands])
    assert_never(cond)


Alternative = tuple[Lit | Cmp, ...]


@dataclass
class _Compiler:
    """Builds one edition's rules. Terms, domain literals and prefixed predicate names are made
    once and shared: the IR is immutable, so sharing changes nothing but the time it takes."""

    view: ir.EditionView
    prefix: str = ""
    shared: frozenset[str] = SHARED
    statements: list[Statement] = field(default_factory=list)
    aux_count: int = 0
    _names: dict[str, str] = field(default_factory=dict)
    _vars: dict[str, Var] = field(default_factory=dict)
    _consts: dict[str, Fn | Num | Str] = field(default_factory=dict)
    _doms: dict[tuple[str, str], Lit] = field(default_factory=dict)
    own_predicates: bool = True
    _own: dict[str, str] = field(default_factory=dict)
    _holds: str = field(init=False)
    _derived: str = field(init=False)

    def __post_init__(self) -> None:
        self._holds, self._derived = self.name("holds"), self.name("derived")

    def own(self, name: str) -> str:
        """The predicate of a fact or a definition of this edition: a fact's carries the prefix only
        when the edition has its own view of the facts (`holds` not shared), a definition's always."""
        found = self._own.get(name)
        if found is None:
            if name in self.view.facts:
                found = (self.prefix if "holds" not in self.shared else "") + FACT + name
            else:
                found = self.prefix + DEFINITION + name
            self._own[name] = found
        return found

    def name(self, name: str) -> str:
        """An edition-specific predicate carries the prefix."""
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = name if name in self.shared else self.prefix + name
        return found

    def fn(self, name: str, *args: Term) -> Fn:
        """An edition-specific atom: its predicate carries the prefix."""
        return Fn(self.name(name), args)

    def var(self, name: str) -> Var:
        found = self._vars.get(name)
        if found is None:
            found = self._vars[name] = var(name)
        return found

    def const(self, name: str) -> Fn | Num | Str:
        found = self._consts.get(name)
        if found is None:
            found = self._consts[name] = value(name)
        return found

    def term(self, t: ast.Term) -> Term:
        return self.var(t.name) if isinstance(t, ast.Var) else self.const(t.name)

    def dom(self, sort: str, v: str) -> Lit:
        found = self._doms.get((sort, v))
        if found is None:
            found = self._doms[(sort, v)] = Lit(Fn(self.name("dom"), (self.const(sort), self.var(v))))
        return found

    def holds(self, atom: ast.Atom) -> Fn:
        """A fact holds, or a definition is derived: the atom of its own predicate, or else its
        `holds/1` or `derived/1` atom."""
        name, args = atom.name.text, tuple([self.term(a) for a in atom.args])
        if self.own_predicates:
            return Fn(self.own(name), args)
        return Fn(self._holds if name in self.view.facts else self._derived, (Fn(name, args),))

    def aux(self, cond: ast.Condition, params: list[str], sorts: dict[str, str]) -> Fn:
        """A fresh auxiliary atom that holds exactly when `cond` holds for `params`."""
        self.aux_count += 1
        atom = self.fn("aux", Fn(f"a{self.aux_count}"), Fn("t", tuple([self.var(p) for p in params])))
        domain = tuple([self.dom(sorts[p], p) for p in params])
        for alt in self.alternatives(cond, set(params), sorts):
            self.statements.append(Rule(atom, domain + alt))
        return atom

    def item(self, cond: ast.Condition) -> Lit | Cmp | None:
        """The one body item that is `cond`, when it is an atom, a comparison or the negation of one."""
        if isinstance(cond, ast.Atom):
            return Lit(self.holds(cond))
        if isinstance(cond, ast.Compare):
            return Cmp(self.term(cond.left), cond.op, self.term(cond.right))
        if isinstance(cond, ast.Not):
            inner = cond.operand
            if isinstance(inner, ast.Atom):
                return Lit(self.holds(inner), positive=False)
            if isinstance(inner, ast.Compare):
                return Cmp(self.term(inner.left), integers.NEGATED_COMPARISON[inner.op], self.term(inner.right))
        return None

    def alternatives(self, cond: ast.Condition, context: set[str], sorts: dict[str, str]) -> list[Alternative]:
        """Bodies whose disjunction is `cond`; `context` are the variables used outside it."""
        if isinstance(cond, ast.And):
            return self.conjunction(cond.operands, context, sorts)
        if isinstance(cond, ast.Or):
            return [alt for op in cond.operands for alt in self.alternatives(op, context, sorts)]
        single = self.item(cond)
        if single is not None:
            return [(single,)]
        assert isinstance(cond, ast.Not)  # of a negation, a conjunction or a disjunction
        inner = cond.operand
        if isinstance(inner, ast.Not):
            return self.alternatives(inner.operand, context, sorts)
        params = sorted(variables(inner) & context)
        return [(Lit(self.aux(inner, params, sorts), positive=False),)]

    def conjunction(self, ops: tuple[ast.Condition, ...], context: set[str],
                    sorts: dict[str, str]) -> list[Alternative]:
        items: list[Lit | Cmp] = []
        for op in ops:  # most conjunctions are of atoms and comparisons only: one body, no context needed
            found = self.item(op)
            if found is None:
                break
            items.append(found)
        else:
            return [tuple(items)]
        own = [variables(o) for o in ops]
        parts: list[list[Alternative]] = []
        for i, part in enumerate(ops):
            inner_context = context.union(*own[:i], *own[i + 1:])
            if isinstance(part, ast.Or):
                params = sorted(own[i] & inner_context)
                parts.append([(Lit(self.aux(part, params, sorts)),)])
            else:
                parts.append(self.alternatives(part, inner_context, sorts))
        return [tuple(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts)]

    def rules(self, head: Fn | None, cond: ast.Condition | None, bound: Iterable[tuple[str, str]],
              sorts: dict[str, str], extra: tuple[Lit, ...] = ()) -> None:
        domain = tuple([self.dom(s, v) for v, s in bound])
        if cond is None:
            self.statements.append(Rule(head, domain + extra))
            return
        context = {v for v, _ in bound}
        self.statements.extend([Rule(head, domain + alt + extra) for alt in self.alternatives(cond, context, sorts)])


def fact_choice(name: str, args: tuple[Term, ...], condition: tuple[Lit, ...]) -> list[Statement]:
    """The instances of fact `name` with these arguments under `condition` are freely chosen
    through the fact's own predicate, and each `holds` exactly when chosen."""
    own = Fn(FACT + name, args)
    return [Choice(own, condition), Rule(Fn("holds", (Fn(name, args),)), (Lit(own),))]


def space(sorts: Iterable[ir.Sort], facts: Iterable[ir.Fact], own_predicates: bool = True) -> list[Statement]:
    """The shared part: sort domains, and a free choice over every fact instance: through each
    fact's own predicate, or (`own_predicates=False`) one choice of `holds/1` over `possible/1`."""
    out: list[Statement] = [Comment("sorts")]
    for sort in sorts:
        out.extend(Rule(Fn("dom", (Fn(sort.name), value(m)))) for m in sort.members)
    out.append(Comment("the scenario space: every fact instance may hold"))
    for fact in facts:
        names = [f"X{i}" for i in range(len(fact.params))]
        condition = tuple(dom(s, n) for n, s in zip(names, fact.params, strict=True))
        args = tuple(var(n) for n in names)
        out.append(Rule(Fn("possible", (Fn(fact.name, args),)), condition))
        if own_predicates:
            out.extend(fact_choice(fact.name, args, condition))
    if not own_predicates:
        out.append(Choice(Fn("holds", (Var("F"),)), (Lit(Fn("possible", (Var("F"),))),)))
    out.append(External(Fn("relaxed")))
    return out


def edition_rules(view: ir.EditionView, prefix: str = "", shared: frozenset[str] = SHARED,
                  own_predicates: bool = True) -> list[Statement]:
    """One edition's definitions, constraints, clauses and semantics, predicates prefixed.

    Predicates named in `shared` keep their plain name; passing a smaller set (`{"relaxed"}`) gives
    the edition its own domains and its own view of the facts (`a_dom/2`, `a_holds/1`).
    `own_predicates`: facts and definitions read through their own predicates (see above).
    """
    c = _Compiler(view, prefix, shared, own_predicates=own_predicates)
    out = c.statements
    out.append(Comment("definitions"))
    for d in view.definitions.values():
        sorts, args = dict(d.var_sorts), tuple(var(v) for v, _ in d.params)
        shown = c.fn("derived", Fn(d.name, args))
        if not own_predicates:
            c.rules(shown, d.condition, d.params, sorts)
            continue
        own = Fn(c.own(d.name), args)
        c.rules(own, d.condition, d.params, sorts)
        out.append(Rule(shown, (Lit(own),)))
    out.append(Comment("domain constraints"))
    for k in view.constraints.values():
        c.rules(c.fn("violated", Fn(k.name)), k.condition, (), dict(k.var_sorts))
    out.append(Comment("clauses"))
    for clause in view.clauses.values():
        _clause(c, clause)
    out.append(Comment("semantics: default deny, exceptions, priorities, statuses"))
    layered = bool(view.authority)
    out.extend(generic_rules(prefix, shared, layered))
    if layered:
        out.extend(layer_rules(view, c.name))
    return out


def to_asp(view: ir.EditionView) -> Program:
    header = Comment(f"accord edition {view.edition.id}: {view.edition.title}")
    body = [*space(view.sorts.values(), view.facts.values()), *edition_rules(view)]
    shown = (*SHOWN, *SHOWN_LAYERS) if view.authority else SHOWN
    return Program((header, *body, *(Show(name, arity) for name, arity in shown)))


def _clause(c: _Compiler, clause: ir.Clause) -> None:
    sorts = dict(clause.var_sorts)
    cid = Str(clause.id)
    key = (cid, c.term(clause.actor_term), Fn(clause.action, tuple([c.term(a) for a in clause.args])))
    # A quantified clause's actor is one more head variable, ranging over sort `actor`.
    head_vars = sorted({a.name for a in (clause.actor_term, *clause.args) if isinstance(a, ast.Var)})
    bound = [(v, sorts[v]) for v in head_vars]
    out = c.statements
    out.append(Comment(f"{clause.id} [{clause.cite}]"))
    out.append(Rule(Fn(c.name("modality"), (cid, c.const(MODALITY_NAMES[clause.modality])))))
    if clause.overrides:
        overrides = c.name("overrides")
        out.extend([Rule(Fn(overrides, (cid, Str(t)))) for t in clause.overrides])
    if clause.unless is None:
        c.rules(Fn(c.name("when"), key), clause.when, bound, sorts)
        return
    shared = sorted((variables(clause.when) | set(head_vars)) & variables(clause.unless))
    if set(shared) <= set(head_vars):
        c.rules(Fn(c.name("when"), key), clause.when, bound, sorts)
        c.rules(Fn(c.name("unless"), key), clause.unless, bound, sorts)
        return
    # The exception shares variables with the conditions: decide per binding of them.
    exception = c.aux(clause.unless, shared, sorts)
    bound_shared = [(v, sorts[v]) for v in sorted(set(head_vars) | set(shared))]
    c.rules(Fn(c.name("fires"), key), clause.when, bound_shared, sorts, (Lit(exception, positive=False),))
    c.rules(Fn(c.name("excused"), key), clause.when, bound_shared, sorts, (Lit(exception),))
