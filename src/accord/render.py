"""Rendering diagnostics for people, editors and programs.

In: diagnostics, sorted. Out: text in three forms: `human` (Elm-like: a headline, the source line
with the offending text underlined, the message, a hint and the stable code), `short`
(`file:line:col: error[code]: message`) and `json` (a list of plain objects).
"""

from __future__ import annotations

import json
from typing import Any

from accord.diagnostics import Diagnostic
from accord.source import Span

WIDTH = 80
MAX_UNDERLINED_LINES = 3


def _header(diagnostic: Diagnostic) -> str:
    where = diagnostic.span.file if diagnostic.span else ""
    left = f"-- {diagnostic.title} "
    right = f" {where}" if where else ""
    return left + "-" * max(3, WIDTH - len(left) - len(right)) + right


def _snippet(span: Span) -> list[str]:
    source = span.source
    first_line, first_col = source.position(span.start)
    last_line, _ = source.position(max(span.start, span.end - 1))
    last_line = min(last_line, first_line + MAX_UNDERLINED_LINES - 1)
    gutter = len(str(last_line))
    out = []
    for line in range(first_line, last_line + 1):
        text = source.line_text(line).replace("\t", " ")
        out.append(f"{line:>{gutter}} | {text}")
        line_start = source.line_starts[line - 1]
        start = span.start - line_start if line == first_line else 0
        end = min(span.end - line_start, len(text))
        width = max(1, end - start)
        if line == first_line and span.end <= span.start:
            start, width = first_col - 1, 1
        out.append(f"{' ' * gutter} | {' ' * start}{'^' * width}")
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
        where = f"{d.span.file}:{d.span.line}:{d.span.column}: " if d.span else ""
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
