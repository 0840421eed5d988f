"""The `accord` command line: argument parsing, output choice and exit codes; no logic of its own.

In: the command line. Out: reports on stdout, diagnostics and messages on stderr, and an exit code:
0 success, 1 failing tests or findings, 2 a bad command line (unknown edition, date, scenario or
fact included), 3 rule files with errors, 4 an impossible scenario, 5 the solver's time limit,
6 the cap on readings reached, 7 the grounding guard, 70 an internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord import report
from accord.api import ScenarioError
from accord.cli_common import (
    EXIT_CAP,
    EXIT_FINDINGS,
    EXIT_GROUNDING,
    EXIT_IMPOSSIBLE,
    EXIT_INTERNAL,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    SECONDS,
    app,
    diagnostics_option,
    edition_id,
    edition_options,
    emit,
    fail,
    format_option,
    load_rules,
    rules_option,
)
from accord.cli_explain import check_report, tests_with_coverage
from accord.coverage import Accounted, coverage
from accord.limits import GroundingLimitError
from accord.solve import SolverError, SolveTimeout
from accord.testing import run_tests

# Feature commands live in modules of their own (cli_<feature>.py) and register on import, below.
# isort: split
import accord.cli_batch  # noqa: F401
from accord import cli_explain  # noqa: F401

# isort: split
from accord import cli_diff  # noqa: F401

# isort: split
from accord import cli_serve  # noqa: F401

CHECK_TIMEOUT = 30.0  # seconds per semantic search of `accord check` (docs/reliability.md)


@app.command()
@rules_option
@format_option
@diagnostics_option
def editions(rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """List the editions, oldest first."""
    kb = load_rules(rules, diagnostics)
    if fmt == "json":
        sys.stdout.write(report.editions_json(kb.editions()))
    else:
        emit(report.editions_table(kb.editions()))


@app.command()
@click.option("--edition", "-e", help="Only the vocabulary this edition includes.")
@rules_option
@format_option
@diagnostics_option
def vocab(edition: str | None, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Show the vocabulary: sorts, facts, definitions, actions and constraints."""
    kb = load_rules(rules, diagnostics)
    view = kb.rules.edition_view(edition_id(kb, edition, None)) if edition else kb.rules
    if fmt == "json":
        sys.stdout.write(report.dumps(report.vocabulary_data(view)))
    else:
        emit(report.vocabulary_human(view))


@app.command()
@click.argument("scenario", required=False)
@edition_options
@click.option("--fact", multiple=True, help="A fact that holds, e.g. 'armed_attack_on(japan)'.")
@click.option("--unknown", multiple=True, help="A fact left open: every completion is considered.")
@click.option("--all", "all_readings", is_flag=True, help="Enumerate every reading (answer set).")
@click.option("--cap", type=click.IntRange(min=1), default=100, show_default=True,
              help="At most this many readings with --all.")
@click.option("--timeout", type=SECONDS, help="Solver time limit in seconds.")
@click.option("--show-all", is_flag=True, help="Also list actions no clause speaks to.")
@rules_option
@format_option
@diagnostics_option
def query(scenario: str | None, edition: str | None, as_of: str | None, fact: tuple[str, ...],
          unknown: tuple[str, ...], all_readings: bool, cap: int, timeout: float | None, show_all: bool,
          rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Which actions a scenario permits, forbids and requires, and which clauses decide."""
    kb = load_rules(rules, diagnostics)
    chosen = edition_id(kb, edition, as_of)
    if scenario is None and not fact and not unknown:
        fail("give a scenario name or at least one --fact / --unknown.", EXIT_USAGE)
    try:
        result = kb.query(chosen, scenario=scenario, facts=fact, unknown=unknown,
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


@app.command("compile")
@edition_options
@rules_option
@diagnostics_option
def compile_(edition: str | None, as_of: str | None, rules: tuple[Path, ...], diagnostics: str) -> None:
    """Print the answer-set program of an edition."""
    kb = load_rules(rules, diagnostics)
    sys.stdout.write(kb.compile(edition_id(kb, edition, as_of)))


@app.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--semantic/--no-semantic", default=True, show_default=True,
              help="Also search every edition for dead, shadowed and vacuous clauses and for conflicts.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is a semantic error or warning.")
@click.option("--timeout", type=SECONDS, default=CHECK_TIMEOUT, show_default=True,
              help="Solver time limit of each semantic search, in seconds.")
@format_option
@diagnostics_option
def check(paths: tuple[Path, ...], semantic: bool, strict: bool, timeout: float, fmt: str, diagnostics: str) -> None:
    """Check rule files (default: the bundled rules) and report every problem."""
    kb = load_rules(paths, diagnostics)
    r = kb.rules
    try:
        check_report(kb, f"ok: {len(r.modules)} modules, {len(r.editions)} editions, {len(r.clauses)} clauses, "
                         f"{len(r.scenarios)} scenarios, {len(r.tests)} tests", fmt, semantic, strict, timeout)
    except SolveTimeout:
        fail(f"a semantic search did not finish within {timeout} s; raise --timeout, or check with --no-semantic.",
             EXIT_TIMEOUT)


@app.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--name", multiple=True, help="Run only these tests.")
@click.option("--coverage", "with_coverage", is_flag=True, help="Also report which clauses the tests exercise.")
@click.option("--min", "minimum", type=click.FloatRange(0, 100),
              help="With --coverage: exit 1 when an edition's clause coverage is below this percentage.")
@click.option("--timeout", type=SECONDS, help="Solver time limit of each test's query, in seconds.")
@format_option
@diagnostics_option
def test(paths: tuple[Path, ...], name: tuple[str, ...], with_coverage: bool, minimum: float | None,
         timeout: float | None, fmt: str, diagnostics: str) -> None:
    """Run the tests written in the rule language."""
    kb = load_rules(paths, diagnostics)
    unknown_names = sorted(set(name) - set(kb.rules.tests))
    if unknown_names:
        fail(f"there is no test `{unknown_names[0]}`.", EXIT_USAGE)
    try:
        outcomes = run_tests(kb, list(name) or None, timeout)
    except SolveTimeout as err:
        fail(f"the solver did not finish {err} within {timeout} s; raise --timeout.", EXIT_TIMEOUT)
    if with_coverage or minimum is not None:
        if not tests_with_coverage(kb, outcomes, list(name) or None, fmt, minimum):
            raise click.exceptions.Exit(EXIT_FINDINGS)
        return
    if fmt == "json":
        sys.stdout.write(report.dumps(outcomes))
    else:
        emit(report.tests_human(outcomes))
    if any(not o.passed for o in outcomes):
        raise click.exceptions.Exit(EXIT_FINDINGS)


@app.command("coverage")
@click.option("--edition", "-e", help="Only the sources and clauses this edition includes.")
@click.option("--missing", is_flag=True, help="List only sections that are not accounted for.")
@rules_option
@format_option
@diagnostics_option
def coverage_(edition: str | None, missing: bool, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Which clauses encode each section of the source texts; fails if any is unaccounted for."""
    kb = load_rules(rules, diagnostics)
    chosen = edition_id(kb, edition, None) if edition else None
    rows = coverage(kb.rules, chosen)
    shown = [r for r in rows if r.status is Accounted.UNACCOUNTED] if missing else rows
    if fmt == "json":
        sys.stdout.write(report.dumps(shown))
    else:
        emit(report.coverage_human(shown, rows))
    if any(r.status is Accounted.UNACCOUNTED for r in rows) or not rows:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def main() -> None:
    """Entry point: never lets a Python traceback reach the user."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.UsageError as err:
        err.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        sys.stderr.write("accord: aborted\n")
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except GroundingLimitError as err:
        sys.stderr.write(f"accord: {err}\n")
        sys.exit(EXIT_GROUNDING)
    except SolverError as err:
        sys.stderr.write(f"accord: internal error: the solver rejected the compiled program: {err}\n")
        sys.exit(EXIT_INTERNAL)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as err:
        sys.stderr.write(f"accord: internal error: {type(err).__name__}: {err}\n")
        sys.exit(EXIT_INTERNAL)
