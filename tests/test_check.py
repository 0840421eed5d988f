"""Checking: the checked rule base (accord.language: check, conditions, cycles, ir)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from accord.api import KnowledgeBase
from accord.language import ast
from accord.language.diagnostics import Diagnostic

Load = Callable[[str], KnowledgeBase]
Diagnose = Callable[[str], list[Diagnostic]]

BASE = """module m
sort actor { sdf, usf }
sort party { japan, us_forces, partner }
sort place { land, high_seas }
fact attacked(party) "An attack on the party"
fact at(party, place) "The party is at the place"
fact decided "The Cabinet decided"
action defend(party) by sdf, usf "Defend the party"
action patrol by sdf "Patrol"
"""


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def texts(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.span.text() if d.span else "" for d in diagnostics]


# ---- the checked form ---------------------------------------------------------------------------------


def test_the_rule_base_is_sorted_by_name(load_rules: Callable[[str], KnowledgeBase]) -> None:
    rules = load_rules(BASE).rules
    assert list(rules.sorts) == ["actor", "party", "place"]
    assert list(rules.facts) == ["at", "attacked", "decided"]
    assert list(rules.actions) == ["defend", "patrol"]
    assert rules.sorts["party"].members == ("japan", "us_forces", "partner")  # members keep their order
    assert rules.facts["at"].params == ("party", "place")
    assert rules.actions["defend"].actors == ("sdf", "usf")
    assert rules.member_sort("high_seas") == "place"
    assert rules.member_sort("nowhere") is None


def test_definitions_record_the_sorts_of_their_variables(load_rules: Load) -> None:
    rules = load_rules(BASE + 'define attacked_at(P: place) "x": at(Q, P) and attacked(Q)\n').rules
    d = rules.definitions["attacked_at"]
    assert d.params == (("P", "place"),)
    assert d.var_sorts == (("P", "place"), ("Q", "party"))


def test_clauses_record_head_and_condition_variables(load_rules: Load) -> None:
    text = BASE + """
clause c {
  cite "A; B"
  sdf may defend(P)
  when at(P, L) and attacked(P)
  unless L = land
  overrides z, b
  says "s"
}
clause z { cite "z" sdf must not defend(P) says "z" }
clause b { cite "b" sdf must not defend(japan) says "b" }
"""
    clause = load_rules(text).rules.clauses["c"]
    assert clause.var_sorts == (("L", "place"), ("P", "party"))
    assert clause.overrides == ("b", "z")
    assert clause.sections == ("A", "B")
    assert clause.modality is ast.Modality.MAY


def test_editions_include_what_their_modules_import(load_rules: Callable[..., KnowledgeBase]) -> None:
    kb = load_rules({
        "a.accord": "module a\n",
        "b.accord": "module b\nimport a\n",
        "c.accord": 'module c\nimport b\nedition e { title "t" in_force 2020-02-29 include c }\n',
        "d.accord": "module d\n",
    })
    edition = kb.rules.editions["e"]
    assert edition.includes == ("c",)
    assert edition.modules == ("a", "b", "c")
    assert edition.in_force == dt.date(2020, 2, 29)


def test_scenarios_split_true_and_unknown_facts_and_drop_false_ones(load_rules: Load) -> None:
    text = BASE + 'scenario s "d" {\n decided\n unknown attacked(japan)\n not at(japan, land)\n attacked(partner)\n}\n'
    scenario = load_rules(text).rules.scenarios["s"]
    assert scenario.true == (("attacked", ("partner",)), ("decided", ()))
    assert scenario.unknown == (("attacked", ("japan",)),)


def test_tests_keep_their_expectations(load_rules: Load) -> None:
    text = BASE + (
        'edition e { title "t" in_force 2020-01-01 include m }\nscenario s "d" { decided }\n'
        'test t { scenario s edition e\n expect possibly forbidden usf defend(japan) because "x"\n}\n'
    )
    test = load_rules(text).rules.tests["t"]
    assert test.scenario == "s" and test.editions == ("e",)
    [e] = test.expectations
    assert (e.qualifier, e.status, e.actor, e.action, e.args, e.because) == (
        ast.Qualifier.POSSIBLY, ast.Status.FORBIDDEN, "usf", "defend", ("japan",), "x",
    )


def test_edition_views_keep_only_included_modules(load_rules: Callable[..., KnowledgeBase]) -> None:
    kb = load_rules({
        "base.accord": BASE + 'edition e1 { title "t" in_force 2020-01-01 include m }\n',
        "more.accord": 'module more\nimport m\nfact extra "x"\n'
                       'edition e2 { title "t" in_force 2021-01-01 include more }\n',
    })
    assert "extra" not in kb.rules.edition_view("e1").facts
    assert "extra" in kb.rules.edition_view("e2").facts
    assert set(kb.rules.edition_view("e2").facts) == set(kb.rules.facts)


# ---- names, arity and sorts ---------------------------------------------------------------------------


def test_every_unknown_name_in_a_clause_is_reported(diagnostics_of: Diagnose) -> None:
    text = BASE + 'clause c {\n cite "x"\n sdf may defnd(japn)\n when attackd(japan) and at(japan, lnd)\n says "s"\n}\n'
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["unknown-action", "unknown-fact", "unknown-member"]
    assert texts(diagnostics) == ["defnd", "attackd", "lnd"]
    assert diagnostics[0].hint == "Maybe you want the action `defend`."


@pytest.mark.parametrize(
    ("condition", "span"),
    [("attacked", "attacked"), ("decided(japan)", "decided(japan)"), ("at(japan)", "at(japan)")],
)
def test_arity_of_atoms(diagnostics_of: Diagnose, condition: str, span: str) -> None:
    diagnostics = diagnostics_of(BASE + f'define d "x": {condition}\n')
    assert codes(diagnostics) == ["arity-mismatch"]
    assert texts(diagnostics) == [span]


def test_arity_hint_shows_the_signature(diagnostics_of: Diagnose) -> None:
    [d] = diagnostics_of(BASE + 'define d "x": at(japan)\n')
    assert d.hint == "It is declared as `at(party, place)`."
    [d] = diagnostics_of(BASE + 'define d "x": decided(japan)\n')
    assert d.hint == "`decided` takes no arguments: write just `decided`."


def test_arity_of_clause_heads_scenarios_and_expectations(diagnostics_of: Diagnose) -> None:
    text = BASE + (
        'clause c { cite "x" sdf may patrol(japan) says "s" }\n'
        'edition e { title "t" in_force 2020-01-01 include m }\n'
        'scenario s "d" { attacked }\n'
        "test t { scenario s edition e expect permitted sdf defend }\n"
    )
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["arity-mismatch"] * 3
    assert texts(diagnostics) == ["sdf may patrol(japan)", "attacked", "defend"]


def test_a_variable_has_one_sort(diagnostics_of: Diagnose) -> None:
    first, second = diagnostics_of(BASE + 'define d "x": at(P, L) and at(L, P)\n')
    assert (first.code, second.code) == ("sort-mismatch", "sort-mismatch")
    assert (texts([first, second])) == ["L", "P"]
    assert first.message == "The variable `L` is a `place` elsewhere, but this argument of `at` is a `party`."


def test_a_member_of_the_wrong_sort(diagnostics_of: Diagnose) -> None:
    [d] = diagnostics_of(BASE + 'define d "x": attacked(land)\n')
    assert d.code == "sort-mismatch"
    assert d.hint == "The members of `party` are `japan`, `us_forces`, `partner`."


def test_comparisons_of_different_sorts(diagnostics_of: Diagnose) -> None:
    diagnostics = diagnostics_of(BASE + 'define d "x": at(P, L) and P != L\ndefine e "y": decided and japan = land\n')
    assert codes(diagnostics) == ["sort-mismatch", "sort-mismatch"]
    assert texts(diagnostics) == ["P != L", "japan = land"]


def test_clause_head_variables_take_the_action_parameter_sorts(diagnostics_of: Diagnose) -> None:
    [d] = diagnostics_of(BASE + 'clause c { cite "x" sdf may defend(P) when at(Q, P) says "s" }\n')
    assert d.code == "sort-mismatch"
    assert d.span is not None and d.span.text() == "P"


def test_unknown_sorts_in_declarations(diagnostics_of: Diagnose) -> None:
    text = BASE + 'fact f(partie) "x"\naction a(plase) by sdf "a"\ndefine d(P: partyy) "d": decided\n'
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["unknown-sort"] * 3
    assert texts(diagnostics) == ["partie", "plase", "partyy"]


# ---- variable safety -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "attacked(P)",
        "attacked(P) and not at(P, land)",
        "attacked(P) and P != japan",
        "(attacked(P) and at(P, L)) or (at(P, L) and decided)",
        "not (attacked(japan) or decided)",
    ],
)
def test_safe_conditions(diagnostics_of: Diagnose, condition: str) -> None:
    assert diagnostics_of(BASE + f'define d "x": {condition}\n') == []


@pytest.mark.parametrize(
    ("condition", "unsafe"),
    [
        ("not attacked(P)", ["P"]),
        ("decided and P = japan", ["P"]),
        ("decided and not at(P, L)", ["L", "P"]),
        ("attacked(P) or decided and at(P, land)", []),
        ("attacked(P) or decided and not attacked(P)", ["P"]),
        ("decided and not (at(P, land) and attacked(P))", ["P", "P"]),
    ],
)
def test_unsafe_variables(diagnostics_of: Diagnose, condition: str, unsafe: list[str]) -> None:
    diagnostics = diagnostics_of(BASE + f'define d "x": {condition}\n')
    assert codes(diagnostics) == ["unsafe-variable"] * len(unsafe)
    assert sorted(texts(diagnostics)) == unsafe


def test_parameters_bind_their_variables(diagnostics_of: Diagnose) -> None:
    text = BASE + (
        'define d(P: party) "x": not attacked(P)\n'
        'clause c { cite "x" sdf may defend(P) unless attacked(P) or P = japan says "s" }\n'
    )
    assert diagnostics_of(text) == []


@pytest.mark.parametrize(
    ("condition", "variable"),
    [("decided and not (attacked(P) and P != japan)", "P"), ("attacked(P) and not (at(P, L) and L = land)", "L")],
)
def test_a_variable_only_under_not_is_unsafe(diagnostics_of: Diagnose, condition: str, variable: str) -> None:
    """docs/language.md: a variable under `not` must be bound outside it; name the positive concept instead."""
    diagnostics = diagnostics_of(BASE + f'define d "x": {condition}\n')
    assert diagnostics and {d.code for d in diagnostics} == {"unsafe-variable"}
    assert {d.span.text() for d in diagnostics if d.span} == {variable}


def test_duplicate_definition_parameters(diagnostics_of: Diagnose) -> None:
    [d] = diagnostics_of(BASE + 'define d(P: party, P: party) "x": attacked(P)\n')
    assert d.code == "duplicate-name"
    assert d.message == "The parameter `P` appears twice."


# ---- actors, overrides, lineage ---------------------------------------------------------------------------


def test_actors_must_be_members_of_the_actor_sort(diagnostics_of: Diagnose) -> None:
    diagnostics = diagnostics_of(BASE + 'action a by japan "a"\nclause c { cite "x" land may patrol says "s" }\n')
    assert codes(diagnostics) == ["not-an-actor", "actor-mismatch", "not-an-actor"]
    assert texts(diagnostics) == ["japan", "land", "land"]


def test_a_clause_actor_must_be_declared_for_the_action(diagnostics_of: Diagnose) -> None:
    [d] = diagnostics_of(BASE + 'clause c { cite "x" usf may patrol says "s" }\n')
    assert d.code == "actor-mismatch"
    assert d.message == "The action `patrol` is declared for `sdf`, not `usf`."


def test_overrides_must_name_clauses_on_the_same_actor_and_action(diagnostics_of: Diagnose) -> None:
    text = BASE + (
        'clause a { cite "x" sdf may patrol overrides b, c, nope says "s" }\n'
        'clause b { cite "x" sdf must not defend(japan) says "s" }\n'
        'clause c { cite "x" sdf must not patrol says "s" }\n'
    )
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["override-mismatch", "unknown-clause"]
    assert texts(diagnostics) == ["b", "nope"]


def test_lineage_targets_must_exist(diagnostics_of: Diagnose) -> None:
    text = BASE + 'clause a { cite "x" sdf may patrol carries old.one says "s" }\n'
    [d] = diagnostics_of(text)
    assert d.code == "unknown-clause"
    assert d.span is not None and d.span.text() == "old.one"


def test_override_cycles_of_any_length(diagnostics_of: Diagnose) -> None:
    text = BASE + (
        'clause a { cite "x" sdf may patrol overrides b says "s" }\n'
        'clause b { cite "x" sdf may patrol overrides c says "s" }\n'
        'clause c { cite "x" sdf must not patrol overrides a says "s" }\n'
        'clause d { cite "x" sdf may patrol overrides d says "s" }\n'
    )
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["override-cycle", "override-cycle"]
    assert "a → b → c → a" in diagnostics[0].message
    assert "d → d" in diagnostics[1].message


def test_negation_cycles_but_not_positive_cycles(diagnostics_of: Diagnose) -> None:
    positive = BASE + 'define p "x": q or decided\ndefine q "y": p\n'
    assert diagnostics_of(positive) == []
    negative = BASE + 'define p "x": decided and not q\ndefine q "y": p\n'
    [d] = diagnostics_of(negative)
    assert d.code == "negation-cycle"
    assert d.message == "The definition `p` depends on itself through `not`: p → q → p."


# ---- editions, scenarios and tests --------------------------------------------------------------------------


def test_an_edition_must_have_a_calendar_date_and_known_modules(diagnostics_of: Diagnose) -> None:
    text = BASE + 'edition e { title "t" in_force 2015-02-29 include m, nowhere }\n'
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["invalid-date", "unknown-module"]


def test_scenarios_state_facts_not_definitions_and_each_only_once(diagnostics_of: Diagnose) -> None:
    text = BASE + 'define d "x": decided\nscenario s "s" {\n d\n decided\n not decided\n attacked(jpan)\n}\n'
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["not-a-fact", "duplicate-fact", "unknown-member"]
    assert texts(diagnostics) == ["d", "not decided", "jpan"]


def test_tests_refer_to_known_scenarios_editions_actors_and_actions(diagnostics_of: Diagnose) -> None:
    text = BASE + "test t { scenario nope edition none expect permitted japan fly }\n"
    diagnostics = diagnostics_of(text)
    assert codes(diagnostics) == ["unknown-scenario", "unknown-edition", "not-an-actor", "unknown-action"]


def test_every_problem_is_reported_not_just_the_first(diagnostics_of: Diagnose) -> None:
    text = BASE + (
        'define a "x": nope\n'
        'define b "x": attacked(land)\n'
        'clause c { cite "x" usf may patrol says "s" }\n'
        'edition e { title "t" in_force 2015-13-01 include m }\n'
    )
    assert codes(diagnostics_of(text)) == ["unknown-fact", "sort-mismatch", "actor-mismatch", "invalid-date"]
