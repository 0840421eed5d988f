"""Compiling one edition with a trace of which body alternative held (`accord explain`, `when`,
the semantic `check`).

In: an `ir.EditionView`. Out: the edition's program (`accord.compile.to_asp.to_asp`) with one
`body(Group, K, t(Values…))` rule beside every rule compiled from a body alternative, and the
source map from (Group, K) back to that alternative (`TracedRule`), its atoms in the form an answer
set shows them (`holds/1`, `derived/1`).
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.compile.asp import (
    Cmp,
    Fn,
    Lit,
    Num,
    Program,
    Rule,
    Show,
    Statement,
    Str,
    Var,
    item_variables,
    term_variables,
)
from accord.compile.to_asp import DEFINITION, FACT, to_asp
from accord.language import ir

TRACE = "body"
_TRACED = frozenset({"when", "unless", "fires", "excused", "derived", "violated", "aux"})
TRACED_SHOWN = (("when", 3), ("unless", 3), ("fires", 3), ("aux", 2), (TRACE, 3))


@dataclass(frozen=True, slots=True)
class TracedRule:
    """One body alternative of a clause's conditions or exception, a definition, a constraint or an
    auxiliary condition: the source map entry behind a `body(Group, K, t(Values…))` atom."""

    group: str  # "when:<clause id>", "unless:…", "fires:…", "excused:…", "derived:<name>", "violated:…", "aux:aN"
    index: int  # K: the alternative's position in its group, from 0
    head: Fn
    body: tuple[Lit | Cmp, ...]
    variables: tuple[str, ...]  # the values of t(…), in this order


def _traced_group(head: Fn) -> str | None:
    if head.name not in _TRACED or not head.args:
        return None
    first = head.args[0]
    if isinstance(first, Str):  # clause parts; the generic rules have a variable here
        return f"{head.name}:{first.value}"
    if isinstance(first, Fn) and head.name in ("derived", "violated", "aux"):
        return f"{head.name}:{first.name}"
    return None


def _shown_form(view: ir.EditionView) -> dict[str, str]:
    """Each fact's and definition's own predicate, to the shown predicate its atoms stand for."""
    return {**{FACT + name: "holds" for name in view.facts},
            **{DEFINITION + name: "derived" for name in view.definitions}}


def _as_shown(atom: Fn, shown: dict[str, str]) -> Fn:
    """`fact_f(X)` as `holds(f(X))`, `def_d(X)` as `derived(d(X))`; any other atom as it is."""
    name = shown.get(atom.name)
    if name is None:
        return atom
    return Fn(name, (Fn(atom.name.removeprefix(FACT if name == "holds" else DEFINITION), atom.args),))


def to_asp_traced(view: ir.EditionView) -> tuple[Program, tuple[TracedRule, ...]]:
    """`to_asp`, plus one `body(Group, K, t(Values…))` rule beside every rule compiled from a body
    alternative, so that an answer set says which alternative held with which values; and the
    source map from (Group, K) back to that alternative, its atoms in their shown form (`holds/1`,
    `derived/1`), as an answer set shows them. `to_asp` itself is unchanged."""
    out: list[Statement] = []
    traced: list[TracedRule] = []
    counts: dict[str, int] = {}
    shown = _shown_form(view)
    for statement in to_asp(view).statements:
        out.append(statement)
        # The links from a fact's or definition's own atom to its shown atom are no alternatives.
        if not isinstance(statement, Rule) or statement.head is None or statement.head.name in ("holds", "derived"):
            continue
        head = _as_shown(statement.head, shown)
        group = _traced_group(head)
        if group is None:
            continue
        k = counts.get(group, 0)
        counts[group] = k + 1
        found = term_variables(statement.head)
        for item in statement.body:
            found |= item_variables(item)
        names = tuple(sorted(found))
        values = Fn("t", tuple(Var(n) for n in names))
        out.append(Rule(Fn(TRACE, (Str(group), Num(k), values)), statement.body))
        body = tuple(Lit(_as_shown(i.atom, shown), i.positive) if isinstance(i, Lit) else i for i in statement.body)
        traced.append(TracedRule(group, k, head, body, names))
    out.extend(Show(name, arity) for name, arity in TRACED_SHOWN)
    return Program(tuple(out)), tuple(traced)
