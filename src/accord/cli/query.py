"""The `accord query` command: which actions a scenario permits, forbids and requires.

In: the command line (the scenario, the edition, facts and options). Out: the report on stdout
(human text or `--format json`), messages on stderr, and the exit codes of `accord.cli`: 0 success,
2 a bad command line, 3 rule files with errors, 4 an impossible scenario, 5 the time limit,
6 the cap on readings reached. This is the command people run most, so it imports only what a
query needs (tests/test_cli_lazy.py checks that no other command's modules come with it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord.analyses.query import query as run_query
from accord.cli.common import (
    EXIT_CAP,
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
from accord.solve import SolveTimeout


@click.command()
@click.argument("scenario", required=False)
@edition_options
@click.option("--fact", multiple=True, help="A fact that holds, e.g. 'armed_attack_on(japan)'.")
@click.option("--unknown", multiple=True, help="A fact left open: every completion is considered.")
@click.option("--all", "all_readings", is_flag=True, help="Enumerate every reading (answer set).")
@click.option("--cap", type=click.IntRange(min=1), default=100, show_default=True,
              help="At most this many readings with --all.")
@timeout_option()
@click.option("--show-all", is_flag=True, help="Also list actions no clause speaks to.")
@rules_option
@format_option
@diagnostics_option
def query(scenario: str | None, edition: str | None, as_of: str | None, fact: tuple[str, ...],
          unknown: tuple[str, ...], all_readings: bool, cap: int, timeout: float | None, show_all: bool,
          rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Which actions a scenario permits, forbids and requires, and which clauses decide.

    SCENARIO is a scenario's name, or `-` (or nothing) for none: only the facts given with --fact
    and --unknown."""
    if scenario == "-":
        scenario = None
    project = load_bases(rules, diagnostics)
    if scenario is None and not fact and not unknown:
        fail("give a scenario name or at least one --fact / --unknown.", EXIT_USAGE)
    names = [("scenario", scenario), ("edition", edition)] + [("fact", f) for f in fact + unknown]

    def run(kb: KnowledgeBase, local: Names) -> None:
        _answer(kb, edition_id(kb, local(edition), as_of), local(scenario), [local(f) or f for f in fact],
                [local(f) or f for f in unknown], all_readings, cap, timeout, show_all, fmt)

    each_base(project, names, fmt, diagnostics, run)


def _answer(kb: KnowledgeBase, chosen: str, scenario: str | None, fact: list[str], unknown: list[str],
            all_readings: bool, cap: int, timeout: float | None, show_all: bool, fmt: str) -> None:
    try:
        result = run_query(kb, chosen, scenario=scenario, facts=fact, unknown=unknown,
                          timeout=timeout, readings_cap=cap if all_readings else None)
    except ScenarioError as err:
        fail(str(err), EXIT_USAGE)
    except SolveTimeout:
        fail(f"the solver did not finish within {timeout} s; raise --timeout or narrow the scenario.",
              EXIT_TIMEOUT)
    if fmt == "json":
        sys.stdout.write(report.query_json(result))
    else:
        emit(report.query_human(result, show_all))
    if not result.possible:
        raise click.exceptions.Exit(EXIT_IMPOSSIBLE)
    if result.more_readings:
        sys.stderr.write(f"accord: more than {cap} readings; only the first {cap} are shown (raise --cap).\n")
        raise click.exceptions.Exit(EXIT_CAP)
