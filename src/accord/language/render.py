"""Rendering diagnostics for people, editors and programs.

In: diagnostics, sorted. Out: text in three forms: `human` (Elm-like: a headline, the source line
with the offending text underlined, the message, a hint and the stable code), `short`
(`file:line:col: error[code]: message`) and `json` (a list of plain objects).
"""

from __future__ import annotations

import json
from typing import Any

from accord.language.diagnostics import Diagnostic
from accord.language.source import Span
from accord.util.text import one_column

WIDTH = 80
MAX_UNDERLINED_LINES = 3
MAX_LINE = 500  # characters of a long source line shown around what is underlined


def _header(diagnostic: Diagnostic) -> str:
    where = one_column(diagnostic.span.file) if diagnostic.span else ""
    left = f"-- {diagnostic.title} "
    right = f" {where}" if where else ""
    return left + "-" * max(3, WIDTH - len(left) - len(right)) + right


def _window(text: str, start: int, end: int) -> tuple[str, int, int]:
    """At most `MAX_LINE` characters of a long line, around [start, end), with `…` where cut;
    and start and end moved into the window."""
    if len(text) <= MAX_LINE:
        return text, start, end
    first = max(0, min(start - MAX_LINE // 4, len(text) - MAX_LINE))
    last = first + MAX_LINE
    shown = ("…" if first else "") + text[first:last] + ("…" if last < len(text) else "")
    shift = first - (1 if first else 0)
    return shown, max(start - shift, 0), max(min(end, last) - shift, 0)


def _snippet(span: Span) -> list[str]:
    source = span.source
    first_line, first_col = source.position(span.start)
    last_line, _ = source.position(max(span.start, span.end - 1))
    last_line = min(last_line, first_line + MAX_UNDERLINED_LINES - 1)
    gutter = len(str(last_line))
    out = []
    for line in range(first_line, last_line + 1):
        text = source.line_text(line)
        line_start = source.line_starts[line - 1]
        start = span.start - line_start if line == first_line else 0
        end = min(span.end - line_start, len(text))
        if line == first_line and span.end <= span.start:
            start, end = first_col - 1, first_col
        text, start, end = _window(text, start, end)
        out.append(f"{line:>{gutter}} | {one_column(text)}")
        out.append(f"{' ' * gutter} | {' ' * start}{'^' * max(1, end - start)}")
    return out


def human(diagnostics: list[Diagnostic]) -> str:
    blocks = []
    for d in diagnostics:
        lines = [_header(d), ""]
        if d.span is not None:
            lines.extend(_snippet(d.span))
            lines.append("")
        lines.append(d.message)
        for span, label in d.related:
            lines.extend(["", f"{label} ({span.file}:{span.line}:{span.column}):", *_snippet(span)])
        if d.hint:
            lines.extend(["", f"Hint: {d.hint}"])
        lines.extend(["", f"{d.severity.value}[{d.code}]"])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def short(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        where = f"{one_column(d.span.file)}:{d.span.line}:{d.span.column}: " if d.span else ""
        lines.append(f"{where}{d.severity.value}[{d.code}]: {d.message}")
    return "".join(line + "\n" for line in lines)


def as_objects(diagnostics: list[Diagnostic]) -> list[dict[str, Any]]:
    out = []
    for d in diagnostics:
        item: dict[str, Any] = {"code": d.code, "severity": d.severity.value, "title": d.title,
                                "message": d.message, "hint": d.hint}
        if d.span is not None:
            end_line, end_column = d.span.source.position(d.span.end)
            item.update(file=d.span.file, line=d.span.line, column=d.span.column,
                        end_line=end_line, end_column=end_column, text=d.span.text())
        out.append(item)
    return out


def as_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps({"diagnostics": as_objects(diagnostics)}, indent=2, ensure_ascii=False) + "\n"
