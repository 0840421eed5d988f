"""Golden files: emitted ASP, rendered diagnostics and CLI transcripts, compared byte for byte.

The CLI runs in a subprocess with tests/fixtures as its working folder, so file names in the output
are relative and stable. `pytest --update-goldens` (or ACCORD_UPDATE_GOLDENS=1) rewrites the files
under tests/golden/ from the current output; review the diff before keeping it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, Run
from test_bases import TRANSCRIPTS as BASES

Cli = Callable[..., Run]
Golden = Callable[[str, str], None]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_RULES, EXIT_IMPOSSIBLE, EXIT_TIMEOUT, EXIT_CAP = 0, 1, 2, 3, 4, 5, 6


# ---- emitted ASP ---------------------------------------------------------------------------------------------

ASP_CASES = {
    "mini": ("-e", "e1", "-r", "mini"),
    "basic": ("-e", "e", "-r", "asp/basic.accord"),
    "conditions": ("-e", "e", "-r", "asp/conditions.accord"),
    "editions_g2015_law": ("-e", "g2015_law", "-r", "editions"),
    "alliance": ("-e", "e2000", "-r", "alliance"),  # quantified actors: each clause compiled once
}


@pytest.mark.parametrize("name", sorted(ASP_CASES))
def test_emitted_asp(cli: Cli, golden: Golden, name: str) -> None:
    run = cli(["compile", *ASP_CASES[name]])
    assert (run.code, run.stderr) == (EXIT_OK, ""), run.transcript()
    golden(f"asp/{name}.lp", run.stdout)


# ---- rendered diagnostics -------------------------------------------------------------------------------------

BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.suffix == ".accord" or p.is_dir())


def test_there_are_bad_rule_files() -> None:
    assert len(BAD) >= 8


@pytest.mark.parametrize("style", ["human", "short", "json"])
@pytest.mark.parametrize("case", BAD)
def test_rendered_diagnostics(cli: Cli, golden: Golden, case: str, style: str) -> None:
    run = cli(["check", f"bad/{case}", "--diagnostics", style])
    assert run.code == EXIT_RULES, run.transcript()
    assert run.stdout == ""
    if style == "json":
        assert json.loads(run.stderr)["diagnostics"]
    golden(f"diagnostics/{Path(case).stem}.{style}", run.stderr)


# ---- CLI transcripts --------------------------------------------------------------------------------------------

TRANSCRIPTS: dict[str, tuple[tuple[str, ...], int]] = {
    # editions and vocabulary
    "editions_mini": (("editions", "-r", "mini"), EXIT_OK),
    "editions_several": (("editions", "-r", "editions"), EXIT_OK),
    "editions_json": (("editions", "-r", "editions", "--format", "json"), EXIT_OK),
    "vocab_mini": (("vocab", "-r", "mini"), EXIT_OK),
    "vocab_json": (("vocab", "-r", "mini", "--format", "json"), EXIT_OK),
    "vocab_edition": (("vocab", "-r", "editions", "-e", "g1997"), EXIT_OK),
    "when_threshold": (("when", "-r", "../../examples/consultation", "-e", "e1960", "usg", "deploy_into_japan"),
                       EXIT_OK),
    # queries
    "query_scenario": (("query", "partner_attacked", "-e", "e1", "-r", "mini"), EXIT_OK),
    "query_scenario_json": (("query", "partner_attacked", "-e", "e1", "-r", "mini", "--format", "json"), EXIT_OK),
    "query_facts": (("query", "-e", "e1", "-r", "mini", "--fact", "armed_attack_on(japan)"), EXIT_OK),
    "query_show_all": (("query", "-e", "e1", "-r", "mini", "--fact", "cabinet_decision", "--show-all"), EXIT_OK),
    "query_readings": (
        ("query", "-e", "e1", "-r", "mini", "--unknown", "armed_attack_on(japan)", "--unknown", "survival_threatened",
         "--all"),
        EXIT_OK,
    ),
    "query_readings_json": (
        ("query", "-e", "e1", "-r", "mini", "--unknown", "armed_attack_on(japan)", "--all", "--format", "json"),
        EXIT_OK,
    ),
    "query_readings_cap": (
        ("query", "-e", "e1", "-r", "mini", "--unknown", "armed_attack_on(japan)", "--unknown", "cabinet_decision",
         "--all", "--cap", "2"),
        EXIT_CAP,
    ),
    "query_impossible": (("query", "-e", "e1", "-r", "mini", "--fact", "survival_threatened"), EXIT_IMPOSSIBLE),
    "query_impossible_json": (
        ("query", "-e", "e1", "-r", "mini", "--fact", "survival_threatened", "--format", "json"),
        EXIT_IMPOSSIBLE,
    ),
    "query_outside_vocabulary": (("query", "approved", "-e", "g1997", "-r", "editions"), EXIT_OK),
    "query_as_of": (("query", "open_approval", "--as-of", "2015-06-01", "-r", "editions"), EXIT_OK),
    "query_by_year": (("query", "approved", "-e", "1997", "-r", "editions"), EXIT_OK),
    "query_required": (("query", "-e", "g2015", "-r", "editions", "--fact", "armed_attack_on(us_forces)"), EXIT_OK),
    "query_timeout": (("query", "crowded", "-e", "e", "-r", "hard", "--timeout", "0.2"), EXIT_TIMEOUT),
    # compile, check, test
    "compile_as_of": (("compile", "--as-of", "2016-01-01", "-r", "mini"), EXIT_OK),
    "check_mini": (("check", "mini"), EXIT_OK),
    "check_several": (("check", "mini", "failing", "mini/mini.accord"), EXIT_OK),
    "check_bad_short": (("check", "bad/names.accord", "bad/scenarios.accord", "--diagnostics", "short"), EXIT_RULES),
    "check_missing": (("check", "missing.accord", "mini"), EXIT_RULES),
    "test_mini": (("test", "mini"), EXIT_OK),
    "test_editions_json": (("test", "editions", "--format", "json"), EXIT_OK),
    "test_failing": (("test", "mini", "failing"), EXIT_FINDINGS),
    "test_failing_json": (("test", "mini", "failing", "--format", "json", "--name", "wrong_expectations"),
                          EXIT_FINDINGS),
    "test_bad_rules": (("test", "bad/syntax.accord"), EXIT_RULES),
    "query_bad_rules": (("query", "-e", "e1", "-r", "bad/several", "--fact", "x"), EXIT_RULES),
    # usage errors
    "usage_unknown_command": (("frobnicate",), EXIT_USAGE),
    "usage_unknown_option": (("editions", "--colour", "-r", "mini"), EXIT_USAGE),
    "usage_bad_format": (("editions", "-r", "mini", "--format", "xml"), EXIT_USAGE),
    "usage_missing_edition": (("query", "partner_attacked", "-r", "mini"), EXIT_USAGE),
    "usage_edition_and_as_of": (("query", "partner_attacked", "-e", "e1", "--as-of", "2016-01-01", "-r", "mini"),
                                EXIT_USAGE),
    "usage_bad_date": (("query", "partner_attacked", "--as-of", "2016-13-01", "-r", "mini"), EXIT_USAGE),
    "usage_date_before_first_edition": (("query", "partner_attacked", "--as-of", "2000-01-01", "-r", "mini"),
                                        EXIT_USAGE),
    "usage_ambiguous_year": (("query", "approved", "-e", "2015", "-r", "editions"), EXIT_USAGE),
    "usage_unknown_edition": (("query", "partner_attacked", "-e", "e2", "-r", "mini"), EXIT_USAGE),
    "usage_unknown_scenario": (("query", "partner_attacks", "-e", "e1", "-r", "mini"), EXIT_USAGE),
    "usage_no_scenario": (("query", "-e", "e1", "-r", "mini"), EXIT_USAGE),
    "usage_unknown_fact": (("query", "-e", "e1", "-r", "mini", "--fact", "armed_attack(japan)"), EXIT_USAGE),
    "usage_fact_arity": (("query", "-e", "e1", "-r", "mini", "--fact", "armed_attack_on(japan, us_forces)"),
                         EXIT_USAGE),
    "usage_fact_member": (("query", "-e", "e1", "-r", "mini", "--fact", "armed_attack_on(japn)"), EXIT_USAGE),
    "usage_fact_syntax": (("query", "-e", "e1", "-r", "mini", "--fact", "cabinet_decision. :- true"), EXIT_USAGE),
    "usage_fact_true_and_unknown": (
        ("query", "-e", "e1", "-r", "mini", "--fact", "cabinet_decision", "--unknown", "cabinet_decision"),
        EXIT_USAGE,
    ),
    "usage_bad_cap": (("query", "partner_attacked", "-e", "e1", "-r", "mini", "--all", "--cap", "0"), EXIT_USAGE),
    "usage_compile_without_edition": (("compile", "-r", "mini"), EXIT_USAGE),
    "usage_unknown_test": (("test", "mini", "--name", "nope"), EXIT_USAGE),
    # diff (tests/test_diff_cli.py has more)
    "diff_lineage": (("diff", "e_old", "e_new", "-r", "diff/lineage"), EXIT_OK),
    "diff_lineage_markdown": (("diff", "e_old", "e_new", "-r", "diff/lineage", "--format", "markdown", "--carried"),
                              EXIT_OK),
    "diff_lineage_json": (("diff", "e_old", "e_new", "-r", "diff/lineage", "--format", "json", "--witnesses", "2"),
                          EXIT_OK),
    "diff_edited_copy": (("diff", "mini", "diff/mini_edited.accord", "--fail-on", "removed-permissions"),
                         EXIT_FINDINGS),
    "diff_equivalent": (("diff", "mini", "diff/reformatted"), EXIT_OK),
    "usage_diff_unknown_edition": (("diff", "e_old", "e_nope", "-r", "diff/lineage"), EXIT_USAGE),
    "usage_diff_unknown_action": (("diff", "e_old", "e_new", "-r", "diff/lineage", "--action", "forse"), EXIT_USAGE),
}


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_cli_transcript(cli: Cli, golden: Golden, name: str) -> None:
    args, code = TRANSCRIPTS[name]
    run = cli(list(args))
    assert run.code == code, run.transcript()
    assert "Traceback" not in run.stderr
    if "json" in args and run.stdout:
        json.loads(run.stdout)
    golden(f"cli/{name}.txt", run.transcript())


def test_no_golden_file_is_orphaned() -> None:
    golden = FIXTURES.parent / "golden"
    expected = {f"asp/{n}.lp" for n in ASP_CASES}
    expected |= {f"diagnostics/{Path(c).stem}.{s}" for c in BAD for s in ("human", "short", "json")}
    expected |= {f"cli/{n}.txt" for n in TRANSCRIPTS}
    expected |= {"diff/bundled_1997_2015.txt"}  # tests/test_diff_bundled.py
    expected |= {f"bases/{n}.txt" for n in BASES}  # tests/test_bases.py
    present = {p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file()}
    assert present - expected == set(), "golden files no test reads: remove them"
