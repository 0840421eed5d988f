"""Reports: result objects as tables for people and as JSON for programs.

In: `QueryResult`s, editions, vocabularies and test outcomes. Out: rich renderables (tables grouped
by status, each action with its deciding clauses and citations) and JSON text. Everything is
sorted, and nothing depends on the terminal except colour, so output is byte-identical on a rerun.
Free text is always given to rich as `Text`, never as a string it would read as markup.
rich is imported by the functions that build renderables, so JSON output does without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from accord.language import ir
from accord.report.layers import layer_groups
from accord.results.query import ActionResult, Extent, QueryResult, Verdict, to_json

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from accord.results.coverage import SectionCoverage
    from accord.results.testing import TestOutcome

_GROUP_TITLES = {
    Verdict.CONFLICT: "CONFLICT: required and forbidden at once",
    Verdict.REQUIRED: "REQUIRED",
    Verdict.PERMITTED: "PERMITTED",
    Verdict.POSSIBLY_PERMITTED: "POSSIBLY PERMITTED: in some completions of the unknown facts, not all",
    Verdict.FORBIDDEN: "FORBIDDEN: a prohibition applies",
    Verdict.NOT_PERMITTED: "NOT PERMITTED",
}
_STYLE = {
    Verdict.CONFLICT: "bold magenta", Verdict.REQUIRED: "bold blue", Verdict.PERMITTED: "bold green",
    Verdict.POSSIBLY_PERMITTED: "bold yellow", Verdict.FORBIDDEN: "bold red", Verdict.NOT_PERMITTED: "bold",
}


def dumps(value: Any) -> str:
    return json.dumps(to_json(value), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def query_json(result: QueryResult) -> str:
    return dumps(result)


def _action_block(actions: list[ActionResult]) -> RenderableType:
    """Each action on a line of its own, then one indented line per deciding clause."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    lines: list[RenderableType] = []
    for action in actions:
        head = Text.assemble((action.label, "bold"), f" - {action.description}")
        lines.append(Padding(head, (0, 0, 0, 2), expand=False))
        if not action.clauses:
            lines.append(Padding(Text("no clause applies (default deny)", style="dim"), (0, 0, 0, 6)))
        for ref in action.clauses:
            role = ref.role.value + (" (in some completions)" if ref.extent is Extent.SOMETIMES else "")
            line = Text.assemble((role, "italic"), f": {ref.id} [{ref.cite}] {ref.says}")
            lines.append(Padding(line, (0, 0, 0, 6), expand=False))
    return Group(*lines)


def query_human(result: QueryResult, show_all: bool = False) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = []
    e = result.edition
    parts.append(Text(e.heading, style="bold"))
    if result.scenario:
        parts.append(Text(f"Scenario {result.scenario}: {result.description}"))
    true = [f.fact for f in result.facts if f.value == "true"]
    unknown = [f.fact for f in result.facts if f.value == "unknown"]
    parts.append(Text("Facts: " + (", ".join(true) if true else "none (every fact is false)")))
    if unknown:
        parts.append(Text("Unknown: " + ", ".join(unknown) + " (every completion is considered)"))
    if result.outside_vocabulary:
        parts.append(Text("Not in this edition's vocabulary, so never true here: "
                          + ", ".join(result.outside_vocabulary), style="yellow"))
    if not result.possible:
        parts.append(Text(""))
        parts.append(Text("This scenario is impossible: it breaks the domain constraints", style="bold red"))
        for v in result.violations:
            parts.append(Text(f"  {v.constraint}: {v.description}"))
        return Group(*parts)
    if result.actions and result.actions[0].labels:  # the rule base declares layers
        parts += layer_groups(result.actions, show_all)
    for verdict in Verdict if not (result.actions and result.actions[0].labels) else ():
        actions = [a for a in result.actions if a.verdict is verdict]
        if verdict is Verdict.NOT_PERMITTED and not show_all:
            decided = [a for a in actions if a.clauses]
            silent = len(actions) - len(decided)
            if decided:
                parts += [Text(""), Text(f"{_GROUP_TITLES[verdict]} ({len(decided)})", style=_STYLE[verdict]),
                          _action_block(decided)]
            if silent:
                parts += [Text(""), Text(f"{silent} other action(s) are not permitted: no clause permits them "
                                         "(default deny). --show-all lists them.")]
            continue
        if actions:
            parts += [Text(""), Text(f"{_GROUP_TITLES[verdict]} ({len(actions)})", style=_STYLE[verdict]),
                      _action_block(actions)]
    if result.readings is not None:
        parts += [Text(""), Text(f"READINGS: {len(result.readings)}"
                                 + (" (cap reached: there are more)" if result.more_readings else ""),
                                 style="bold")]
        for i, reading in enumerate(result.readings, 1):
            facts = ", ".join(f"{f.fact}={f.value}" for f in reading.facts) or "no unknown facts"
            parts.append(Text(f"  {i}. {facts}"))
            parts.append(Text(f"     permitted: {', '.join(reading.permitted) or 'nothing'}"))
            if reading.forbidden:
                parts.append(Text(f"     forbidden: {', '.join(reading.forbidden)}"))
            if reading.required:
                parts.append(Text(f"     required: {', '.join(reading.required)}"))
    return Group(*parts)


def editions_table(editions: Iterable[ir.Edition]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("edition", "in force", "title", "includes"):
        table.add_column(column, overflow="fold")
    for e in editions:
        table.add_row(e.id, e.in_force.isoformat(), Text(e.title), ", ".join(e.includes))
    return table


def editions_json(editions: Iterable[ir.Edition]) -> str:
    return dumps([
        {"id": e.id, "title": e.title, "in_force": e.in_force.isoformat(), "includes": list(e.includes),
         "modules": list(e.modules), "notes": list(e.notes)}
        for e in editions
    ])


def vocabulary_data(view: ir.RuleBase | ir.EditionView) -> dict[str, Any]:
    return {
        "sorts": [{"name": s.name, "description": s.description, "members": list(s.members)}
                  for s in view.sorts.values()],
        "facts": [{"name": f.name, "params": list(f.params), "description": f.description}
                  for f in view.facts.values()],
        "definitions": [{"name": d.name, "params": [s for _, s in d.params], "description": d.description}
                        for d in view.definitions.values()],
        "actions": [{"name": a.name, "params": list(a.params), "actors": list(a.actors),
                     "description": a.description} for a in view.actions.values()],
        "constraints": [{"name": c.name, "description": c.description} for c in view.constraints.values()],
    }


def vocabulary_human(view: ir.RuleBase | ir.EditionView) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    data = vocabulary_data(view)
    parts: list[RenderableType] = []
    for kind, rows in data.items():
        table = Table(title=kind.upper(), title_justify="left", box=None, header_style="bold", pad_edge=False)
        table.add_column("name", overflow="fold")
        table.add_column("signature", overflow="fold")
        table.add_column("description", overflow="fold")
        for row in rows:
            if kind == "sorts":
                signature = ", ".join(row["members"])
            elif kind == "actions":
                signature = f"({', '.join(row['params'])}) by {', '.join(row['actors'])}"
            else:
                signature = f"({', '.join(row.get('params', []))})" if row.get("params") else ""
            table.add_row(row["name"], signature, Text(row["description"] or ""))
        parts += [table, Text("")]
    return Group(*parts)


def tests_human(outcomes: list[TestOutcome]) -> RenderableType:
    from rich.console import Group
    from rich.text import Text

    failed = [o for o in outcomes if not o.passed]
    parts: list[RenderableType] = []
    for o in failed:
        parts.append(Text(f"FAIL {o.test} [{o.edition}] {o.location}", style="bold red"))
        parts.append(Text(f"  expected: {o.expectation}" + (f"  (because {o.because})" if o.because else "")))
        parts.append(Text(f"  actual:   {o.actual}"))
    passed = len(outcomes) - len(failed)
    tests = len({(o.test, o.edition) for o in outcomes})
    parts.append(Text(f"{passed} passed, {len(failed)} failed ({tests} test runs)",
                      style="bold green" if not failed else "bold red"))
    return Group(*parts)


def coverage_human(shown: list[SectionCoverage], everything: list[SectionCoverage]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from accord.results.coverage import Accounted

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("section", "title", "accounted for by"):
        table.add_column(column, overflow="fold")
    for row in shown:
        if row.status is Accounted.GRANTS_NOTHING:
            by = Text(f"grants nothing: {row.reason}", style="dim")
        elif row.status is Accounted.UNACCOUNTED:
            by = Text("UNACCOUNTED", style="bold red")
        else:
            prefix = "subsections: " if row.status is Accounted.THROUGH_SUBSECTIONS else ""
            by = Text(prefix + ", ".join(row.clauses))
        table.add_row(Text(row.section), Text(row.title), by)
    total = len(everything)
    accounted = sum(r.status is not Accounted.UNACCOUNTED for r in everything)
    share = f"{100 * accounted / total:.1f}%" if total else "no sections"
    summary = Text(f"{accounted} of {total} sections accounted for ({share}).",
                   style="bold green" if accounted == total and total else "bold red")
    return Group(table, Text(""), summary)
