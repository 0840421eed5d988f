"""The laws of `accord diff`, as property tests on random small rule sets with two editions.

From one generated rule set (tests/strategies.py), the vocabulary goes in a module both editions
include, and each clause is shared, only in A, only in B, or in A with a changed copy in B that
`replaces` it. Laws:

- diff(A, A) is empty: equivalent, every clause carried over;
- every witness, queried on A and on B (`accord query`), gives the two statuses reported, and is
  subset-minimal: dropping any one of its facts loses the difference (or breaks a constraint);
- swapping A and B swaps the directions (gained <-> lost), and added <-> removed clauses;
- reformatting, reordering and renaming variables is not a change;
- against a brute-force reference over every scenario (tests/reference.py, when the space is
  small): the changes reported are exactly the changes that exist, and each first witness has the
  fewest facts possible.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from reference import evaluate_scenario
from strategies import rule_sets

from accord.analyses.diff.program import instances, union_facts, union_sorts
from accord.api import KnowledgeBase
from accord.language import ast
from accord.language.check import check
from accord.language.diagnostics import Sink
from accord.language.printer import print_module
from accord.language.resolve import resolve
from accord.results.diff import ClauseChangeKind, DiffResult, Direction, Movement, Status
from accord.results.query import Extent

_VOCABULARY = (ast.SortDecl, ast.FactDecl, ast.ActionDecl, ast.Definition, ast.ConstraintDecl)
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _name(text: str) -> ast.Name:
    return ast.Name(text)


def _variant(draw: st.DrawFn, clause: ast.Clause) -> ast.Clause:
    """A changed copy of a clause that replaces it."""
    how = draw(st.sampled_from(["modality", "when", "unless", "same"]))
    changed = clause
    if how == "modality":
        others = [m for m in ast.Modality if m is not clause.head.modality]
        changed = replace(clause, head=replace(clause.head, modality=draw(st.sampled_from(others))))
    elif how == "when" and clause.when is not None and clause.unless is None:
        changed = replace(clause, when=None)
    elif how == "unless":
        changed = replace(clause, unless=None)
    lineage = ast.Lineage(ast.LineageKind.REPLACES, (clause.id,))
    return replace(changed, id=_name(clause.id.text + "x"), lineage=lineage, cite=clause.cite + " (new)")


@st.composite
def two_editions(draw: st.DrawFn) -> list[ast.Module]:
    generated = draw(rule_sets()).module
    vocabulary = [i for i in generated.items if isinstance(i, _VOCABULARY)]
    clauses = [i for i in generated.items if isinstance(i, ast.Clause)]
    shared: list[ast.Item] = []
    only_a: list[ast.Item] = []
    only_b: list[ast.Item] = []
    for clause in clauses:
        where = draw(st.sampled_from(["shared", "a", "b", "replaced"]))
        if where == "shared":
            shared.append(clause)
        elif where == "a":
            only_a.append(clause)
        elif where == "b":
            only_b.append(clause)
        else:
            only_a.append(clause)
            only_b.append(_variant(draw, clause))
    uses = (ast.Import((_name("v"),)),)
    editions = (
        ast.Edition(_name("ea"), "edition A", "2000-01-01", (_name("sh"), _name("ma"))),
        ast.Edition(_name("eb"), "edition B", "2010-01-01", (_name("sh"), _name("mb"))),
    )
    return [
        ast.Module(_name("v"), "vocabulary", tuple(vocabulary)),
        ast.Module(_name("sh"), "shared", (*uses, *shared)),
        ast.Module(_name("ma"), "only in A", (*uses, *only_a)),
        ast.Module(_name("mb"), "only in B", (*uses, *only_b)),
        ast.Module(_name("ed"), "editions", editions),
    ]


def _load(modules: list[ast.Module]) -> KnowledgeBase:
    sink = Sink()
    base = check(resolve(modules, sink), sink)
    sink.raise_if_errors()
    return KnowledgeBase(base)


def _has(kb: KnowledgeBase, edition: str, facts: tuple[str, ...], key: tuple[str, str, tuple[str, ...]],
         status: Status) -> bool | None:
    """The status of an action in a closed-world scenario, by `accord query`; None when impossible."""
    result = kb.query(edition, facts=facts)
    if not result.possible:
        return None
    extent = getattr(result.action(*key), status.value)
    assert extent is not Extent.SOMETIMES  # no unknown facts: one reading
    return bool(extent is Extent.ALWAYS)


def _moves(result: DiffResult) -> dict[tuple[str, str, tuple[str, ...], Status], Movement]:
    return {(t.actor, t.action, t.arguments, c.status): c.movement for t in result.behaviour for c in t.changes}


@_SETTINGS
@given(two_editions())
def test_diff_of_an_edition_with_itself_is_empty(modules: list[ast.Module]) -> None:
    kb = _load(modules)
    for edition in ("ea", "eb"):
        result = kb.diff(edition, edition)
        assert result.equivalent and result.behaviour == () and result.summary.targets_changed == 0
        assert all(c.kind is ClauseChangeKind.CARRIED and not c.differences for c in result.clauses)
        assert result.vocabulary.empty


@_SETTINGS
@given(two_editions())
def test_witnesses_separate_the_editions_and_are_subset_minimal(modules: list[ast.Module]) -> None:
    kb = _load(modules)
    result = kb.diff("ea", "eb", witnesses=2)
    event(f"changed targets: {min(len(result.behaviour), 3)}{'+' if len(result.behaviour) >= 3 else ''}")
    for target in result.behaviour:
        key = (target.actor, target.action, target.arguments)
        for change in target.changes:
            for direction in Direction:
                witnesses = change.witnesses(direction)
                assert len(set(witnesses)) == len(witnesses)
                expected = (False, True) if direction is Direction.GAINED else (True, False)
                for w in witnesses:
                    on_a = _has(kb, "ea", w.facts, key, change.status)
                    on_b = _has(kb, "eb", w.facts, key, change.status)
                    assert (on_a, on_b) == expected, (target.label, change.status, w.facts)
                    assert (w.a.has(change.status), w.b.has(change.status)) == expected
                    assert w.a.verdict is kb.query("ea", facts=w.facts).action(*key).verdict
                    assert w.b.verdict is kb.query("eb", facts=w.facts).action(*key).verdict
                    for dropped in w.facts:
                        fewer = tuple(f for f in w.facts if f != dropped)
                        pair = (_has(kb, "ea", fewer, key, change.status), _has(kb, "eb", fewer, key, change.status))
                        assert pair != expected, f"{w.facts} is not minimal: {fewer} is a witness too"


@_SETTINGS
@given(two_editions())
def test_swapping_the_editions_swaps_the_directions(modules: list[ast.Module]) -> None:
    kb = _load(modules)
    forth, back = kb.diff("ea", "eb", witnesses=0), kb.diff("eb", "ea", witnesses=0)
    mirror = {Movement.GAINED: Movement.LOST, Movement.LOST: Movement.GAINED, Movement.BOTH: Movement.BOTH}
    assert {k: mirror[m] for k, m in _moves(forth).items()} == _moves(back)
    added = sorted(c.key for c in forth.clauses if c.kind is ClauseChangeKind.ADDED)
    assert added == sorted(c.a[0].id for c in back.clauses if c.kind is ClauseChangeKind.REMOVED)
    assert forth.summary.clauses_changed == back.summary.clauses_changed


def _shuffled(condition: ast.Condition | None, rng: random.Random, names: dict[str, str]) -> ast.Condition | None:
    """The same condition with `and`/`or` operands shuffled and variables renamed."""
    match condition:
        case None:
            return None
        case ast.Atom(name=name, args=args):
            return ast.Atom(name, tuple(_renamed(a, names) for a in args))
        case ast.Compare(left=left, op=op, right=right):
            return ast.Compare(_renamed(left, names), op, _renamed(right, names))
        case ast.Not(operand=inner):
            return ast.Not(_shuffled(inner, rng, names))  # type: ignore[arg-type]
        case ast.And(operands=ops) | ast.Or(operands=ops):
            shuffled = [_shuffled(o, rng, names) for o in ops]
            rng.shuffle(shuffled)
            return type(condition)(tuple(shuffled))  # type: ignore[arg-type]
    raise AssertionError(condition)


def _renamed(term: ast.Term, names: dict[str, str]) -> ast.Term:
    return ast.Var(names.setdefault(term.name, f"Z{len(names)}")) if isinstance(term, ast.Var) else term


def _reformatted(module: ast.Module, seed: int) -> ast.Module:
    rng = random.Random(seed)
    items: list[ast.Item] = []
    for item in module.items:
        if isinstance(item, ast.Clause):
            names: dict[str, str] = {}
            head = replace(item.head, args=tuple(_renamed(a, names) for a in item.head.args))
            item = replace(item, head=head, when=_shuffled(item.when, rng, names),
                           unless=_shuffled(item.unless, rng, names))
        items.append(item)
    rng.shuffle(items)
    return replace(module, items=tuple(items))


@_SETTINGS
@given(two_editions(), st.integers(0, 1000))
def test_reformatting_is_not_a_change(tmp_path_factory: object, modules: list[ast.Module], seed: int) -> None:
    folder = Path(tmp_path_factory.mktemp("reformat"))  # type: ignore[attr-defined]
    for side, mods in (("a", modules), ("b", [_reformatted(m, seed) for m in modules])):
        (folder / side).mkdir()
        for m in mods:
            (folder / side / f"{m.name.text}.accord").write_text(print_module(m), encoding="utf-8")
    result = _load(modules).diff(f"{folder / 'a'}@eb", f"{folder / 'b'}@eb", witnesses=0)
    assert result.equivalent
    changed = [(c.key, c.differences, c.a, c.b) for c in result.clauses if c.kind is not ClauseChangeKind.CARRIED]
    assert changed == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_editions())
def test_changes_and_fewest_facts_agree_with_brute_force(modules: list[ast.Module]) -> None:
    kb = _load(modules)
    va, vb = kb.rules.edition_view("ea"), kb.rules.edition_view("eb")
    space = instances(union_facts(va, vb), {s.name: s for s in union_sorts(va, vb)})
    event(f"brute force: {len(space) <= 7}")
    if len(space) > 7:
        return
    smallest: dict[tuple[str, str, tuple[str, ...], Status, Direction], int] = {}
    for size in range(len(space) + 1):
        for chosen in itertools.combinations(space, size):
            a = evaluate_scenario(kb.rules, "ea", chosen, ())
            b = evaluate_scenario(kb.rules, "eb", chosen, ())
            if not (a.possible and b.possible):
                continue
            for key in set(a.statuses) | set(b.statuses):
                for status in Status:
                    on_a = a.statuses.get(key, {}).get(status.value) is Extent.ALWAYS
                    on_b = b.statuses.get(key, {}).get(status.value) is Extent.ALWAYS
                    if on_a != on_b:
                        direction = Direction.GAINED if on_b else Direction.LOST
                        smallest.setdefault((*key, status, direction), size)
    result = kb.diff("ea", "eb", witnesses=1)
    found = {
        (t.actor, t.action, t.arguments, c.status, d): len(c.witnesses(d)[0].facts)
        for t in result.behaviour for c in t.changes for d in Direction if c.witnesses(d)
    }
    assert found == smallest
