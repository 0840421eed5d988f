"""The `accord check` and `accord test` commands: problems in rule files, and the rule language's tests.

In: the command line (rule files, test names, options). Out: the report on stdout (human text or
`--format json`), messages on stderr, and the exit codes of `accord.cli`: 0 success, 1 failing
tests, findings (`check --strict`) or coverage below `--min`, 2 a bad command line, 3 rule files
with errors, 5 the time limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord.analyses.testing import run_tests
from accord.cli.common import (
    EXIT_FINDINGS,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    Names,
    diagnostics_option,
    each_base,
    emit,
    fail,
    format_option,
    load_bases,
    rules_option,
    timeout_option,
)
from accord.cli.explain import check_report, tests_with_coverage
from accord.knowledge.base import KnowledgeBase
from accord.language import render
from accord.report import query as report
from accord.solve import SolveTimeout

CHECK_TIMEOUT = 30.0  # seconds per semantic search of `accord check` (docs/reliability.md)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--semantic/--no-semantic", default=True, show_default=True,
              help="Also search every edition for dead, shadowed and vacuous clauses and for conflicts.")
@click.option("--strict", is_flag=True, help="Exit 1 when there is a semantic error or warning.")
@timeout_option(CHECK_TIMEOUT, each="semantic search")
@rules_option
@format_option
@diagnostics_option
def check(paths: tuple[Path, ...], semantic: bool, strict: bool, timeout: float | None, rules: tuple[Path, ...],
          fmt: str, diagnostics: str) -> None:
    """Check rule files (default: the bundled rules) and report every problem.

    PATHS (or --rules) are rule files or folders (one rule base), or NAME=PATH and project files
    (several)."""
    each_base(load_bases(paths + rules, diagnostics), [], fmt, diagnostics,
              lambda kb, _: _check(kb, semantic, strict, timeout, fmt, diagnostics))


def _check(kb: KnowledgeBase, semantic: bool, strict: bool, timeout: float | None, fmt: str,
           diagnostics: str) -> None:
    r = kb.rules
    if r.warnings:  # e.g. a reference on days its target is not in force: said, and the check goes on
        style = {"human": render.human, "short": render.short, "json": render.as_json}[diagnostics]
        sys.stderr.write(style(list(r.warnings)))
        if strict:
            raise click.exceptions.Exit(EXIT_FINDINGS)
    try:
        check_report(kb, f"ok: {len(r.modules)} modules, {len(r.editions)} editions, {len(r.clauses)} clauses, "
                         f"{len(r.scenarios)} scenarios, {len(r.tests)} tests", fmt, semantic, strict, timeout)
    except SolveTimeout:
        fail(f"a semantic search did not finish within {timeout} s; raise --timeout, or check with --no-semantic.",
             EXIT_TIMEOUT)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--name", multiple=True, help="Run only these tests.")
@click.option("--coverage", "with_coverage", is_flag=True, help="Also report which clauses the tests exercise.")
@click.option("--min", "minimum", type=click.FloatRange(0, 100),
              help="With --coverage: exit 1 when an edition's clause coverage is below this percentage.")
@timeout_option(each="test's query and coverage query")
@rules_option
@format_option
@diagnostics_option
def test(paths: tuple[Path, ...], name: tuple[str, ...], with_coverage: bool, minimum: float | None,
         timeout: float | None, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Run the tests written in the rule language.

    PATHS (or --rules) are rule files or folders (one rule base), or NAME=PATH and project files
    (several)."""

    def run(kb: KnowledgeBase, local: Names) -> None:
        _test(kb, [local(n) or n for n in name], with_coverage, minimum, timeout, fmt)

    each_base(load_bases(paths + rules, diagnostics), [("test", n) for n in name], fmt, diagnostics, run)


def _test(kb: KnowledgeBase, name: list[str], with_coverage: bool, minimum: float | None, timeout: float | None,
          fmt: str) -> None:
    unknown_names = sorted(set(name) - set(kb.rules.tests))
    if unknown_names:
        fail(f"there is no test `{unknown_names[0]}`.", EXIT_USAGE)
    try:
        outcomes = run_tests(kb, name or None, timeout)
        if with_coverage or minimum is not None:
            if not tests_with_coverage(kb, outcomes, name or None, fmt, minimum, timeout):
                raise click.exceptions.Exit(EXIT_FINDINGS)
            return
    except SolveTimeout as err:
        fail(f"the solver did not finish {err} within {timeout} s; raise --timeout.", EXIT_TIMEOUT)
    if fmt == "json":
        sys.stdout.write(report.dumps(outcomes))
    else:
        emit(report.tests_human(outcomes))
    if any(not o.passed for o in outcomes):
        raise click.exceptions.Exit(EXIT_FINDINGS)
