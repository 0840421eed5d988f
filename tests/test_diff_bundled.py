"""The golden diff of the bundled knowledge base: 1997 Guidelines -> 2015 Guidelines.

The headline changes must match the key differences documented in
/work/shared/reference/OUTLINE.md, section 3 (numbers below). A compact snapshot of the whole diff
(every changed action with its first witness, and the clause counts) is a golden file,
tests/golden/diff/bundled_1997_2015.txt: when the knowledge base changes on purpose, regenerate it
with `ACCORD_UPDATE_GOLDENS=1 pytest tests/test_diff_bundled.py` (or `--update-goldens`) and
review the diff. The laws are checked on the real data too: every witness, queried on both
editions, gives the statuses reported.

The tests are skipped (with the reason) while the bundled rules do not check.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accord import api
from accord.language.diagnostics import AccordError
from accord.results.diff import DiffResult, Direction, Movement, Status
from accord.results.query import Extent

Golden = Callable[[str, str], None]


@pytest.fixture(scope="module")
def kb() -> api.KnowledgeBase:
    try:
        return api.load()
    except AccordError as err:
        pytest.skip(f"the bundled rules do not check yet ({len(err.diagnostics)} problems)")


@pytest.fixture(scope="module")
def diff_1997_2015(kb: api.KnowledgeBase) -> DiffResult:
    return kb.diff("1997", "2015", witnesses=1)


def _gained(result: DiffResult, actor: str, action: str, arguments: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The first witness of a newly permitted action (fails when it is not newly permitted)."""
    movement = result.movement(actor, action, arguments, Status.PERMITTED)
    assert movement in (Movement.GAINED, Movement.BOTH), f"{actor} {action}{arguments}: {movement.value}"
    target = result.target(actor, action, arguments)
    assert target is not None
    change = next(c for c in target.changes if c.status is Status.PERMITTED)
    return change.gained[0].facts


def _contemplated(result: DiffResult, actor: str, action: str, arguments: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The first witness of an action the Guidelines newly contemplate: for the SDF the law, not
    the Guidelines, decides whether it is lawful, so the change is in the guidelines layer."""
    target = result.target(actor, action, arguments)
    assert target is not None, f"{actor} {action}{arguments}: unchanged"
    change = next((c for c in target.layer_changes if (c.layer, c.verdict) == ("guidelines", "contemplated")), None)
    assert change is not None and change.movement in (Movement.GAINED, Movement.BOTH), target.layer_changes
    return change.gained[0].facts


def test_the_sides_are_the_1997_and_2015_editions(diff_1997_2015: DiffResult) -> None:
    assert (diff_1997_2015.a.edition.id, diff_1997_2015.b.edition.id) == ("e1997", "e2015")
    assert not diff_1997_2015.equivalent


def test_asset_protection_is_new(diff_1997_2015: DiffResult, kb: api.KnowledgeBase) -> None:
    # 6. Asset protection (new): 2015 IV.A.4, IV.C.2.a, IV.D.1; for the SDF, law from 2016 (Art. 95-2).
    # One fact is enough, and any of the three 2015 clauses' triggers is a fewest-fact witness.
    facts = _gained(diff_1997_2015, "usf", "asset_protection")
    assert len(facts) == 1
    assert facts[0] in {"usf_engaged_in(defense_of_japan)", "usf_engaged_in(joint_exercise)", "armed_attack_on(japan)",
                        "armed_attack_on(third_country)"}
    after_law = kb.diff("1997", "2016", actions=["asset_protection"], actors=["sdf"])
    _gained(after_law, "sdf", "asset_protection")


def test_use_of_force_when_japan_is_not_attacked(kb: api.KnowledgeBase) -> None:
    # 7. Collective self-defense (new): 2015 IV.D; the SDF under the 2016 law and its three conditions.
    not_attacked = ["not armed_attack_on(japan)"]
    guidelines = kb.diff("1997", "2015", actions=["use_of_force"], given=not_attacked)
    assert _gained(guidelines, "usf", "use_of_force", ("collective",))
    law = kb.diff("1997", "2016", actions=["use_of_force"], actors=["sdf"], given=not_attacked)
    facts = _gained(law, "sdf", "use_of_force", ("collective",))
    assert {"armed_attack_on(close_partner)", "survival_threatened", "cabinet_decision"} <= set(facts)
    assert "armed_attack_on(japan)" not in facts


def test_ammunition_and_refuelling_combat_ready_aircraft(diff_1997_2015: DiffResult) -> None:
    # 9. Logistics: ammunition and refuelling of aircraft ready for combat now allowed.
    _gained(diff_1997_2015, "sdf", "logistic_support", ("ammunition",))
    _gained(diff_1997_2015, "sdf", "logistic_support", ("refuel_combat_ready_aircraft",))
    assert diff_1997_2015.movement("sdf", "logistic_support", ("weapons",), Status.PERMITTED) is Movement.UNCHANGED


def test_ship_inspection_without_a_unsc_resolution(kb: api.KnowledgeBase) -> None:
    # 11. Ship inspection: "a UNSC resolution or other basis under international law".
    result = kb.diff("1997", "2015", actions=["ship_inspection"], given=["not unsc_resolution"])
    facts = _gained(result, "sdf", "ship_inspection")
    assert "unsc_resolution" not in facts and "flag_state_consent" in facts


def test_space_and_cyberspace(diff_1997_2015: DiffResult) -> None:
    # 21. Space and cyberspace cooperation (new): 2015 VI.A, VI.B.
    for gained in (_gained, _contemplated):
        actor = "usf" if gained is _gained else "sdf"
        gained(diff_1997_2015, actor, "space_cooperation")
        gained(diff_1997_2015, actor, "cyber_cooperation")


def test_disaster_relief_in_japan(diff_1997_2015: DiffResult) -> None:
    # 19. Domestic disaster (new): 2015 IV.E.
    assert "japan_disaster" in _contemplated(diff_1997_2015, "sdf", "disaster_relief")
    assert "japan_disaster" in _gained(diff_1997_2015, "usf", "disaster_relief")


def test_more_key_differences(diff_1997_2015: DiffResult) -> None:
    _contemplated(diff_1997_2015, "sdf", "combat_sar")  # 10. SAR including combat SAR
    _gained(diff_1997_2015, "usf", "bmd_intercept", ("close_partner",))  # 8. interception for others
    _gained(diff_1997_2015, "usf", "interdiction")  # 13. interdiction of shipping (new)
    _contemplated(diff_1997_2015, "sdf", "alliance_coordination")  # 3. the ACM
    _gained(diff_1997_2015, "goj", "equipment_cooperation")  # 22. bilateral enterprise
    _gained(diff_1997_2015, "usf", "cbrn_response")  # 18. CBRN (new)


def test_every_witness_gives_the_statuses_reported(diff_1997_2015: DiffResult, kb: api.KnowledgeBase) -> None:
    for target in diff_1997_2015.behaviour:
        key = (target.actor, target.action, target.arguments)
        for change in target.changes:
            for direction in Direction:
                for w in change.witnesses(direction):
                    a = kb.query("e1997", facts=w.facts).action(*key)
                    b = kb.query("e2015", facts=w.facts).action(*key)
                    pair = (getattr(a, change.status.value), getattr(b, change.status.value))
                    expected = (Extent.NEVER, Extent.ALWAYS) if direction is Direction.GAINED else (
                        Extent.ALWAYS, Extent.NEVER)
                    assert pair == expected, (target.label, change.status, w.facts)
                    assert (a.verdict, b.verdict) == (w.a.verdict, w.b.verdict)


def test_every_layer_witness_separates_the_sides_in_its_layer(diff_1997_2015: DiffResult,
                                                              kb: api.KnowledgeBase) -> None:
    checked = 0
    for target in diff_1997_2015.behaviour:
        key = (target.actor, target.action, target.arguments)
        for change in target.layer_changes:
            for direction in Direction:
                for w in change.witnesses(direction):
                    actions = [kb.query(e, facts=w.facts).action(*key) for e in ("e1997", "e2015")]
                    sides = [next(lr for lr in a.layers if lr.layer == change.layer) for a in actions]
                    held = tuple(side.verdict == change.verdict for side in sides)
                    expected = (False, True) if direction is Direction.GAINED else (True, False)
                    assert held == expected, (target.label, w)
                    assert dict(w.a.layers)[change.layer] == sides[0].verdict
                    assert dict(w.b.layers)[change.layer] == sides[1].verdict
                    checked += 1
    assert checked > 10


def test_swapping_the_editions_swaps_the_directions(diff_1997_2015: DiffResult, kb: api.KnowledgeBase) -> None:
    back = kb.diff("2015", "1997", witnesses=0)
    mirror = {Movement.GAINED: Movement.LOST, Movement.LOST: Movement.GAINED, Movement.BOTH: Movement.BOTH}
    forth = {(t.label, c.status): mirror[c.movement] for t in diff_1997_2015.behaviour for c in t.changes}
    assert forth == {(t.label, c.status): c.movement for t in back.behaviour for c in t.changes}


def snapshot(result: DiffResult) -> str:
    s = result.summary
    lines = [f"accord diff {result.a.edition.id} {result.b.edition.id}",
             f"behaviour: {s.targets_changed} of {s.targets} actions change",
             f"clauses: {s.clauses_added} added, {s.clauses_removed} removed, {s.clauses_changed} changed, "
             f"{s.clauses_carried} carried over", ""]
    for target in result.behaviour:
        for change in target.changes:
            for direction in Direction:
                for w in change.witnesses(direction):
                    lines.append(f"{target.label}: {direction.value} {change.status.value} "
                                 f"[{', '.join(w.facts) or 'no fact'}]")
        for layer_change in target.layer_changes:
            for direction in Direction:
                for w in layer_change.witnesses(direction):
                    lines.append(f"{target.label}: {direction.value} {layer_change.layer} {layer_change.verdict} "
                                 f"[{', '.join(w.facts) or 'no fact'}]")
    lines.append("")
    lines += [f"{c.kind.value}: {' + '.join(x.id for x in c.a) or '-'} -> {' + '.join(x.id for x in c.b) or '-'}"
              for c in result.clauses]
    return "\n".join(lines) + "\n"


def test_golden_snapshot(diff_1997_2015: DiffResult, golden: Golden) -> None:
    golden("diff/bundled_1997_2015.txt", snapshot(diff_1997_2015))
