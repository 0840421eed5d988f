"""Cutting the behaviour diff into slices (accord.analyses.diff.slice) gives the answers of the whole program.

A large diff is solved in slices, a small one whole; here both ways run on the same two editions
and must agree: the same changes, and first witnesses with the same (fewest) number of facts. The
sliced witnesses are checked on their own too: queried on both editions they show the change, and
dropping any one fact loses it (or breaks a constraint). On random rule sets (the strategies of
test_diff_laws.py), on synthetic bases (bench/synth.py) with several seeds, and on small bases
whose domain constraints force facts or tie facts of different actions together, with given facts.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ACCORD, cli_env, synth_module
from hypothesis import HealthCheck, given, settings
from test_diff_laws import two_editions

from accord import api
from accord.analyses.diff.behaviour import behaviour
from accord.analyses.diff.program import Target, targets
from accord.analyses.timeline import segments
from accord.knowledge.facts import parse_fact
from accord.language import ast, ir
from accord.language.check import check
from accord.language.diagnostics import Sink
from accord.language.resolve import resolve
from accord.results.diff import Direction, Status, TargetDiff
from accord.results.query import Extent
from accord.solve import SolveTimeout

Change = tuple[str, str, tuple[str, ...], Status, Direction]


def _both(kb: api.KnowledgeBase, a: str, b: str, given: tuple[str, ...] = (), witnesses: int = 1,
          other: api.KnowledgeBase | None = None,
          ) -> tuple[tuple[TargetDiff, ...] | None, tuple[TargetDiff, ...] | None]:
    """The behaviour diff sliced and whole: edition `a` of `kb` against edition `b` of `other` (or `kb`)."""
    va, vb = kb.rules.edition_view(a), (other or kb).rules.edition_view(b)
    compared = targets(va, vb)
    fixed: dict[ir.GroundAtom, bool] = {}
    for text in given:
        value = not text.startswith("not ")
        fixed[parse_fact(kb.rules, text.removeprefix("not "))] = value
    return tuple(behaviour(va, vb, compared, fixed, witnesses, None, split=s) for s in (True, False))  # type: ignore[return-value]


def _first_sizes(found: tuple[TargetDiff, ...]) -> dict[Change, int]:
    return {(t.actor, t.action, t.arguments, c.status, d): len(c.witnesses(d)[0].facts)
            for t in found for c in t.changes for d in Direction if c.witnesses(d)}


def _status(kb: api.KnowledgeBase, edition: str, facts: tuple[str, ...], t: TargetDiff, status: Status) -> bool | None:
    result = kb.query(edition, facts=facts)
    if not result.possible:
        return None
    return getattr(result.action(t.actor, t.action, t.arguments), status.value) is Extent.ALWAYS


def _check_witnesses(kb: api.KnowledgeBase, a: str, b: str, found: tuple[TargetDiff, ...],
                     given: tuple[str, ...] = ()) -> None:
    """Each witness shows its change on both editions, holds the given facts, and is subset-minimal."""
    for t in found:
        for c in t.changes:
            for d in Direction:
                for w in c.witnesses(d):
                    assert {g for g in given if not g.startswith("not ")} <= set(w.facts)
                    want = (False, True) if d is Direction.GAINED else (True, False)
                    assert (_status(kb, a, w.facts, t, c.status), _status(kb, b, w.facts, t, c.status)) == want
                    for dropped in w.facts:
                        if dropped in given:
                            continue
                        rest = tuple(f for f in w.facts if f != dropped)
                        assert (_status(kb, a, rest, t, c.status), _status(kb, b, rest, t, c.status)) != want


def _agree(kb: api.KnowledgeBase, a: str, b: str, given: tuple[str, ...] = (),
           other: api.KnowledgeBase | None = None) -> tuple[TargetDiff, ...] | None:
    split, whole = _both(kb, a, b, given, other=other)
    if split is None or whole is None:
        assert split is whole is None
        return None
    assert _first_sizes(split) == _first_sizes(whole)
    assert [(t.actor, t.action, t.arguments, t.description) for t in split] == \
        [(t.actor, t.action, t.arguments, t.description) for t in whole]
    assert [[(c.status, c.movement) for c in t.changes] for t in split] == \
        [[(c.status, c.movement) for c in t.changes] for t in whole]
    assert _layer_changes(split) == _layer_changes(whole)
    return split


def _layer_changes(found: tuple[TargetDiff, ...]) -> list[list[tuple[object, ...]]]:
    """Per target, each layer's verdict change: layer, verdict, movement and the first witness sizes."""
    return [[(c.layer, c.verdict, c.movement, *(len(ws[0].facts) if ws else None for ws in (c.gained, c.lost)))
             for c in t.layer_changes] for t in found]


def _load(modules: list[ast.Module]) -> api.KnowledgeBase:
    sink = Sink()
    base = check(resolve(modules, sink), sink)
    sink.raise_if_errors()
    return api.KnowledgeBase(base)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_editions())
def test_sliced_equals_whole_on_random_rule_sets(modules: list[ast.Module]) -> None:
    kb = _load(modules)
    found = _agree(kb, "ea", "eb")
    if found is not None:
        _check_witnesses(kb, "ea", "eb", found)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("n", [100, 200])
def test_sliced_equals_whole_on_synthetic_bases(tmp_path: Path, n: int, seed: int) -> None:
    synth_module().generate(tmp_path, n, seed)
    kb = api.load(tmp_path)
    found = _agree(kb, "e_old", "e_new")
    assert found
    _check_witnesses(kb, "e_old", "e_new", found[:15])


@pytest.mark.parametrize("seed", range(3))
def test_sliced_equals_whole_with_most_facts_given(tmp_path: Path, seed: int) -> None:
    """As the benchmarks restrict a space: every fact but a few given as false, one as true."""
    synth = synth_module().generate(tmp_path, 150, seed)
    kb = api.load(tmp_path)
    space = synth.fact_space()
    rng = random.Random(seed)
    free = set(rng.sample(space, 10))
    true = rng.choice(sorted(free))
    given = (true, *(f"not {f}" for f in space if f not in free))
    found = _agree(kb, "e_old", "e_new", given)
    assert found is not None
    _check_witnesses(kb, "e_old", "e_new", found[:10], given)


def test_a_sliced_diff_is_the_same_under_every_hash_seed(tmp_path: Path) -> None:
    """A base large enough to be sliced, through the command, under two hash seeds: the same bytes."""
    if not ACCORD.exists():
        pytest.skip("the accord command is not installed next to the interpreter")
    synth_module().generate(tmp_path / "rules", 400, 3)
    args = [str(ACCORD), "diff", f"{tmp_path / 'rules'}@e_old", f"{tmp_path / 'rules'}@e_new", "--witnesses", "2",
            "--format", "json"]
    runs = [subprocess.run(args, env=cli_env(seed, {"ACCORD_CACHE": "0"}), capture_output=True, timeout=300,
                           check=False) for seed in ("0", "12345")]
    assert runs[0].returncode == 0, runs[0].stderr[-500:]
    assert json.loads(runs[0].stdout)["behaviour"]
    assert (runs[0].returncode, runs[0].stdout, runs[0].stderr) == (runs[1].returncode, runs[1].stdout, runs[1].stderr)


def test_a_sliced_diff_keeps_the_time_limit(tmp_path: Path) -> None:
    synth_module().generate(tmp_path, 100, 0)
    kb = api.load(tmp_path)
    va, vb = kb.rules.edition_view("e_old"), kb.rules.edition_view("e_new")
    with pytest.raises(SolveTimeout):
        behaviour(va, vb, targets(va, vb), {}, 1, 0.0, split=True)
    assert behaviour(va, vb, targets(va, vb), {}, 1, 60.0, split=True)


TIED = """
module v "vocabulary"
sort actor { sdf "SDF", usf "USF" }
sort place { sea, land }
fact base "the base is open"
fact alarm "an alarm"
fact calm "calm"
fact storm(place) "a storm"
fact order "an order"
fact drill "a drill"
fact radio "radio contact"
action patrol(place) by sdf "patrol"
action rescue by sdf, usf "rescue"
action train by usf "train"
action report by sdf "report"
define rough(P: place) "rough weather":
  storm(P) and not calm
define stormy "a storm somewhere":
  storm(sea) or storm(land)
constraint base_open "the base is always open":
  never not base
constraint alarm_needs_storm "an alarm needs a storm":
  never alarm and not rough(sea) and not rough(land)
constraint quiet "no alarm in calm":
  never alarm and calm
constraint drill_or_radio "a drill or radio contact":
  never not drill and not radio

module sh "in both editions"
import v
clause s.report {
  cite "S 1"
  sdf must report
  when order
  says "report"
}

module a "edition A"
import v
clause a.patrol {
  cite "A 1"
  sdf may patrol(P)
  when base and not rough(P)
  says "patrol"
}
clause a.rescue {
  cite "A 2"
  usf may rescue
  when alarm
  says "rescue"
}
clause a.train {
  cite "A 3"
  usf may train
  when drill
  says "train"
}

module b "edition B"
import v
clause b.patrol {
  cite "B 1"
  sdf may patrol(P)
  when base and calm
  says "patrol"
}
clause b.rescue {
  cite "B 2"
  usf may rescue
  when alarm and order
  replaces a.rescue
  says "rescue"
}
clause b.rescue2 {
  cite "B 3"
  sdf may rescue
  when stormy and not rough(land)
  says "rescue"
}
clause b.train {
  cite "B 4"
  usf must not train
  when radio and not drill
  says "train"
}

module e "editions"
edition ea {
  title "A"
  in_force 2000-01-01
  include sh, a
}
edition eb {
  title "B"
  in_force 2010-01-01
  include sh, b
}
"""


def _write(folder: Path, text: str) -> api.KnowledgeBase:
    for i, module in enumerate(text.strip().split("\n\nmodule ")):
        (folder / f"m{i}.accord").write_text(module if i == 0 else "module " + module, encoding="utf-8")
    return api.load(folder)


@pytest.fixture(scope="module")
def tied(tmp_path_factory: pytest.TempPathFactory) -> api.KnowledgeBase:
    return _write(tmp_path_factory.mktemp("tied"), TIED)


# An edited copy: `rough` means something else, so what reaches it (the constraint on alarms) cannot
# take A's definitions, while `stormy` can; `calm_sea` is new and only B's.
EDITED = TIED.replace(
    "  storm(P) and not calm\n", '  storm(P)\ndefine calm_sea "calm at sea":\n  calm and not storm(sea)\n'
).replace("  when base and calm\n", "  when base and calm_sea\n")


@pytest.mark.parametrize("given_facts", [(), ("alarm",), ("not calm",)])
def test_an_edited_copy_with_other_definitions(tied: api.KnowledgeBase, tmp_path: Path,
                                                given_facts: tuple[str, ...]) -> None:
    edited = _write(tmp_path, EDITED)
    for a, b in ((tied, edited), (edited, tied)):
        found = _agree(a, "eb", "eb", given_facts, other=b)
        assert found is not None
        assert found or given_facts, "the edit changes what is permitted"


@pytest.mark.parametrize("given_facts", [(), ("order",), ("storm(sea)",), ("not drill",), ("alarm", "not order"),
                                         ("calm", "storm(land)")])
def test_forced_and_tied_facts(tied: api.KnowledgeBase, given_facts: tuple[str, ...]) -> None:
    found = _agree(tied, "ea", "eb", given_facts)
    assert found is not None
    _check_witnesses(tied, "ea", "eb", found, given_facts)
    every = [w.facts for t in found for c in t.changes for d in Direction for w in c.witnesses(d)]
    assert every and all("base" in facts for facts in every)  # the constraint forces it everywhere
    assert all("drill" in facts or "radio" in facts for facts in every)


def test_unchanged_actions_are_left_out(tied: api.KnowledgeBase) -> None:
    found = _agree(tied, "ea", "eb")
    assert found is not None
    assert ("sdf", "report") not in {(t.actor, t.action) for t in found}
    assert Target("usf", "train", ()) in {Target(t.actor, t.action, t.arguments) for t in found}


@pytest.mark.parametrize("given_facts", [("not base",), ("alarm", "calm"), ("not drill", "not radio")])
def test_an_empty_space_is_found_either_way(tied: api.KnowledgeBase, given_facts: tuple[str, ...]) -> None:
    assert _both(tied, "ea", "eb", given_facts) == (None, None)


def test_several_witnesses_per_change(tied: api.KnowledgeBase) -> None:
    split, whole = _both(tied, "ea", "eb", witnesses=3)
    assert split is not None and whole is not None
    assert _first_sizes(split) == _first_sizes(whole)
    for s, w in zip(split, whole, strict=True):
        for cs, cw in zip(s.changes, w.changes, strict=True):
            for d in Direction:
                assert len(cs.witnesses(d)) == len(cw.witnesses(d))
                assert len(set(cs.witnesses(d))) == len(cs.witnesses(d))
    _check_witnesses(tied, "ea", "eb", split)


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slices go to forked processes even while threads of other tests' harness are alive (an LSP
    client's reader, say), which would otherwise keep a diff in one process; none of them touches
    what a child uses."""
    from accord.util import forked

    if not hasattr(forked.os, "fork"):
        pytest.skip("processes cannot fork here")
    monkeypatch.setattr(forked, "can_fork", lambda: True)


@pytest.mark.usefixtures("forking")
def test_a_sliced_diff_is_the_same_whatever_the_number_of_processes(tmp_path: Path) -> None:
    """Slices shared among 1, 2 or 3 forked processes: the same result, witnesses included."""
    synth_module().generate(tmp_path, 400, 5)
    kb = api.load(tmp_path)
    va, vb = kb.rules.edition_view("e_old"), kb.rules.edition_view("e_new")
    found = [behaviour(va, vb, targets(va, vb), {}, 2, None, split=True, jobs=jobs) for jobs in (1, 2, 3)]
    assert found[0]
    assert found[0] == found[1] == found[2]
    whole = api.load(tmp_path).diff("e_old", "e_new", witnesses=2, jobs=1)
    assert whole == api.load(tmp_path).diff("e_old", "e_new", witnesses=2, jobs=3)


@pytest.mark.usefixtures("forking")
def test_a_time_limit_met_in_a_worker_process_stops_the_diff(tmp_path: Path) -> None:
    synth_module().generate(tmp_path, 100, 0)
    kb = api.load(tmp_path)
    va, vb = kb.rules.edition_view("e_old"), kb.rules.edition_view("e_new")
    with pytest.raises(SolveTimeout):
        behaviour(va, vb, targets(va, vb), {}, 1, 0.0, split=True, jobs=2)


def test_how_many_processes_share_the_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analyses.diff import behaviour as module

    monkeypatch.setattr(module.forked, "cores", lambda: 4)
    monkeypatch.setattr(module.forked, "can_fork", lambda: True)
    assert module.shares(module.PARALLEL_FROM - 1, None) == 1  # too few slices to be worth a fork
    assert module.shares(module.PARALLEL_FROM, None) == 4
    assert module.shares(3, 8) == 3  # never more processes than slices
    assert module.shares(500, 2) == 2
    monkeypatch.setattr(module.forked, "can_fork", lambda: False)
    assert module.shares(500, 4) == 1


def test_when_the_clause_half_runs_in_a_process_of_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from accord.analyses.diff import behaviour as module

    synth_module().generate(tmp_path, 250, 5)
    kb = api.load(tmp_path)
    va, vb = kb.rules.edition_view("e_old"), kb.rules.edition_view("e_new")
    assert len(va.clauses) + len(vb.clauses) >= module.SPLIT_FROM
    monkeypatch.setattr(module.forked, "cores", lambda: 2)
    monkeypatch.setattr(module.forked, "can_fork", lambda: True)
    assert module.shared(va, vb, None)
    assert module.shared(va, vb, 3)
    assert not module.shared(va, vb, 1)  # one process: everything here
    small = api.load().rules
    assert not module.shared(small.edition_view("e1997"), small.edition_view("e2015"), None)
    monkeypatch.setattr(module.forked, "cores", lambda: 1)
    assert not module.shared(va, vb, None)
    monkeypatch.setattr(module.forked, "can_fork", lambda: False)
    assert not module.shared(va, vb, 4)


# ---- layers of authority ----------------------------------------------------------------------------


RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture(scope="module")
def bundled() -> api.KnowledgeBase:
    return api.load(RULES)


def _dated_editions(kb: api.KnowledgeBase) -> list[str]:
    out: list[str] = []
    for day in segments(kb):
        edition = kb.edition_as_of(day).id
        if not out or out[-1] != edition:
            out.append(edition)
    return out


def test_sliced_equals_whole_on_the_bundled_editions_layers_included(bundled: api.KnowledgeBase) -> None:
    """A clause that says what another says already, in another layer, changes only that layer's
    verdict (sdf alliance_coordination gains the 2015 Guidelines beside a standing statute): the
    slices must not take the two sides' clauses for alike."""
    editions = [e.id for e in bundled.editions()]
    layered = 0
    for a, b in [*itertools.pairwise(editions), (editions[0], editions[-1])]:
        found = _agree(bundled, a, b)
        assert found is not None
        layered += sum(not t.changes and bool(t.layer_changes) for t in found)
    assert layered, "some action changes in a layer's verdict only"


def test_sliced_equals_whole_at_every_change_point_of_the_bundled_timeline(bundled: api.KnowledgeBase) -> None:
    for a, b in itertools.pairwise(_dated_editions(bundled)):
        assert _agree(bundled, a, b) is not None


def test_other_layers_of_authority_are_a_change_even_with_the_same_clauses(
        bundled: api.KnowledgeBase, tmp_path: Path) -> None:
    """The same clauses under another authority (the Guidelines contemplate only what they require):
    every action they permit without requiring it changes in the guidelines layer."""
    shutil.copytree(RULES, tmp_path / "rules")
    authority = tmp_path / "rules" / "authority.accord"
    text = authority.read_text(encoding="utf-8")
    old = 'contemplated "the two governments contemplate it" when permitted'
    assert old in text
    authority.write_text(text.replace(old, old.replace("when permitted", "when required")), encoding="utf-8")
    other = api.load(tmp_path / "rules")
    found = _agree(bundled, "e2016", "e2016", other=other)
    assert found is not None
    assert any(c.layer == "guidelines" for t in found for c in t.layer_changes)
