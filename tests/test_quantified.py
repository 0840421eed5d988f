"""Quantified actors, stage by stage: a clause whose actor is a variable over actors, expectations
with `for`, and the role a clause gives its actor.

- parse: the head's actor is a variable, a role and quantifiers are read, and print back;
- check: the diagnostics of quantified actors (one test per code is in test_diagnostics);
- compile: the clause is compiled once, with its actor a variable (golden ASP in test_golden);
- query, explain, when, diff, tests and coverage on the fixture tests/fixtures/alliance;
- a property: a quantified clause answers exactly as its restatement per actor.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import api
from accord.analyses.testing import run_tests
from accord.language import ast
from accord.language.diagnostics import Diagnostic, Sink
from accord.language.parse import parse
from accord.language.printer import print_module
from accord.language.source import SourceFile

ALLIANCE = FIXTURES / "alliance"
Diagnose = Callable[[str], list[Diagnostic]]

BASE = """module m
sort actor { sdf, usf }
sort party { japan, partner }
fact member(actor) "The actor takes part"
fact attacked(party) "An attack on the party"
action patrol by sdf, usf "Patrol"
action guard by sdf "Guard"
edition e { title "e" in_force 2000-01-01 include m }
scenario s "s" { member(sdf) }
"""


@pytest.fixture(scope="module")
def alliance() -> api.KnowledgeBase:
    return api.load(ALLIANCE)


def _module(text: str) -> ast.Module:
    sink = Sink()
    module = parse(SourceFile("q.accord", text), sink)
    assert module is not None and not sink.items, sink.items
    return module


def single(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    assert [d.code for d in diagnostics] == [code], [(d.code, d.message) for d in diagnostics]
    return diagnostics[0]


def underlined(d: Diagnostic) -> str:
    assert d.span is not None
    return d.span.text()


# ---- parse and print --------------------------------------------------------------------------------


def test_a_head_with_a_variable_actor_a_role_and_quantified_expectations_parse() -> None:
    module = _module((ALLIANCE / "alliance.accord").read_text(encoding="utf-8"))
    clauses = {i.id.text: i for i in module.items if isinstance(i, ast.Clause)}
    assert clauses["art5"].head.actor == ast.Var("P")
    assert clauses["art5"].head.args == (ast.Var("Q"),)
    assert clauses["art5.first"].role == "primary" and clauses["art5"].role is None
    tests = {i.name.text: i for i in module.items if isinstance(i, ast.Test)}
    first = tests["no_attack_no_assistance"].expectations[0]
    assert (first.actor, first.args) == (ast.Var("P"), (ast.Var("Q"),))
    assert [(q.var.name, q.sort.text) for q in first.quantifiers] == [("P", "actor"), ("Q", "actor")]
    layered = tests["every_party_assists_northland"].layer_expectations[0]
    assert layered.layer == ast.Name("treaty") and layered.quantifiers[0].var == ast.Var("P")


def test_quantified_heads_and_expectations_print_back_to_the_same_tree() -> None:
    module = _module((ALLIANCE / "alliance.accord").read_text(encoding="utf-8"))
    printed = print_module(module)
    assert "  P may assist(Q)\n" in printed and "  role primary\n" in printed
    assert "for P in actor, Q in actor because" in printed
    assert _module(printed) == module


def test_fmt_keeps_a_quantified_file_as_it_is() -> None:
    from accord.language.formatter import format_source

    text = (ALLIANCE / "alliance.accord").read_text(encoding="utf-8")
    assert format_source(SourceFile("alliance.accord", text), Sink()) == text


# ---- check: one test per diagnostic -------------------------------------------------------------------


def test_a_variable_actor_must_fit_the_actions_by_list(diagnostics_of: Diagnose) -> None:
    text = BASE + 'clause c { cite "x" P may guard when member(P) says "s" }\n'
    d = single(diagnostics_of(text), "actor-mismatch")
    assert underlined(d) == "P" and "`usf`" in d.message


def test_a_quantified_argument_must_have_the_parameters_sort(diagnostics_of: Diagnose) -> None:
    text = BASE + ('action defend(party) by sdf, usf "Defend"\n'
                   'test t { scenario s edition e expect not permitted sdf defend(Q) for Q in actor }\n')
    assert underlined(single(diagnostics_of(text), "sort-mismatch")) == "Q"


def test_a_layer_must_bind_every_actor_the_variable_takes(diagnostics_of: Diagnose) -> None:
    text = (ALLIANCE / "alliance.accord").read_text(encoding="utf-8").replace(
        'actor southland bound by treaty "Southland\'s armed forces"',
        'layer other "Another" {\n  yes "yes" when permitted\n  no "no" otherwise\n}\n'
        'actor southland bound by other "Southland\'s armed forces"')
    found = [d for d in diagnostics_of({"alliance.accord": text}) if d.code == "layer-does-not-bind"]
    assert found and all(underlined(d) == "P" for d in found)
    assert "`southland`, one of the actors `P` stands for" in found[0].message


def test_the_checked_clause_knows_the_actors_it_takes(alliance: api.KnowledgeBase) -> None:
    clause = alliance.rules.clauses["art5"]
    assert (clause.actor, clause.actor_range) == ("P", ("northland", "eastland", "southland"))
    assert clause.about("eastland") and not clause.about("P")
    assert alliance.rules.clauses["art5.first"].role == "primary"


def test_quantified_expectations_stand_for_their_instances(alliance: api.KnowledgeBase) -> None:
    test = alliance.rules.tests["no_attack_no_assistance"]
    assist = [(e.actor, e.args) for e in test.expectations if e.action == "assist"]
    assert assist == [(p, (q,)) for p, q in itertools.product(("northland", "eastland", "southland"), repeat=2)]
    assert len(test.layer_expectations) == 3


def test_except_and_unless_leave_instances_out(alliance: api.KnowledgeBase) -> None:
    test = alliance.rules.tests["every_party_assists_northland"]
    parties = ("northland", "eastland", "southland")
    assist = [(e.actor, e.args) for e in test.expectations if e.action == "assist" and e.status.value == "permitted"
              and e.qualifier.value == "not" and e.because == "Art. 5: only Northland is attacked"]
    assert assist == [(p, (q,)) for p in parties for q in ("eastland", "southland")]
    alone = [(e.actor, e.args, e.qualifier.value) for e in test.expectations if e.action == "act_alone"]
    assert [(a, q) for a, (q,), how in alone if how == "possibly" and a != "eastland"] == [("southland", "northland")]
    assert [(a, q) for a, (q,), how in alone if how == "not"] == [("northland", "northland")] + [
        (p, p) for p in parties]


def test_except_and_unless_print_back_to_the_same_tree() -> None:
    text = BASE + ("test t { scenario s edition e\n"
                   "  expect not permitted P patrol for P in actor except sdf and usf unless P = sdf or P != usf\n"
                   "  expect label l P patrol for P in actor except usf because \"x\"\n}\n")
    module = _module(text)
    printed = print_module(module)
    assert "for P in actor except sdf and usf unless P = sdf or P != usf\n" in printed
    assert "expect label l P patrol for P in actor except usf because" in printed
    assert _module(printed) == module


# ---- compile, query, explain, when, tests ----------------------------------------------------------------


def test_the_clause_is_compiled_once_with_its_actor_a_variable(alliance: api.KnowledgeBase) -> None:
    program = alliance.compile("e2000")
    assert program.count('when("art5",') == 1
    assert 'when("art5",V_P,assist(V_Q)) :- dom(actor,V_P), dom(actor,V_Q),' in program


def test_a_query_lists_each_actor_of_a_quantified_clause(alliance: api.KnowledgeBase) -> None:
    result = alliance.query("e2000", scenario="north_attacked")
    permitted = {a.label for a in result.actions if a.verdict.value == "permitted"}
    assert {"northland assist(northland)", "eastland assist(northland)", "southland assist(northland)"} <= permitted
    assert "eastland assist(eastland)" not in permitted
    own = result.action("northland", "assist", ("northland",))
    assert own is not None and [layer.role for layer in own.layers] == ["primary"]
    other = result.action("eastland", "assist", ("northland",))
    assert other is not None and [layer.role for layer in other.layers] == [None]


def test_explain_and_when_follow_a_quantified_clause(alliance: api.KnowledgeBase) -> None:
    explained = alliance.explain("eastland assist(northland)", "e2000", scenario="north_attacked")
    assert "art5" in str(explained)
    found = alliance.when("southland assist(eastland)", "e2000")
    assert "request_from(eastland)" in str(found) and "party(southland)" in str(found)


def test_the_fixtures_own_tests_pass(alliance: api.KnowledgeBase) -> None:
    outcomes = run_tests(alliance)
    assert outcomes and all(o.passed for o in outcomes), [o for o in outcomes if not o.passed]


def test_coverage_counts_quantified_expectations(alliance: api.KnowledgeBase) -> None:
    report = alliance.clause_coverage()
    (edition,) = report.editions
    assert {u.id for u in edition.clauses if u.covered} >= {"art4", "art5", "art5.first", "art6"}


# ---- diff ---------------------------------------------------------------------------------------------


DIFF = {
    "vocab.accord": """module vocab
sort actor { a, b, c }
fact party(actor) "A party"
fact attacked(actor) "An attack on the party"
action assist(actor) by a, b, c "Assist"
edition one { title "one" in_force 2000-01-01 include old }
edition two { title "two" in_force 2001-01-01 include new }
""",
    "old.accord": 'module old\nimport vocab\nclause art5.old { cite "Art. 5" P may assist(Q) '
                  'when party(P) and attacked(Q) says "Every party assists." }\n',
    "new.accord": 'module new\nimport vocab\nclause art5.new { cite "Art. 5" P may assist(Q) '
                  'when party(P) and attacked(Q) and P != c replaces art5.old says "Every party but c assists." }\n',
}


def test_diff_reports_the_actors_a_quantified_clause_no_longer_covers(
        load_rules: Callable[..., api.KnowledgeBase]) -> None:
    kb = load_rules(DIFF)
    result = kb.diff("one", "two")
    assert sorted(t.label for t in result.behaviour) == ["c assist(a)", "c assist(b)", "c assist(c)"]
    assert [c.id for c in (*result.clauses[0].a, *result.clauses[0].b)] == ["art5.old", "art5.new"]
    assert result.clauses[0].about((), ("c",)) and result.clauses[0].about(("assist",), ("a",))
    assert kb.diff("one", "one").equivalent


# ---- a quantified clause answers as its restatement per actor ----------------------------------------------


def _substitute(cond: ast.Condition | None, var: str, actor: str) -> ast.Condition | None:
    def term(t: ast.Term) -> ast.Term:
        return ast.Const(actor) if isinstance(t, ast.Var) and t.name == var else t

    match cond:
        case None:
            return None
        case ast.Atom(name=name, args=args):
            return ast.Atom(name, tuple(term(a) for a in args))
        case ast.Compare(left=left, op=op, right=right):
            return ast.Compare(term(left), op, term(right))
        case ast.Not(operand=inner):
            return ast.Not(_substitute(inner, var, actor))  # type: ignore[arg-type]
        case ast.And(operands=ops):
            return ast.And(tuple(_substitute(o, var, actor) for o in ops))  # type: ignore[misc]
        case ast.Or(operands=ops):
            return ast.Or(tuple(_substitute(o, var, actor) for o in ops))  # type: ignore[misc]
    raise AssertionError(cond)


def restated(module: ast.Module, actors: tuple[str, ...]) -> ast.Module:
    """The module with every quantified clause said once per actor, and no tests."""
    items: list[ast.Item] = []
    for item in module.items:
        if isinstance(item, ast.Test):
            continue
        if isinstance(item, ast.Clause) and isinstance(item.head.actor, ast.Var):
            var = item.head.actor.name
            for actor in actors:
                head = ast.Head(ast.Name(actor), item.head.modality, item.head.action,
                                tuple(ast.Const(actor) if isinstance(a, ast.Var) and a.name == var else a
                                      for a in item.head.args))
                items.append(dataclasses.replace(item, id=ast.Name(f"{item.id.text}.{actor}"), head=head,
                                                 when=_substitute(item.when, var, actor),
                                                 unless=_substitute(item.unless, var, actor)))
            continue
        items.append(item)
    return dataclasses.replace(module, items=tuple(items))


@pytest.fixture(scope="module")
def restatement(alliance: api.KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> api.KnowledgeBase:
    module = _module((ALLIANCE / "alliance.accord").read_text(encoding="utf-8"))
    folder: Path = tmp_path_factory.mktemp("restated")
    (folder / "alliance.accord").write_text(print_module(restated(module, alliance.rules.sorts["actor"].members)),
                                            encoding="utf-8")
    kb = api.load(folder)
    assert not any(c.actor_range for c in kb.rules.clauses.values())
    return kb


FACTS = [f"{name}({p})" for name in ("party", "armed_attack_on", "request_from")
         for p in ("northland", "eastland", "southland")] + ["council_decision"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(true=st.lists(st.sampled_from(FACTS), unique=True, max_size=6),
       open_=st.lists(st.sampled_from(FACTS), unique=True, max_size=2))
def test_a_quantified_clause_answers_as_its_restatement_per_actor(
        alliance: api.KnowledgeBase, restatement: api.KnowledgeBase, true: list[str], open_: list[str]) -> None:
    unknown = [f for f in open_ if f not in true]

    def answers(kb: api.KnowledgeBase) -> list[tuple[object, ...]]:
        result = kb.query("e2000", facts=true, unknown=unknown)
        return [(a.label, a.verdict, a.headline, tuple((la.layer, la.verdict, la.role) for la in a.layers))
                for a in result.actions]

    assert answers(alliance) == answers(restatement)


# ---- the editor's index -----------------------------------------------------------------------------------


def test_the_editor_index_finds_the_names_around_a_variable_actor() -> None:
    from accord.lsp.index import FileIndex, Kind

    text = (ALLIANCE / "alliance.accord").read_text(encoding="utf-8")
    index = FileIndex.of(_module(text))
    head = text.index("  P may assist(Q)\n") + 2
    at_head = index.at(head + len("P may "))
    assert at_head is not None and (at_head.kind, at_head.name) == (Kind.ACTION, "assist")
    assert index.at(head) is None  # a variable names no declaration
    quantified = index.at(text.index("for P in actor") + len("for P in "))
    assert quantified is not None and (quantified.kind, quantified.name) == (Kind.SORT, "actor")
    layered = index.at(text.index("expect layer treaty basis P consult") + len("expect layer treaty basis P "))
    assert layered is not None and (layered.kind, layered.name) == (Kind.ACTION, "consult")
