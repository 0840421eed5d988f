"""The readers that reach clingo's C binding give what its public API gives.

`signature_atoms` (a signature's atoms as text and literal) against `public_signature_atoms`, a model's
truths (`accord.solve.search._truths`) against `Model.is_true`, and
`SymbolText` (a symbol's text from its handle) against `str`, on any symbols; a grounded edition's
facts, read off those texts, against the facts read symbol by symbol through the public API.
"""

from __future__ import annotations

import clingo
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import clingo_symbols

from accord.solve import GroundProgram, Sym
from accord.solve.binding import SymbolText
from accord.solve.core import to_sym
from accord.solve.symbolic import AtomLiterals, public_literal, public_signature_atoms, signature_atoms

_LONG = clingo.String("x" * 1000)  # a text longer than the reader's first buffer


def _control(atoms: list[clingo.Symbol]) -> clingo.Control:
    """A control whose atoms are `atoms`, each a free choice."""
    ctl = clingo.Control(["--warn=none"])
    with ctl.backend() as backend:
        for atom in atoms:
            backend.add_rule([backend.add_atom(atom)], choice=True)
    return ctl


@settings(max_examples=200)
@given(st.lists(clingo_symbols(), max_size=12))
def test_a_signature_s_atoms_are_those_of_the_public_api(arguments: list[clingo.Symbol]) -> None:
    atoms = [clingo.Function(name, args) for a in arguments
             for name, args in (("p", [a]), ("q", [a]), ("p", [a, a]), ("r", []))]
    ctl = _control([*atoms, clingo.Function("p", [_LONG])])
    for name, arity in (("p", 1), ("p", 2), ("q", 1), ("r", 0), ("s", 1)):
        found = signature_atoms(ctl, name, arity)
        assert found == public_signature_atoms(ctl, name, arity)
        assert [text for text, _ in found] == [str(a.symbol) for a in ctl.symbolic_atoms.by_signature(name, arity)]


@given(st.lists(clingo_symbols(), max_size=12))
def test_a_symbol_s_text_is_clingo_s(symbols: list[clingo.Symbol]) -> None:
    text = SymbolText()
    symbols = [*symbols, _LONG, *symbols]
    assert text.texts([s._rep for s in symbols]) == [str(s) for s in symbols]
    assert [text(s._rep) for s in symbols] == [str(s) for s in symbols]


@given(st.lists(clingo_symbols(), max_size=12))
def test_a_program_s_facts_are_those_read_symbol_by_symbol(facts: list[clingo.Symbol]) -> None:
    """Whatever the facts (plain ones, as accord writes them, or any other term), their values and
    literals are those clingo's public API gives, symbol by symbol."""
    program = "".join(f"{{ holds({fact}) }}.\n" for fact in facts)
    ground = GroundProgram(program)
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    expected = {to_sym(a.symbol.arguments[0]): a.literal for a in ctl.symbolic_atoms.by_signature("holds", 1)}
    assert ground._literals == expected
    assert ground.facts() == frozenset(expected)
    assert sorted(ground.fact_texts()) == sorted(str(a.symbol.arguments[0])
                                                 for a in ctl.symbolic_atoms.by_signature("holds", 1))


def test_facts_that_are_not_plain_terms_are_read_part_by_part() -> None:
    ground = GroundProgram('{ holds((a, b); (c,); -d; f(-g); "s"; 3) }.')
    assert ground.facts() == {
        Sym("", (Sym("a"), Sym("b"))), Sym("", (Sym("c"),)), Sym("d"), Sym("f", (Sym("g"),)),
        Sym("s", quoted=True), Sym("3"),
    }


@settings(max_examples=200)
@given(st.lists(clingo_symbols(), max_size=12), st.lists(clingo_symbols(), max_size=6))
def test_an_atom_s_literal_is_the_public_api_s(present: list[clingo.Symbol], absent: list[clingo.Symbol]) -> None:
    """`AtomLiterals` finds what `Control.symbolic_atoms[...]` finds, for atoms of the control and
    for others, given as accord values (asked twice: the second time from the kept handles)."""
    atoms = [clingo.Function("p", [a]) for a in present] + [clingo.Function("q", [a, a]) for a in present]
    ctl = _control([*atoms, clingo.Function("p", [_LONG])])
    find = AtomLiterals(ctl)
    values = [to_sym(a) for a in [*atoms, *(clingo.Function("p", [a]) for a in absent), clingo.Function("r")]]
    for value in values + values:
        assert find(value) == public_literal(ctl, value)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=12))
def test_a_model_s_truths_are_those_of_the_public_api(chosen: list[bool]) -> None:
    from accord.solve.search import _truths

    ctl = clingo.Control(["--warn=none"])
    names = [f"a{i}" for i in range(len(chosen))]
    ctl.add("base", [], "".join(f"{{ {n} }}.\n" for n in names) + "b :- a0. c :- not a0.\n")
    ctl.ground([("base", [])])
    literals = [atom.literal for atom in ctl.symbolic_atoms]
    assumptions = [(clingo.Function(n), value) for n, value in zip(names, chosen, strict=True)]
    seen: list[bool] = []

    def on_model(model: clingo.Model) -> None:
        assert _truths(model, [*literals, *(-lit for lit in literals)]) == \
            [model.is_true(lit) for lit in [*literals, *(-lit for lit in literals)]]
        seen.append(True)

    ctl.solve(assumptions=assumptions, on_model=on_model)
    assert seen
