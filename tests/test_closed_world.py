"""Queries answered without a solve give exactly the solver's results.

From its second query on, a closed-world edition answers scenarios with few unknown facts by
re-evaluating its ground program from the baseline where every fact is false
(`accord.analyses.closed` over `accord.solve.delta`). The whole `QueryResult` (every action's
verdict, extents, deciding clauses with their roles, labels and layers; or the broken constraints
of an impossible scenario) must be the one the solver path gives: on every bundled edition for
every named scenario and hundreds of random ones, on the examples, on random rule sets, and, for
the evaluator alone, on hand-written ground programs for every input assignment (against the
bit-parallel evaluator, which tests/test_batch_direct.py holds to clingo).
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import RuleSet, load_rule_set, rule_sets
from test_batch_direct import PROGRAMS

from accord.analyses.closed import MOST_UNKNOWN, ClosedWorld, PathChooser
from accord.analyses.engine import EditionEngine
from accord.api import KnowledgeBase, load
from accord.language import ir
from accord.language.printer import print_module
from accord.solve import Sym
from accord.solve.bitwise import BitEvaluator
from accord.solve.delta import DeltaEvaluator
from accord.solve.observe import Unsupported, observe

ROOT = Path(__file__).resolve().parents[1]

Scenario = tuple[ir.Scenario | None, list[ir.GroundAtom], list[ir.GroundAtom]]


def _scenarios(kb: KnowledgeBase, engine: EditionEngine, count: int, seed: int) -> list[Scenario]:
    """Every named scenario, then random ones: 0-8 true facts, 0-`MOST_UNKNOWN` + 1 unknown ones
    (one more than the fast path takes), facts outside the edition, a fact both true and unknown."""
    rng = random.Random(seed)
    space = list(engine.fact_space)
    others = sorted({(f.name, tuple(kb.rules.sorts[s].members[0] for s in f.params)) for f in kb.rules.facts.values()})
    out: list[Scenario] = [(s, list(s.true), list(s.unknown)) for _, s in sorted(kb.rules.scenarios.items())]
    for _ in range(count):
        chosen = rng.sample(space, min(len(space), rng.randint(0, 8)))
        k = rng.choice([0, 0, 0, 1, 2, 3, MOST_UNKNOWN, MOST_UNKNOWN + 1])
        unknown = rng.sample(space, min(len(space), k))
        true = chosen + rng.sample(others, rng.choice([0, 0, 1])) + unknown[:rng.choice([0, 1])]
        out.append((None, true, unknown))
    return out


def _agree(kb: KnowledgeBase, edition: str, count: int, seed: int) -> int:
    """Ask every scenario both ways; return how many the fast path answered."""
    engine = kb.engine(edition)
    fast = ClosedWorld(engine)
    answered = 0
    for named, true, unknown in _scenarios(kb, engine, count, seed):
        solved = engine.query(true, unknown, scenario=named, solve=True)
        found = fast.answer(sorted(set(true)), sorted(set(unknown)))
        if found is not None:
            answered += 1
            if isinstance(found, list):
                assert not solved.possible
                assert [v.constraint for v in solved.violations] == found
            else:
                assert solved.possible and solved.actions == found
        quick = engine.query(true, unknown, scenario=named)  # the engine's own choice of path
        assert quick == solved
    return answered


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load(ROOT / "rules")


def test_every_bundled_edition_gives_the_solvers_results(bundled: KnowledgeBase) -> None:
    for edition in bundled.editions():
        assert _agree(bundled, edition.id, 150, seed=len(edition.id)) > 150


@pytest.mark.parametrize("folder", ["examples/nato", "examples/consultation", "tests/fixtures/alliance"])
def test_the_examples_give_the_solvers_results(folder: str) -> None:
    """NATO; integer facts and order comparisons (consultation); quantified actors (alliance)."""
    kb = load(ROOT / folder)
    for edition in kb.editions():
        assert _agree(kb, edition.id, 60, seed=3)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(rule_sets(), st.integers(0, 2**32))
def test_random_rule_sets_give_the_solvers_results(rule_set: RuleSet, seed: int) -> None:
    kb = load_rule_set(rule_set)
    try:
        _agree(kb, rule_set.edition, 30, seed)
    except Unsupported:
        pass
    except AssertionError as err:
        raise AssertionError(print_module(rule_set.module)) from err


def test_the_engine_switches_to_the_fast_path_on_its_second_query(bundled: KnowledgeBase) -> None:
    engine = EditionEngine(bundled.rules, "e2016")
    scenario = bundled.rules.scenarios[sorted(bundled.rules.scenarios)[0]]
    first = engine.query(scenario.true, scenario.unknown, scenario=scenario)
    assert engine._fast is None
    second = engine.query(scenario.true, scenario.unknown, scenario=scenario)
    assert isinstance(engine._fast, ClosedWorld)
    assert first == second
    capped = engine.query(scenario.true, scenario.unknown, scenario=scenario, readings_cap=3)
    assert capped.readings is not None  # readings are only the solver's


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_delta_evaluator_agrees_with_the_bit_parallel_one_on_every_assignment(name: str) -> None:
    inputs = ["s", "t", "u", "v"]
    program = (PROGRAMS[name] + "\n{ holds(F) : possible(F) }.\n#external relaxed.\n"
               + "".join(f"possible({f}).\n" for f in inputs))
    rules = observe(program)
    wanted = sorted(rules.shown)
    bits = BitEvaluator(rules, wanted)
    delta = DeltaEvaluator(rules)
    assert delta.relaxed is not None
    assignments = [set(c) for r in range(len(inputs) + 1) for c in itertools.combinations(inputs, r)]
    for chosen, relaxed in itertools.product(assignments, (0, 1)):
        masks = [int(fact.name in chosen) for fact in bits.facts]
        expected, broken = bits.run(masks, relaxed, 1)
        assigned = {rules.inputs[Sym(f)]: 1 for f in chosen}
        if relaxed:
            assigned[delta.relaxed] = 1
        values, delta_broken = delta.run(assigned, 1)
        assert delta_broken == broken, (name, chosen, relaxed)
        assert [delta.value(atom, values, 1) for atom in wanted] == list(expected), (name, chosen, relaxed)


def test_lanes_give_each_completion_its_own_model() -> None:
    rules = observe(PROGRAMS["positive recursion"] + "\n{ holds(F) : possible(F) }.\npossible(s). possible(t).\n"
                    "possible(u).")
    delta = DeltaEvaluator(rules)
    bits = BitEvaluator(rules, sorted(rules.shown))
    lanes = [(1 << 8) - 1 & sum(1 << lane for lane in range(8) if lane >> j & 1) for j in range(3)]
    values, broken = delta.run({rules.inputs[Sym(f)]: lanes[j] for j, f in enumerate("stu")}, 255)
    expected, expected_broken = bits.run([lanes["stu".index(f.name)] for f in bits.facts], 0, 255)
    assert broken == expected_broken
    assert [delta.value(atom, values, 255) for atom in sorted(rules.shown)] == list(expected)


def test_recursion_through_not_is_refused() -> None:
    with pytest.raises(Unsupported, match="not stratified"):
        DeltaEvaluator(observe("{ holds(s) }. a :- not b, holds(s). b :- not a. #show a/0. #show holds/1."))


def test_the_path_chooser_keeps_the_faster_path_after_its_samples() -> None:
    chooser = PathChooser()
    for _ in range(PathChooser.SAMPLES - 1):
        chooser.record(0.002, 0.001)
        assert chooser.use_fast is None
    chooser.record(0.002, 0.001)
    assert chooser.use_fast is False
    faster = PathChooser()
    for _ in range(PathChooser.SAMPLES):
        faster.record(0.001, 0.002)
    assert faster.use_fast is True


def test_an_engine_answers_alike_while_it_times_both_paths_and_after(bundled: KnowledgeBase) -> None:
    engine = EditionEngine(bundled.rules, "e2016")
    names = sorted(bundled.rules.scenarios)[: PathChooser.SAMPLES + 4]
    for name in names * 2:
        scenario = bundled.rules.scenarios[name]
        asked = engine.query(scenario.true, scenario.unknown, scenario=scenario)
        assert asked == engine.query(scenario.true, scenario.unknown, scenario=scenario, solve=True)
    assert engine._chooser.use_fast is not None
