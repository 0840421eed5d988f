"""Spans: every node of the syntax tree points at exactly the text it was read from.

For every node that has a span, in the bundled rules, the fixtures and generated modules (printed,
then respaced with comments and line breaks between the tokens): the span's text has no space at
either end, lies inside the span of the node around it, and reads back, in a context that takes
that kind of node, as an equal node. A parenthesized condition has its own span without the
parentheses; as a part of a larger condition, it counts with them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import modules

from accord.language import ast
from accord.language.diagnostics import Sink
from accord.language.parse import parse
from accord.language.printer import print_module
from accord.language.source import SourceFile, Span

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FILES = [
    *sorted((ROOT / "rules").glob("*.accord")),
    FIXTURES / "mini" / "mini.accord",
    FIXTURES / "asp" / "conditions.accord",
    *sorted((FIXTURES / "editions").glob("*.accord")),
]


def _parse(text: str) -> ast.Module:
    sink = Sink()
    module = parse(SourceFile("t.accord", text), sink)
    assert module is not None and not sink.items, [d.message for d in sink.items]
    return module


def _only(text: str) -> ast.Item:
    [item] = _parse("module m\n" + text).items
    return item


def _condition(text: str) -> ast.Condition:
    item = _only(f'constraint c "d": never {text}')
    assert isinstance(item, ast.ConstraintDecl)
    return item.condition


def _head(text: str) -> ast.Head:
    item = _only(f'clause c {{ cite "c" {text} says "s" }}')
    assert isinstance(item, ast.Clause)
    return item.head


def _scenario_fact(text: str) -> ast.ScenarioFact:
    item = _only(f'scenario s "d" {{ {text} }}')
    assert isinstance(item, ast.Scenario)
    return item.facts[0]


def _expectation(text: str) -> ast.Expectation:
    item = _only(f"test t {{ scenario s edition e {text} }}")
    assert isinstance(item, ast.Test)
    return item.expectations[0]


def _layer_expectation(text: str) -> ast.LayerExpectation:
    item = _only(f"test t {{ scenario s edition e {text} }}")
    assert isinstance(item, ast.Test)
    return item.layer_expectations[0]


def _period(text: str) -> ast.Period:
    item = _only(f'clause c {text} {{ cite "c" sdf may x says "s" }}')
    assert isinstance(item, ast.Clause)
    return item.periods[0]


def _citation(text: str) -> ast.Citation:
    item = _only(f'clause c {{ {text}\n cite "another" sdf may x says "s" }}')  # two cites: both kept
    assert isinstance(item, ast.Clause)
    return item.citations[0]


def _section(text: str) -> ast.Section:
    item = _only(f'source s "t" {{ {text} }}')
    assert isinstance(item, ast.Source)
    return item.sections[0]


READ_BACK: dict[type, Callable[[str], object]] = {
    ast.Module: _parse,
    ast.Head: _head,
    ast.ScenarioFact: _scenario_fact,
    ast.Expectation: _expectation,
    ast.LayerExpectation: _layer_expectation,
    ast.Section: _section,
    ast.Period: _period,
    ast.Citation: _citation,
    **{kind: _only for kind in (ast.Import, ast.SortDecl, ast.FactDecl, ast.ActionDecl, ast.ConstraintDecl,
                                ast.Definition, ast.Clause, ast.Edition, ast.Scenario, ast.Test, ast.Source,
                                ast.LayerDecl, ast.ModuleLayer, ast.ActorDecl, ast.LabelDecl)},
    **{kind: _condition for kind in (ast.Atom, ast.Compare, ast.Not, ast.And, ast.Or)},
}


def _nodes(node: object, around: Span | None) -> Iterator[tuple[object, Span, Span | None]]:
    """Every node with a span below `node`, with the span of the nearest node around it that has one."""
    if isinstance(node, tuple):
        for child in node:
            yield from _nodes(child, around)
        return
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return
    span = getattr(node, "span", None)
    if span is not None:
        yield node, span, around
        around = span
    for field in dataclasses.fields(node):
        if field.name != "span":
            yield from _nodes(getattr(node, field.name), around)


def assert_spans_read_back(module: ast.Module) -> int:
    count = 0
    for node, span, around in _nodes(module, None):
        text = span.text()
        assert text == text.strip(), (node, text)
        if around is not None:
            assert around.start <= span.start <= span.end <= around.end, (node, text)
        if isinstance(node, ast.Name):
            assert text == node.text
        elif isinstance(node, ast.Var | ast.Const):
            assert text == node.name
        else:
            assert READ_BACK[type(node)](text) == node, (node, text)
        count += 1
    for item in module.items:
        if isinstance(item, ast.Edition):
            assert item.in_force_span is not None and item.in_force_span.text() == item.in_force
    return count


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_span_of_the_rule_files_reads_back(path: Path) -> None:
    assert assert_spans_read_back(_parse(path.read_text(encoding="utf-8"))) > 10


_TOKEN = re.compile(r'must not\b|"(?:[^"\\\n]|\\.)*"|[^\s"]+')  # `must not` is one token: no comment inside


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.lists(st.sampled_from([" ", "  ", "\n", "\t", " # note\n", "\n\n  "]), min_size=1))
def test_every_span_of_a_generated_module_reads_back(module: ast.Module, spaces: list[str]) -> None:
    tokens = _TOKEN.findall(print_module(module))
    text = "".join(token + spaces[i % len(spaces)] for i, token in enumerate(tokens))
    parsed = _parse(text)
    assert parsed == module
    assert_spans_read_back(parsed)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("not (a or b)", ["not (a or b)", "a or b", "a", "b"]),
        ("(a) and ((b or c))", ["(a) and ((b or c))", "a", "b or c", "b", "c"]),
        ("x(X) or (not y and X = c)", ["x(X) or (not y and X = c)", "x(X)", "not y and X = c", "not y", "y", "X = c"]),
        ("((p(a, B)))", ["p(a, B)"]),
    ],
)
def test_parentheses_belong_to_the_condition_around_them(text: str, spans: list[str]) -> None:
    nodes = _nodes(_condition(text), None)
    found = [span.text() for node, span, _ in nodes if not isinstance(node, ast.Name | ast.Var | ast.Const)]
    assert found == spans
