"""`accord diff` on small fixtures: sides, clause changes, vocabulary, behaviour, witnesses, options.

The laws (diff(A, A) is empty, witnesses really separate A and B, swapping mirrors, witnesses are
minimal) are checked on random rule sets in test_diff_laws.py; the bundled knowledge base in
test_diff_bundled.py; the command line in test_diff_cli.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI

from accord import api
from accord.analyses.diff.compare import DiffSpecError
from accord.knowledge.facts import ScenarioError
from accord.results.diff import ClauseChangeKind, DiffResult, Direction, Movement, Status
from accord.results.query import Role, Verdict, to_json

LINEAGE = FIXTURES / "diff" / "lineage"
EDITED = FIXTURES / "diff" / "mini_edited.accord"
REFORMATTED = FIXTURES / "diff" / "reformatted"


@pytest.fixture(scope="module")
def lineage() -> api.KnowledgeBase:
    return api.load(LINEAGE)


@pytest.fixture(scope="module")
def old_new(lineage: api.KnowledgeBase) -> DiffResult:
    return lineage.diff("e_old", "e_new", witnesses=3)


def _kinds(result: DiffResult) -> dict[str, tuple[str, ...]]:
    return {k.value: tuple(c.key for c in result.clauses if c.kind is k) for k in ClauseChangeKind}


# ---- clause changes ---------------------------------------------------------------------------


def test_clause_changes_are_matched_by_id_and_lineage(old_new: DiffResult) -> None:
    assert _kinds(old_new) == {
        "added": ("n.assets",),
        "removed": ("o.gone",),
        "changed": ("n.force", "n.inspect"),
        "carried over": ("law.force", "n.relief"),
    }
    by_key = {c.key: c for c in old_new.clauses}
    force = by_key["n.force"]
    assert (force.matched_by, [s.id for s in force.a], [s.cite for s in force.a], force.b[0].cite) == (
        "replaces", ["o.force"], ["1997 IV.2"], "2015 IV.D")
    assert set(force.differences) >= {"cite", "head", "when"}
    relief = by_key["n.relief"]
    assert (relief.matched_by, relief.differences) == ("carries", ("cite",))
    assert by_key["law.force"].matched_by == "id"
    assert by_key["law.force"].differences == ()


def test_swapping_sides_mirrors_clause_changes(lineage: api.KnowledgeBase, old_new: DiffResult) -> None:
    back = lineage.diff("e_new", "e_old", witnesses=0)
    kinds = _kinds(back)
    assert [c.b[0].id for c in back.clauses if c.kind is ClauseChangeKind.ADDED] == ["o.gone"]
    assert [c.a[0].id for c in back.clauses if c.kind is ClauseChangeKind.REMOVED] == ["n.assets"]
    assert len(kinds["changed"]) == 2 and len(kinds["carried over"]) == 2
    assert {c.matched_by for c in back.clauses} == {c.matched_by for c in old_new.clauses}


def test_reformatting_reordering_and_renaming_is_not_a_change() -> None:
    result = api.load(MINI).diff(str(MINI), str(REFORMATTED))
    assert result.equivalent
    assert {c.kind for c in result.clauses} == {ClauseChangeKind.CARRIED}
    assert all(c.differences == () for c in result.clauses)
    assert result.vocabulary.empty


def test_an_edited_copy_is_compared_with_the_rules(mini: api.KnowledgeBase) -> None:
    result = mini.diff("e1", str(EDITED))
    assert result.b.origin == str(EDITED)
    [change] = [c for c in result.clauses if c.kind is ClauseChangeKind.CHANGED]
    assert (change.key, change.differences) == ("g.assets", ("when",))
    [target] = result.behaviour
    assert target.label == "sdf asset_protection"
    assert target.movement(Status.PERMITTED) is Movement.LOST
    [witness] = target.changes[0].lost
    assert witness.facts == ()  # the empty scenario: no Cabinet decision
    assert witness.a.verdict is Verdict.PERMITTED and witness.b.verdict is Verdict.NOT_PERMITTED
    assert [(c.id, c.role) for c in witness.a.clauses] == [("g.assets", Role.PERMITS)]


# ---- behaviour and witnesses ------------------------------------------------------------------


def test_behaviour_changes_and_their_witnesses(old_new: DiffResult) -> None:
    moves = {(t.label, c.status.value): c.movement.value for t in old_new.behaviour for c in t.changes}
    assert moves == {
        ("sdf assets", "permitted"): "gained",
        ("sdf force(collective)", "permitted"): "gained",
        ("sdf inspect", "permitted"): "gained",
        ("usf force(collective)", "permitted"): "lost",
        ("usf force(individual)", "permitted"): "lost",
    }
    inspect = old_new.target("sdf", "inspect")
    assert inspect is not None
    assert [w.facts for w in inspect.changes[0].gained] == [("consent",)]
    force = old_new.target("sdf", "force", ("collective",))
    assert force is not None
    [witness] = force.changes[0].gained
    assert witness.facts == ("attack(partner)", "cabinet", "survival")
    assert [c.id for c in witness.b.clauses if c.role is Role.PERMITS] == ["n.force"]
    s = old_new.summary
    assert (s.targets, s.targets_changed, s.newly_permitted, s.no_longer_permitted) == (7, 5, 3, 2)


def test_several_witnesses_are_distinct_and_minimal(lineage: api.KnowledgeBase) -> None:
    result = lineage.diff("e_old", "e_new", actions=["force"], actors=["usf"], witnesses=5)
    target = result.target("usf", "force", ("individual",))
    assert target is not None
    witnesses = target.changes[0].lost
    # attack(us_forces) is the only subset-minimal witness: every other one contains it.
    assert [w.facts for w in witnesses] == [("attack(us_forces)",)]
    result = lineage.diff("e_old", "e_new", actions=["inspect"], witnesses=5)
    target = result.target("sdf", "inspect")
    assert target is not None
    assert [w.facts for w in target.changes[0].gained] == [("consent",)]


def test_given_facts_restrict_the_scenarios(lineage: api.KnowledgeBase) -> None:
    result = lineage.diff("e_old", "e_new", given=["unsc"])
    assert result.target("sdf", "inspect") is None  # with a resolution, both editions permit it
    assert result.space.given == ("unsc",)
    result = lineage.diff("e_old", "e_new", given=["not cabinet"], witnesses=1)
    assert result.target("sdf", "assets") is None
    force = result.target("usf", "force", ("collective",))
    assert force is not None and all("cabinet" not in w.facts for w in force.changes[0].lost)


def test_equivalence_is_stated_with_the_bounds_of_the_space(lineage: api.KnowledgeBase) -> None:
    result = lineage.diff("e_new", "e_new")
    assert result.equivalent and result.behaviour == ()
    assert {c.kind for c in result.clauses} == {ClauseChangeKind.CARRIED}
    space = result.space
    assert (space.facts, space.fact_instances, space.constraints, space.targets, space.empty) == (
        5, 7, ("survival_needs_attack",), 7, False)
    assert [(s.name, s.members) for s in space.sorts] == [("actor", 2), ("kind", 2), ("party", 3)]


def test_an_impossible_restriction_leaves_an_empty_space(lineage: api.KnowledgeBase) -> None:
    result = lineage.diff("e_old", "e_new", given=["survival", "not attack(partner)"])
    assert result.space.empty and result.equivalent and result.behaviour == ()


def test_filters_restrict_targets_and_clause_changes(lineage: api.KnowledgeBase) -> None:
    result = lineage.diff("e_old", "e_new", actions=["force"], actors=["sdf"])
    assert [t.label for t in result.behaviour] == ["sdf force(collective)"]
    assert result.space.targets == 2
    assert [c.key for c in result.clauses] == ["n.force", "law.force"]


# ---- vocabulary and editions of other rule bases ----------------------------------------------


_NARROW = """module m
sort actor { sdf }
sort party { japan, partner }
fact attack(party) "An attack on the party"
action assets by sdf "Protect assets"
action help(party) by sdf "Help the party"
define attacked "Someone is attacked": attack(P)
clause c.assets { cite "X" sdf may assets when attacked says "s" }
clause c.help { cite "Y" sdf may help(P) says "s" }
edition e { title "t" in_force 2000-01-01 include m }
"""


def test_vocabulary_differences_and_unknown_members(write_rules: Callable[[object], Path]) -> None:
    wider = _NARROW.replace("partner }", "partner, third }").replace('action assets', 'fact extra "E"\naction assets')
    narrow_path, wider_path = write_rules({"m.accord": _NARROW}), write_rules({"m.accord": wider})
    result = api.load(narrow_path).diff(str(narrow_path), str(wider_path), witnesses=2)
    v = result.vocabulary
    assert (v.members_only_b, v.facts_only_b, v.facts_only_a) == (("party:third",), ("extra",), ())
    assert {c.kind for c in result.clauses} == {ClauseChangeKind.CARRIED}
    # A does not know attack(third): there it is never true, so only B permits protecting assets then.
    moves = {(t.label, c.status): c for t in result.behaviour for c in t.changes}
    assert sorted(label for label, _ in moves) == ["sdf assets", "sdf help(third)"]
    assets = moves[("sdf assets", Status.PERMITTED)]
    assert assets.movement is Movement.GAINED
    assert [w.facts for w in assets.gained] == [("attack(third)",)]
    assert [w.facts for w in moves[("sdf help(third)", Status.PERMITTED)].gained] == [()]
    assert result.space.fact_instances == 4


def test_sides_by_year_date_and_path(lineage: api.KnowledgeBase) -> None:
    by_year = lineage.diff("1997", "2015", witnesses=0)
    by_date = lineage.diff("2000-01-01", "2016-01-01", witnesses=0)
    assert (by_year.a.edition.id, by_year.b.edition.id) == ("e_old", "e_new") == (
        by_date.a.edition.id, by_date.b.edition.id)
    at = lineage.diff("e_old", f"{LINEAGE}@e_new", witnesses=0)
    assert at.b.edition.id == "e_new" and at.summary == by_year.summary
    same_name = lineage.diff("e_old", str(LINEAGE), witnesses=0)  # picks the path's e_old
    assert same_name.equivalent and same_name.b.edition.id == "e_old"


@pytest.mark.parametrize(("a", "b", "words"), [
    ("e_nope", "e_new", "There is no edition `e_nope`"),
    ("1800-01-01", "e_new", "No edition was in force"),
    ("2015-02-30", "e_new", "is not a date"),
    ("no/such/place", "e_new", "neither an edition"),
])
def test_bad_sides_are_reported(lineage: api.KnowledgeBase, a: str, b: str, words: str) -> None:
    with pytest.raises(api.EditionChoiceError, match=words):
        lineage.diff(a, b)


def test_a_path_with_several_editions_needs_one_named(lineage: api.KnowledgeBase) -> None:
    with pytest.raises(DiffSpecError, match="@EDITION"):
        lineage.diff(str(LINEAGE), f"{LINEAGE}@e_new")


def test_unknown_actions_actors_and_facts_are_reported(lineage: api.KnowledgeBase) -> None:
    with pytest.raises(DiffSpecError, match="Maybe you want: force"):
        lineage.diff("e_old", "e_new", actions=["forse"])
    with pytest.raises(DiffSpecError, match="actor `nobody`"):
        lineage.diff("e_old", "e_new", actors=["nobody"])
    with pytest.raises(ScenarioError):
        lineage.diff("e_old", "e_new", given=["attack(mars)"])
    with pytest.raises(ScenarioError, match="both as true and as false"):
        lineage.diff("e_old", "e_new", given=["cabinet", "not cabinet"])


def test_json_is_a_dump_of_the_result(old_new: DiffResult) -> None:
    data = json.loads(json.dumps(to_json(old_new)))
    assert list(data) == ["a", "b", "equivalent", "summary", "space", "behaviour", "clauses", "vocabulary"]
    first = data["behaviour"][0]
    assert first["changes"][0]["status"] == "permitted"
    assert first["changes"][0]["gained"][0]["a"]["verdict"] == "not permitted"


def test_directions_and_counts_agree(old_new: DiffResult) -> None:
    for target in old_new.behaviour:
        for change in target.changes:
            gained, lost = bool(change.gained), bool(change.lost)
            assert change.movement is {(True, False): Movement.GAINED, (False, True): Movement.LOST,
                                       (True, True): Movement.BOTH}[(gained, lost)]
            for direction in Direction:
                for w in change.witnesses(direction):
                    assert w.b.has(change.status) is (direction is Direction.GAINED)
                    assert w.a.has(change.status) is (direction is Direction.LOST)
