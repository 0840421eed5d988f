"""The result of one expectation of a test written in the rule language.

In: built by `accord.analyses.testing`. Out: `TestOutcome`: the test, the edition, what was
expected and why, whether it held, what the status actually was, and where the expectation is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TestOutcome:
    test: str
    edition: str
    expectation: str
    because: str | None
    passed: bool
    actual: str
    location: str
