"""`accord explain`: the traced compilation, why / why not trees, and what would have to change.

Every explanation built here is also run through the independent checks of `explain_checks.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from explain_checks import SEE_ABOVE, check_changes, check_explanation, walk

from accord import api
from accord.analyses.explain.engine import ActionError, parse_action
from accord.compile.asp import Lit, print_program
from accord.compile.to_asp import to_asp
from accord.compile.traced_asp import TRACE, to_asp_traced
from accord.knowledge.facts import ScenarioError
from accord.results.explain import Explanation, Step, StepKind
from accord.results.query import Verdict, to_json

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def ex() -> api.KnowledgeBase:
    return api.load(FIXTURES / "explain")


def _explain(kb: api.KnowledgeBase, action: str, scenario: str, edition: str, **kw: object) -> Explanation:
    e = kb.explain(action, edition, scenario=scenario, **kw)  # type: ignore[arg-type]
    named = kb.scenario(scenario)
    check_explanation(kb, edition, list(named.true), list(named.unknown), e)
    check_changes(kb, edition, list(named.true), list(named.unknown), e)
    return e


def _texts(steps: tuple[Step, ...]) -> Iterator[str]:
    for s in walk(steps):
        yield s.text


# ---- the traced compilation ---------------------------------------------------------------------


def test_to_asp_prints_no_trace_by_default(mini: api.KnowledgeBase) -> None:
    view = mini.rules.edition_view("e1")
    assert f"{TRACE}(" not in print_program(to_asp(view))
    assert mini.compile("e1") == print_program(to_asp(view))


def test_the_traced_program_adds_one_body_rule_per_alternative(mini: api.KnowledgeBase) -> None:
    view = mini.rules.edition_view("e1")
    plain = print_program(to_asp(view))
    traced, rules = to_asp_traced(view)
    text = print_program(traced)
    assert all(line in text for line in plain.splitlines() if not line.startswith("#show"))
    groups = sorted({(r.group, r.index) for r in rules})
    assert len(groups) == len(rules)
    assert ("unless:law.force", 1) in groups and ("derived:attacked_anyone", 0) in groups
    unless = next(r for r in rules if r.group == "unless:law.force" and r.index == 1)
    assert any(isinstance(i, Lit) and i.atom.name == "derived" for i in unless.body)
    assert 'body("unless:law.force",1,t(V_K))' in text


def test_the_traced_program_gives_the_same_statuses(mini: api.KnowledgeBase) -> None:
    analysis = mini.analysis("e1")
    values = analysis.holds_values([("armed_attack_on", ("close_partner",)), ("cabinet_decision", ())],
                                   [("survival_threatened", ())])
    brave = analysis.solver.consequences(values, "brave", None)
    assert brave is not None
    shown = {str(a) for a in brave.atoms if a.name in ("permitted", "forbidden")}
    result = mini.query("e1", scenario="partner_attacked")
    expected = {f"{n}({a.actor}, {a.action}" + (f"({', '.join(a.arguments)})" if a.arguments else "") + ")"
                for a in result.actions for n in ("permitted", "forbidden") if getattr(a, n).value != "never"}
    assert shown == expected


# ---- why, on the mini fixture -------------------------------------------------------------------


def test_possibly_permitted_has_a_reading_each_way(mini: api.KnowledgeBase) -> None:
    e = _explain(mini, "sdf use_of_force(collective)", "partner_attacked", "e1")
    assert e.verdict is Verdict.POSSIBLY_PERMITTED
    yes, no = e.readings
    assert [(f.fact, f.value) for f in yes.assumed] == [("survival_threatened", "true")]
    assert [(f.fact, f.value) for f in no.assumed] == [("survival_threatened", "false")]
    assert (yes.status, no.status) == ("permitted", "forbidden")
    (top,) = yes.why
    assert top.kind is StepKind.STATUS and top.text == "sdf use_of_force(collective) is permitted"
    deciding, guard = top.children
    assert deciding.clause is not None and (deciding.clause.id, deciding.clause.cite) == ("g.force", "2015 IV.D")
    assert deciding.clause.location == "mini/mini.accord:29"
    assert guard.kind is StepKind.PROHIBITIONS and [c.name for c in guard.children] == ["law.force"]
    texts = list(_texts(yes.why))
    assert "Japan's survival is threatened [survival_threatened]" in texts
    assert any(s.note == "unknown in the scenario; true in this reading" for s in walk(yes.why))
    assert not no.why and [s.name for s in no.why_not] == ["g.force", "law.force"]


def test_an_exception_that_does_not_hold_lists_what_failed_in_each_alternative(mini: api.KnowledgeBase) -> None:
    e = _explain(mini, "sdf use_of_force(individual)", "partner_attacked", "e1")
    assert e.verdict is Verdict.FORBIDDEN
    (reading,) = e.readings
    law = next(s for s in reading.why_not if s.name == "law.force")
    assert law.holds
    exception = next(s for s in law.children if s.kind is StepKind.EXCEPTION)
    assert not exception.holds
    first, second = exception.children
    assert first.text.startswith("alternative 1 of 2") and second.text.startswith("alternative 2 of 2")
    attack = "An armed attack against the party has occurred [armed_attack_on(japan)]"
    assert [c.text for c in first.children] == [attack]
    assert [(c.kind, c.text, c.note) for c in second.children] == [
        (StepKind.COMPARISON, "K = collective", "K is individual")]


def test_an_unconditional_permission(mini: api.KnowledgeBase) -> None:
    e = _explain(mini, "sdf asset_protection", "partner_attacked", "e1")
    assert e.verdict is Verdict.PERMITTED
    (top,) = e.readings[0].why
    assert [s.text for s in walk(top.children)][:2] == [
        "g.assets [2015 IV.A.4] applies: The SDF may protect U.S. assets.", "it has no conditions"]
    assert e.changes == () and e.changes_note is not None and "not permitted" in e.changes_note


# ---- why, on the explanation fixture ---------------------------------------------------------------


def test_priority_shows_the_clause_that_overrides(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf escort", "japan_attacked", "e")
    assert e.verdict is Verdict.POSSIBLY_PERMITTED
    yes, no = e.readings
    guard = yes.why[0].children[-1]
    ban = guard.children[0]
    assert ban.name == "c.escort.ban" and not ban.holds
    priority = next(s for s in ban.children if s.kind is StepKind.PRIORITY)
    assert priority.holds and [c.name for c in priority.children] == ["c.escort.special"]
    assert priority.children[0].note == SEE_ABOVE
    ban_applies = next(s for s in no.why_not if s.name == "c.escort.ban")
    assert ban_applies.holds


def test_an_exception_sharing_variables_with_the_conditions(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf patrol(land)", "japan_attacked", "e")
    shared = next(s for s in e.readings[0].why_not if s.name == "c.patrol.shared")
    (child,) = shared.children
    assert child.kind is StepKind.EXCEPTION and child.text == "its conditions hold, but so does its exception"
    plain = next(s for s in e.readings[0].why_not if s.name == "c.patrol")
    assert [c.kind for c in plain.children] == [StepKind.CONDITIONS, StepKind.EXCEPTION]


def test_no_value_of_a_variable(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf patrol(sea)", "japan_attacked", "e")
    steps = list(walk(e.readings[0].why_not))
    assert any(s.kind is StepKind.NO_INSTANCE and s.name == "at(Q, sea)" for s in steps)
    assert {c.changes[0].fact for c in e.changes} >= {"at(other, sea)", "at(partner, sea)"}


def test_recursion_case_by_case_and_an_unfounded_loop(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf supply(n3)", "chain", "e")
    steps = list(walk(e.readings[0].why_not))
    assert any(s.text == "with M = n3" for s in steps)
    assert any(s.note == "it could only follow from itself, so it does not hold" for s in steps)
    yes = _explain(ex, "sdf supply(n2)", "chain", "e", changes=0)
    texts = list(_texts(yes.readings[0].why))
    assert texts.index("Supplies can reach the node [reachable(n2)]") < texts.index(
        "The node holds supplies [depot(n1)]")


def test_default_deny_and_prohibitions_in_why_not(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf observe", "japan_attacked", "e")
    assert e.readings[0].why_not[0].kind is StepKind.DEFAULT_DENY
    assert e.changes_note is not None and "permitted" in e.changes_note
    other = _explain(ex, "sdf defend(other)", "partner_at_sea", "e")
    assert [(s.name, s.holds) for s in other.readings[0].why_not] == [("c.defend", False), ("c.no-defend-other", True)]


# ---- what would have to change ------------------------------------------------------------------


def test_changes_flip_the_status_and_name_the_deciding_clause(mini: api.KnowledgeBase) -> None:
    e = _explain(mini, "sdf use_of_force(individual)", "partner_attacked", "e1")
    (change,) = e.changes
    assert change.target == "permitted"
    assert [(c.fact, c.change) for c in change.changes] == [("armed_attack_on(japan)", "add")]
    assert change.verdict_after is Verdict.PERMITTED and [r.id for r in change.decided_by] == ["g.force"]


def test_changes_decide_unknown_facts(mini: api.KnowledgeBase) -> None:
    e = _explain(mini, "sdf use_of_force(collective)", "partner_attacked", "e1")
    assert [(s.target, [(c.fact, c.change) for c in s.changes]) for s in e.changes] == [
        ("permitted", [("survival_threatened", "assume true")]),
        ("not permitted", [("survival_threatened", "assume false")]),
    ]


def test_changes_respect_the_domain_constraints(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf defend(partner)", "chain", "e", changes=10)
    for s in e.changes:  # `decided` needs an attack: no change may add it alone
        facts = {c.fact for c in s.changes if c.change == "add"}
        assert "decided" in facts and any(f.startswith("attacked(") for f in facts)


def test_the_cap_on_changes(ex: api.KnowledgeBase) -> None:
    e = _explain(ex, "sdf supply(n3)", "japan_attacked", "e", changes=2)
    assert len(e.changes) == 2 and e.more_changes
    assert _explain(ex, "sdf supply(n3)", "japan_attacked", "e", changes=0).changes == ()


# ---- scenarios, actions, editions ---------------------------------------------------------------


def test_an_impossible_scenario(mini: api.KnowledgeBase) -> None:
    e = mini.explain("sdf asset_protection", "e1", facts=["survival_threatened"])
    assert not e.possible and e.verdict is None and e.readings == ()
    assert [v.constraint for v in e.violations] == ["needs_attack"]


def test_facts_and_dates(mini: api.KnowledgeBase) -> None:
    e = mini.explain("sdf use_of_force(individual)", as_of=dt.date(2020, 1, 1), facts=["armed_attack_on(japan)"])
    assert e.edition.id == "e1" and e.scenario is None and e.verdict is Verdict.PERMITTED
    check_explanation(mini, "e1", [("armed_attack_on", ("japan",))], [], e)
    with pytest.raises(ScenarioError):
        mini.explain("sdf asset_protection", "e1", facts=["cabinet_decision"], unknown=["cabinet_decision"])


@pytest.mark.parametrize(("text", "message"), [
    ("use_of_force(collective)", "is not an action"),
    ("sdf use_of_forse(collective)", "Maybe you want: use_of_force"),
    ("usf use_of_force(collective)", "is for sdf, not `usf`"),
    ("sdf use_of_force", "takes 1 argument(s)"),
    ("sdf use_of_force(colective)", "Maybe you want: collective"),
])
def test_actions_are_checked(mini: api.KnowledgeBase, text: str, message: str) -> None:
    with pytest.raises(ActionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_action(mini.rules.edition_view("e1"), text)


def test_output_is_deterministic_and_free_of_solver_atoms(ex: api.KnowledgeBase) -> None:
    first = json.dumps(to_json(_explain(ex, "sdf escort", "japan_attacked", "e")))
    again = json.dumps(to_json(api.load(FIXTURES / "explain").explain("sdf escort", "e", scenario="japan_attacked")))
    assert first == again
    for word in ("holds(", "derived(", "aux(", "body(", "V_", "when(", "applies("):
        assert word not in first
