"""Compiling an edition to ASP: the program's shape and, by solving it, its meaning (accord.compile.to_asp)."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import RuleSet, load_rule_set, rule_sets

from accord.api import KnowledgeBase
from accord.compile.asp import Lit, Program, Show, print_program
from accord.compile.to_asp import SHOWN, edition_rules, space, to_asp
from accord.compile.traced_asp import to_asp_traced
from accord.language import ir
from accord.language.printer import print_module
from accord.solve import GroundProgram, Sym

Load = Callable[[str], KnowledgeBase]

VOCAB = """module m
sort actor { sdf, usf }
sort party { japan, us_forces, partner }
sort place { land, high_seas }
fact attacked(party) "An attack on the party"
fact at(party, place) "The party is at the place"
fact decided "The Cabinet decided"
fact threatened "Survival threatened"
action defend(party) by sdf, usf "Defend the party"
action patrol by sdf "Patrol"
edition e { title "Test edition" in_force 2020-01-01 include m }
"""


def program_of(kb: KnowledgeBase, edition: str = "e") -> str:
    return print_program(to_asp(kb.rules.edition_view(edition)))


def fact_space(view: ir.EditionView) -> list[Sym]:
    return [
        Sym(fact.name, tuple(Sym(a) for a in combo))
        for fact in view.facts.values()
        for combo in itertools.product(*(view.sorts[s].members for s in fact.params))
    ]


def parse_fact(text: str) -> Sym:
    name, _, rest = text.partition("(")
    args = tuple(Sym(a.strip()) for a in rest.rstrip(")").split(",")) if rest else ()
    return Sym(name, args)


def solve(kb: KnowledgeBase, *true: str, edition: str = "e") -> set[str] | None:
    """The shown atoms of the one answer set where exactly `true` hold (None: no answer set)."""
    view = kb.rules.edition_view(edition)
    ground = GroundProgram(program_of(kb, edition))
    wanted = {parse_fact(t) for t in true}
    values = {f: f in wanted for f in fact_space(view)}
    answer = ground.consequences(values, "cautious", timeout=30)
    if answer is None:
        return None
    return {show(a) for a in answer.atoms if a.name not in ("holds", "derived")}


def show(sym: Sym) -> str:
    """An atom as clingo prints it: strings quoted, no spaces."""
    if sym.quoted:
        return f'"{sym.name}"'
    return f"{sym.name}({','.join(show(a) for a in sym.args)})" if sym.args else sym.name


@pytest.fixture
def rules(load_rules: Load) -> Callable[[str], KnowledgeBase]:
    return lambda extra: load_rules(VOCAB + extra)


# ---- the program's shape ----------------------------------------------------------------------------


def test_the_program_names_the_edition_and_grounds(mini: KnowledgeBase) -> None:
    text = program_of(mini, "e1")
    assert text.startswith("% accord edition e1: Example edition\n")
    GroundProgram(text)  # clingo accepts it


def test_clause_ids_are_strings_and_user_names_are_identifiers(mini: KnowledgeBase) -> None:
    text = program_of(mini, "e1")
    assert 'modality("law.force",must_not).' in text
    assert 'when("g.assets",sdf,asset_protection).' in text
    assert "dom(party,close_partner)." in text


def test_every_fact_instance_is_a_choice(mini: KnowledgeBase) -> None:
    text = program_of(mini, "e1")
    assert "possible(armed_attack_on(V_X0)) :- dom(party,V_X0)." in text
    assert "possible(cabinet_decision)." in text
    assert "{ fact_armed_attack_on(V_X0) : dom(party,V_X0) }." in text
    assert "holds(armed_attack_on(V_X0)) :- fact_armed_attack_on(V_X0)." in text
    assert "{ fact_cabinet_decision }." in text
    ground = GroundProgram(text)
    for fact in fact_space(mini.rules.edition_view("e1")):
        assert ground.knows(fact)


def test_bodies_read_facts_and_definitions_through_their_own_predicates(mini: KnowledgeBase) -> None:
    # A body literal of a predicate every fact shares would make the grounder scan every fact
    # instance for it; only the links to the shown atoms read their own predicate's atoms.
    text = program_of(mini, "e1")
    assert "holds(armed_attack_on(V_X0)) :- fact_armed_attack_on(V_X0)." in text
    assert "derived(attacked_anyone) :- def_attacked_anyone." in text
    assert "def_attacked_anyone :- fact_armed_attack_on(V_P)." in text
    for line in text.splitlines():
        head, _, body = line.partition(" :- ")
        if body and not head.startswith(("holds(", "derived(")):
            assert "holds(" not in body and "derived(" not in body, line


def test_own_predicates_carry_the_edition_s_prefix_where_its_names_do(mini: KnowledgeBase) -> None:
    view = mini.rules.edition_view("e1")
    shared_space = print_program(Program(tuple(edition_rules(view, "a_"))))
    own_space = print_program(Program(tuple(edition_rules(view, "a_", frozenset({"relaxed"})))))
    assert "a_def_attacked_anyone :- fact_armed_attack_on(V_P)." in shared_space  # the facts are shared
    assert "a_derived(attacked_anyone) :- a_def_attacked_anyone." in shared_space
    assert "a_def_attacked_anyone :- a_fact_armed_attack_on(V_P)." in own_space


def test_traced_rules_speak_of_the_shown_atoms(mini: KnowledgeBase) -> None:
    _, traced = to_asp_traced(mini.rules.edition_view("e1"))
    names = {rule.head.name for rule in traced} | {
        item.atom.name for rule in traced for item in rule.body if isinstance(item, Lit)}
    assert "derived:attacked_anyone" in {rule.group for rule in traced}
    assert {"holds", "derived"} <= names
    assert not [n for n in names if n.startswith(("fact_", "def_"))]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(rule_sets(), st.randoms(use_true_random=False))
def test_both_forms_of_the_encoding_have_the_same_readings(rule_set: RuleSet, rng: random.Random) -> None:
    # The edition's program reads facts and definitions through their own predicates, a diff's
    # through holds/1 and derived/1: every scenario has the same readings either way.
    view = load_rule_set(rule_set).rules.edition_view(rule_set.edition)
    shows = tuple(Show(name, arity) for name, arity in SHOWN)
    shared = Program((*space(view.sorts.values(), view.facts.values(), own_predicates=False),
                      *edition_rules(view, own_predicates=False), *shows))
    programs = [GroundProgram(print_program(to_asp(view))), GroundProgram(print_program(shared))]
    facts = fact_space(view)
    for _ in range(8):
        unknown = set(rng.sample(facts, min(len(facts), rng.randint(0, 5))))
        values = {f: rng.random() < 0.3 for f in facts if f not in unknown}
        (first, more), (second, more_too) = (p.answer_sets(values, cap=64, timeout=30) for p in programs)
        assert not more and not more_too
        assert set(first) == set(second) and len(first) == len(second), print_module(rule_set.module)


def test_the_program_does_not_depend_on_declaration_order(load_rules: Load) -> None:
    lines = VOCAB.splitlines()
    shuffled = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    assert program_of(load_rules(VOCAB)) == program_of(load_rules(shuffled))


def test_compiling_twice_gives_the_same_text(mini: KnowledgeBase) -> None:
    view = mini.rules.edition_view("e1")
    assert to_asp(view) == to_asp(view)
    assert isinstance(to_asp(view), Program)
    assert print_program(to_asp(view)) == print_program(to_asp(view))


def test_user_text_stays_in_comments(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause c {\n cite "x\\n:- true. %* [] #show"\n sdf may patrol\n says "s\\"). :- true."\n}\n')
    text = program_of(kb)
    assert all(line.startswith("%") for line in text.splitlines() if ":- true" in line)
    assert solve(kb) is not None


def test_names_that_clash_with_the_program_s_own_predicates_are_harmless(load_rules: Load) -> None:
    text = """module m
sort actor { sdf }
sort dom { holds, possible, relaxed }
fact violated(dom) "x"
fact applies "y"
action permit(dom) by sdf "a"
clause forbid { cite "x" sdf may permit(holds) when applies says "s" }
constraint derived "c": never violated(relaxed)
edition e { title "t" in_force 2020-01-01 include m }
"""
    kb = load_rules(text)
    assert solve(kb) == set()
    assert solve(kb, "applies") == {'applies("forbid",sdf,permit(holds))', "permitted(sdf,permit(holds))"}
    assert solve(kb, "violated(relaxed)") is None


# ---- the program's meaning ----------------------------------------------------------------------------


def test_default_deny(rules: Callable[[str], KnowledgeBase]) -> None:
    assert solve(rules(""), "decided", "attacked(japan)") == set()


def test_a_permission_applies_when_its_conditions_hold(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause c { cite "x" sdf may defend(P) when attacked(P) says "s" }\n')
    assert solve(kb) == set()
    assert solve(kb, "attacked(japan)") == {'applies("c",sdf,defend(japan))', "permitted(sdf,defend(japan))"}


def test_an_exception_lifts_a_clause(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause c { cite "x" sdf may patrol unless decided says "s" }\n')
    assert solve(kb) == {'applies("c",sdf,patrol)', "permitted(sdf,patrol)"}
    assert solve(kb, "decided") == {'excused("c",sdf,patrol)'}


def test_an_obligation_is_required_and_permitted(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause c { cite "x" usf must defend(us_forces) when decided says "s" }\n')
    assert solve(kb, "decided") == {
        'applies("c",usf,defend(us_forces))', "required(usf,defend(us_forces))", "permitted(usf,defend(us_forces))",
    }


def test_a_prohibition_beats_a_permission(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause allow { cite "x" sdf may patrol says "s" }\n'
               'clause deny { cite "x" sdf must not patrol says "s" }\n')
    assert solve(kb) == {'applies("allow",sdf,patrol)', 'applies("deny",sdf,patrol)', "forbidden(sdf,patrol)"}


def test_required_and_forbidden_is_a_conflict(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause a { cite "x" sdf must patrol says "s" }\nclause b { cite "x" sdf must not patrol says "s" }\n')
    assert {"required(sdf,patrol)", "forbidden(sdf,patrol)", "conflict(sdf,patrol)"} <= (solve(kb) or set())


def test_an_overriding_clause_silences_the_other_when_both_fire(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules(
        'clause law { cite "x" sdf must not defend(P) says "s" }\n'
        'clause special { cite "x" sdf may defend(P) when attacked(P) overrides law says "s" }\n'
    )
    assert solve(kb, "attacked(japan)") == {
        'applies("special",sdf,defend(japan))', 'overridden("law",sdf,defend(japan))', "permitted(sdf,defend(japan))",
        'applies("law",sdf,defend(us_forces))', "forbidden(sdf,defend(us_forces))",
        'applies("law",sdf,defend(partner))', "forbidden(sdf,defend(partner))",
    }


def test_definitions_with_parameters(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules(
        'define attacked_at(L: place) "x": at(P, L) and attacked(P)\n'
        'clause c { cite "x" sdf may patrol when attacked_at(high_seas) says "s" }\n'
    )
    assert solve(kb, "at(japan,land)", "attacked(japan)") == set()
    assert "permitted(sdf,patrol)" in (solve(kb, "at(us_forces,high_seas)", "attacked(us_forces)") or set())


@pytest.mark.parametrize(
    ("condition", "holds_for"),
    [
        ("not (attacked(japan) or decided)", [[]]),
        ("(attacked(japan) or threatened) and decided", [["attacked(japan)", "decided"], ["threatened", "decided"]]),
        ("decided and not (attacked(us_forces) or attacked(partner))", [["decided"], ["decided", "attacked(japan)"]]),
        ("attacked(P) and not at(P, land)", [["attacked(partner)"], ["attacked(japan)", "at(japan,high_seas)"]]),
        ("not not decided", [["decided"]]),
    ],
)
def test_compound_conditions(rules: Callable[[str], KnowledgeBase], condition: str, holds_for: list[list[str]]) -> None:
    kb = rules(f'clause c {{ cite "x" sdf may patrol when {condition} says "s" }}\n')
    for true in holds_for:
        assert "permitted(sdf,patrol)" in (solve(kb, *true) or set()), true
    assert "permitted(sdf,patrol)" not in (solve(kb, "attacked(japan)", "at(japan,land)", "threatened") or set())


def test_an_exception_sharing_variables_with_the_conditions(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('clause c { cite "x" sdf may defend(P) when at(P, L) unless L = land says "s" }\n')
    assert "permitted(sdf,defend(japan))" in (solve(kb, "at(japan,high_seas)") or set())
    only_land = solve(kb, "at(japan,land)") or set()
    assert "permitted(sdf,defend(japan))" not in only_land
    assert 'excused("c",sdf,defend(japan))' in only_land


def test_a_domain_constraint_rules_a_scenario_out(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('constraint k "Threats need attacks": never threatened and not attacked(japan)\n')
    assert solve(kb, "threatened") is None
    assert solve(kb, "threatened", "attacked(japan)") is not None
    assert solve(kb) is not None


def test_a_domain_constraint_is_reported_when_relaxed(rules: Callable[[str], KnowledgeBase]) -> None:
    kb = rules('constraint k "Threats need attacks": never threatened and not attacked(japan)\n')
    view = kb.rules.edition_view("e")
    ground = GroundProgram(program_of(kb))
    values = {f: f == Sym("threatened") for f in fact_space(view)}
    answer = ground.consequences(values, "brave", timeout=30, relaxed=True)
    assert answer is not None
    assert Sym("violated", (Sym("k"),)) in answer.atoms


def test_only_the_included_modules_are_compiled(load_rules: Callable[..., KnowledgeBase]) -> None:
    kb = load_rules({
        "m.accord": VOCAB,
        "later.accord": 'module later\nimport m\nfact approved "x"\n'
                        'clause late { cite "x" sdf may patrol when approved says "s" }\n'
                        'edition e2 { title "t" in_force 2021-01-01 include later }\n',
    })
    first, second = program_of(kb, "e"), program_of(kb, "e2")
    assert "approved" not in first and '"late"' not in first
    assert "possible(approved)." in second and 'modality("late",may).' in second


def test_show_statements_cover_the_statuses(mini: KnowledgeBase) -> None:
    shown = set(re.findall(r"^#show (\w+)/(\d+)\.$", program_of(mini, "e1"), flags=re.MULTILINE))
    assert {("permitted", "2"), ("forbidden", "2"), ("required", "2"), ("conflict", "2"), ("applies", "3"),
            ("excused", "3"), ("overridden", "3"), ("violated", "1"), ("holds", "1")} <= shown
