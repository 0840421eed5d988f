"""Rendering `accord diff --across`: change point by change point, what changed in behaviour.

In: an `AcrossResult` (accord.results.across). Out: human text, Markdown and JSON. Each step
lists the day's changes to the rules, then each clause that changed with the actions whose
status (and, with layers of authority, a layer's verdict) moved with it, then any movement no
single clause accounts for.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from accord.report.diff import all_changes, clause_head, direction_words, directions
from accord.report.query import dumps
from accord.results.across import AcrossResult, Step
from accord.results.diff import TargetDiff


def across_json(result: AcrossResult) -> str:
    return dumps(result)


def _moves(target: TargetDiff) -> str:
    words = [direction_words(c, d) for c in all_changes(target) for d in directions(c)]
    return f"{target.label}: {'; '.join(words)}"


def _step_lines(step: Step) -> list[str]:
    lines = [f"{c.kind.value}: {c.what} {c.name}" for c in step.changes]
    grouped = {t.label for g in step.groups for t in g.behaviour}
    for group in step.groups:
        lines.append(clause_head(group.change))
        lines += [f"  {_moves(t)}" for t in group.behaviour] or ["  no action changes status with it alone"]
    rest = [t for t in step.diff.behaviour if t.label not in grouped]
    if rest:
        lines.append("behaviour that no one clause above accounts for:")
        lines += [f"  {_moves(t)}" for t in rest]
    if step.diff.equivalent:
        lines.append("no difference in behaviour")
    return lines


def _summary(result: AcrossResult) -> str:
    moved = sum(not s.diff.equivalent for s in result.steps)
    return (f"accord diff --across {result.start}..{result.end}: {len(result.steps)} change point(s), "
            f"{moved} with a change in behaviour")


def across_human(result: AcrossResult) -> RenderableType:
    parts: list[RenderableType] = [Text(_summary(result), style="bold")]
    for step in result.steps:
        parts += [Text(""), Text(step.date, style="bold"), Text("\n".join(f"  {line}" for line in _step_lines(step)))]
    return Group(*parts)


def across_markdown(result: AcrossResult) -> str:
    lines = [f"## {_summary(result)}", ""]
    for step in result.steps:
        lines += [f"### {step.date}", ""]
        lines += [f"- {line}" if not line.startswith("  ") else f"  - {line.strip()}" for line in _step_lines(step)]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
