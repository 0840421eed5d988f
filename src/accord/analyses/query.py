"""Queries by edition or date: the entry that every caller of a query goes through.

In: a `KnowledgeBase`, an edition (id or year) or a date, and a scenario (a name, facts given as
text, unknown facts). Out: a `QueryResult`. The edition's `EditionEngine` (compiled and grounded
once, checked against the grounding guard first) is kept in the knowledge base's memo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from accord.analyses.engine import EditionEngine
from accord.compile.limits import check_limits
from accord.knowledge.base import KnowledgeBase
from accord.results.query import QueryResult


def engine(kb: KnowledgeBase, edition: str) -> EditionEngine:
    """The edition's engine, built on first use."""
    chosen = kb.edition(edition).id

    def make() -> EditionEngine:
        check_limits(kb.rules.edition_view(chosen))
        return EditionEngine(kb.rules, chosen)

    return kb.memo("engine", chosen, make)


def query(
    kb: KnowledgeBase,
    edition: str | None = None,
    *,
    as_of: dt.date | None = None,
    scenario: str | None = None,
    facts: Iterable[str] = (),
    unknown: Iterable[str] = (),
    timeout: float | None = None,
    readings_cap: int | None = None,
) -> QueryResult:
    """Query a named scenario, or facts given as text (`armed_attack_on(japan)`), or both."""
    chosen = kb.choose_edition(edition, as_of)
    named, true, open_facts = kb.scenario_facts(scenario, facts, unknown)
    return engine(kb, chosen).query(true, open_facts, scenario=named, timeout=timeout, readings_cap=readings_cap)
