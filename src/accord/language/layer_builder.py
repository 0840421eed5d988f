"""Building the syntax tree of the layer declarations and of a test's expectations.

In: the reductions of the grammar's layer rules (`layer_decl`, `module_layer`, `actor_decl`,
`label_decl`) and expectation rules (`expectation`, `layer_expectation`, `for_each`), as for
`accord.language.syntax_builder.Builder`. Out: the `ast` nodes of docs/language.md, "Layers, actors
and labels" and "Tests", with spans; a test's expectations split into status expectations and label
or layer expectations, each with its actor and arguments (names or variables) and quantifiers.
"""

from __future__ import annotations

from typing import Any

from accord.language import ast
from accord.language.syntax_builder import Builder, Token, _end
from accord.language.syntax_dates import unquote as _unquote


class LayeredBuilder(Builder):
    """The builder of the whole language: the core rules and the layer rules."""

    def layer_decl(self, c: list[Any]) -> ast.LayerDecl:
        verdicts = tuple(v for v in c[4:-1] if isinstance(v, ast.VerdictDecl))
        return ast.LayerDecl(self.name(c[1]), _unquote(c[2]), verdicts, self.span(c[0].start_pos, c[-1].end_pos))

    def verdict_decl(self, c: list[Any]) -> ast.VerdictDecl:
        return ast.VerdictDecl(self.name(c[0]), _unquote(c[1]), ast.Status(str(c[3])))

    def otherwise_verdict(self, c: list[Any]) -> ast.VerdictDecl:
        return ast.VerdictDecl(self.name(c[0]), _unquote(c[1]), None)

    def module_layer(self, c: list[Any]) -> ast.ModuleLayer:
        return ast.ModuleLayer(self.name(c[1]), self.span(c[0].start_pos, c[1].end_pos))

    def actor_decl(self, c: list[Any]) -> ast.ActorDecl:
        return ast.ActorDecl(self.name(c[1]), self.names(c[4]), _unquote(c[5]), self.span(c[0].start_pos, c[5].end_pos))

    def label_for(self, c: list[Any]) -> tuple[ast.Name, ...]:
        return self.names(c[1])

    def label_decl(self, c: list[Any]) -> ast.LabelDecl:
        status: ast.Status | None = None
        actors: tuple[ast.Name, ...] = ()
        for part in c[3:-2]:
            if isinstance(part, tuple):
                actors = part
            else:
                status = ast.Status(str(part))
        return ast.LabelDecl(
            self.name(c[1]), _unquote(c[2]), status, actors, self.whole(c[-1]), self.span(c[0].start_pos, _end(c[-1]))
        )

    def layer_expectation(self, c: list[Any]) -> ast.LayerExpectation:
        qualifier, rest = self.qualifier(c[1:])
        label = layer = verdict = None
        if str(rest[0]) == "label":
            label, rest = self.name(rest[1]), rest[2:]
        else:
            layer, verdict, rest = self.name(rest[1]), self.name(rest[2]), rest[3:]
        actor, action, args, quantifiers, unless, because, end = self.expected(rest)
        return ast.LayerExpectation(qualifier, label, layer, verdict, actor, action, args, because,
                                    self.span(c[0].start_pos, end), quantifiers, unless)

    def expectation(self, c: list[Any]) -> ast.Expectation:
        qualifier, rest = self.qualifier(c[1:])
        actor, action, args, quantifiers, unless, because, end = self.expected(rest[1:])
        return ast.Expectation(qualifier, ast.Status(str(rest[0])), actor, action, args, because,
                               self.span(c[0].start_pos, end), quantifiers, unless)

    def qualifier(self, rest: list[Any]) -> tuple[ast.Qualifier, list[Any]]:
        if rest[0].type == "QUALIFIER":
            return ast.Qualifier(str(rest[0])), rest[1:]
        return ast.Qualifier.ALWAYS, rest

    def expected(self, rest: list[Any]) -> tuple[ast.Name | ast.Var, ast.Name, tuple[ast.Name | ast.Var, ...],
                                                 tuple[ast.Quantifier, ...], tuple[ast.Compare, ...], str | None, int]:
        """What an expectation is about: `ACTOR ACTION(ARGS…) [for V in SORT [except …], …] [unless
        V = W or …] [because "…"]`, and where it ends."""
        actor, action, *tail = rest
        parts: dict[str, Any] = {}
        end = action.end_pos
        for kind, value, last in tail:
            parts[kind], end = value, last
        return (self.actor(actor), self.name(action), parts.get("args", ()), parts.get("for", ()),
                parts.get("unless", ()), parts.get("because"), end)

    def expect_args(self, c: list[Any]) -> tuple[str, tuple[ast.Name | ast.Var, ...], int]:
        return "args", tuple(self.actor(t) for t in c[1:-1:2]), c[-1].end_pos

    def for_each(self, c: list[Any]) -> tuple[str, tuple[ast.Quantifier, ...], int]:
        quantifiers = tuple(q for q, _ in c[1::2])
        return "for", quantifiers, c[-1][1]

    def quantifier(self, c: list[Any]) -> tuple[ast.Quantifier, int]:
        var = ast.Var(str(c[0]), self.span(c[0].start_pos, c[0].end_pos))
        excluded: tuple[ast.Name, ...] = c[3] if len(c) > 3 else ()
        end = excluded[-1].span.end if excluded and excluded[-1].span is not None else c[2].end_pos
        return ast.Quantifier(var, self.name(c[2]), excluded), end

    def except_values(self, c: list[Token]) -> tuple[ast.Name, ...]:
        return tuple(self.name(t) for t in c[1::2])

    def expect_unless(self, c: list[Any]) -> tuple[str, tuple[ast.Compare, ...], int]:
        comparisons: tuple[ast.Compare, ...] = tuple(c[1::2])
        last = comparisons[-1].span
        return "unless", comparisons, last.end if last is not None else c[0].end_pos

    def because(self, c: list[Token]) -> tuple[str, str, int]:
        return "because", _unquote(c[1]), c[1].end_pos

    def test(self, c: list[Any]) -> ast.Test:
        core = super().test([*(p for p in c if not isinstance(p, ast.LayerExpectation))])
        layered = tuple(p for p in c if isinstance(p, ast.LayerExpectation))
        return ast.Test(core.name, core.scenario, core.editions, core.expectations, core.span, layered)
