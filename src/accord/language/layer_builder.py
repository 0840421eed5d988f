"""Building the syntax tree of the layer declarations: layers, a module's layer, actors, labels.

In: the reductions of the grammar's layer rules (`layer_decl`, `module_layer`, `actor_decl`,
`label_decl`, `layer_expectation`), as for `accord.language.syntax_builder.Builder`. Out: the
`ast` nodes of docs/language.md, "Layers, actors and labels", with spans; a test's expectations
split into status expectations and label or layer expectations.
"""

from __future__ import annotations

from typing import Any

from accord.language import ast
from accord.language.syntax_builder import Builder, _end
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
        qualifier = ast.Qualifier.ALWAYS
        rest = c[1:]
        if rest[0].type == "QUALIFIER":
            qualifier = ast.Qualifier(str(rest[0]))
            rest = rest[1:]
        label = layer = verdict = None
        if str(rest[0]) == "label":
            label, rest = self.name(rest[1]), rest[2:]
        else:
            layer, verdict, rest = self.name(rest[1]), self.name(rest[2]), rest[3:]
        actor, action, *tail = rest
        args: tuple[ast.Name, ...] = ()
        because = None
        last = action
        for part in tail:
            if isinstance(part, tuple):  # because "…"
                because, last = part
            else:  # (names)
                args, last = self.names(part[1:-1]), part[-1]
        return ast.LayerExpectation(
            qualifier, label, layer, verdict, self.name(actor), self.name(action), args, because,
            self.span(c[0].start_pos, last.end_pos),
        )

    def test(self, c: list[Any]) -> ast.Test:
        core = super().test([*(p for p in c if not isinstance(p, ast.LayerExpectation))])
        layered = tuple(p for p in c if isinstance(p, ast.LayerExpectation))
        return ast.Test(core.name, core.scenario, core.editions, core.expectations, core.span, layered)
