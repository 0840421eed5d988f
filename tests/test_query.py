"""Querying an edition: statuses, clause roles, unknown facts, impossible scenarios (accord.analyses.engine)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

from accord import api
from accord.analyses.engine import EditionEngine
from accord.api import KnowledgeBase
from accord.results.query import ActionResult, Extent, FactRef, QueryResult, Role, Verdict, Violation, to_json
from accord.solve import SolveTimeout

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORCE = "use_of_force"


def roles(action: ActionResult) -> set[tuple[str, Role, Extent]]:
    return {(c.id, c.role, c.extent) for c in action.clauses}


@pytest.fixture(scope="module")
def editions() -> KnowledgeBase:
    return api.load(FIXTURES / "editions")


# ---- statuses and roles on the mini fixture ------------------------------------------------------------


def test_the_named_scenario(mini: KnowledgeBase) -> None:
    result = mini.query("e1", scenario="partner_attacked")
    assert result.possible and result.violations == ()
    assert result.scenario == "partner_attacked"
    assert result.description == "A close partner is attacked"
    assert result.facts == (
        FactRef("armed_attack_on(close_partner)", "true"),
        FactRef("cabinet_decision", "true"),
        FactRef("survival_threatened", "unknown"),
    )
    assert result.edition.id == "e1" and result.edition.in_force == "2015-04-27"

    assets = result.action("sdf", "asset_protection")
    assert assets.verdict is Verdict.PERMITTED
    assert (assets.permitted, assets.forbidden, assets.required) == (Extent.ALWAYS, Extent.NEVER, Extent.NEVER)
    assert roles(assets) == {("g.assets", Role.PERMITS, Extent.ALWAYS)}

    collective = result.action("sdf", FORCE, ("collective",))
    assert collective.verdict is Verdict.POSSIBLY_PERMITTED
    assert (collective.permitted, collective.forbidden) == (Extent.SOMETIMES, Extent.SOMETIMES)
    assert roles(collective) == {
        ("g.force", Role.PERMITS, Extent.ALWAYS),
        ("law.force", Role.FORBIDS, Extent.SOMETIMES),
        ("law.force", Role.EXCEPTION_HELD, Extent.SOMETIMES),
    }

    individual = result.action("sdf", FORCE, ("individual",))
    assert individual.verdict is Verdict.FORBIDDEN
    assert roles(individual) == {("g.force", Role.PERMITS, Extent.ALWAYS), ("law.force", Role.FORBIDS, Extent.ALWAYS)}


def test_clause_references_carry_cite_and_says(mini: KnowledgeBase) -> None:
    result = mini.query("e1", scenario="partner_attacked")
    [ref] = result.action("sdf", "asset_protection").clauses
    assert (ref.cite, ref.says) == ("2015 IV.A.4", "The SDF may protect U.S. assets.")


def test_an_exception_that_holds(mini: KnowledgeBase) -> None:
    result = mini.query("e1", facts=["armed_attack_on(japan)"])
    individual = result.action("sdf", FORCE, ("individual",))
    assert individual.verdict is Verdict.PERMITTED
    assert ("law.force", Role.EXCEPTION_HELD, Extent.ALWAYS) in roles(individual)
    assert result.action("sdf", FORCE, ("collective",)).verdict is Verdict.FORBIDDEN


def test_an_empty_scenario_is_default_deny_except_unconditional_clauses(mini: KnowledgeBase) -> None:
    result = mini.query("e1")
    assert result.action("sdf", "asset_protection").verdict is Verdict.PERMITTED
    for kind in ("individual", "collective"):
        force = result.action("sdf", FORCE, (kind,))
        assert force.verdict is Verdict.FORBIDDEN
        assert roles(force) == {("law.force", Role.FORBIDS, Extent.ALWAYS)}


def test_every_actor_action_and_argument_is_listed(mini: KnowledgeBase) -> None:
    result = mini.query("e1", facts=["cabinet_decision"])
    assert [a.label for a in result.actions] == [
        "sdf asset_protection", "sdf use_of_force(individual)", "sdf use_of_force(collective)",
    ]
    with pytest.raises(KeyError):
        result.action("usf", FORCE, ("individual",))


# ---- unknown facts ------------------------------------------------------------------------------------------


def test_an_unknown_fact_makes_an_action_possibly_permitted(mini: KnowledgeBase) -> None:
    result = mini.query("e1", unknown=["armed_attack_on(japan)"])
    individual = result.action("sdf", FORCE, ("individual",))
    assert individual.verdict is Verdict.POSSIBLY_PERMITTED
    assert roles(individual) == {
        ("g.force", Role.PERMITS, Extent.SOMETIMES),
        ("law.force", Role.FORBIDS, Extent.SOMETIMES),
        ("law.force", Role.EXCEPTION_HELD, Extent.SOMETIMES),
    }
    assert result.facts == (FactRef("armed_attack_on(japan)", "unknown"),)


def test_completions_that_break_a_constraint_do_not_count(mini: KnowledgeBase) -> None:
    # Survival threatened without any attack is impossible: only the completion where it is false is left.
    result = mini.query("e1", facts=["cabinet_decision"], unknown=["survival_threatened"])
    assert result.possible
    assert result.action("sdf", FORCE, ("collective",)).verdict is Verdict.FORBIDDEN


def test_readings_list_the_completions(mini: KnowledgeBase) -> None:
    result = mini.query(
        "e1", facts=["cabinet_decision"], unknown=["armed_attack_on(japan)", "survival_threatened"], readings_cap=10
    )
    assert result.readings is not None and not result.more_readings
    completions = {tuple((f.fact, f.value) for f in r.facts) for r in result.readings}
    assert completions == {
        (("armed_attack_on(japan)", "false"), ("survival_threatened", "false")),
        (("armed_attack_on(japan)", "true"), ("survival_threatened", "false")),
        (("armed_attack_on(japan)", "true"), ("survival_threatened", "true")),
    }
    for reading in result.readings:
        attacked = ("armed_attack_on(japan)", "true") in {(f.fact, f.value) for f in reading.facts}
        assert ("sdf use_of_force(individual)" in reading.permitted) == attacked
        assert "sdf asset_protection" in reading.permitted


def test_the_readings_cap(mini: KnowledgeBase) -> None:
    result = mini.query("e1", unknown=["armed_attack_on(japan)", "cabinet_decision"], readings_cap=2)
    assert result.readings is not None and len(result.readings) == 2
    assert result.more_readings
    assert mini.query("e1", unknown=["cabinet_decision"]).readings is None


# ---- impossible scenarios ----------------------------------------------------------------------------------


def test_an_impossible_scenario_reports_the_broken_constraints(mini: KnowledgeBase) -> None:
    result = mini.query("e1", facts=["survival_threatened"])
    assert not result.possible
    assert result.violations == (Violation("needs_attack", "Survival is threatened only by an attack"),)
    assert result.actions == ()
    assert result.facts == (FactRef("survival_threatened", "true"),)


# ---- editions and their vocabularies --------------------------------------------------------------------------


def test_facts_outside_an_edition_s_vocabulary_are_listed_and_false(editions: KnowledgeBase) -> None:
    old = editions.query("g1997", scenario="approved")
    assert old.outside_vocabulary == ("diet_approval",)
    assert old.action("sdf", "defend", ("japan",)).verdict is Verdict.PERMITTED
    assert [c.id for c in old.action("sdf", "defend", ("japan",)).clauses] == ["old.defend"]
    new = editions.query("g2015", scenario="approved")
    assert new.outside_vocabulary == ()
    assert [c.id for c in new.action("sdf", "defend", ("japan",)).clauses] == ["new.defend"]


def test_an_unknown_fact_outside_the_vocabulary(editions: KnowledgeBase) -> None:
    result = editions.query("g1997", scenario="open_approval")
    assert result.outside_vocabulary == ("diet_approval",)
    assert result.action("sdf", "defend", ("japan",)).verdict is Verdict.PERMITTED


def test_unknown_facts_that_matter_only_in_a_later_edition(editions: KnowledgeBase) -> None:
    result = editions.query("g2015", scenario="open_approval")
    defend = result.action("sdf", "defend", ("japan",))
    assert defend.verdict is Verdict.POSSIBLY_PERMITTED
    assert ("new.defend", Role.EXCEPTION_HELD, Extent.SOMETIMES) in roles(defend)


def test_obligations_are_required(editions: KnowledgeBase) -> None:
    result = editions.query("g2015", facts=["armed_attack_on(us_forces)"])
    usf = result.action("usf", "defend", ("us_forces",))
    assert usf.verdict is Verdict.REQUIRED
    assert usf.required is Extent.ALWAYS and usf.permitted is Extent.ALWAYS
    assert roles(usf) == {("new.usf", Role.REQUIRES, Extent.ALWAYS)}


def test_an_edition_is_grounded_once(editions: KnowledgeBase) -> None:
    engine = editions.engine("g2015")
    assert editions.engine("g2015") is engine
    assert isinstance(engine, EditionEngine)
    first = editions.query("g2015", scenario="approved")
    editions.query("g2015", scenario="open_approval")
    assert editions.engine("g2015") is engine
    assert editions.query("g2015", scenario="approved") == first


# ---- conflicts and overrides -------------------------------------------------------------------------------------


CONFLICTS = """module m
sort actor { sdf }
sort k { a, b }
fact alarm "x"
action act(k) by sdf "Act"
clause duty { cite "D" sdf must act(K) says "must" }
clause ban { cite "B" sdf must not act(a) when alarm says "must not" }
clause lift { cite "L" sdf may act(b) when alarm overrides duty says "may" }
edition e { title "t" in_force 2020-01-01 include m }
"""


def test_conflicts_and_overrides(load_rules: Callable[[str], KnowledgeBase]) -> None:
    kb = load_rules(CONFLICTS)
    calm = kb.query("e", facts=[])
    assert calm.action("sdf", "act", ("a",)).verdict is Verdict.REQUIRED
    alarm = kb.query("e", facts=["alarm"])
    a, b = alarm.action("sdf", "act", ("a",)), alarm.action("sdf", "act", ("b",))
    assert a.verdict is Verdict.CONFLICT and a.conflict is Extent.ALWAYS
    assert b.verdict is Verdict.PERMITTED and b.required is Extent.NEVER
    assert roles(b) == {("lift", Role.PERMITS, Extent.ALWAYS), ("duty", Role.OVERRIDDEN, Extent.ALWAYS)}
    maybe = kb.query("e", unknown=["alarm"])
    assert maybe.action("sdf", "act", ("a",)).verdict is Verdict.CONFLICT  # in some completion
    assert maybe.action("sdf", "act", ("b",)).required is Extent.SOMETIMES


# ---- results ----------------------------------------------------------------------------------------------------


def test_results_are_deterministic_and_dump_to_json(mini: KnowledgeBase) -> None:
    one = mini.query("e1", scenario="partner_attacked")
    two = api.load(FIXTURES / "mini").query("e1", scenario="partner_attacked")
    assert one == two
    data = to_json(one)
    assert isinstance(data, dict)
    assert data["edition"] == {"id": "e1", "title": "Example edition", "in_force": "2015-04-27",
                               "counterfactual": False}
    assert data["actions"][0]["verdict"] == "permitted"
    assert data["actions"][0]["clauses"][0]["role"] == "permits"


def test_a_timeout_is_passed_to_the_solver(mini: KnowledgeBase) -> None:
    result: QueryResult = mini.query("e1", scenario="partner_attacked", timeout=30)
    assert result.possible


def test_a_hard_scenario_runs_into_the_time_limit() -> None:
    # Eleven pigeons, ten holes, every seat unknown: no completion fits, and proving it takes very long.
    hard = api.load(FIXTURES / "hard")
    started = time.monotonic()
    with pytest.raises(SolveTimeout):
        hard.query("e", scenario="crowded", timeout=0.2)
    assert time.monotonic() - started < 30
    # The edition still answers easy questions afterwards.
    easy = hard.query("e", facts=[f"sits(p{i}, h{min(i, 10)})" for i in range(1, 12)], timeout=30)
    assert not easy.possible
    assert [v.constraint for v in easy.violations] == ["one_per_hole"]


def test_capped_readings_do_not_depend_on_earlier_queries() -> None:
    """Which readings a cap keeps is the same in a fresh engine and in one that has answered other
    questions first (a long-running server): each capped listing starts from the solver's initial
    heuristic state."""
    scenario = "news_2015_us_ship_attacked"

    def capped(kb: KnowledgeBase) -> str:
        return str(to_json(kb.query("e2016", scenario=scenario, readings_cap=3)))

    fresh = capped(api.load())
    busy = api.load()
    for name in sorted(busy.rules.scenarios)[:12]:
        busy.query("e2016", scenario=name)
        busy.query("e2016", scenario=name, readings_cap=2)
    busy.query("e2016", facts=["armed_attack_on(japan)"], unknown=["survival_threatened", "cabinet_decision"])
    busy.query("e2016", facts=["survival_threatened"])  # impossible: the constraints are relaxed to say why
    assert capped(busy) == fresh


def test_a_dash_names_no_scenario_as_in_explain(cli: Callable[..., Run]) -> None:
    """`accord query - --fact F` is `accord query --fact F`, as `explain -` is; `-` alone is a usage error."""
    dashed = cli(["query", "-e", "e1", "-r", "mini", "-", "--fact", "armed_attack_on(japan)"])
    plain = cli(["query", "-e", "e1", "-r", "mini", "--fact", "armed_attack_on(japan)"])
    assert dashed.code == plain.code == 0
    assert dashed.stdout == plain.stdout
    alone = cli(["query", "-e", "e1", "-r", "mini", "-"])
    assert alone.code == 2
    assert "give a scenario name" in alone.stderr
