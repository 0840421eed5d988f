"""`accord when`: every minimal scenario in which an action is permitted."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from accord import api
from accord.analyses.explain.engine import ActionError
from accord.results.explain import WhenResult
from accord.results.query import Extent

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def ex() -> api.KnowledgeBase:
    return api.load(FIXTURES / "explain")


def _check(kb: api.KnowledgeBase, edition: str, action: str, result: WhenResult) -> None:
    """Each scenario permits the action; no proper subset of its facts does."""
    actor, rest = action.split(" ", 1)
    name, _, args = rest.partition("(")
    key = (actor, name, tuple(a.strip() for a in args.rstrip(")").split(",")) if args else ())
    for minimal in result.scenarios:
        facts = [c.fact for c in minimal.facts]
        assert kb.query(edition, facts=facts).action(*key).permitted is Extent.ALWAYS
        for size in range(len(facts)):
            for part in itertools.combinations(facts, size):
                smaller = kb.query(edition, facts=list(part))
                assert not smaller.possible or smaller.action(*key).permitted is Extent.NEVER


def test_collective_self_defense_needs_three_facts(mini: api.KnowledgeBase) -> None:
    result = mini.when("sdf use_of_force(collective)", "e1")
    _check(mini, "e1", "sdf use_of_force(collective)", result)
    (only,) = result.scenarios
    assert [c.fact for c in only.facts] == ["armed_attack_on(close_partner)", "cabinet_decision", "survival_threatened"]
    assert only.relies_on_absence == ()
    assert [r.id for r in only.decided_by] == ["g.force"]
    assert only.summary == (
        "An armed attack against the party has occurred [armed_attack_on(close_partner)], "
        "AND The Cabinet has decided [cabinet_decision], AND Japan's survival is threatened [survival_threatened]")
    assert not result.more and result.note is None


def test_an_unconditional_permission_needs_nothing(mini: api.KnowledgeBase) -> None:
    (only,) = mini.when("sdf asset_protection", "e1").scenarios
    assert only.facts == () and only.summary == "always: no fact needs to hold"


def test_facts_that_must_be_absent(ex: api.KnowledgeBase) -> None:
    result = ex.when("sdf patrol(sea)", "e")
    _check(ex, "e", "sdf patrol(sea)", result)
    by_facts = {tuple(c.fact for c in s.facts): s for s in result.scenarios}
    attacked = by_facts[("at(other, sea)", "attacked(other)")]
    assert [c.fact for c in attacked.relies_on_absence] == ["at(japan, sea)"]
    assert "AND not: The party is at the place [at(japan, sea)]" in attacked.summary
    assert [r.id for r in attacked.decided_by] == ["c.patrol"]
    requested = by_facts[("at(japan, sea)", "request")]
    assert [c.fact for c in requested.relies_on_absence] == ["attacked(japan)"]


def test_domain_constraints_and_priorities(ex: api.KnowledgeBase) -> None:
    result = ex.when("sdf escort", "e")
    _check(ex, "e", "sdf escort", result)
    shapes = sorted(tuple(c.fact for c in s.facts) for s in result.scenarios)
    assert shapes == [("attacked(japan)", "decided"), ("request",)]
    (lone,) = [s for s in result.scenarios if len(s.facts) == 1]
    assert [c.fact for c in lone.relies_on_absence] == ["attacked(japan)"]


def test_never_permitted(ex: api.KnowledgeBase) -> None:
    result = ex.when("sdf defend(other)", "e")
    assert result.scenarios == () and result.note is not None
    assert ex.when("sdf observe", "e").note is not None


def test_the_cap(ex: api.KnowledgeBase) -> None:
    result = ex.when("sdf supply(n3)", "e", cap=2)
    assert len(result.scenarios) == 2 and result.more
    _check(ex, "e", "sdf supply(n3)", result)


def test_bad_actions(mini: api.KnowledgeBase) -> None:
    with pytest.raises(ActionError):
        mini.when("sdf fly", "e1")


def test_a_definition_failing_for_every_value_is_named_not_its_first_part() -> None:
    """`dissent` (member(P) and not agrees(P)) must be absent; members may exist if they all agree,
    so "for no P: member(P)" would say more than the derivation needs."""
    kb = api.load(FIXTURES / "dissent")
    result = kb.when("council act", "e1")
    (only,) = result.scenarios
    assert [c.fact for c in only.facts] == ["request"]
    assert [c.fact for c in only.relies_on_absence] == ["dissent"]
    assert "for no P" not in only.summary
    assert kb.query("e1", facts=["request", "member(a)", "agrees(a)"]).action("council", "act", ()).permitted \
        is Extent.ALWAYS


def test_a_one_atom_definition_still_names_the_fact_for_every_value() -> None:
    """`objection` is `objects(P)`: its absence is exactly "for no P: objects(P)"."""
    kb = api.load(FIXTURES / "dissent")
    (only,) = kb.when("council proceed", "e1").scenarios
    assert [c.fact for c in only.relies_on_absence] == ["objects(P)"]
    assert "for no P: The state objects [objects(P)]" in only.summary
