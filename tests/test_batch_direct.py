"""Batch lines answered bit-parallel give exactly the lines the solver gives.

The bit-parallel evaluator (`accord.solve.bitwise` over the ground program read by
`accord.solve.observe`) must agree with clingo: on every bundled edition for thousands of random
scenarios (true, unknown, outside the edition's vocabulary, impossible, named), on random stratified
rule sets, and on hand-written ground programs for every input assignment. Programs it cannot
evaluate are refused and their lines solved.
"""

from __future__ import annotations

import itertools
import json
import random

import clingo
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import RuleSet, load_rule_set, rule_sets

from accord.analyses.batch import direct as batch_direct
from accord.analyses.batch.lines import Evaluator, run
from accord.api import KnowledgeBase, load
from accord.language.printer import print_module
from accord.solve import Sym
from accord.solve.bitwise import BitEvaluator
from accord.solve.core import to_sym
from accord.solve.observe import Unsupported, observe


def _fact_text(atom: tuple[str, tuple[str, ...]]) -> str:
    name, args = atom
    return f"{name}({', '.join(args)})" if args else name


def _random_lines(kb: KnowledgeBase, edition: str, count: int, seed: int) -> list[str]:
    """Scenarios over the whole rule base's facts (some outside this edition), 0-4 unknown facts,
    duplicates, every named scenario, and a few with facts added to a named scenario."""
    rng = random.Random(seed)
    space = [_fact_text(a) for a in kb.engine(edition).fact_space]
    others = sorted({_fact_text((f.name, tuple(kb.rules.sorts[s].members[0] for s in f.params)))
                     for f in kb.rules.facts.values()})
    lines = []
    for i in range(count):
        chosen = rng.sample(space, min(len(space), rng.randint(0, 7)))
        chosen += rng.sample(others, rng.choice([0, 0, 0, 1]))
        k = rng.choice([0, 0, 0, 1, 2, 3, 4])
        line = {"id": i, "facts": chosen[k:] + chosen[:1] * rng.choice([0, 1]), "unknown": chosen[:k]}
        if not line["facts"] and not line["unknown"]:
            line["facts"] = [space[0]] if space else []
        lines.append(json.dumps(line))
    names = sorted(kb.rules.scenarios)
    lines += [json.dumps({"scenario": name}) for name in names]
    lines += [json.dumps({"scenario": name, "facts": rng.sample(space, 1)}) for name in names[:10] if space]
    return lines


def _both(kb: KnowledgeBase, edition: str, lines: list[str]) -> tuple[list[str], list[str]]:
    direct = Evaluator(kb, edition)
    solved = Evaluator(kb, edition, direct=False)
    assert direct.direct() is not None
    return [o.text for o in run(direct, lines)], [o.text for o in run(solved, lines)]


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


def test_every_bundled_edition_gives_the_solvers_lines(bundled: KnowledgeBase) -> None:
    for edition in sorted(bundled.rules.editions):
        lines = _random_lines(bundled, edition, 600, seed=len(edition))
        fast, slow = _both(bundled, edition, lines)
        assert len(fast) == len(lines)
        for line, a, b in zip(lines, fast, slow, strict=True):
            assert a == b, f"{edition}: {line}"
        outcomes = [json.loads(t) for t in fast]
        assert any(o.get("possible") is False for o in outcomes)  # impossible scenarios were exercised
        assert any(o.get("possible") is True for o in outcomes)


def test_blocks_of_mixed_sizes_keep_input_order(bundled: KnowledgeBase) -> None:
    """More lines than a block, unknown counts interleaved: every line lands in its place."""
    lines = _random_lines(bundled, "e2016", batch_direct.BLOCK * 2 + 7, seed=3)
    fast, slow = _both(bundled, "e2016", lines)
    assert fast == slow
    assert [json.loads(t)["line"] for t in fast] == list(range(1, len(lines) + 1))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(rule_sets(), st.integers(0, 2**32))
def test_random_rule_sets_give_the_solvers_lines(rule_set: RuleSet, seed: int) -> None:
    kb = load_rule_set(rule_set)
    lines = _random_lines(kb, rule_set.edition, 40, seed)
    fast, slow = _both(kb, rule_set.edition, lines)
    assert fast == slow, print_module(rule_set.module)


# ---- the evaluator on hand-written ground programs ---------------------------------------------

def _clingo_models(program: str, inputs: list[str], chosen: set[str]) -> frozenset[str] | None:
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    assumptions = [(clingo.Function("holds", [clingo.Function(f)]), f in chosen) for f in inputs]
    found: list[frozenset[str]] = []
    ctl.solve(assumptions=assumptions,
              on_model=lambda m: found.append(frozenset(str(to_sym(s)) for s in m.symbols(shown=True))))
    assert len(found) <= 1
    return found[0] if found else None


PROGRAMS = {
    "positive recursion": """
        edge(1,2). edge(2,3). edge(3,1). edge(3,4).
        reach(X) :- holds(s), X = 1.
        reach(Y) :- reach(X), edge(X,Y), holds(t).
        reach(4) :- holds(u).
        cut :- reach(4), not holds(s).
        far :- not reach(2).
    """,
    "constants folded": """
        yes. no :- not yes.
        a :- holds(s), yes. b :- holds(s), no. c :- not no, not holds(t).
        d :- b. d :- c, holds(u).
    """,
    "constraints": """
        bad :- holds(s), holds(t).
        :- bad, not relaxed.
        :- holds(u), holds(v), holds(s).
        ok :- not bad.
    """,
    "long bodies and many rules": "\n".join(
        [f"p{i} :- holds(s), holds(t), not holds(u)." for i in range(60)]
        + ["long :- " + ", ".join(f"p{i}" for i in range(60)) + "."]
        + [f"many :- p{i}, holds(v)." for i in range(60)]
    ),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_evaluator_agrees_with_clingo_on_every_assignment(name: str) -> None:
    inputs = ["s", "t", "u", "v"]
    program = (PROGRAMS[name] + "\n{ holds(F) : possible(F) }.\n#external relaxed.\n"
               + "".join(f"possible({f}).\n" for f in inputs))
    rules = observe(program)
    wanted = sorted(rules.shown)
    evaluator = BitEvaluator(rules, wanted)
    assignments = [set(c) for r in range(len(inputs) + 1) for c in itertools.combinations(inputs, r)]
    masks = [0] * len(evaluator.facts)
    for lane, chosen in enumerate(assignments):
        for fact in chosen:
            masks[evaluator.position[Sym(fact)]] |= 1 << lane
    values, broken = evaluator.run(masks, 0, (1 << len(assignments)) - 1)
    for lane, chosen in enumerate(assignments):
        expected = _clingo_models(program, inputs, chosen)
        if broken >> lane & 1:
            assert expected is None, (name, chosen)
            continue
        got = {str(sym) for atom, value in zip(wanted, values, strict=True) if value >> lane & 1
               for sym in rules.shown[atom]} | {str(sym) for sym in rules.always}
        assert got == expected, (name, chosen)


@pytest.mark.parametrize(("program", "reason"), [
    ("a :- not b. b :- not a. c :- a.", "not stratified"),
    ("a ; b.", "disjunctive"),
    ("{ a }. b :- a.", "chooses something other"),
    ("a :- #count { 1 : holds(s) ; 2 : holds(t) } >= 2. possible(s). possible(t). { holds(F) : possible(F) }.",
     "weight rule"),
    ("#external other. a :- other.", "external other than"),
    ("#minimize { 1 : holds(s) }. possible(s). { holds(F) : possible(F) }.", "optimisation"),
    ("#show holds/1. { fact_s }. holds(s) :- fact_s. holds(s) :- a. { a }.", "derives a scenario fact"),
    ("#show holds/1. { fact_s }. { holds(s) }. holds(s) :- fact_s.", "derives a scenario fact"),
    ("#show holds/1. { fact_s }. { fact_t }. holds(s) :- fact_s, fact_t.", "derives a scenario fact"),
    ("#show holds/1. { fact_s }. holds(s) :- fact_s. holds(t) :- fact_s.", "chooses something other"),
    ("#show holds/1. { fact_s } :- a. holds(s) :- fact_s. a :- not b. b :- not a.", "chooses something other"),
])
def test_programs_beyond_the_evaluator_are_refused(program: str, reason: str) -> None:
    with pytest.raises(Unsupported, match=reason):
        rules = observe("#show a/0. #show b/0. #show c/0.\n" + program)
        BitEvaluator(rules, sorted(rules.shown))


def test_a_fact_may_be_chosen_through_an_atom_of_its_own() -> None:
    rules = observe("{ fact_s }. holds(s) :- fact_s. { holds(t) }. a :- holds(s), not holds(t).\n"
                    "#show a/0. #show holds/1.")
    s, t = Sym("s"), Sym("t")
    assert set(rules.inputs) == {s, t}
    holds = {syms[0].args[0]: atom for atom, syms in rules.shown.items() if syms[0].name == "holds"}
    assert rules.inputs[t] == holds[t]  # chosen itself
    assert rules.inputs[s] != holds[s] and (holds[s], (rules.inputs[s],)) in rules.rules  # chosen through fact_s
    evaluator = BitEvaluator(rules, sorted(rules.shown))
    a = next(atom for atom, syms in rules.shown.items() if syms == (Sym("a"),))
    wanted, _ = evaluator.run([0b01, 0b10], 0, 0b11)  # lane 0: s only; lane 1: t only
    assert wanted[sorted(rules.shown).index(a)] & 0b11 == 0b01


def test_a_refused_program_is_solved_instead(bundled: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(program: str) -> None:
        raise Unsupported("refused for the test")

    monkeypatch.setattr(batch_direct, "observe", refuse)
    evaluator = Evaluator(bundled, "e2016")
    assert evaluator.direct() is None
    lines = _random_lines(bundled, "e2016", 50, seed=9)
    solved = Evaluator(bundled, "e2016", direct=False)
    assert [o.text for o in run(evaluator, lines)] == [o.text for o in run(solved, lines)]


def test_a_program_with_nothing_wanted_still_evaluates() -> None:
    rules = observe(":- holds(s), not relaxed. possible(s). { holds(F) : possible(F) }. #external relaxed.")
    evaluator = BitEvaluator(rules, [])
    assert evaluator.run([0b10], 0, 0b11) == ((), 0b10)
    assert evaluator.run([0b10], 0b11, 0b11) == ((), 0)
