"""Parsing: rule text to the syntax tree.

In: a `SourceFile`. Out: an `ast.Module`, or diagnostics in the sink (a syntax error with the
expected tokens, an over-deep nesting). This is the only module that imports lark.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import lark
from lark import Token, Tree

from accord import ast
from accord.diagnostics import Sink
from accord.grammar import grammar_text
from accord.source import SourceFile, Span

MAX_DEPTH = 64

# The reserved words of docs/language.md: never names, even where the grammar would take one.
RESERVED = frozenset({
    "module", "import", "sort", "fact", "action", "by", "constraint", "never", "define", "clause", "cite",
    "when", "unless", "overrides", "replaces", "carries", "says", "note", "edition", "title", "in_force",
    "include", "scenario", "unknown", "test", "expect", "because", "possibly", "permitted", "forbidden",
    "required", "source", "section", "grants", "nothing", "and", "or", "not", "may", "must",
})

_TOKEN_WORDS = {
    "NAME": "a lower-case name",
    "VAR": "a variable (Capitalized)",
    "CLAUSE_ID": "a clause id",
    "STRING": 'a "string"',
    "DATE": "a date (YYYY-MM-DD)",
    "MODALITY": "`may`, `must` or `must not`",
    "LINEAGE": "`replaces` or `carries`",
    "FACT_MARK": "`unknown` or `not`",
    "QUALIFIER": "`possibly` or `not`",
    "STATUS": "`permitted`, `forbidden` or `required`",
    "COMPARE": "`=` or `!=`",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "COMMA": "`,`",
    "COLON": "`:`",
    "$END": "the end of the file",
}


@functools.cache
def _parser() -> lark.Lark:
    return lark.Lark(
        grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True, cache=False
    )


def _describe(terminal: str) -> str:
    if terminal in _TOKEN_WORDS:
        return _TOKEN_WORDS[terminal]
    try:
        pattern = _parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    if pattern.type == "str":
        return f"`{pattern.value}`"
    return terminal.lower()


def _expected_hint(expected: set[str] | frozenset[str]) -> str:
    words = sorted({_describe(t) for t in expected})
    if not words:
        return "Check the spelling and the order of the parts here."
    if len(words) > 8:
        words = [*words[:8], "…"]
    return "I was expecting one of: " + ", ".join(words) + "."


def parse(source: SourceFile, sink: Sink) -> ast.Module | None:
    """Parse one file; on a syntax error, report it and return None."""
    try:
        tree = _parse_tree(source, sink)
    except lark.exceptions.UnexpectedToken as err:
        start = err.token.start_pos if err.token.start_pos is not None else len(source.text)
        end = err.token.end_pos if err.token.end_pos is not None else start
        found = "the end of the file" if err.token.type == "$END" else f"`{err.token}`"
        sink.error(
            "syntax-error",
            "SYNTAX ERROR",
            f"I did not expect {found} here.",
            Span(source, start, max(end, start)),
            _expected_hint(err.expected),
        )
        return None
    except lark.exceptions.UnexpectedCharacters as err:
        pos = err.pos_in_stream or 0
        bad = source.text[pos] if pos < len(source.text) else ""
        sink.error(
            "syntax-error",
            "SYNTAX ERROR",
            f"I did not expect the character {bad!r} here.",
            Span(source, pos, pos + 1),
            _expected_hint(err.allowed),
        )
        return None
    except lark.exceptions.UnexpectedEOF as err:
        sink.error(
            "syntax-error",
            "SYNTAX ERROR",
            "The file ended before this declaration was complete.",
            Span(source, len(source.text), len(source.text)),
            _expected_hint(set(err.expected)),
        )
        return None
    if tree is None:
        return None
    builder = _Builder(source, sink)
    try:
        return builder.module(tree)
    except _TooDeep as deep:
        sink.error(
            "too-deep",
            "NESTING TOO DEEP",
            f"This condition nests more than {MAX_DEPTH} levels deep.",
            deep.span,
            "Split it into definitions with names of their own.",
        )
        return None


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _parse_tree(source: SourceFile, sink: Sink) -> Tree[Any] | None:
    """Lark's parse, token by token, refusing a keyword glued to the word after it.

    Where the grammar takes no name, the contextual lexer matches a keyword at the start of a longer
    word and reads the rest as a second token: `factx "d"` would declare a fact `x`, and `f orf` would
    read `f or f`. No two word-like tokens may touch, so a token that starts right after a letter,
    digit or underscore is always such a split word: it is reported (None) instead.
    """
    text = source.text
    interactive = _parser().parse_interactive(text)
    last: Token | None = None
    for token in interactive.iter_parse():
        start = token.start_pos
        if start and _is_word_char(text[start]) and _is_word_char(text[start - 1]):
            first = start
            while first > 0 and _is_word_char(text[first - 1]):
                first -= 1
            end = start
            while end < len(text) and _is_word_char(text[end]):
                end += 1
            keyword, rest = text[first:start], text[start:end]
            sink.error(
                "syntax-error",
                "SYNTAX ERROR",
                f"I did not expect `{keyword}{rest}` here.",
                Span(source, first, end),
                f"`{keyword}` is a keyword: write a space after it (`{keyword} {rest}`), or, if you meant "
                "a name, check what comes before it.",
            )
            return None
        last = token
    # The end token borrows the last token's position, as Lark's own `parse` does.
    eof = Token.new_borrow_pos("$END", "", last) if last is not None else Token("$END", "", 0, 1, 1)
    tree: Tree[Any] = interactive.feed_token(eof)
    return tree


class _TooDeep(Exception):
    def __init__(self, span: Span) -> None:
        self.span = span


def _kids(tree: Tree[Any]) -> list[Any]:
    """A node's children; Lark types them loosely, the grammar fixes what each one is."""
    return list(tree.children)


def _unquote(token: Token) -> str:
    body = str(token)[1:-1]
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


class _Builder:
    """Turns Lark's tree into `ast` nodes with spans."""

    def __init__(self, source: SourceFile, sink: Sink) -> None:
        self.source = source
        self.sink = sink

    def span(self, node: Tree[Any] | Token) -> Span | None:
        if isinstance(node, Token):
            if node.start_pos is None or node.end_pos is None:
                return None
            return Span(self.source, node.start_pos, node.end_pos)
        meta = node.meta
        if getattr(meta, "empty", True):
            return None
        return Span(self.source, meta.start_pos, meta.end_pos)

    def name(self, token: Token) -> ast.Name:
        span = self.span(token)
        if str(token) in RESERVED:
            # The contextual lexer lets a keyword through where only a name can stand
            # (`sort s { not }`); a reserved word is never a name (and `not` would break the program).
            self.sink.error(
                "reserved-word",
                "RESERVED WORD",
                f"`{token}` is a reserved word of the rule language; it cannot be used as a name.",
                span,
                f"Choose another name, for example `{token}_`.",
            )
        return ast.Name(str(token), span)

    def names(self, tree: Tree[Any]) -> tuple[ast.Name, ...]:
        return tuple(self.name(t) for t in _kids(tree))

    def module(self, tree: Tree[Any]) -> ast.Module:
        header, *rest = _kids(tree)
        name_token, *title = _kids(header)
        items = tuple(self.item(child) for child in rest)
        return ast.Module(
            self.name(name_token), _unquote(title[0]) if title else None, items, self.span(tree)
        )

    def item(self, tree: Tree[Any]) -> ast.Item:
        builders: dict[str, Callable[[Tree[Any]], ast.Item]] = {
            "import_decl": self.import_decl,
            "sort_decl": self.sort_decl,
            "fact_decl": self.fact_decl,
            "action_decl": self.action_decl,
            "constraint_decl": self.constraint_decl,
            "definition": self.definition,
            "clause": self.clause,
            "edition": self.edition,
            "scenario": self.scenario,
            "test": self.test,
            "source": self.source_decl,
        }
        return builders[str(tree.data)](tree)

    def import_decl(self, tree: Tree[Any]) -> ast.Import:
        return ast.Import(self.names(_kids(tree)[0]), self.span(tree))

    def sort_decl(self, tree: Tree[Any]) -> ast.SortDecl:
        name, *rest = _kids(tree)
        description = _unquote(rest.pop(0)) if rest and isinstance(rest[0], Token) else None
        members = tuple(
            ast.Member(self.name(_kids(m)[0]), _unquote(_kids(m)[1]) if len(_kids(m)) > 1 else None)
            for m in rest
        )
        return ast.SortDecl(self.name(name), description, members, self.span(tree))

    def sort_params(self, children: list[Any]) -> tuple[tuple[ast.Name, ...], list[Any]]:
        if children and isinstance(children[0], Tree) and children[0].data == "sort_params":
            return self.names(children[0]), children[1:]
        return (), children

    def fact_decl(self, tree: Tree[Any]) -> ast.FactDecl:
        name, *rest = _kids(tree)
        params, rest = self.sort_params(rest)
        return ast.FactDecl(self.name(name), params, _unquote(rest[0]), self.span(tree))

    def action_decl(self, tree: Tree[Any]) -> ast.ActionDecl:
        name, *rest = _kids(tree)
        params, rest = self.sort_params(rest)
        actors, description = rest
        return ast.ActionDecl(
            self.name(name), params, self.names(actors), _unquote(description), self.span(tree)
        )

    def constraint_decl(self, tree: Tree[Any]) -> ast.ConstraintDecl:
        name, description, condition = _kids(tree)
        return ast.ConstraintDecl(
            self.name(name), _unquote(description), self.condition(condition, 0), self.span(tree)
        )

    def definition(self, tree: Tree[Any]) -> ast.Definition:
        name, *rest = _kids(tree)
        params: tuple[ast.Param, ...] = ()
        if isinstance(rest[0], Tree) and rest[0].data == "var_params":
            params = tuple(
                ast.Param(ast.Var(str(_kids(p)[0]), self.span(_kids(p)[0])), self.name(_kids(p)[1]))
                for p in _kids(rest.pop(0))
            )
        description, condition = rest
        return ast.Definition(
            self.name(name), params, _unquote(description), self.condition(condition, 0), self.span(tree)
        )

    def clause(self, tree: Tree[Any]) -> ast.Clause:
        clause_id, *parts = _kids(tree)
        by_kind: dict[str, list[Tree[Any]]] = {}
        for part in parts:
            by_kind.setdefault(str(part.data), []).append(part)
        head_tree = by_kind["head"][0]
        actor, modality, action, *args = _kids(head_tree)
        head = ast.Head(
            self.name(actor),
            ast.Modality(" ".join(str(modality).split())),
            self.name(action),
            self.term_args(args[0]) if args else (),
            self.span(head_tree),
        )
        lineage = None
        if "lineage" in by_kind:
            kind, targets = by_kind["lineage"][0].children
            lineage = ast.Lineage(ast.LineageKind(str(kind)), self.names(targets))
        return ast.Clause(
            id=self.name(clause_id),
            cite=_unquote(_kids(by_kind["cite"][0])[0]),
            head=head,
            when=self.condition(_kids(by_kind["when"][0])[0], 0) if "when" in by_kind else None,
            unless=self.condition(_kids(by_kind["unless"][0])[0], 0) if "unless" in by_kind else None,
            overrides=self.names(_kids(by_kind["overrides"][0])[0]) if "overrides" in by_kind else (),
            lineage=lineage,
            says=_unquote(_kids(by_kind["says"][0])[0]),
            notes=tuple(_unquote(_kids(n)[0]) for n in by_kind.get("note", [])),
            span=self.span(tree),
        )

    def edition(self, tree: Tree[Any]) -> ast.Edition:
        name, title, date, includes, *notes = _kids(tree)
        return ast.Edition(
            self.name(name),
            _unquote(title),
            str(date),
            self.names(includes),
            tuple(_unquote(_kids(n)[0]) for n in notes),
            self.span(tree),
            self.span(date),
        )

    def scenario(self, tree: Tree[Any]) -> ast.Scenario:
        name, description, *facts = _kids(tree)
        return ast.Scenario(
            self.name(name), _unquote(description), tuple(self.scenario_fact(f) for f in facts), self.span(tree)
        )

    def scenario_fact(self, tree: Tree[Any]) -> ast.ScenarioFact:
        children = list(_kids(tree))
        truth = ast.Truth.TRUE
        if children[0].type == "FACT_MARK":
            truth = ast.Truth.UNKNOWN if str(children.pop(0)) == "unknown" else ast.Truth.FALSE
        name, *args = children
        return ast.ScenarioFact(truth, self.name(name), self.names(args[0]) if args else (), self.span(tree))

    def test(self, tree: Tree[Any]) -> ast.Test:
        name, scenario, editions, *expectations = _kids(tree)
        return ast.Test(
            self.name(name),
            self.name(scenario),
            self.names(editions),
            tuple(self.expectation(e) for e in expectations),
            self.span(tree),
        )

    def expectation(self, tree: Tree[Any]) -> ast.Expectation:
        children = list(_kids(tree))
        qualifier = ast.Qualifier.ALWAYS
        if children[0].type == "QUALIFIER":
            qualifier = ast.Qualifier(str(children.pop(0)))
        status, actor, action, *rest = children
        args: tuple[ast.Name, ...] = ()
        because = None
        for part in rest:
            if part.data == "ground_args":
                args = self.names(part)
            else:
                because = _unquote(_kids(part)[0])
        return ast.Expectation(
            qualifier, ast.Status(str(status)), self.name(actor), self.name(action), args, because, self.span(tree)
        )

    def source_decl(self, tree: Tree[Any]) -> ast.Source:
        name, title, *sections = _kids(tree)
        return ast.Source(
            self.name(name), _unquote(title), tuple(self.section(s) for s in sections), self.span(tree)
        )

    def section(self, tree: Tree[Any]) -> ast.Section:
        ref, title, *grants = _kids(tree)
        reason = _unquote(_kids(grants[0])[0]) if grants else None
        return ast.Section(_unquote(ref), _unquote(title), reason, self.span(tree))

    # ---- conditions --------------------------------------------------------------------

    def term_args(self, tree: Tree[Any]) -> tuple[ast.Term, ...]:
        return tuple(self.term(t) for t in _kids(tree))

    def term(self, tree: Tree[Any]) -> ast.Term:
        token = _kids(tree)[0]
        if tree.data == "variable":
            return ast.Var(str(token), self.span(token))
        return ast.Const(str(token), self.span(token))

    def condition(self, tree: Tree[Any], depth: int) -> ast.Condition:
        if depth > MAX_DEPTH:
            raise _TooDeep(self.span(tree) or Span(self.source, 0, 0))
        kind = str(tree.data)
        span = self.span(tree)
        if kind == "atom":
            name, *args = _kids(tree)
            return ast.Atom(self.name(name), self.term_args(args[0]) if args else (), span)
        if kind == "comparison":
            left, op, right = _kids(tree)
            return ast.Compare(self.term(left), str(op), self.term(right), span)
        if kind == "negated":
            return ast.Not(self.condition(_kids(tree)[0], depth + 1), span)
        operands = tuple(self.condition(c, depth + 1) for c in _kids(tree))
        if kind == "conjunction":
            return ast.And(operands, span)
        return ast.Or(operands, span)
