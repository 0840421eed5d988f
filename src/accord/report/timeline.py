"""Rendering timelines: the change points of a rule base, and a scenario's verdicts over time.

In: `ChangePoint`s and a `ScenarioTimeline` (accord.results.timeline). Out: human text (a compact
table, one line per action, its bands of dates, and with layers of authority a line of its
headline label's bands below it), Markdown, and JSON. A band is shown with its last day (the day
before the next band starts); an open band ends with a dash. The boundaries list, per action and
day, how the verdict flipped and the headline label changed.
"""

from __future__ import annotations

import datetime as dt

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from accord.report.query import dumps
from accord.results.query import ClauseRef
from accord.results.timeline import ActionTimeline, Band, ChangePoint, Flip, LabelBand, ScenarioTimeline

DASH = "\u2013"


def last_day(band: Band | LabelBand) -> str:
    """The last day of a band, or '' while it lasts."""
    return "" if band.end is None else (dt.date.fromisoformat(band.end) - dt.timedelta(days=1)).isoformat()


def band_text(band: Band) -> str:
    return f"{band.start} {DASH} {last_day(band)}".rstrip() + f": {band.verdict.value}"


def label_words(band: LabelBand) -> str:
    """The band's headline label, or `possibly A or B` while the readings give different labels."""
    return band.description if band.label is not None else f"possibly {band.description}"


def label_band_text(band: LabelBand) -> str:
    return f"{band.start} {DASH} {last_day(band)}".rstrip() + f": {label_words(band)}"


def label_changes(line: ActionTimeline) -> dict[str, str]:
    """The days the headline label changes (between two adjacent label bands): `"before" → "after"`."""
    return {after.start: f'"{label_words(before)}" \u2192 "{label_words(after)}"'
            for before, after in zip(line.labels, line.labels[1:], strict=False) if before.end == after.start}


def boundaries(line: ActionTimeline) -> list[tuple[str, str]]:
    """Day by day, what changed at a boundary: the verdict's flip and the label's change, in one text."""
    flips = {f.date: f for f in line.flips}
    labels = label_changes(line)
    out = []
    for day in sorted(flips.keys() | labels.keys()):
        label = f"label {labels[day]}" if day in labels else ""
        flip = flips.get(day)
        if flip is None:
            out.append((day, label))
            continue
        head, *rest = flip_text(flip).split("; ")
        out.append((day, "; ".join([head, *([label] if label else []), *rest])))
    return out


def _boundaries_title(result: ScenarioTimeline) -> str:
    with_labels = any(line.labels for line in result.actions)
    return f"What flips each verdict{' or label' if with_labels else ''}, boundary by boundary:"


def _refs(refs: tuple[ClauseRef, ...]) -> str:
    """Each deciding clause once (a clause may decide in several roles), with its citation."""
    return ", ".join(dict.fromkeys(f"{c.id} ({c.cite})" for c in refs))


def flip_text(flip: Flip) -> str:
    parts = [f"{flip.before.value} \u2192 {flip.after.value}"]
    if flip.gained:
        parts.append(f"now decided by {_refs(flip.gained)}")
    if flip.lost:
        parts.append(f"no longer by {_refs(flip.lost)}")
    return "; ".join(parts)


def changes_json(points: tuple[ChangePoint, ...]) -> str:
    return dumps(points)


def changes_human(points: tuple[ChangePoint, ...]) -> RenderableType:
    lines = [f"{len(points)} change points, oldest first (the days between two answer alike)"]
    for point in points:
        lines.append(f"{point.date}")
        for c in point.changes:
            cite = f"{c.cite} ({c.detail})" if c.detail else c.cite
            lines.append(f"  {c.kind.value}: {c.what} {c.name}, {cite} [{c.source}]")
    return Text("\n".join(lines))


def changes_markdown(points: tuple[ChangePoint, ...]) -> str:
    lines = ["| date | change | what | name | citation | written at |", "| --- | --- | --- | --- | --- | --- |"]
    for point in points:
        for c in point.changes:
            cite = f"{c.cite} ({c.detail})" if c.detail else c.cite
            lines.append(f"| {point.date} | {c.kind.value} | {c.what} | `{c.name}` | {_cell(cite)} | {c.source} |")
    return "\n".join(lines) + "\n"


def timeline_json(result: ScenarioTimeline) -> str:
    return dumps(result)


def _heading(result: ScenarioTimeline) -> str:
    what = f"scenario {result.scenario}" if result.scenario else "the facts given"
    return f"Verdicts over time for {what}, from {result.start}; one line per action"


def timeline_human(result: ScenarioTimeline) -> RenderableType:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("action", no_wrap=True)
    table.add_column("bands", overflow="fold")
    for line in result.actions:
        table.add_row(line.label, "; ".join(band_text(b) for b in line.bands))
        if line.labels:
            table.add_row("  headline label", "; ".join(label_band_text(b) for b in line.labels))
    flips = [f"  {day}  {line.label}: {text}" for line in result.actions for day, text in boundaries(line)]
    parts: list[RenderableType] = [Text(_heading(result)), table]
    if flips:
        parts += [Text(""), Text(_boundaries_title(result)), Text("\n".join(flips))]
    return Group(*parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _action_markdown(line: ActionTimeline) -> list[str]:
    out = [f"### `{line.label}`", "", "| from | until (last day) | verdict | decided by |", "| --- | --- | --- | --- |"]
    out += [f"| {b.start} | {last_day(b)} | {b.verdict.value} | {_cell(_refs(b.clauses))} |" for b in line.bands]
    if line.labels:
        out += ["", "| from | until (last day) | headline label | status |", "| --- | --- | --- | --- |"]
        out += [f"| {b.start} | {last_day(b)} | {_cell(label_words(b))} | {b.status or ''} |" for b in line.labels]
    return [*out, "", *(f"- {day}: {_cell(text)}" for day, text in boundaries(line)), ""]


def timeline_markdown(result: ScenarioTimeline) -> str:
    lines = [f"## {_heading(result)}", ""]
    for line in result.actions:
        lines += _action_markdown(line)
    return "\n".join(lines).rstrip("\n") + "\n"
