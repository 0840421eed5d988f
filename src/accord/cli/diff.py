"""The `accord diff A B` command.

In: the command line (loaded by `accord.cli` when the command runs):
two sides (an edition id or year, a date, a rule folder or file, or `PATH@EDITION`), restrictions,
the number of witnesses, `--fail-on` and the output format. Out: the report on stdout (human,
`--format json`, `--format markdown`), messages on stderr, and the exit codes of `accord.cli`:
0 success, 1 a `--fail-on` condition met, 2 a bad command line, 3 rule files with errors,
5 the solver's time limit.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from accord.analyses.diff.changelog import GROUPINGS, changelog
from accord.analyses.diff.compare import diff as run_diff
from accord.analyses.diff.compare import needs_knowledge_base
from accord.cli.common import (
    EXIT_FINDINGS,
    EXIT_TIMEOUT,
    EXIT_USAGE,
    diagnostics_option,
    each_base,
    emit,
    fail,
    load_bases,
    one_base,
    rules_option,
    show_diagnostics,
    timeout_option,
)
from accord.knowledge.base import EditionChoiceError, KnowledgeBase
from accord.knowledge.facts import ScenarioError
from accord.language.diagnostics import AccordError
from accord.report.changelog import changelog_html, changelog_human, changelog_markdown
from accord.report.diff import diff_human, diff_json, diff_markdown
from accord.results.diff import DiffResult
from accord.solve import SolveTimeout

FAIL_ON = ("new-permissions", "removed-permissions", "any")


def failed_gates(result: DiffResult, gates: tuple[str, ...]) -> list[str]:
    """The `--fail-on` conditions the result meets, each as a sentence."""
    s = result.summary
    out = []
    if "new-permissions" in gates and s.newly_permitted:
        out.append(f"{s.newly_permitted} action(s) newly permitted in some scenario")
    if "removed-permissions" in gates and s.no_longer_permitted:
        out.append(f"{s.no_longer_permitted} action(s) no longer permitted in some scenario")
    if "any" in gates and not result.equivalent:
        out.append(f"{s.targets_changed} action(s) change status in some scenario")
    return out


@click.command()
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option("--across", "across", metavar="FROM..TO",
              help="Instead of A and B: every change point between two dates, each compared with the day before.")
@click.option("--action", "actions", multiple=True, help="Compare only this action (repeatable).")
@click.option("--actor", "actors", multiple=True, help="Compare only this actor (repeatable).")
@click.option("--given", multiple=True,
              help="Only scenarios where this fact holds, e.g. 'armed_attack_on(japan)'; "
                   "'not FACT' for where it does not (repeatable).")
@click.option("--witnesses", type=click.IntRange(min=0), default=1, show_default=True,
              help="Distinct minimal witness scenarios per change (0: none).")
@click.option("--fail-on", "fail_on", multiple=True, type=click.Choice(FAIL_ON),
              help="Exit with code 1 when there are new permissions, removed permissions, or any change.")
@click.option("--carried", is_flag=True, help="Also list the clauses carried over unchanged.")
@click.option("--group", type=click.Choice(GROUPINGS), default="cause", show_default=True,
              help="Behaviour changes by the clause changes that cause them, by action with every witness, "
                   "or one line per change.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="At most this many causes (--group cause or none) or actions (--group action); 0: all.")
@click.option("--jobs", "-j", type=click.IntRange(min=1, max=256), default=None,
              help="Processes that share a large diff, or the steps of --across  [default: one per core].")
@timeout_option()
@rules_option
@click.option("--format", "-f", "fmt", type=click.Choice(["human", "json", "markdown", "html"]), default="human",
              show_default=True, help="Output format (JSON is the whole result, whatever the grouping).")
@diagnostics_option
def diff(a: str | None, b: str | None, across: str | None, actions: tuple[str, ...], actors: tuple[str, ...],
         given: tuple[str, ...], witnesses: int, fail_on: tuple[str, ...], carried: bool, group: str, limit: int,
         jobs: int | None, timeout: float | None, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """What changed from A to B: clauses, vocabulary, and behaviour over every scenario.

    A and B are editions (`e1997`, or a year such as `1997`), dates (`2015-06-01`: the edition in
    force then), or rule folders or files (`my-rules/`, `my-rules/@e2015`), so an edited copy can be
    compared with the bundled rules.
    """
    if across is not None:
        if a is not None or b is not None:
            fail("give either A and B or --across FROM..TO, not both.", EXIT_USAGE)
        each_base(load_bases(rules, diagnostics), [], fmt, diagnostics,
                  lambda kb, _: diff_across_command(kb, across, actions, actors, given, witnesses, timeout, fmt,
                                                              jobs))
        return
    if a is None or b is None:
        fail("give two sides to compare (A and B), or --across FROM..TO.", EXIT_USAGE)
    kb: KnowledgeBase | None = None
    if rules or needs_knowledge_base(a) or needs_knowledge_base(b):
        project = load_bases(rules, diagnostics)
        if not project.single:
            if not all(needs_knowledge_base(side.partition(".")[2] or side) for side in (a, b)):
                fail("with several rule bases, A and B are two editions of one of them (`nato.e1949 "
                     "nato.e1952`); compare rule folders without naming bases.", EXIT_USAGE)
            kb, local = one_base(project, [("edition", a), ("edition", b)], diagnostics, "`accord diff`")
            a, b = local(a) or a, local(b) or b
        else:
            kb = project.bases[0].kb
    try:
        result = run_diff(kb, a, b, actions=actions, actors=actors, given=given,
                          witnesses=witnesses, timeout=timeout, jobs=jobs)
    except AccordError as err:
        show_diagnostics(err, diagnostics)
    except (EditionChoiceError, ScenarioError) as err:
        fail(str(err), EXIT_USAGE)
    except SolveTimeout:
        fail(f"the solver did not finish within {timeout} s; raise --timeout, or narrow the diff with "
             "--action, --actor or --given.", EXIT_TIMEOUT)
    _print(result, fmt, group, limit, carried)
    met = failed_gates(result, fail_on)
    if met:
        sys.stderr.write(f"accord: --fail-on: {'; '.join(met)}.\n")
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _print(result: DiffResult, fmt: str, group: str, limit: int, carried: bool) -> None:
    if fmt == "json":
        sys.stdout.write(diff_json(result))
        return
    if group == "action":
        shown = replace(result, behaviour=result.behaviour[:limit] if limit else result.behaviour)
        if fmt == "markdown":
            sys.stdout.write(diff_markdown(shown, carried))
        elif fmt == "html":
            sys.stdout.write(changelog_html(result, changelog(result, "none"), limit))
        else:
            emit(diff_human(shown, carried))
        if len(shown.behaviour) < len(result.behaviour):
            sys.stderr.write(f"accord: {len(result.behaviour) - len(shown.behaviour)} more changed action(s) "
                             "not shown: raise --limit (0 shows all).\n")
        return
    log = changelog(result, group)
    if fmt == "markdown":
        sys.stdout.write(changelog_markdown(result, log, limit))
    elif fmt == "html":
        sys.stdout.write(changelog_html(result, log, limit))
    else:
        emit(changelog_human(result, log, limit))


def diff_across_command(kb: KnowledgeBase, across: str, actions: tuple[str, ...], actors: tuple[str, ...],
                        given: tuple[str, ...], witnesses: int, timeout: float | None, fmt: str,
                        jobs: int | None = None) -> None:
    """`accord diff --across FROM..TO`: each change point between the dates, diffed with the day before."""
    from accord.analyses.diff.across import diff_across, parse_range
    from accord.report.across import across_human, across_json, across_markdown

    if fmt == "html":
        fail("--across prints human text, JSON or Markdown; HTML is for one diff of two sides.", EXIT_USAGE)
    try:
        start, end = parse_range(across)
        result = diff_across(kb, start, end, actions=actions, actors=actors, given=given,
                             witnesses=witnesses, timeout=timeout, jobs=jobs)
    except (EditionChoiceError, ScenarioError) as err:
        fail(str(err), EXIT_USAGE)
    except SolveTimeout:
        fail(f"the solver did not finish within {timeout} s; raise --timeout, or narrow the diff.", EXIT_TIMEOUT)
    if fmt == "html":
        fail("--format html is for a diff of two sides; use markdown or json with --across.", EXIT_USAGE)
    if fmt == "json":
        sys.stdout.write(across_json(result))
    elif fmt == "markdown":
        sys.stdout.write(across_markdown(result))
    else:
        emit(across_human(result))
