"""`accord diff` on the command line: formats, `--fail-on` gates and exit codes.

Transcripts of the main cases are golden files (tests/test_golden.py, `diff_*`); these tests check
the behaviour that a transcript alone would not make obvious.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from conftest import Run

Cli = Callable[..., Run]
LINEAGE = ("e_old", "e_new", "-r", "diff/lineage")


@pytest.mark.parametrize(("gates", "code"), [
    ((), 0),
    (("new-permissions",), 1),
    (("removed-permissions",), 1),
    (("any",), 1),
    (("new-permissions", "removed-permissions"), 1),
])
def test_fail_on_gates(cli: Cli, gates: tuple[str, ...], code: int) -> None:
    args = [a for g in gates for a in ("--fail-on", g)]
    run = cli(["diff", *LINEAGE, "--witnesses", "0", *args])
    assert run.code == code, run.transcript()
    if code:
        assert run.stderr.startswith("accord: --fail-on: ")


def test_gates_pass_when_nothing_changes(cli: Cli) -> None:
    run = cli(["diff", "mini", "diff/reformatted", "--fail-on", "any"])
    assert run.code == 0, run.transcript()
    assert "Equivalent:" in run.stdout and "Proof:" in run.stdout
    run = cli(["diff", "mini", "diff/mini_edited.accord", "--fail-on", "new-permissions"])
    assert run.code == 0, run.transcript()  # only a permission was removed


def test_json_and_markdown(cli: Cli) -> None:
    run = cli(["diff", *LINEAGE, "--format", "json", "--given", "not cabinet"])
    assert run.code == 0, run.transcript()
    data = json.loads(run.stdout)
    assert data["space"]["given"] == ["not cabinet"]
    assert [t["action"] for t in data["behaviour"]] == ["inspect", "force", "force"]
    run = cli(["diff", *LINEAGE, "--format", "markdown", "--action", "inspect", "--group", "action"])
    assert run.code == 0, run.transcript()
    assert run.stdout.startswith("# accord diff: e_old -> e_new\n")
    assert "| A `e_old` | B `e_new` |" in run.stdout


def test_the_number_of_processes_changes_nothing_printed(cli: Cli) -> None:
    one = cli(["diff", *LINEAGE, "--format", "json", "--witnesses", "2", "--jobs", "1"])
    three = cli(["diff", *LINEAGE, "--format", "json", "--witnesses", "2", "-j", "3"])
    assert one.code == three.code == 0
    assert one.stdout == three.stdout


def test_same_output_on_a_rerun(cli: Cli) -> None:
    first = cli(["diff", *LINEAGE, "--format", "json", "--witnesses", "3"])
    again = cli(["diff", *LINEAGE, "--format", "json", "--witnesses", "3"], hash_seed="1")
    assert first.stdout == again.stdout


@pytest.mark.parametrize(("args", "code", "words"), [
    (("diff", *LINEAGE, "--given", "attack(mars)"), 2, "not a member of sort"),
    (("diff", *LINEAGE, "--actor", "nobody"), 2, "actor `nobody`"),
    (("diff", "e_old", "diff/lineage", "-r", "diff/lineage"), 0, ""),
    (("diff", "diff/lineage", "diff/lineage@e_new"), 2, "@EDITION"),
    (("diff", "mini", "bad/syntax.accord"), 3, ""),
    (("diff", "mini", "nowhere/at/all"), 2, "neither an edition"),
    (("diff", *LINEAGE, "--witnesses", "-1"), 2, ""),
    (("diff", *LINEAGE, "--jobs", "0"), 2, "--jobs"),
])
def test_errors_and_exit_codes(cli: Cli, args: tuple[str, ...], code: int, words: str) -> None:
    run = cli(list(args))
    assert run.code == code, run.transcript()
    assert words in run.stderr
    assert "Traceback" not in run.stderr
