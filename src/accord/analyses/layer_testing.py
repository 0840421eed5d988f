"""Checking the label and layer expectations of the tests written in the rule language.

In: a test's `ir.LayerExpectation` (`expect [possibly | not] label L …`, `expect … layer LAYER
VERDICT …`) and the query result of its scenario in one edition. Out: a `TestOutcome`: whether
the label (or the layer's verdict) holds in every reading, in some, or in none, as expected, and
what the action's labels (or the layer's verdicts) actually were.
"""

from __future__ import annotations

from accord.language import ast, ir
from accord.results.query import ActionResult, Extent, QueryResult
from accord.results.testing import TestOutcome

EXPECTED_EXTENT = {
    ast.Qualifier.ALWAYS: Extent.ALWAYS,
    ast.Qualifier.POSSIBLY: Extent.SOMETIMES,
    ast.Qualifier.NEVER: Extent.NEVER,
}
_WORDS = {Extent.ALWAYS: "", Extent.SOMETIMES: "possibly ", Extent.NEVER: "not "}


def _what(e: ir.LayerExpectation) -> str:
    return f"label {e.label}" if e.label is not None else f"layer {e.layer} {e.verdict}"


def describe(e: ir.LayerExpectation) -> str:
    args = f"({', '.join(e.args)})" if e.args else ""
    return f"{_WORDS[EXPECTED_EXTENT[e.qualifier]]}{_what(e)} {e.actor} {e.action}{args}"


def _found(e: ir.LayerExpectation, action: ActionResult) -> tuple[Extent, str]:
    """The extent of the expected label or verdict, and what the action actually has."""
    if e.label is not None:
        held = {ref.name: ref.extent for ref in action.labels}
        shown = ", ".join(f"{_WORDS[ref.extent]}{ref.name}" for ref in action.labels)
        return held.get(e.label, Extent.NEVER), f"label {shown or 'none'}"
    layer = next((lr for lr in action.layers if lr.layer == e.layer), None)
    if layer is None:
        return Extent.NEVER, f"layer {e.layer} does not bind {e.actor}"
    held = {ref.name: ref.extent for ref in layer.verdicts}
    shown = ", ".join(f"{_WORDS[ref.extent]}{ref.name}" for ref in layer.verdicts)
    return held.get(e.verdict or "", Extent.NEVER), f"layer {e.layer} {shown}"


def check_layered(test: ir.Test, edition: str, e: ir.LayerExpectation, result: QueryResult) -> TestOutcome:
    location = f"{e.span.file}:{e.span.line}" if e.span else ""

    def outcome(passed: bool, actual: str) -> TestOutcome:
        return TestOutcome(test.name, edition, describe(e), e.because, passed, actual, location)

    if not result.possible:
        broken = ", ".join(v.constraint for v in result.violations)
        return outcome(False, f"the scenario is impossible in this edition (breaks {broken})")
    try:
        action = result.action(e.actor, e.action, e.args)
    except KeyError:
        return outcome(False, f"the edition does not know the action `{e.action}` for `{e.actor}`")
    extent, actual = _found(e, action)
    return outcome(extent is EXPECTED_EXTENT[e.qualifier], actual)
