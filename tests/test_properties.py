"""Property tests: printer/parser round trip, strings through clingo, solver against a reference.

(a) `parse(print_module(m)) == m` for random syntax trees (spans do not take part in equality).
(b) Every string clingo can represent survives `accord.compile.asp.quote` and clingo unchanged; the
    two it cannot (NUL, lone surrogates) are rejected by `quote` with `AspPrintError`, and
    comments (where user text such as a clause's cite reaches the program) neutralise them.
(c) On random stratified rule sets, the statuses `KnowledgeBase.query` returns equal those of
    the independent evaluator in `tests/reference.py`.
"""

from __future__ import annotations

from pathlib import Path

import clingo
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from reference import evaluate_named
from strategies import RuleSet, load_rule_set, modules, modules_with_every_kind, rule_sets

from accord.api import load
from accord.compile.asp import AspPrintError, Comment, Fn, Program, Rule, print_program, quote
from accord.language import ast
from accord.language.diagnostics import Sink
from accord.language.parse import parse
from accord.language.printer import print_module
from accord.language.source import SourceFile
from accord.results.query import Extent, QueryResult
from accord.solve import string_round_trip

FIXTURES = Path(__file__).parent / "fixtures"


def _parse(text: str) -> ast.Module:
    sink = Sink()
    module = parse(SourceFile("generated.accord", text), sink)
    assert module is not None, [d.message for d in sink.items]
    assert not sink.items
    return module


# ---- (a) the printer and the parser -------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_print_then_parse_gives_the_same_module(module: ast.Module) -> None:
    text = print_module(module)
    parsed = _parse(text)
    assert parsed == module
    assert print_module(parsed) == text  # the printed form is canonical


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules_with_every_kind())
def test_round_trip_with_every_item_kind(module: ast.Module) -> None:
    assert _parse(print_module(module)) == module


# ---- (b) strings through the ASP printer and clingo ---------------------------------------

# clingo cannot represent exactly two kinds of character in a program's text:
# - NUL: clingo reads the program as a C string and stops at the first NUL, so a string literal
#   holding one fails to parse, and a comment holding one silently ends the whole program there;
# - lone surrogates (U+D800..U+DFFF): they have no UTF-8 encoding, so the text cannot reach clingo.
# `quote` rejects both; every other character is covered by the property below. `codec="utf-8"`
# is what excludes the surrogates; NUL is excluded by name.
_QUOTING = st.sampled_from(['"', "\\", "\\n", "\n", "\r", "\t", "%", "%*", "*%", ".", ":-", "#", "'"])
representable = st.lists(
    st.one_of(_QUOTING, st.characters(codec="utf-8", exclude_characters="\x00"))
).map("".join)
unrepresentable = st.sampled_from(["\x00", "\ud800", "\udfff"])


@settings(max_examples=300, deadline=None)
@given(representable)
def test_any_representable_string_comes_back_from_clingo_unchanged(text: str) -> None:
    assert string_round_trip(text) == text


@settings(max_examples=100, deadline=None)
@given(st.tuples(st.text(max_size=5), unrepresentable, st.text(max_size=5)).map("".join))
def test_quote_rejects_what_clingo_cannot_represent(text: str) -> None:
    with pytest.raises(AspPrintError):
        quote(text)


def _atoms(program: str) -> list[str]:
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    return sorted(str(a.symbol) for a in ctl.symbolic_atoms)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_QUOTING, st.characters(codec=None), st.just("\x00"))).map("".join))
def test_comments_cannot_change_the_program(text: str) -> None:
    program = Program((Rule(Fn("before")), Comment(text), Rule(Fn("after"))))
    assert _atoms(print_program(program)) == ["after", "before"]


def test_a_nul_in_a_cite_does_not_cut_the_program(tmp_path: Path) -> None:
    text = (FIXTURES / "mini" / "mini.accord").read_text(encoding="utf-8")
    (tmp_path / "mini.accord").write_text(text.replace("SDF Law Art. 88", "SDF Law\x00 Art. 88"))
    expected = load(FIXTURES / "mini" / "mini.accord").query("e1", scenario="partner_attacked")
    actual = load(tmp_path / "mini.accord").query("e1", scenario="partner_attacked")

    def shown(result: QueryResult) -> list[tuple[object, ...]]:
        return [
            (a.label, a.verdict, a.permitted, a.forbidden, a.required, [(c.id, c.role) for c in a.clauses])
            for a in result.actions
        ]

    assert shown(actual) == shown(expected)


# ---- (c) the solver against the reference evaluator ---------------------------------------

def _check_against_reference(rule_set: RuleSet) -> None:
    text = print_module(rule_set.module)
    kb = load_rule_set(rule_set)
    result = kb.query(rule_set.edition, scenario=rule_set.scenario)
    expected = evaluate_named(kb.rules, rule_set.edition, rule_set.scenario)
    assert result.possible == expected.possible, text
    actual = {
        (a.actor, a.action, a.arguments): {
            "permitted": a.permitted, "forbidden": a.forbidden,
            "required": a.required, "conflict": a.conflict,
        }
        for a in result.actions
    }
    if not expected.possible:
        event("scenario impossible")
        assert actual == {}
        return
    assert actual == expected.statuses, text
    extents = {e for statuses in actual.values() for e in statuses.values()}
    event("some status only sometimes" if Extent.SOMETIMES in extents else "every status decided")


@settings(
    max_examples=220,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(rule_sets())
def test_solver_agrees_with_the_reference_evaluator(rule_set: RuleSet) -> None:
    _check_against_reference(rule_set)
