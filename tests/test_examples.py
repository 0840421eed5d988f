"""The rule bases under examples/: each checks, formats, passes its own tests and accounts for its sources.

examples/nato is the North Atlantic Treaty written by hand in the rule language. These tests run
the commands its README walks a newcomer through, so the example and its walkthrough stay true.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import TESTS, Run

Cli = Callable[..., Run]
ROOT = TESTS.parent
NATO = ROOT / "examples" / "nato"
README = NATO / "README.md"
# The one-article change of the walkthrough: the 1951 protocol without the Mediterranean.
EDIT_FILE = "protocol_1951.accord"
EDIT_OLD = "territory(P) or P = mediterranean or P = north_atlantic"
EDIT_NEW = "territory(P) or P = north_atlantic"


def nato(cli: Cli, *args: str, cwd: Path = ROOT) -> Run:
    return cli(list(args), cwd=cwd)


def test_check(cli: Cli) -> None:
    run = nato(cli, "check", "examples/nato")
    assert run.code == 0, run.transcript()
    assert run.stdout.startswith("ok: 8 modules, 3 editions, 13 clauses, "), run.transcript()
    assert "0 errors, 0 warnings" in run.stdout, run.transcript()


def test_tests_pass_and_exercise_every_clause(cli: Cli) -> None:
    run = nato(cli, "test", "--coverage", "--min", "100", "examples/nato")
    assert run.code == 0, run.transcript()
    assert " 0 failed " in run.stdout, run.transcript()
    assert "minimum 100% per edition: met" in run.stdout, run.transcript()


def test_at_least_fifteen_tests_each_citing(cli: Cli) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(NATO.glob("tests_*.accord")))
    expectations = [line.strip() for line in text.splitlines() if line.strip().startswith("expect ")]
    assert text.count("\ntest ") >= 15
    assert expectations and all(' because "' in line for line in expectations)


def test_coverage_accounts_for_every_article(cli: Cli) -> None:
    run = nato(cli, "coverage", "--rules", "examples/nato", "--missing")
    assert run.code == 0, run.transcript()
    assert "20 of 20 sections accounted for (100.0%)." in run.stdout, run.transcript()
    full = nato(cli, "coverage", "--rules", "examples/nato")
    for article in range(1, 15):
        assert f"NAT Art. {article} " in full.stdout, f"NAT Art. {article} is not a source section"


def test_files_are_canonical(cli: Cli) -> None:
    run = nato(cli, "fmt", "--check", "examples/nato")
    assert run.code == 0, run.transcript()


def test_editions_by_date(cli: Cli) -> None:
    run = nato(cli, "query", "-r", "examples/nato", "--as-of", "1951-12-31", "us_ship_mediterranean")
    assert run.code == 0, run.transcript()
    assert run.stdout.startswith("The law in force from 1949-08-24 until 1952-02-18")
    assert "assist(armed_force" not in run.stdout
    run = nato(cli, "query", "-r", "examples/nato", "--as-of", "1952-02-18", "us_ship_mediterranean")
    assert run.code == 0, run.transcript()
    assert run.stdout.startswith("The law in force from 1952-02-18 until 1955-05-06")
    assert "france assist(armed_force, united_states)" in run.stdout


def test_diff_of_the_protocol_reads_by_cause(cli: Cli) -> None:
    run = nato(cli, "diff", "--rules", "examples/nato", "e1949", "e1952")
    assert run.code == 0, run.transcript()
    out = " ".join(run.stdout.split())
    assert "CHANGES BY CAUSE (1 cause(s), " in out, run.transcript()  # the protocol amends definitions only
    assert "Clauses: 0 added, 0 removed, 0 changed, 13 carried over." in out, run.transcript()
    assert "definitions or domain constraints did: in_area, party, territory, waters" in out, run.transcript()
    assert len(run.stdout.splitlines()) < 130, run.transcript()


def test_readme_walkthrough_diff(cli: Cli, tmp_path: Path) -> None:
    """Copy the folder, drop the Mediterranean from the 1951 Art. 6, diff: one cause, a screenful."""
    readme = README.read_text(encoding="utf-8")
    assert "cp -r examples/nato my-nato" in readme
    assert "accord diff examples/nato/@e1952 my-nato/@e1952" in readme
    assert "sed -i 's/ or P = mediterranean//' my-nato/protocol_1951.accord" in readme
    shutil.copytree(NATO, tmp_path / "my-nato")
    edited = tmp_path / "my-nato" / EDIT_FILE
    text = edited.read_text(encoding="utf-8")
    assert text.count(EDIT_OLD) == 1 and text.count(" or P = mediterranean") == 1
    edited.write_text(text.replace(EDIT_OLD, EDIT_NEW), encoding="utf-8")
    shutil.copytree(NATO, tmp_path / "examples" / "nato")
    run = nato(cli, "diff", "examples/nato/@e1952", "my-nato/@e1952", cwd=tmp_path)
    assert run.code == 0, run.transcript()
    out = " ".join(run.stdout.split())  # the report wraps at the terminal's width
    assert "Clauses: 0 added, 0 removed, 0 changed, 13 carried over." in out, run.transcript()
    assert "CHANGES BY CAUSE (1 cause(s), " in out, run.transcript()
    assert "definitions or domain constraints did: waters" in out, run.transcript()
    assert "assist({armed_force, other_measures}, {belgium," in out, run.transcript()
    assert "newly" not in out, run.transcript()
    assert len(run.stdout.splitlines()) <= 64, run.transcript()
    gate = nato(cli, "diff", "examples/nato/@e1952", "my-nato/@e1952", "--fail-on", "removed-permissions",
                "--witnesses", "0", cwd=tmp_path)
    assert gate.code == 1, gate.transcript()


# ---- examples/consultation: a threshold over integers --------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("check", "examples/consultation"),
    ("fmt", "--check", "examples/consultation"),
    ("test", "--coverage", "--min", "100", "examples/consultation"),
    ("coverage", "--rules", "examples/consultation", "--missing"),
])
def test_consultation(cli: Cli, args: tuple[str, ...]) -> None:
    run = nato(cli, *args)
    assert run.code == 0, run.transcript()
    assert "0 warnings" in run.stdout or args[0] != "check", run.transcript()


@pytest.mark.parametrize(("troops", "verdict"), [("9", "PERMITTED"), ("10", "FORBIDDEN"), ("200", "FORBIDDEN")])
def test_consultation_threshold(cli: Cli, troops: str, verdict: str) -> None:
    run = nato(cli, "query", "-r", "examples/consultation", "-e", "e1960", "--fact",
               f"ground_troops_introduced({troops})")
    assert run.code == 0 and f"\n{verdict}" in run.stdout, run.transcript()


def test_every_example_base_together(cli: Cli) -> None:
    run = nato(cli, "test", "--rules", "examples/accord.toml")
    assert run.code == 0, run.transcript()
    assert [line for line in run.stdout.splitlines() if line.startswith("== ")] == [
        "== rule base consultation ==", "== rule base nato ==", "== rule base usjapan =="]
