"""`accord diff --group`: behaviour changes by cause, patterns merging actors and arguments, limits,
and the Markdown and HTML exports (accord.analyses.diff.changelog, accord.report.changelog)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

from accord import api
from accord.analyses.diff.changelog import changelog
from accord.report.changelog import changelog_html, changelog_markdown
from accord.results.diff import DiffResult, Direction

RULES = Path(__file__).resolve().parents[1] / "rules"
Cli = Callable[..., Run]


@pytest.fixture(scope="module")
def bundled() -> api.KnowledgeBase:
    return api.load()


def _changes(result: DiffResult) -> list[tuple[str, str, tuple[str, ...], str, str]]:
    return sorted((t.actor, t.action, t.arguments, c.status.value, d.value)
                  for t in result.behaviour for c in t.changes for d in Direction if c.witnesses(d))


@pytest.mark.parametrize(("a", "b"), [("1997", "2015"), ("e2015", "e2016"), ("e1960", "e1978")])
def test_every_change_lands_in_exactly_one_pattern(bundled: api.KnowledgeBase, a: str, b: str) -> None:
    result = bundled.diff(a, b)
    for grouping in ("cause", "none"):
        log = changelog(result, grouping)
        listed = sorted((i.actor, p.action, i.arguments, p.status.value, p.direction.value)
                        for c in log.causes for p in c.patterns for i in p.instances)
        assert listed == _changes(result)
        assert log.instances == len(listed)


def test_a_cause_names_the_changed_clauses_that_decide_its_example(bundled: api.KnowledgeBase) -> None:
    result = bundled.diff("1997", "2015")
    log = changelog(result)
    assert log.causes
    for cause in log.causes:
        for p in cause.patterns:
            deciding = {("a", c.id) for c in p.example.a.clauses} | {("b", c.id) for c in p.example.b.clauses}
            for change in cause.changes:
                sides = {("a", c.id) for c in change.a} | {("b", c.id) for c in change.b}
                assert sides & deciding, (cause, p)
    named = {id(c) for cause in log.causes for c in cause.changes}
    assert all(id(c) not in named for c in log.quiet)


def test_one_amended_clause_reads_in_a_screen(tmp_path: Path, cli: Cli) -> None:
    """A copy of the bundled rules with one clause's condition changed: one cause, a few lines."""
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    law = copy / "law_2016.accord"
    text = law.read_text(encoding="utf-8")
    clause = re.search(r"clause law2016\.sdf-95-2 \{.*?\n\}", text, flags=re.S)
    assert clause is not None
    edited = clause.group(0).replace("us_request and sdf_order", "us_request", 1)  # drop one condition
    law.write_text(text.replace(clause.group(0), edited), encoding="utf-8")
    run = cli(["diff", "e2016", f"{copy}@e2016"])
    assert run.code == 0, run.transcript()
    assert "CHANGES BY CAUSE (1 cause(s)" in run.stdout
    assert "changed law2016.sdf-95-2" in run.stdout
    assert len(run.stdout.splitlines()) < 40


def test_group_none_lists_each_change_and_limit_hides_the_rest(cli: Cli) -> None:
    run = cli(["diff", "e_old", "e_new", "-r", "diff/lineage", "--group", "none", "--limit", "1"])
    assert run.code == 0, run.transcript()
    assert re.search(r"^CHANGES \(\d+\)$", run.stdout, flags=re.M)
    assert "more change(s): raise --limit" in run.stdout
    every = cli(["diff", "e_old", "e_new", "-r", "diff/lineage", "--group", "none", "--limit", "0"])
    assert "more change(s)" not in every.stdout
    assert len(every.stdout) > len(run.stdout)


def test_group_action_keeps_every_witness_and_limits_actions(cli: Cli) -> None:
    run = cli(["diff", "e_old", "e_new", "-r", "diff/lineage", "--group", "action", "--limit", "1"])
    assert run.code == 0, run.transcript()
    assert "witness 1" in run.stdout
    assert "more changed action(s) not shown" in run.stderr


def test_a_pattern_merges_actors_and_each_argument_position(bundled: api.KnowledgeBase) -> None:
    log = changelog(bundled.diff("1997", "2015"))
    merged = [p for c in log.causes for p in c.patterns if p.count > 1]
    assert merged
    for p in merged:
        label = p.label
        for i in p.instances:
            assert i.actor in label and all(arg in label for arg in i.arguments)


HOSTILE = """module m "m"
sort actor { sdf "SDF" }
fact f "a <script>alert(1)</script> | *fact*"
action act by sdf "act"
clause c1 {
  cite "Art. <b>1</b>"
  sdf may act
  when f
  says "x"
}
edition e1 { title "One <i>edition</i>" in_force 2000-01-01 include m }
"""


def test_exports_escape_rule_text(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "m.accord").write_text(HOSTILE, encoding="utf-8")
    (new / "m.accord").write_text(HOSTILE.replace("when f", "when not f"), encoding="utf-8")
    kb = api.load(old)
    result = kb.diff("e1", f"{new}@e1")
    log = changelog(result)
    page = changelog_html(result, log, 0)
    assert "<b>" not in page and "<i>" not in page and "<script>" not in page
    assert "Art. &lt;b&gt;1&lt;/b&gt;" in page
    markdown = changelog_markdown(result, log, 0)
    assert "<b>" not in markdown and "\\<b\\>" in markdown


def test_without_witnesses_every_change_is_listed_as_untraced(bundled: api.KnowledgeBase) -> None:
    """`--witnesses 0`: nothing names a cause, so no clause change is called quiet either."""
    traced = bundled.diff("e2015", "e2016")
    result = bundled.diff("e2015", "e2016", witnesses=0)
    log = changelog(result)
    assert [c.traced for c in log.causes] == [False]
    assert log.quiet == ()
    listed = sorted((i.actor, p.action, i.arguments, p.status.value, p.direction.value)
                    for c in log.causes for p in c.patterns for i in p.instances)
    assert listed == _changes(traced)
    assert all(p.example is None for c in log.causes for p in c.patterns)
    assert "causes not traced" in changelog_markdown(result, log, 0)
