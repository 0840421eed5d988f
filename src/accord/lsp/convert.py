"""Positions and diagnostics in the protocol's terms.

In: `SourceFile` offsets and `Diagnostic`s. Out: lsprotocol `Position`s and `Range`s (lines from
0, characters counted in UTF-16 code units as the protocol asks), offsets back from positions, and
lsprotocol `Diagnostic`s with the checker's code, message, hint and related spans.
"""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types as lsp

from accord.language.diagnostics import Diagnostic, Severity
from accord.language.source import SourceFile, Span


def _units(text: str) -> int:
    return len(text.encode("utf_16_le")) // 2


def position(source: SourceFile, offset: int) -> lsp.Position:
    offset = max(0, min(offset, len(source.text)))
    line, _ = source.position(offset)
    start = source.line_starts[line - 1]
    return lsp.Position(line=line - 1, character=_units(source.text[start:offset]))


def span_range(span: Span) -> lsp.Range:
    return lsp.Range(start=position(span.source, span.start), end=position(span.source, span.end))


def offset(source: SourceFile, where: lsp.Position) -> int:
    """The character offset of a protocol position (clamped to the line and the file)."""
    if where.line >= len(source.line_starts):
        return len(source.text)
    start = source.line_starts[where.line]
    end = source.text.find("\n", start)
    end = len(source.text) if end < 0 else end
    units = 0
    for index in range(start, end):
        if units >= where.character:
            return index
        units += _units(source.text[index])
    return end


_SEVERITY = {Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning}

START = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))


def diagnostic(d: Diagnostic, uri_of: Callable[[str], str | None]) -> lsp.Diagnostic:
    """The protocol's form of a diagnostic; `uri_of` maps a file's display name to its URI."""
    related = []
    for span, message in d.related:
        uri = uri_of(span.file)
        if uri is not None:
            related.append(lsp.DiagnosticRelatedInformation(lsp.Location(uri, span_range(span)), message))
    message = d.message if d.hint is None else f"{d.message}\n{d.hint}"
    return lsp.Diagnostic(
        range=span_range(d.span) if d.span is not None else START,
        message=message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        source="accord",
        related_information=related or None,
    )
