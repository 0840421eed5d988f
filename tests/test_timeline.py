"""The timeline commands on the bundled rules: golden transcripts, and how they agree with queries.

`accord timeline` (the change points), `accord timeline SCENARIO [ACTION…]` (verdicts in bands
over the whole timeline, human, JSON and Markdown), `accord diff --across FROM..TO`, and `--as-of`
answers on the days around a change. The transcripts live in tests/golden_timeline/; `pytest
--update-goldens` (or ACCORD_UPDATE_GOLDENS=1) rewrites them: review the diff before keeping it.
A band of a timeline must agree with a query on any of its days.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, check_transcript

from accord import api
from accord.analyses.diff import across, behaviour
from accord.analyses.diff.compare import Side
from accord.analyses.timeline import UnknownActionError, change_points, scenario_timeline
from accord.knowledge.facts import ScenarioError
from accord.results.diff import DiffResult
from accord.results.timeline import ChangeKind
from accord.util import forked

Cli = Callable[..., Run]
GOLDEN = Path(__file__).parent / "golden_timeline"
EXIT_OK, EXIT_USAGE = 0, 2
SHIP = "news_2015_us_ship_attacked"
PKO = ("--fact", "un_pko", "--fact", "pko_principles", "--fact", "cabinet_decision")

TRANSCRIPTS: dict[str, tuple[tuple[str, ...], int]] = {
    "changes": (("timeline",), EXIT_OK),
    "changes_markdown": (("timeline", "--format", "markdown"), EXIT_OK),
    "news_collective": (("timeline", SHIP, "sdf use_of_force(collective)", "sdf logistic_support(fuel)"), EXIT_OK),
    # Collective self-defense when Japan's survival is threatened: its headline label moves from no
    # basis (1954) to contemplated by the Guidelines without a statute (2015) to lawful (2016).
    "collective_labels": (("timeline", "us_ship_attacked_survival_threatened", "sdf use_of_force(collective)"),
                          EXIT_OK),
    "collective_labels_markdown": (("timeline", "us_ship_attacked_survival_threatened",
                                    "sdf use_of_force(collective)", "--format", "markdown"), EXIT_OK),
    "attack_on_japan": (("timeline", "armed_attack_on_japan"), EXIT_OK),
    "siasj_markdown": (("timeline", "ship_inspection_unsc_siasj", "sdf ship_inspection", "--format", "markdown"),
                       EXIT_OK),
    "pko_json": (("timeline", "-", "sdf pko_cooperation", *PKO, "--format", "json"), EXIT_OK),
    "unknown_action": (("timeline", SHIP, "sdf fly_to_the_moon"), EXIT_USAGE),
    "across_1990s": (("diff", "--across", "1990-01-01..2002-01-01", "--witnesses", "0"), EXIT_OK),
    "across_markdown": (("diff", "--across", "2004-01-01..2010-01-01", "--witnesses", "0", "--format", "markdown"),
                        EXIT_OK),
    "across_backwards": (("diff", "--across", "2002-01-01..1990-01-01"), EXIT_USAGE),
    "across_and_sides": (("diff", "e1997", "--across", "1990-01-01..2002-01-01"), EXIT_USAGE),
    "query_before_pko": (("query", "--as-of", "1992-08-09", *PKO), EXIT_OK),
    "query_on_pko_day": (("query", "--as-of", "1992-08-10", *PKO), EXIT_OK),
    "query_before_everything": (("query", "--as-of", "1954-06-30", *PKO), EXIT_USAGE),
    "diff_two_dates": (("diff", "1992-08-09", "1992-08-10", "--witnesses", "1"), EXIT_OK),
    # Signature scenarios of the statute book, 1954-2017 (rules/scenarios_statutes.accord).
    "refuelling_indian_ocean": (("timeline", "indian_ocean_refuelling", "sdf logistic_support(fuel)",
                                 "sdf logistic_support(transport)", "sdf logistic_support(ammunition)"), EXIT_OK),
    "iraq_airlift": (("timeline", "iraq_airlift", "sdf logistic_support(transport)", "sdf relief_activities"),
                     EXIT_OK),
    "neo_aircraft": (("timeline", "neo_by_aircraft", "sdf neo"), EXIT_OK),
    "neo_ship": (("timeline", "neo_by_ship", "sdf neo"), EXIT_OK),
    "neo_land_vehicle": (("timeline", "neo_by_land_vehicle", "sdf neo", "--format", "markdown"), EXIT_OK),
    "pko_pkf_freeze": (("timeline", "pko_ceasefire_monitoring", "sdf pko_cooperation", "sdf pkf_core_tasks"), EXIT_OK),
    "pko_weapons": (("timeline", "pko_camp_under_fire", "sdf pko_use_of_weapons(self_and_colleagues)",
                     "sdf pko_use_of_weapons(persons_under_control)", "sdf equipment_protection"), EXIT_OK),
    "missile_destruction": (("timeline", "peacetime_missile_launch_toward_japan", "sdf bmd_intercept(japan)"),
                            EXIT_OK),
    "anti_piracy": (("timeline", "counter_piracy_aden", "sdf escort_ships", "sdf counter_piracy"), EXIT_OK),
    "anti_piracy_japan_related": (("timeline", "piracy_japan_related_ships", "sdf escort_ships",
                                   "sdf counter_piracy"), EXIT_OK),
    "acsa_ammunition": (("timeline", "peacetime_bmd_ammunition_request", "sdf logistic_support(ammunition)",
                         "sdf logistic_support(fuel)"), EXIT_OK),
    "wartime_support": (("timeline", "armed_attack_on_japan", "sdf logistic_support(goods)", "sdf interdiction",
                         "--format", "json"), EXIT_OK),
}


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_cli_transcript(cli: Cli, request: pytest.FixtureRequest, name: str) -> None:
    args, code = TRANSCRIPTS[name]
    check_transcript(cli(list(args)), code, GOLDEN / f"{name}.txt", request.config)


def test_no_golden_transcript_is_orphaned() -> None:
    present = {p.stem for p in GOLDEN.glob("*.txt")}
    assert present - set(TRANSCRIPTS) == set()


@pytest.fixture(scope="module")
def kb() -> api.KnowledgeBase:
    return api.load()


def test_every_band_agrees_with_a_query_on_its_first_and_last_day(kb: api.KnowledgeBase) -> None:
    result = scenario_timeline(kb, SHIP)
    assert result.actions
    for line in result.actions:
        for band in line.bands:
            last = dt.date.fromisoformat(band.end) - dt.timedelta(days=1) if band.end else dt.date(2030, 1, 1)
            for day in (dt.date.fromisoformat(band.start), last):
                found = [a for a in kb.query(as_of=day, scenario=SHIP).actions if a.label == line.label]
                assert found and found[0].verdict is band.verdict, (line.label, day)
        for before, after in zip(line.bands, line.bands[1:], strict=False):
            assert before.end == after.start and before.verdict is not after.verdict


def test_a_flip_names_the_clauses_that_entered_and_left(kb: api.KnowledgeBase) -> None:
    [line] = scenario_timeline(kb, None, ["un_pko", "pko_principles", "cabinet_decision"], (),
                               ["sdf pko_cooperation"]).actions
    # No statute before the PKO Act (no authority: not permitted, not forbidden); from it, a lawful
    # national action (the SDF's positive list decides; that the 1997 Guidelines then contemplate
    # it changes its label, not its status).
    bands = [(b.start, b.verdict.value) for b in line.bands]
    assert bands == [("1954-07-01", "not permitted"), ("1992-08-10", "permitted")]
    assert [c.id for c in line.flips[0].lost] == [] and line.flips[0].date == "1992-08-10"


def test_an_unknown_action_is_an_error(kb: api.KnowledgeBase) -> None:
    with pytest.raises(UnknownActionError):
        scenario_timeline(kb, SHIP, actions=["sdf no_such_action"])


def test_the_change_points_say_what_changed(kb: api.KnowledgeBase) -> None:
    points = {p.date: p for p in change_points(kb)}
    assert list(points) == sorted(points)
    # The Ministry of Defense Act renumbered three articles that day, and changed nothing else: the
    # clauses citing them (authorities, and the limits that cite the same articles) are renumbered.
    assert {c.kind for c in points["2007-01-09"].changes} == {ChangeKind.RENUMBERED}
    assert {c.name for c in points["2007-01-09"].changes} == {
        "law-pre2016.neo", "law-pre2016.minesweeping", "law-pre2016.logistics",
        "law-limits-pre2016.consent.logistics", "law-limits-pre2016.consent.mines",
        "law-limits-pre2016.ammunition"}
    assert "formerly SDF Law Art. 100-8" in {c.detail for c in points["2007-01-09"].changes}
    assert {(c.kind, c.name) for c in points["2016-03-29"].changes} >= {
        (ChangeKind.ENTERED, "law_2016"), (ChangeKind.EXPIRED, "law_pre2016")}
    assert all(c.source.endswith(tuple(f":{n}" for n in range(1, 10_000))) for p in points.values() for c in p.changes)


def test_the_api_answers_timelines(kb: api.KnowledgeBase) -> None:
    assert kb.change_points() == change_points(kb)
    line = kb.timeline(SHIP, actions=["sdf use_of_force(collective)"]).actions[0]
    assert line.bands[-1].start == "2016-03-29"
    across = kb.diff_across(dt.date(2016, 1, 1), dt.date(2017, 1, 1))
    assert [s.date for s in across.steps] == ["2016-03-29"] and not across.equivalent


def test_the_headline_label_changes_within_a_verdict_band(kb: api.KnowledgeBase) -> None:
    [line] = scenario_timeline(kb, "us_ship_attacked_survival_threatened",
                               actions=["sdf use_of_force(collective)"]).actions
    assert [(b.start, b.verdict.value) for b in line.bands] == [("1954-07-01", "not permitted"),
                                                                ("2016-03-29", "permitted")]
    assert [(b.start, b.label, b.status) for b in line.labels] == [
        ("1954-07-01", "no_basis", None), ("2015-04-27", "contemplated_no_statute", None),
        ("2016-03-29", "lawful_alliance_cooperation", "permitted")]


def test_label_bands_of_differing_readings_change_when_the_labels_do(kb: api.KnowledgeBase) -> None:
    # With unknown facts the readings differ: no headline, but the labels they give change in 2016.
    [line] = scenario_timeline(kb, SHIP, actions=["sdf use_of_force(collective)"]).actions
    differing = [b for b in line.labels if b.label is None]
    assert [b.description for b in differing][-1] == "forbidden or lawful alliance cooperation"
    assert differing[-1].start == "2016-03-29"
    for before, after in zip(line.labels, line.labels[1:], strict=False):
        assert before.end == after.start and (before.label, before.description) != (after.label, after.description)


WHOLE_TIMELINE = (dt.date(1954, 7, 1), dt.date(2018, 1, 1))


@pytest.mark.parametrize("witnesses", [0, 1])
def test_across_steps_are_the_same_in_one_process_or_several(kb: api.KnowledgeBase, witnesses: int) -> None:
    one = kb.diff_across(*WHOLE_TIMELINE, witnesses=witnesses, jobs=1)
    assert len(one.steps) >= across.STEPS_PARALLEL_FROM
    assert kb.diff_across(*WHOLE_TIMELINE, witnesses=witnesses, jobs=2) == one
    assert kb.diff_across(*WHOLE_TIMELINE, witnesses=witnesses, jobs=3) == one


def test_across_shares_small_steps_and_leaves_a_large_diff_its_processes(
        kb: api.KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only counts are asked for, nothing is forked: whether a thread some other test left running
    # would stop a fork does not matter here.
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    ids = [e.id for e in kb.editions()]
    pairs = list(itertools.pairwise(ids))
    assert len(pairs) >= across.STEPS_PARALLEL_FROM
    assert across.step_processes(kb.rules, pairs, 2) == 2
    assert across.step_processes(kb.rules, pairs, 1) == 1  # one process, as asked
    assert across.step_processes(kb.rules, pairs[: across.STEPS_PARALLEL_FROM - 1], None) == 1  # too few
    assert across.step_processes(kb.rules, pairs[:2], 4) == 2  # never more processes than steps
    monkeypatch.setattr(behaviour, "SPLIT_FROM", 0)  # every diff now counts as large: it shares its slices
    assert across.step_processes(kb.rules, pairs, 2) == 1


def test_the_error_of_the_earliest_failing_step_is_the_one_raised(
        kb: api.KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    real = across.diff_sides
    afters = [step.diff.b.edition.id for step in kb.diff_across(*WHOLE_TIMELINE, witnesses=0, jobs=1).steps]
    place = {edition: i for i, edition in enumerate(afters)}

    def slow_then_refused(a: Side, b: Side, **options: Any) -> DiffResult:
        if place[b.edition] == 1:
            time.sleep(0.3)  # the later steps fail first, in the other process
        if place[b.edition] >= 1:
            raise ScenarioError(f"refused at {b.edition}")
        return real(a, b, **options)

    monkeypatch.setattr(across, "diff_sides", slow_then_refused)
    for jobs in (1, 2):
        with pytest.raises(ScenarioError, match=f"refused at {afters[1]}$"):
            kb.diff_across(*WHOLE_TIMELINE, witnesses=0, jobs=jobs)
