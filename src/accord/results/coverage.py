"""The result objects of `accord coverage`: how each section of a source text is accounted for.

In: built by `accord.analyses.coverage.sources`. Out: one `SectionCoverage` per section, with its
`Accounted` status, the clauses that cite it or the reason it grants nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Accounted(Enum):
    ENCODED = "encoded"
    THROUGH_SUBSECTIONS = "encoded through subsections"
    GRANTS_NOTHING = "grants nothing"
    UNACCOUNTED = "unaccounted"


@dataclass(frozen=True, slots=True)
class SectionCoverage:
    source: str
    section: str
    title: str
    status: Accounted
    clauses: tuple[str, ...]
    reason: str | None
