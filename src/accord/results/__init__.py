"""The plain result objects that analyses return and reports read.

In: built by `accord.analyses`. Out: frozen dataclasses with no behaviour beyond their JSON form:
`query` (a scenario's actions, verdicts, clauses; shared references to editions, clauses and
facts), `explain` (explanations, minimal scenarios, findings, clause coverage), `diff` (clause and
behaviour changes with witnesses), `testing` and `coverage` (test outcomes, source coverage).
The types of a query are importable from here directly.
"""

from accord.results.query import (
    ActionResult,
    ClauseRef,
    EditionRef,
    Extent,
    FactRef,
    QueryResult,
    Reading,
    Role,
    Verdict,
    Violation,
    to_json,
)

__all__ = [
    "ActionResult", "ClauseRef", "EditionRef", "Extent", "FactRef", "QueryResult", "Reading", "Role",
    "Verdict", "Violation", "to_json",
]
