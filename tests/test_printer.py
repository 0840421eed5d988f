"""Unit tests for the pretty-printer `accord.language.printer`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from strategies import RESERVED

from accord.analyses.testing import run_tests
from accord.api import load
from accord.language import ast
from accord.language.diagnostics import Sink
from accord.language.parse import parse
from accord.language.printer import PrintError, print_condition, print_module, quote
from accord.language.source import SourceFile

ROOT = Path(__file__).parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini" / "mini.accord"


def _parse(text: str) -> ast.Module:
    sink = Sink()
    module = parse(SourceFile("test.accord", text), sink)
    assert module is not None, [d.message for d in sink.items]
    return module


def _condition(text: str) -> ast.Condition:
    module = _parse(f'module m\nconstraint k "k":\n  never {text}\n')
    item = module.items[0]
    assert isinstance(item, ast.ConstraintDecl)
    return item.condition


def atom(name: str, *args: str) -> ast.Atom:
    return ast.Atom(
        ast.Name(name), tuple(ast.Var(a) if a[0].isupper() else ast.Const(a) for a in args)
    )


a, b, c, d = atom("a"), atom("b"), atom("c"), atom("d")


# ---- conditions and precedence ------------------------------------------------------------


@pytest.mark.parametrize(
    ("cond", "text"),
    [
        (atom("p", "X", "japan"), "p(X, japan)"),
        (ast.Compare(ast.Var("X"), "=", ast.Const("k")), "X = k"),
        (ast.Compare(ast.Var("X"), "!=", ast.Var("Y")), "X != Y"),
        (ast.And((a, b, c)), "a and b and c"),
        (ast.Or((a, b, c)), "a or b or c"),
        # `and` binds tighter than `or`: no parentheses around an `and` inside an `or` ...
        (ast.Or((ast.And((a, b)), ast.And((c, d)))), "a and b or c and d"),
        # ... but an `or` inside an `and` needs them.
        (ast.And((ast.Or((a, b)), c)), "(a or b) and c"),
        # A nested operator of the same kind keeps its parentheses, or re-parsing would flatten it.
        (ast.And((a, ast.And((b, c)))), "a and (b and c)"),
        (ast.Or((ast.Or((a, b)), c)), "(a or b) or c"),
        # `not` binds tightest.
        (ast.Not(a), "not a"),
        (ast.Not(ast.Not(a)), "not not a"),
        (ast.Not(ast.Compare(ast.Var("X"), "=", ast.Const("k"))), "not X = k"),
        (ast.Not(ast.And((a, b))), "not (a and b)"),
        (ast.Not(ast.Or((a, b))), "not (a or b)"),
        (ast.And((ast.Not(a), ast.Not(b))), "not a and not b"),
        (ast.Or((ast.Not(a), ast.And((b, ast.Not(c))))), "not a or b and not c"),
        (
            ast.And((ast.Or((a, ast.Not(ast.And((b, c))))), ast.Not(ast.Or((c, d))))),
            "(a or not (b and c)) and not (c or d)",
        ),
    ],
)
def test_conditions_print_with_minimal_parentheses(cond: ast.Condition, text: str) -> None:
    assert print_condition(cond) == text
    assert _condition(text) == cond


def test_a_single_operand_prints_as_the_operand() -> None:
    assert print_condition(ast.And((ast.Or((a, b)),))) == "a or b"
    assert print_condition(ast.Not(ast.Or((ast.And((a, b)),)))) == "not (a and b)"
    assert print_condition(ast.Not(ast.And((a,)))) == "not a"


def test_an_empty_operator_cannot_be_printed() -> None:
    with pytest.raises(PrintError):
        print_condition(ast.And(()))
    with pytest.raises(PrintError):
        print_condition(ast.Or(()))


def test_unknown_comparison_cannot_be_printed() -> None:
    with pytest.raises(PrintError):
        print_condition(ast.Compare(ast.Var("X"), "=>", ast.Var("Y")))
    assert print_condition(ast.Compare(ast.Var("X"), "<", ast.Const("10"))) == "X < 10"


def test_redundant_parentheses_are_dropped() -> None:
    cond = _condition("((a)) or (not (b)) or ((c and d))")
    assert print_condition(cond) == "a or not b or c and d"


# ---- strings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", '"plain"'),
        ('say "hi"', r'"say \"hi\""'),
        ("back\\slash", r'"back\\slash"'),
        ("two\nlines", r'"two\nlines"'),
        ("\\n is not a newline", r'"\\n is not a newline"'),
        ("tab\tcr\r#%:-.", '"tab\tcr\r#%:-."'),  # only `"`, `\` and a line feed are escaped
        ("日本 é \u2028", '"日本 é \u2028"'),
        ("", '""'),
    ],
)
def test_strings_are_escaped_with_only_three_escapes(value: str, text: str) -> None:
    assert quote(value) == text
    module = _parse(f"module m {text}\n")
    assert module.title == value


# ---- every item kind ----------------------------------------------------------------------

EVERY_KIND = '''\
module every "Every kind of item"

import other, more

sort actor "Who acts" {
  sdf "Japan Self-Defense Forces",
  usf,
}

fact cabinet_decision "The Cabinet has decided"

fact attack_location(party, place) "The attack took place there"

action asset_protection by sdf "Protect assets"

action logistic_support(supply_kind, place) by sdf, usf "Logistic support"

constraint needs_attack "Needs an attack":
  never survival_threatened and not attacked

define attacked "Someone is attacked":
  armed_attack_on(P)

define attacked_at(P: place, Q: party) "Q is attacked at P":
  attack_location(Q, P) and (P = high_seas or P != Q)

clause g2015.iv-d.1 {
  cite "2015 IV.D.1"
  sdf may asset_protection
  says "The SDF may protect assets."
}

clause law.positive-list.asset {
  cite "SDF Law Art. 95-2"
  sdf must not logistic_support(K, P)
  when attacked_at(P, japan)
  unless not cabinet_decision
  overrides a.b, c-d
  replaces g1997.v-2-2-b
  says "The \\"positive list\\"\\nrule."
  note "Reading: one."
  note "Reading: two."
}

clause c.1 {
  cite "x"
  usf must logistic_support(fuel, high_seas)
  carries c.0
  says "s"
}

edition g2015 {
  title "2015 Guidelines"
  in_force 2016-03-29
  include every, other
  note "In force from 2016."
}

scenario destroyer "A destroyer is attacked" {
  armed_attack_on(us_forces)
  attack_location(us_forces, high_seas)
  unknown survival_threatened
  not diet_approval
}

scenario empty "Nothing happens" {
}

test destroyer_after_2016 {
  scenario destroyer
  edition g2015, g1997
  expect possibly permitted sdf use_of_force(collective) because "2015 IV.D"
  expect not forbidden sdf asset_protection
  expect required usf logistic_support(fuel, high_seas) because "x"
}

source guidelines_2015 "The Guidelines (2015)" {
  section "2015 IV.D.4" "Ballistic missiles"
  section "2015 VIII" "Review" grants nothing "A review procedure."
}

source empty_source "Nothing" {
}
'''


def test_every_item_kind_prints_canonically() -> None:
    module = _parse(EVERY_KIND)
    kinds = {type(i) for i in module.items}
    assert kinds == {
        ast.Import, ast.SortDecl, ast.FactDecl, ast.ActionDecl, ast.ConstraintDecl, ast.Definition,
        ast.Clause, ast.Edition, ast.Scenario, ast.Test, ast.Source,
    }
    assert print_module(module) == EVERY_KIND


def test_layout_and_comments_do_not_survive() -> None:
    messy = (
        'module   m   # a comment\n'
        'sort s{a,b "B"}   fact f(s)"F"\n'
        'define d ( X : s ) "D" : f(X)and(f(a)or f(b))\n'
    )
    assert print_module(_parse(messy)) == (
        'module m\n\n'
        'sort s {\n  a,\n  b "B",\n}\n\n'
        'fact f(s) "F"\n\n'
        'define d(X: s) "D":\n  f(X) and (f(a) or f(b))\n'
    )


def test_must_not_is_printed_with_one_space() -> None:
    module = _parse('module m\nclause c { cite "c" sdf must    not act says "s" }\n')
    assert "  sdf must not act\n" in print_module(module)


@pytest.mark.parametrize(
    "item",
    [
        ast.Import(()),
        ast.SortDecl(ast.Name("s"), None, ()),
        ast.Test(ast.Name("t"), ast.Name("s"), (ast.Name("e"),), ()),
        ast.ActionDecl(ast.Name("a"), (), (), "a"),
    ],
)
def test_items_with_an_empty_required_list_cannot_be_printed(item: ast.Item) -> None:
    with pytest.raises(PrintError):
        print_module(ast.Module(ast.Name("m"), None, (item,)))


# ---- the mini fixture ---------------------------------------------------------------------


def test_mini_prints_and_parses_back_to_the_same_tree() -> None:
    module = _parse(MINI.read_text(encoding="utf-8"))
    text = print_module(module)
    assert _parse(text) == module
    assert print_module(_parse(text)) == text
    # Minimal parentheses: `and` binds tighter than `or`, so none are needed in `law.force`.
    assert (
        "  unless K = individual and armed_attack_on(japan) or K = collective and "
        "survival_situation and cabinet_decision\n"
    ) in text


def test_printed_mini_means_the_same(tmp_path: Path) -> None:
    printed = tmp_path / "mini.accord"
    printed.write_text(print_module(_parse(MINI.read_text(encoding="utf-8"))), encoding="utf-8")
    original, reprinted = load(MINI), load(printed)
    for name in ("partner_attacked",):
        assert reprinted.query("e1", scenario=name).actions == original.query("e1", scenario=name).actions
    outcomes = run_tests(reprinted)
    assert outcomes and all(o.passed for o in outcomes)


# ---- reserved words -----------------------------------------------------------------------


def test_reserved_words_of_the_strategies_match_the_documentation() -> None:
    docs = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    match = re.search(r"Reserved words: `([^`]*)`", docs)
    assert match is not None
    assert frozenset(match.group(1).split()) == RESERVED


def test_reserved_words_cannot_be_names() -> None:
    for word in sorted(RESERVED):
        sink = Sink()
        module = parse(SourceFile("r.accord", f'module m\nfact {word} "x"\n'), sink)
        assert module is None or sink.has_errors, word
