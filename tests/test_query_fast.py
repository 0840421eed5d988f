"""The query path's lean reading gives the results of the straightforward computation.

`EditionEngine.query` reads a model's shown atoms as atom numbers in one call into clingo
(`accord.solve.shown`), takes the cautious and brave bounds as sets of those numbers, groups them
by action as tag bits and reuses results by those bits. Here every query's actions are held equal
to the plain way: clingo's public API on a control of its own, cautious and brave consequences
solved one by one, atoms turned into values and grouped by action through `EditionEngine.meaning`
on a fresh engine. On every bundled edition (named and random scenarios, in an order that mixes
closed ones with ones of 1 to 5 unknown facts, so every solving strategy and the reuse of results
across queries are exercised) and on random rule sets; what each shown atom means for the query,
read off its text, is what it means as a value. The public-API readers, used where clingo's
internals are missing, give the same results and the same atoms as the fast ones; a closed-world
scenario's assumptions are those of the full value map.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import clingo
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import RuleSet, load_rule_set, rule_sets

from accord.analyses.engine import EditionEngine
from accord.api import KnowledgeBase, load
from accord.language import ir
from accord.results.query import ActionResult
from accord.solve import GroundProgram, Sym
from accord.solve import ground as ground_module
from accord.solve.core import to_sym, to_symbol
from accord.solve.shown import HandleReader, ShownReader, SymbolReader
from accord.solve.symbolic import public_signature_atoms

Scenario = tuple[list[ir.GroundAtom], list[ir.GroundAtom]]


class Straightforward:
    """Every action's result, computed the plain way on a control and an engine of its own."""

    def __init__(self, kb: KnowledgeBase, edition: str) -> None:
        self.engine = EditionEngine(kb.rules, edition)
        self.ctl = clingo.Control(["--warn=none", "--models=0"])
        self.ctl.add("base", [], self.engine.program_text)
        self.ctl.ground([("base", [])])

    def _consequences(self, values: dict[Sym, bool], mode: str) -> set[Sym] | None:
        self.ctl.configuration.solve.enum_mode = mode
        last: list[set[Sym]] = []

        def on_model(model: clingo.Model) -> None:
            last[:] = [{to_sym(s) for s in model.symbols(shown=True)}]

        assumptions = [(to_symbol(Sym("holds", (fact,))), value) for fact, value in values.items()]
        self.ctl.solve(assumptions=assumptions, on_model=on_model)
        return last[0] if last else None

    def _by_action(self, atoms: Iterable[Sym]) -> dict[int, set[Sym]]:
        out: dict[int, set[Sym]] = {}
        for atom in atoms:
            position, tag = self.engine.meaning(atom)
            if position >= 0:
                out.setdefault(position, set()).add(tag)
        return out

    def actions(self, true: list[ir.GroundAtom], unknown: list[ir.GroundAtom]) -> tuple[ActionResult, ...] | None:
        """None when the scenario is impossible."""
        values = self.engine.values(true, unknown)
        cautious = self._consequences(values, "cautious")
        if cautious is None:
            return None
        brave = self._consequences(values, "brave")
        assert brave is not None
        sure, some = self._by_action(cautious), self._by_action(brave)
        return tuple(
            self.engine.action_result(i, sure.get(i, set()), some[i]) if i in some else idle
            for i, idle in enumerate(self.engine.idle)
        )


def _scenarios(kb: KnowledgeBase, edition: str, count: int, seed: int) -> list[Scenario]:
    rng = random.Random(seed)
    space = list(kb.engine(edition).fact_space)
    out: list[Scenario] = [(list(s.true), list(s.unknown)) for _, s in sorted(kb.rules.scenarios.items())]
    for _ in range(count):
        chosen = rng.sample(space, min(len(space), rng.randint(0, 8)))
        k = min(len(chosen), rng.choice([0, 0, 0, 1, 2, 3, 4, 5]))
        out.append((chosen[k:], chosen[:k]))
    rng.shuffle(out)
    return out + out[: len(out) // 3]  # asked again, with the engine's reuse filled


def _check(kb: KnowledgeBase, edition: str, scenarios: list[Scenario]) -> None:
    plain = Straightforward(kb, edition)
    engine = kb.engine(edition)
    for true, unknown in scenarios:
        result = engine.query(true, unknown)
        expected = plain.actions(true, unknown)
        assert result.possible == (expected is not None), (true, unknown)
        assert result.actions == (expected or ()), (true, unknown)
    for number in engine._slots:
        _assert_read_as_its_value(engine, engine.ground.text(number))


def _assert_read_as_its_value(engine: EditionEngine, text: str) -> None:
    """What an atom means, read off its text, is what it means as a value (or is left to that)."""
    read = engine.meaning_of_text(text)
    if read is not None:
        position, tag = engine.meaning(to_sym(clingo.parse_term(text)))
        assert read[0] == position, text
        assert read[1] is None if position < 0 else read[1] == tag, text


@pytest.fixture(scope="module")
def bundled() -> KnowledgeBase:
    return load()


def test_every_bundled_edition_answers_as_the_straightforward_computation(bundled: KnowledgeBase) -> None:
    for edition in sorted(bundled.rules.editions):
        _check(bundled, edition, _scenarios(bundled, edition, 60, seed=len(edition)))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(rule_sets(), st.integers(0, 2**32))
def test_random_rule_sets_answer_as_the_straightforward_computation(rule_set: RuleSet, seed: int) -> None:
    kb = load_rule_set(rule_set)
    _check(kb, rule_set.edition, _scenarios(kb, rule_set.edition, 12, seed))


def test_atoms_read_off_their_text_mean_what_their_values_mean(bundled: KnowledgeBase) -> None:
    """Atoms of every shape, about actions of the space and others: the text is read where it is
    plain, and left to `meaning` where not."""
    engine = bundled.engine("e2016")
    action = next(iter(engine._action_texts))  # `actor,action(args)`
    texts = [
        f"permitted({action})", f"conflict({action})", f'applies("c.1",{action})', f"excused(c1,{action})",
        f'overridden("c\\"1",{action})', f'applies("c,1",{action})', f"permitted({action},x)",
        f"applies({action})", "permitted(x,y)", 'applies("c",x,y)', "holds(f(a))", "violated(k)", "q",
        f"-permitted({action})", f"applies(3,{action})", f"applies((c,1),{action})",
    ]
    for text in texts:
        _assert_read_as_its_value(engine, text)
    read = [engine.meaning_of_text(text) is not None for text in texts]
    assert read == [True] * 4 + [False] * 6 + [True] * 3 + [False] * 3


def test_the_public_reader_gives_the_same_results(bundled: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The public API's readers, of shown atoms and of the facts' atoms, give the same results."""
    fast = EditionEngine(bundled.rules, "e2016")
    monkeypatch.setattr(ground_module, "reader", SymbolReader)
    monkeypatch.setattr(ground_module, "signature_atoms", public_signature_atoms)
    public = EditionEngine(bundled.rules, "e2016")
    assert isinstance(public.ground._reader, SymbolReader) and isinstance(fast.ground._reader, HandleReader)
    assert public.ground._holds == fast.ground._holds and public.closed and fast.closed
    for true, unknown in _scenarios(bundled, "e2016", 80, seed=5):
        assert fast.query(true, unknown, readings_cap=4) == public.query(true, unknown, readings_cap=4)


# Models from 0 to 3,000 shown atoms, more than the fast reader's first buffer holds.
_GROWING = """
{ size(0;1;2;300;3000) }.
:- size(A), size(B), A < B.
p(1..N) :- size(N).
q(X) :- p(X), X \\ 7 = 0.
#show p/1.
#show q/1.
"""


@pytest.mark.parametrize("make", [HandleReader, SymbolReader])
def test_a_reader_gives_every_shown_atom_in_clingo_s_order(make: type[ShownReader]) -> None:
    ctl = clingo.Control(["--warn=none", "--models=0"])
    ctl.add("base", [], _GROWING)
    ctl.ground([("base", [])])
    reader = make()
    seen: dict[clingo.Symbol, int] = {}
    sizes = []

    def on_model(model: clingo.Model) -> None:
        numbers = list(reader.read(model))
        symbols = [reader.symbol(n) for n in numbers]
        assert symbols == list(model.symbols(shown=True))
        assert [reader.text(n) for n in numbers] == [str(s) for s in symbols]
        for number, symbol in zip(numbers, symbols, strict=True):
            assert seen.setdefault(symbol, number) == number  # one number per atom, every time
        sizes.append(len(numbers))

    for _ in range(2):  # the second time, every atom is numbered already
        ctl.solve(on_model=on_model)
    assert sorted(set(sizes)) == sorted({0, 1, 2, 300 + 42, 3000 + 428})
    assert sorted(seen.values()) == list(range(len(seen)))  # small, dense numbers


# Facts of plain names, in an order of their texts that is that of their values, and with primes,
# some of which order differently as values than as text (`f'` after `f(x)` as text, before it as a
# value); and facts that are not of plain names (strings, numbers, tuples).
_PLAIN = "a; b; c; f(x); f(y); f; fx; f(x,y); f(xy); f(x_,y); f_(x); f0(x); g(a,b,c); g(ab,c)"
_PRIMED = "a; b; c; f(x); f(y); f'; f(x,y); f(xy); f'(x); g'(x,y); f(x'); f(x',y)"
_ODD = '"s"; 3; -2; (a,b); (c,); f("t", 1); f(a); "f(a)"'
_FACT_PROGRAMS = [GroundProgram(f"{{ holds({facts}) }}.\nq :- holds(a).\n#show q/0.\n")
                  for facts in (_PLAIN, _PRIMED, _ODD)]


@given(st.sampled_from(_FACT_PROGRAMS), st.data())
def test_closed_world_assumptions_are_those_of_the_full_value_map(program: GroundProgram, data: st.DataObject) -> None:
    """Facts are named by their text; the value map by their values, ordered as values."""
    texts = st.lists(st.sampled_from([*program.fact_texts(), "elsewhere"]))
    true, unknown = data.draw(texts), data.draw(texts)
    value = {str(to_symbol(fact)): fact for fact in program.facts()}
    assert sorted(value) == sorted(program.fact_texts())
    values = {f: text in true for text, f in value.items() if text not in unknown}
    assert program.closed_world(true, unknown).literals == program._assumptions(values)
