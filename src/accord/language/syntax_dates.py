"""Building the dated parts of the syntax tree, and reading quoted strings.

In: the tokens the LALR parser hands over for `period` and `cite` (see grammar/accord.lark), and
STRING tokens. Out: `ast.Period` and `ast.Citation` nodes with spans, and the text of a string
with its escapes read. A mixin of `accord.language.syntax_builder.Builder`, which gives it `span`.
"""

from __future__ import annotations

from typing import Any, Protocol

from accord.language import ast
from accord.language.source import Span


class _Token(Protocol):
    @property
    def type(self) -> str: ...

    @property
    def start_pos(self) -> int: ...

    @property
    def end_pos(self) -> int: ...


def unquote(token: _Token) -> str:
    """The text of a STRING token: without its quotes, `\\n`, `\\"` and `\\\\` read."""
    body = str(token)[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def periods(children: list[Any]) -> tuple[ast.Period, ...]:
    """The periods among a rule's children, in order."""
    return tuple(c for c in children if isinstance(c, ast.Period))


class _Spans(Protocol):
    def span(self, start: int, end: int) -> Span: ...


class DatesBuilder:
    """The reductions of `period` and `cite`; the builder this is mixed into gives `span`."""

    def period(self: _Spans, c: list[_Token]) -> ast.Period:
        start = str(c[1]) if str(c[0]) == "in_force" else None
        end = str(c[-1]) if str(c[-2]) == "until" else None
        return ast.Period(start, end, self.span(c[0].start_pos, c[-1].end_pos))

    def cite(self: _Spans, c: list[Any]) -> tuple[str, ast.Citation]:
        dated = periods(c)
        end = dated[-1].span.end if dated and dated[-1].span else c[1].end_pos
        return "cite", ast.Citation(unquote(c[1]), dated, self.span(c[0].start_pos, end))
