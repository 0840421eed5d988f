"""Comparing two sides of a diff clause by clause, and their vocabularies.

In: each side's checked rule base and edition view. Out: `ClauseChange`s and a `VocabularyDiff`.
Clauses are paired by id, then by lineage (`carries` / `replaces`, followed through clauses of
intermediate editions, declared on either side, so swapping the sides mirrors the result), and
compared by meaning: head, conditions, overrides (through the pairing) and citation. Conditions are
compared in a canonical form (`and` / `or` operands flattened, deduplicated and sorted, double
negation dropped) under the pairing of the two clauses' variables that matches best, so
reformatting a file, reordering it, reordering the operands of a condition or renaming a variable
is not a change.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from accord.language import ast, integers, ir
from accord.language.conditions import atoms
from accord.language.printer import print_condition
from accord.results.diff import ClauseChange, ClauseChangeKind, ClauseSide, VocabularyDiff

_MEANING = ("head", "when", "unless", "overrides")
_KIND_ORDER = {k: i for i, k in enumerate(
    (ClauseChangeKind.ADDED, ClauseChangeKind.REMOVED, ClauseChangeKind.CHANGED, ClauseChangeKind.CARRIED))}

Key = tuple[Any, ...]
_MAX_PERMUTED = 6  # variables of one clause tried in every pairing (6! = 720); more: compared as named


@dataclass(frozen=True, slots=True)
class SideRules:
    rules: ir.RuleBase
    view: ir.EditionView


# ---- canonical forms -------------------------------------------------------------------------


def _term(t: ast.Term, names: Mapping[str, str]) -> Key:
    return ("$v", names.get(t.name, t.name)) if isinstance(t, ast.Var) else ("$c", t.name)


def canonical(cond: ast.Condition | None, names: Mapping[str, str]) -> Key:
    """A condition's shape, variables renamed by `names`, with positions and operand order left out:
    `and` / `or` flattened, deduplicated and sorted, `not not` dropped, `=` / `!=` sides sorted."""
    match cond:
        case None:
            return ("true",)
        case ast.Atom(name=name, args=args):
            return ("atom", name.text, tuple(_term(a, names) for a in args))
        case ast.Compare(left=left, op=op, right=right):
            return ("cmp", op, *sorted((_term(left, names), _term(right, names))))
        case ast.Not(operand=ast.Not(operand=inner)):
            return canonical(inner, names)
        case ast.Not(operand=ast.Compare(left=left, op=op, right=right)):
            return canonical(ast.Compare(left, integers.NEGATED_COMPARISON[op], right), names)
        case ast.Not(operand=inner):
            return ("not", canonical(inner, names))
        case ast.And(operands=ops) | ast.Or(operands=ops):
            tag = "and" if isinstance(cond, ast.And) else "or"
            flat: set[Key] = set()
            for operand in ops:
                key = canonical(operand, names)
                flat.update(key[1] if key[0] == tag else (key,))
            return (tag, tuple(sorted(flat, key=repr)))
    raise AssertionError(cond)


def _variables(conds: Iterable[ast.Condition | None], terms: Iterable[ast.Term] = ()) -> list[str]:
    found = {t.name for t in terms if isinstance(t, ast.Var)}
    for cond in conds:
        if cond is not None:
            for atom, _ in atoms(cond):
                found.update(a.name for a in atom.args if isinstance(a, ast.Var))
            found.update(_compared(cond))
    return sorted(found)


def _compared(cond: ast.Condition) -> set[str]:
    match cond:
        case ast.Compare(left=left, right=right):
            return {t.name for t in (left, right) if isinstance(t, ast.Var)}
        case ast.Not(operand=inner):
            return _compared(inner)
        case ast.And(operands=ops) | ast.Or(operands=ops):
            return set().union(*(_compared(o) for o in ops))
    return set()


Parts = Callable[[Mapping[str, str]], tuple[Key, ...]]


def same_parts(x: Parts, x_vars: list[str], y: Parts, y_vars: list[str], fixed: Mapping[str, str]) -> tuple[bool, ...]:
    """Part by part, whether `x` and `y` are equal under the renaming of y's variables to x's that
    makes the most parts equal (variables in `fixed` keep their pairing, e.g. parameters)."""
    mine = x({})
    free_x = [v for v in x_vars if v not in fixed.values()]
    free_y = [v for v in y_vars if v not in fixed]
    best = tuple(a == b for a, b in zip(mine, y(fixed), strict=True))
    if len(free_x) != len(free_y) or len(free_y) > _MAX_PERMUTED:
        return best
    for image in itertools.permutations(free_x):
        equal = tuple(a == b for a, b in zip(mine, y({**fixed, **dict(zip(free_y, image, strict=True))}), strict=True))
        if sum(equal) > sum(best):
            best = equal
        if all(best):
            break
    return best


def clause_parts(clause: ir.Clause) -> Parts:
    def parts(names: Mapping[str, str]) -> tuple[Key, ...]:
        head = (_term(clause.actor_term, names), clause.modality.value, clause.action,
                tuple(_term(a, names) for a in clause.args))
        return head, canonical(clause.when, names), canonical(clause.unless, names)

    return parts


def _same_clause(x: ir.Clause, y: ir.Clause) -> tuple[bool, ...]:
    return same_parts(clause_parts(x), _variables((x.when, x.unless), (x.actor_term, *x.args)),
                      clause_parts(y), _variables((y.when, y.unless), (y.actor_term, *y.args)), {})


def _same_definition(x: ir.Definition, y: ir.Definition) -> bool:
    if [s for _, s in x.params] != [s for _, s in y.params]:
        return False
    fixed = {vy: vx for (vx, _), (vy, _) in zip(x.params, y.params, strict=True)}
    return all(same_parts(lambda n: (canonical(x.condition, n),), _variables((x.condition,)),
                          lambda n: (canonical(y.condition, n),), _variables((y.condition,)), fixed))


def _same_constraint(x: ir.Constraint, y: ir.Constraint) -> bool:
    return all(same_parts(lambda n: (canonical(x.condition, n),), _variables((x.condition,)),
                          lambda n: (canonical(y.condition, n),), _variables((y.condition,)), {}))


# ---- showing rules ---------------------------------------------------------------------------


def show_rule(clause: ir.Clause) -> str:
    args = f"({', '.join(a.name for a in clause.args)})" if clause.args else ""
    text = f"{clause.actor} {clause.modality.value} {clause.action}{args}"
    if clause.when is not None:
        text += f" when {print_condition(clause.when)}"
    if clause.unless is not None:
        text += f" unless {print_condition(clause.unless)}"
    if clause.overrides:
        text += f" overrides {', '.join(clause.overrides)}"
    return text


def _side(clause: ir.Clause) -> ClauseSide:
    return ClauseSide(clause.id, clause.cite, clause.actor, clause.action, clause.says, show_rule(clause),
                      clause.module, clause.actor_range)


# ---- pairing and comparing clauses -------------------------------------------------------------


def _lineage_links(
    start: Iterable[str], rules: ir.RuleBase, goal: set[str], stop: set[str]
) -> set[tuple[str, str, str]]:
    """(start, reached, kind) for clauses in `goal` reached from `start` through lineage."""
    links: set[tuple[str, str, str]] = set()
    for origin in start:
        stack: list[tuple[str, str]] = [(origin, "carries")]
        seen = {origin}
        while stack:
            current, kind = stack.pop()
            lineage = rules.clauses[current].lineage if current in rules.clauses else None
            if lineage is None:
                continue
            step = "replaces" if lineage.kind is ast.LineageKind.REPLACES or kind == "replaces" else "carries"
            for name in (t.text for t in lineage.targets):
                if name in seen or name in stop:
                    continue
                seen.add(name)
                if name in goal:
                    links.add((origin, name, step))
                else:
                    stack.append((name, step))
    return links


def _components(links: set[tuple[str, str, str]]) -> list[tuple[list[str], list[str], str]]:
    """Connected groups of paired clauses: (A ids, B ids, how they were matched)."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a_id, b_id, _ in links:
        parent[find(("a", a_id))] = find(("b", b_id))
    groups: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for node in list(parent):
        groups.setdefault(find(node), set()).add(node)
    out = []
    for members in groups.values():
        a_ids = sorted(n for side, n in members if side == "a")
        b_ids = sorted(n for side, n in members if side == "b")
        kinds = {k for x, y, k in links if x in a_ids and y in b_ids}
        out.append((a_ids, b_ids, "replaces" if "replaces" in kinds else "carries"))
    return sorted(out)


def _overrides_differ(x: ir.Clause, y: ir.Clause, a: SideRules, b: SideRules, mapping: dict[str, str]) -> bool:
    """Whether the clauses each side's clause takes priority over differ: the same list never does;
    otherwise only targets in the side's edition count (others have no effect), A's through the pairing."""
    if set(x.overrides) == set(y.overrides):
        return False
    mine = {mapping.get(t, "A:" + t) for t in x.overrides if t in a.view.clauses}
    theirs = {t for t in y.overrides if t in b.view.clauses}
    return mine != theirs


def _compare(
    x: ir.Clause, y: ir.Clause, sides: tuple[SideRules, SideRules], mapping: dict[str, str], by_id: bool
) -> tuple[ClauseChangeKind, tuple[str, ...]]:
    if x == y:  # the same clause, word for word (the usual case between two editions of one base)
        return ClauseChangeKind.CARRIED, ()
    same = _same_clause(x, y)
    differences = [part for part, equal in zip(("head", "when", "unless"), same, strict=True) if not equal]
    if _overrides_differ(x, y, *sides, mapping):
        differences.append("overrides")
    if x.cite != y.cite:
        differences.insert(0, "cite")
    if x.says != y.says:
        differences.append("says")
    changed = any(d in _MEANING for d in differences) or (by_id and "cite" in differences)
    return (ClauseChangeKind.CHANGED if changed else ClauseChangeKind.CARRIED), tuple(differences)


def clause_changes(a: SideRules, b: SideRules) -> tuple[ClauseChange, ...]:
    ca, cb = a.view.clauses, b.view.clauses
    common = set(ca) & set(cb)
    only_a, only_b = set(ca) - common, set(cb) - common
    links = {(x, y, k) for y, x, k in _lineage_links(sorted(only_b), b.rules, only_a, common)}
    links |= _lineage_links(sorted(only_a), a.rules, only_b, common)
    groups = _components(links)
    mapping = {c: c for c in common}
    mapping.update({a_ids[0]: b_ids[0] for a_ids, b_ids, _ in groups if len(a_ids) == len(b_ids) == 1})
    out: list[ClauseChange] = []
    for cid in sorted(common):
        kind, differences = _compare(ca[cid], cb[cid], (a, b), mapping, by_id=True)
        side_a = _side(ca[cid])
        side_b = side_a if cb[cid] is ca[cid] else _side(cb[cid])
        out.append(ClauseChange(kind, (side_a,), (side_b,), "id", differences))
    for a_ids, b_ids, how in groups:
        if len(a_ids) == len(b_ids) == 1:
            kind, differences = _compare(ca[a_ids[0]], cb[b_ids[0]], (a, b), mapping, by_id=False)
        else:
            kind, differences = ClauseChangeKind.CHANGED, ("split" if len(a_ids) < len(b_ids) else "merged",)
        out.append(ClauseChange(kind, tuple(_side(ca[i]) for i in a_ids), tuple(_side(cb[i]) for i in b_ids),
                                how, differences))
    paired = {i for x, y, _ in links for i in (x, y)}
    out += [ClauseChange(ClauseChangeKind.REMOVED, (_side(ca[i]),), (), None, ()) for i in only_a - paired]
    out += [ClauseChange(ClauseChangeKind.ADDED, (), (_side(cb[i]),), None, ()) for i in only_b - paired]
    return tuple(sorted(out, key=lambda c: (_KIND_ORDER[c.kind], c.key, [s.id for s in c.a])))


# ---- vocabulary ------------------------------------------------------------------------------


def _signature(name: str, params: tuple[str, ...]) -> str:
    return name + (f"({', '.join(params)})" if params else "")


def _only(x: Iterable[str], y: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    sx, sy = set(x), set(y)
    return tuple(sorted(sx - sy)), tuple(sorted(sy - sx))


def vocabulary_diff(a: ir.EditionView, b: ir.EditionView) -> VocabularyDiff:
    sorts = _only(a.sorts, b.sorts)
    shared_sorts = sorted(set(a.sorts) & set(b.sorts))
    members = _only(
        [f"{s}:{m}" for s in shared_sorts for m in a.sorts[s].members],
        [f"{s}:{m}" for s in shared_sorts for m in b.sorts[s].members],
    )
    facts = _only([_signature(f.name, f.params) for f in a.facts.values()],
                  [_signature(f.name, f.params) for f in b.facts.values()])

    def action(x: ir.Action) -> str:
        return f"{_signature(x.name, x.params)} by {', '.join(x.actors)}"

    actions = _only(map(action, a.actions.values()), map(action, b.actions.values()))
    definitions = _only(a.definitions, b.definitions)
    defs_changed = tuple(sorted(
        n for n in set(a.definitions) & set(b.definitions)
        if not _same_definition(a.definitions[n], b.definitions[n])
    ))
    constraints = _only(a.constraints, b.constraints)
    cons_changed = tuple(sorted(
        n for n in set(a.constraints) & set(b.constraints)
        if not _same_constraint(a.constraints[n], b.constraints[n])
    ))
    return VocabularyDiff(
        sorts[0], sorts[1], members[0], members[1], facts[0], facts[1], actions[0], actions[1],
        definitions[0], definitions[1], defs_changed, constraints[0], constraints[1], cons_changed,
    )
