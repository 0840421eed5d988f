"""Solving: ground once, solve many under assumptions; brave/cautious; time limits; caps (accord.solve)."""

from __future__ import annotations

import math
import time

import clingo
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import clingo_symbols

from accord.solve import (
    AnalysisProgram,
    Answer,
    GroundProgram,
    SearchProgram,
    SolverError,
    SolveTimeout,
    Sym,
    facts_of,
    models_setting,
    string_round_trip,
    time_limit,
)

# Three free facts; `q` holds when `a` or `b` does; `c` and `b` exclude each other.
SMALL = """
{ holds(a) }. { holds(b) }. { holds(c) }.
q :- holds(a).
q :- holds(b).
:- holds(b), holds(c).
#external relaxed.
violated(k) :- holds(a), holds(c).
:- violated(N), not relaxed.
#show holds/1.
#show q/0.
#show violated/1.
"""

# The pigeonhole principle, 13 pigeons in 12 holes, switched on by the fact `hard`: no answer set,
# and exponentially long for clingo to prove it.
HARD = """
{ holds(hard) }. { holds(easy) }.
pigeon(1..13). hole(1..12).
1 { in(P, H) : hole(H) } 1 :- pigeon(P), holds(hard).
:- in(P1, H), in(P2, H), P1 < P2.
ok :- holds(easy).
#show ok/0.
#show holds/1.
"""

A, B, C = Sym("a"), Sym("b"), Sym("c")
Q = Sym("q")


def atoms(answer: Answer | None) -> set[str]:
    assert answer is not None
    return {str(a) for a in answer.atoms}


@pytest.fixture(scope="module")
def small() -> GroundProgram:
    return GroundProgram(SMALL)


def test_it_knows_the_fact_atoms_it_grounded(small: GroundProgram) -> None:
    assert small.knows(A) and small.knows(B) and small.knows(C)
    assert not small.knows(Sym("d"))
    assert not small.knows(Sym("a", (Sym("x"),)))


def test_cautious_and_brave_consequences(small: GroundProgram) -> None:
    # a is true, b is open, c false: q holds in every answer set; b only in some.
    values = {A: True, C: False}
    assert atoms(small.consequences(values, "cautious", None)) == {"holds(a)", "q"}
    assert atoms(small.consequences(values, "brave", None)) == {"holds(a)", "holds(b)", "q"}


def test_everything_fixed_gives_one_answer(small: GroundProgram) -> None:
    values = {A: False, B: True, C: False}
    assert atoms(small.consequences(values, "cautious", None)) == atoms(small.consequences(values, "brave", None))
    assert atoms(small.consequences(values, "cautious", None)) == {"holds(b)", "q"}


def test_no_answer_set_gives_none(small: GroundProgram) -> None:
    assert small.consequences({B: True, C: True}, "cautious", None) is None
    assert small.consequences({B: True, C: True}, "brave", None) is None


def test_relaxed_switches_domain_constraints_off_for_one_call(small: GroundProgram) -> None:
    values = {A: True, B: False, C: True}
    assert small.consequences(values, "cautious", None) is None
    relaxed = small.consequences(values, "brave", None, relaxed=True)
    assert "violated(k)" in atoms(relaxed)
    assert small.consequences(values, "cautious", None) is None  # switched back on


def test_ground_once_solve_many_matches_a_fresh_program_each_time(small: GroundProgram) -> None:
    cases = [{}, {A: True}, {A: False, B: False}, {B: True, C: True}, {C: True}, {A: True, B: True, C: False}]
    for _ in range(3):
        for values in cases:
            for mode in ("brave", "cautious"):
                shared = small.consequences(values, mode, None)
                fresh = GroundProgram(SMALL).consequences(values, mode, None)
                assert shared == fresh, (values, mode)


def test_assumption_order_does_not_matter(small: GroundProgram) -> None:
    one = small.consequences({A: True, C: False}, "brave", None)
    two = small.consequences({C: False, A: True}, "brave", None)
    assert one == two


def test_answer_sets_up_to_a_cap(small: GroundProgram) -> None:
    every, more = small.answer_sets({}, 100, None)
    assert not more
    # 8 choices, minus b&c (2), minus a&c without b (1): 5 answer sets.
    assert len(every) == 5
    assert len({a.atoms for a in every}) == 5
    capped, more = small.answer_sets({}, 3, None)
    assert more and len(capped) == 3
    exact, more = small.answer_sets({}, 5, None)
    assert not more and len(exact) == 5
    one, more = small.answer_sets({A: True, B: False, C: False}, 1, None)
    assert not more and [atoms(a) for a in one] == [{"holds(a)", "q"}]


def test_no_answer_sets(small: GroundProgram) -> None:
    assert small.answer_sets({B: True, C: True}, 10, None) == ([], False)


def test_a_time_limit_stops_a_hard_search() -> None:
    ground = GroundProgram(HARD)
    started = time.monotonic()
    with pytest.raises(SolveTimeout):
        ground.consequences({Sym("hard"): True}, "cautious", 0.2)
    with pytest.raises(SolveTimeout):
        ground.answer_sets({Sym("hard"): True}, 5, 0.2)
    assert time.monotonic() - started < 20


def test_the_program_still_answers_after_a_timeout() -> None:
    ground = GroundProgram(HARD)
    with pytest.raises(SolveTimeout):
        ground.consequences({Sym("hard"): True}, "brave", 0.1)
    values = {Sym("hard"): False, Sym("easy"): True}
    assert atoms(ground.consequences(values, "cautious", 10)) == {"holds(easy)", "ok"}
    answers, more = ground.answer_sets({Sym("hard"): False}, 10, 10)
    assert not more and len(answers) == 2


def test_a_generous_time_limit_is_no_limit(small: GroundProgram) -> None:
    assert small.consequences({A: True}, "cautious", 30) == small.consequences({A: True}, "cautious", None)


# Nine pigeons, eight holes: no answer set, and about a quarter of a second for clingo to prove it.
MEDIUM = "pigeon(1..9). hole(1..8). 1 { in(P, H) : hole(H) } 1 :- pigeon(P). :- in(P1, H), in(P2, H), P1 < P2."


@pytest.mark.parametrize("limit", [math.inf, 1e10, math.nan])
def test_an_unbounded_time_limit_is_no_limit(limit: float) -> None:
    assert GroundProgram(MEDIUM).consequences({}, "cautious", limit) is None


def test_a_huge_answer_set_cap() -> None:
    answers, more = GroundProgram("{ holds(a) }.").answer_sets({}, 2**63, None)
    assert len(answers) == 2 and not more


@pytest.mark.parametrize("limit", [math.inf, 1e10, math.nan])
def test_an_unbounded_time_limit_is_no_limit_when_searching(limit: float) -> None:
    """`accord diff`, `explain` and `when` solve through SearchProgram and AnalysisProgram."""
    search = SearchProgram("{ holds(a) }. { holds(b) }. #show holds/1.", ("holds", 1))
    assert search.brave({}, limit) == {Sym("holds", (Sym("a"),)), Sym("holds", (Sym("b"),))}
    assert search.minimal_models({}, 2**63, (), limit) == [frozenset()]  # the one subset-minimal model
    analysis = AnalysisProgram("{ holds(a) }. { holds(b) }. #show holds/1.", [("holds", 1)])
    answers, more = analysis.minimal({}, 2**63, limit, minimal=False)
    assert len(answers) == 4 and not more


def test_time_limits_and_model_counts_clingo_can_take() -> None:
    assert [time_limit(t) for t in (None, math.inf, math.nan, 1e10, 0.5, 0.0, -1.0)] == [
        None, None, None, None, 0.5, 0.0, 0.0,
    ]
    assert [models_setting(n) for n in (0, 1, 5, 2**62, 2**63, 2**64)] == ["0", "1", "5", "0", "0", "0"]


@pytest.mark.parametrize("program", ["p(.", "p(X) :- q.", "#show p/."])
def test_clingo_rejecting_a_program_is_a_solver_error(program: str) -> None:
    with pytest.raises(SolverError):
        GroundProgram(program)


def test_symbols_become_accord_values() -> None:
    ground = GroundProgram('{ holds(f(a, "s", 3)) }.\n#show holds/1.\n')
    [answer] = [a for a in ground.answer_sets({}, 5, None)[0] if a.atoms]
    [atom] = answer.atoms
    assert atom == Sym("holds", (Sym("f", (Sym("a"), Sym("s", quoted=True), Sym("3"))),))
    assert str(atom) == "holds(f(a, s, 3))"


def test_sym_order_and_text() -> None:
    assert str(Sym("p")) == "p"
    assert str(Sym("p", (Sym("a"), Sym("b")))) == "p(a, b)"
    assert sorted([Sym("b"), Sym("a", (Sym("x"),)), Sym("a")]) == [Sym("a"), Sym("a", (Sym("x"),)), Sym("b")]
    assert facts_of([Sym("p", (Sym("b"),)), Sym("q"), Sym("p", (Sym("a"),))], "p") == [
        Sym("p", (Sym("a"),)), Sym("p", (Sym("b"),)),
    ]


def test_string_round_trip() -> None:
    assert string_round_trip('a "quoted" \\ string\nwith 日本') == 'a "quoted" \\ string\nwith 日本'


_ARGUMENTS = st.recursive(
    st.from_regex(r"[a-z_][A-Za-z0-9_']{0,4}", fullmatch=True).map(clingo.Function)
    | st.integers(-5, 5).map(clingo.Number) | st.text(max_size=4).map(clingo.String),
    lambda inner: st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,3}", fullmatch=True), st.lists(inner, max_size=3))
    .map(lambda t: clingo.Function(t[0], t[1])),
    max_leaves=6,
)


@given(_ARGUMENTS)
def test_a_fact_read_off_its_text_is_the_fact_read_symbol_by_symbol(argument: clingo.Symbol) -> None:
    from accord.solve.core import _to_sym
    from accord.solve.ground import _fact

    assert _fact(str(argument)) == _to_sym(argument)


@given(clingo_symbols())
def test_a_symbol_read_off_its_text_is_the_symbol_read_part_by_part(symbol: clingo.Symbol) -> None:
    """Reading a symbol's text gives what reading it through clingo part by part gives, or declines
    (tuples, negated functions) and the symbol is read part by part. (#inf and #sup, which accord
    never writes, are read neither way.)"""
    from accord.solve.core import _to_sym, read_sym, to_sym

    expected = _to_sym(symbol)
    assert to_sym(symbol) == expected
    found = read_sym(str(symbol))
    assert found is None or found == expected


_PLAIN_NAMES = st.from_regex(r"[a-c_][ab_'0A]{0,2}", fullmatch=True)


@given(st.lists(st.tuples(_PLAIN_NAMES, st.lists(_PLAIN_NAMES, max_size=3)), unique_by=lambda f: (f[0], tuple(f[1]))))
def test_plain_facts_texts_are_put_in_the_order_of_their_values(facts: list[tuple[str, list[str]]]) -> None:
    """Where the order of facts' texts is that of their values, it is taken; else declined."""
    from accord.solve.ground import _fact, _in_value_order

    texts = [f"{name}({','.join(args)})" if args else name for name, args in facts]
    ordered = _in_value_order(texts)
    assert ordered is None or ordered == sorted(texts, key=_fact)
    assert (ordered is None) == any("'" in text for text in texts)


def test_reading_symbol_text_declines_what_is_not_one_plain_term() -> None:
    from accord.solve.core import read_sym

    assert read_sym('applies("c \\"1\\"",sdf,a(x,-3))') == Sym(
        "applies", (Sym('c "1"', quoted=True), Sym("sdf"), Sym("a", (Sym("x"), Sym("-3")))))
    for text in ("", "(a,b)", "-f(x)", "#inf", "#sup", "f(a,)", "f(,a)", "f(a", "f(a))", "f(a) g", "a,b", "f()",
                 "f(a)(b)"):
        assert read_sym(text) is None, text
