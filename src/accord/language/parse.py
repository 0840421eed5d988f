"""Parsing: rule text to the syntax tree.

In: a `SourceFile`. Out: an `ast.Module`, or diagnostics in the sink (a syntax error with the
expected tokens, a keyword glued to the next word, a reserved word used as a name, an over-deep
nesting). This is the only module that imports lark.

Lark's LALR parser, with its contextual lexer, reads the file once: at every reduction of a rule it
calls `accord.language.syntax_builder.Builder` (an inline transformer), so the syntax tree is built while
parsing, with no parse tree in between. The tables of the parser are built once per process.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from typing import cast

import lark

from accord.language import ast
from accord.language.diagnostics import Sink
from accord.language.grammar import grammar_text
from accord.language.layer_builder import LayeredBuilder
from accord.language.source import SourceFile, Span
from accord.language.syntax_builder import MAX_DEPTH, RESERVED
from accord.language.syntax_hints import WORD_CHARS, actorless_head, expected_hint, glued_word

__all__ = ["MAX_DEPTH", "RESERVED", "parse"]


class _Glued(Exception):
    """A token that starts right after a letter, digit or underscore (see `_GlueCheck`)."""

    def __init__(self, start: int) -> None:
        self.start = start


class _GlueCheck(lark.lark.PostLex):
    """Refuses a keyword glued to the word after it.

    Where the grammar takes no name, the contextual lexer matches a keyword at the start of a longer
    word and reads the rest as a second token: `factx "d"` would declare a fact `x`, and `f orf` would
    read `f or f`. No two word-like tokens may touch, so a token that starts right after a letter,
    digit or underscore is always such a split word: it is reported (as the lexer meets it, before
    the parser sees it) instead.
    """

    always_accept = ()

    def __init__(self) -> None:
        self.text = ""

    def process(self, stream: Iterator[lark.Token]) -> Iterator[lark.Token]:
        text = self.text
        for token in stream:
            start = token.start_pos
            if start and text[start - 1] in WORD_CHARS and text[start] in WORD_CHARS:
                raise _Glued(start)
            yield token


class _Parser:
    """Lark's parser with the builder and the glue check bound to it; one file at a time."""

    def __init__(self) -> None:
        self.builder = LayeredBuilder()
        self.glue = _GlueCheck()
        self.lark = lark.Lark(
            grammar_text(),
            parser="lalr",
            lexer="contextual",
            keep_all_tokens=True,
            transformer=self.builder,
            postlex=self.glue,
            cache=False,
        )
        self.lock = threading.Lock()

    def literal(self, terminal: str) -> str | None:
        try:
            pattern = self.lark.get_terminal(terminal).pattern
        except KeyError:
            return None
        return pattern.value if pattern.type == "str" else None

    def parse(self, source: SourceFile, sink: Sink) -> ast.Module | None:
        with self.lock:
            self.builder.begin(source)
            self.glue.text = source.text
            # With an inline transformer, Lark returns what the builder made of the start rule.
            module = cast(ast.Module, self.lark.parse(source.text))
            return module if self.builder.diagnose(module, sink) else None


@functools.cache
def _parser() -> _Parser:
    return _Parser()


def parse(source: SourceFile, sink: Sink) -> ast.Module | None:
    """Parse one file; on a syntax error, report it and return None."""
    parser = _parser()
    try:
        return parser.parse(source, sink)
    except _Glued as glued:
        first, end, message, hint = glued_word(source.text, glued.start)
        sink.error("syntax-error", "SYNTAX ERROR", message, Span(source, first, end), hint)
    except lark.exceptions.UnexpectedToken as err:
        start = err.token.start_pos if err.token.start_pos is not None else len(source.text)
        end = err.token.end_pos if err.token.end_pos is not None else start
        found = "the end of the file" if err.token.type == "$END" else f"`{err.token}`"
        message, hint = actorless_head(source.text, start, err.expected) or (
            f"I did not expect {found} here.", expected_hint(err.expected, parser.literal))
        sink.error("syntax-error", "SYNTAX ERROR", message, Span(source, start, max(end, start)), hint)
    except lark.exceptions.UnexpectedCharacters as err:
        pos = err.pos_in_stream or 0
        bad = source.text[pos] if pos < len(source.text) else ""
        sink.error(
            "syntax-error",
            "SYNTAX ERROR",
            f"I did not expect the character {bad!r} here.",
            Span(source, pos, pos + 1),
            expected_hint(err.allowed, parser.literal),
        )
    except lark.exceptions.UnexpectedEOF as err:
        sink.error(
            "syntax-error",
            "SYNTAX ERROR",
            "The file ended before this declaration was complete.",
            Span(source, len(source.text), len(source.text)),
            expected_hint(err.expected, parser.literal),
        )
    return None
