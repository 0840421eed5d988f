"""The `accord explain` and `accord when` commands, and the semantic parts of `check` and `test`.

In: the command line (loaded by `accord.cli` when the command runs).
Out: reports on stdout (human text or `--format json`), messages on stderr and the exit codes of
`accord.cli`: 0 success, 1 findings (`check --strict`) or coverage below `--min`, 2 a bad command
line (edition, date, scenario, fact or action), 4 an impossible scenario, 5 the time limit,
6 the cap on minimal scenarios reached (`when`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord.analyses.coverage.clauses import clause_coverage
from accord.analyses.explain.engine import ActionError
from accord.analyses.explain.findings import findings
from accord.analyses.explain.when import when as run_when
from accord.analyses.explain.why import explain as run_explain
from accord.cli.common import (
    EXIT_CAP,
    EXIT_FINDINGS,
    EXIT_IMPOSSIBLE,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    Names,
    diagnostics_option,
    each_base,
    edition_id,
    edition_options,
    emit,
    fail,
    format_option,
    load_bases,
    rules_option,
    timeout_option,
)
from accord.knowledge.base import KnowledgeBase
from accord.knowledge.facts import ScenarioError
from accord.report import query as report
from accord.report.explain import coverage_human, explanation_human, findings_human, when_human
from accord.results.testing import TestOutcome
from accord.solve import SolveTimeout

_TIMEOUT = timeout_option()


def _action(words: tuple[str, ...]) -> str:
    if not words:
        fail("give an action: the actor, then the action, e.g. `sdf 'use_of_force(collective)'`.", EXIT_USAGE)
    return " ".join(words)


@click.command()
@click.argument("scenario")
@click.argument("action", nargs=-1)
@edition_options
@click.option("--fact", multiple=True, help="A further fact that holds, e.g. 'armed_attack_on(japan)'.")
@click.option("--unknown", multiple=True, help="A further fact left open.")
@click.option("--label", help="Search the changes that give it this headline label.")
@click.option("--layer", help="Search the changes that give this layer's verdict (with --status).")
@click.option("--status", help="The verdict of --layer to reach, e.g. authorised.")
@click.option("--changes", type=click.IntRange(min=0), default=5, show_default=True,
              help="At most this many minimal changes per direction (0: do not search).")
@_TIMEOUT
@rules_option
@format_option
@diagnostics_option
def explain(scenario: str, action: tuple[str, ...], edition: str | None, as_of: str | None, fact: tuple[str, ...],
            unknown: tuple[str, ...], label: str | None, layer: str | None, status: str | None, changes: int,
            timeout: float | None, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Why an action has its status in a scenario, why not, and what would have to change.

    SCENARIO is a scenario's name, or `-` for none (only the facts given with --fact and --unknown).
    ACTION is the actor and the action, e.g. `sdf 'use_of_force(collective)'` (one or two words)."""
    project = load_bases(rules, diagnostics)
    text = _action(action)
    named = None if scenario == "-" else scenario
    names = [("scenario", named), ("edition", edition), ("action", text)] + [("fact", f) for f in fact + unknown]

    def run(kb: KnowledgeBase, local: Names) -> None:
        _explain(kb, local(text) or text, edition_id(kb, local(edition), as_of), local(named),
                 tuple(local(f) or f for f in fact), tuple(local(f) or f for f in unknown),
                 changes, timeout, label, layer, status, fmt)

    each_base(project, names, fmt, diagnostics, run)


def _explain(kb: KnowledgeBase, text: str, chosen: str, scenario: str | None, fact: tuple[str, ...],
             unknown: tuple[str, ...], changes: int, timeout: float | None, label: str | None,
             layer: str | None, status: str | None, fmt: str) -> None:
    try:
        result = run_explain(kb, text, chosen, scenario=scenario, facts=fact, unknown=unknown, changes=changes,
                             timeout=timeout, label=label, layer=layer, status=status)
    except (ScenarioError, ActionError) as err:
        fail(str(err), EXIT_USAGE)
    except SolveTimeout:
        fail(f"the solver did not finish within {timeout} s; raise --timeout.", EXIT_TIMEOUT)
    sys.stdout.write(report.dumps(result) if fmt == "json" else explanation_human(result))
    if not result.possible:
        raise click.exceptions.Exit(EXIT_IMPOSSIBLE)


@click.command()
@click.argument("action", nargs=-1)
@edition_options
@click.option("--cap", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many minimal scenarios.")
@click.option("--label", help="Aim for this headline label instead of permitted.")
@click.option("--layer", help="Aim for a verdict of this layer (with --status).")
@click.option("--status", help="The verdict of --layer to aim for, e.g. authorised.")
@_TIMEOUT
@rules_option
@format_option
@diagnostics_option
def when(action: tuple[str, ...], edition: str | None, as_of: str | None, cap: int, label: str | None,
         layer: str | None, status: str | None, timeout: float | None,
         rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Every minimal scenario in which an action is permitted: the conditions under which it is allowed.

    With --label, the scenarios in which it has that headline label; with --layer and --status, those
    in which that layer gives that verdict (e.g. --layer law --status authorised).

    ACTION is the actor and the action, e.g. `sdf 'use_of_force(collective)'` (one or two words)."""
    project = load_bases(rules, diagnostics)
    text = _action(action)

    def run(kb: KnowledgeBase, local: Names) -> None:
        _when(kb, local(text) or text, edition_id(kb, local(edition), as_of), cap, timeout, label, layer, status, fmt)

    each_base(project, [("action", text), ("edition", edition)], fmt, diagnostics, run)


def _when(kb: KnowledgeBase, text: str, chosen: str, cap: int, timeout: float | None, label: str | None,
          layer: str | None, status: str | None, fmt: str) -> None:
    try:
        result = run_when(kb, text, chosen, cap=cap, timeout=timeout, label=label, layer=layer, status=status)
    except ActionError as err:
        fail(str(err), EXIT_USAGE)
    except SolveTimeout:
        fail(f"the solver did not finish within {timeout} s; raise --timeout.", EXIT_TIMEOUT)
    sys.stdout.write(report.dumps(result) if fmt == "json" else when_human(result))
    if result.more:
        sys.stderr.write(f"accord: more than {cap} minimal scenarios; only the first {cap} are shown (raise --cap).\n")
        raise click.exceptions.Exit(EXIT_CAP)


# ---- called by `accord check` and `accord test` (accord.cli.check) ------------------------------


def check_report(kb: KnowledgeBase, summary: str, fmt: str, semantic: bool, strict: bool,
                 timeout: float | None = None) -> None:
    """`accord check`: the summary line, then the semantic findings of every edition."""
    found = findings(kb, timeout=timeout) if semantic else []
    if fmt == "json":
        sys.stdout.write(report.dumps({"summary": summary, "semantic": semantic, "findings": found}))
    else:
        emit(summary)
        if semantic:
            sys.stdout.write(findings_human(found))
    if strict and any(f.severity in ("error", "warning") for f in found):
        raise click.exceptions.Exit(EXIT_FINDINGS)


def tests_with_coverage(kb: KnowledgeBase, outcomes: list[TestOutcome], names: list[str] | None, fmt: str,
                        minimum: float | None, timeout: float | None = None) -> bool:
    """`accord test --coverage`: the test results, then clause coverage; whether both passed."""
    covered = clause_coverage(kb, minimum, names, timeout)
    if fmt == "json":
        sys.stdout.write(report.dumps({"tests": outcomes, "coverage": covered}))
    else:
        emit(report.tests_human(outcomes))
        sys.stdout.write(coverage_human(covered))
    return covered.passed and all(o.passed for o in outcomes)

