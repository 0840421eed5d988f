"""The `accord timeline` command: the change points of the rules, or a scenario's verdicts over time.

In: the command line: nothing (every change point), or a scenario (a name, or facts) and optional
actions. Out: the report on stdout (human text, `--format json` or `--format markdown`), messages
on stderr, and the exit codes of `accord.cli`: 0 success, 2 a bad command line, 3 rule files with
errors, 5 the time limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord.analyses.timeline import UnknownActionError, change_points, scenario_timeline
from accord.cli.common import (
    EXIT_TIMEOUT,
    EXIT_USAGE,
    SECONDS,
    Names,
    diagnostics_option,
    each_base,
    emit,
    fail,
    load_bases,
    rules_option,
)
from accord.knowledge.base import EditionChoiceError, KnowledgeBase
from accord.knowledge.facts import ScenarioError
from accord.report import timeline as report
from accord.solve import SolveTimeout


@click.command()
@click.argument("scenario", required=False)
@click.argument("actions", nargs=-1)
@click.option("--fact", multiple=True, help="A fact that holds, e.g. 'armed_attack_on(japan)'.")
@click.option("--unknown", multiple=True, help="A fact left open: every completion is considered.")
@click.option("--timeout", type=SECONDS, help="Solver time limit in seconds, per segment of the timeline.")
@click.option("--format", "-f", "fmt", type=click.Choice(["human", "json", "markdown"]), default="human",
              show_default=True, help="Output format.")
@rules_option
@diagnostics_option
def timeline(scenario: str | None, actions: tuple[str, ...], fact: tuple[str, ...], unknown: tuple[str, ...],
             timeout: float | None, fmt: str, rules: tuple[Path, ...], diagnostics: str) -> None:
    """Every change point of the rules, or each action's verdict in a scenario over the whole timeline.

    SCENARIO is a named scenario, or `-` for none (the facts given with --fact and --unknown only);
    ACTIONS are written ACTOR ACTION(ARGS), e.g. 'sdf use_of_force(collective)'.
    """
    project = load_bases(rules, diagnostics)
    scenario = None if scenario == "-" else scenario
    names = [("scenario", scenario)] + [("fact", f) for f in fact + unknown] + [("action", a) for a in actions]

    def run(kb: KnowledgeBase, local: Names) -> None:
        _timeline(kb, local(scenario), tuple(local(f) or f for f in fact), tuple(local(f) or f for f in unknown),
                  tuple(local(a) or a for a in actions), timeout, fmt)

    each_base(project, names, fmt, diagnostics, run)


def _timeline(kb: KnowledgeBase, scenario: str | None, fact: tuple[str, ...], unknown: tuple[str, ...],
              actions: tuple[str, ...], timeout: float | None, fmt: str) -> None:
    if scenario is None and not fact and not unknown and not actions:
        points = change_points(kb)
        render = {"json": report.changes_json, "markdown": report.changes_markdown}.get(fmt)
        sys.stdout.write(render(points)) if render else emit(report.changes_human(points))
        return
    try:
        result = scenario_timeline(kb, scenario, fact, unknown, actions, timeout)
    except (ScenarioError, UnknownActionError, EditionChoiceError) as err:
        fail(str(err), EXIT_USAGE)
    except SolveTimeout:
        fail(f"the solver did not finish within {timeout} s; raise --timeout or narrow the scenario.", EXIT_TIMEOUT)
    if fmt == "json":
        sys.stdout.write(report.timeline_json(result))
    elif fmt == "markdown":
        sys.stdout.write(report.timeline_markdown(result))
    else:
        emit(report.timeline_human(result))
