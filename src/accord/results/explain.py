"""The result objects of `accord explain`, `accord when`, the semantic findings of `accord check` and
`accord test --coverage`.

In: built by `accord.analyses.explain` (`why`, `when`, `findings`) and
`accord.analyses.coverage.clauses`. Out: plain frozen dataclasses, dumped to JSON by
`accord.results.query.to_json` and rendered for people by `accord.report.explain`. Every text in
them is in the user's terms: clause ids, citations and descriptions, fact and definition names with
their descriptions; never an ASP atom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from accord.results.query import ClauseRef, EditionRef, FactRef, LabelRef, Verdict, Violation


class StepKind(Enum):
    """What one step of an explanation states."""

    STATUS = "status"  # the action is (not) permitted / required
    CLAUSE = "clause"  # a clause applies, or does not
    CONDITIONS = "conditions"  # a clause's `when` holds, or does not
    EXCEPTION = "exception"  # a clause's `unless` holds, or does not
    PRIORITY = "priority"  # a clause is overridden, or no clause with priority over it applies
    PROHIBITIONS = "prohibitions"  # no prohibition applies
    ALTERNATIVE = "alternative"  # one alternative (`or`) of a condition fails
    DEFINITION = "definition"  # a defined concept holds, or does not
    CONDITION = "condition"  # a nested part of a condition (`either … or …`, `not (…)`)
    FACT = "fact"  # a scenario fact holds, or does not
    COMPARISON = "comparison"  # `X = y` or `X != y`
    NO_INSTANCE = "no instance"  # no value of a variable makes a fact or definition hold
    NO_COMBINATION = "no combination"  # no values make all parts of an alternative hold together
    DEFAULT_DENY = "default deny"  # no clause permits the action at all
    CUT = "cut"  # the explanation stops here (depth limit)


@dataclass(frozen=True, slots=True)
class ClauseInfo:
    id: str
    cite: str
    says: str
    modality: str  # "may", "must", "must not"
    location: str  # "file:line" of the clause, or ""


@dataclass(frozen=True, slots=True)
class Step:
    """One statement of an explanation, whether it holds in the reading, and why (its children).

    A step that holds is proved by its children (all of them together); a step that fails is
    refuted by them (each child is a part that fails)."""

    kind: StepKind
    holds: bool
    text: str
    name: str | None = None  # the fact, definition or clause it is about, in the user's names
    clause: ClauseInfo | None = None
    note: str | None = None  # where a fact's value comes from, which values variables took, …
    negated: bool = False  # the step is `not X` (for facts, definitions and nested conditions)
    children: tuple[Step, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadingExplanation:
    """The action's status in one completion of the scenario's unknown facts, and why."""

    assumed: tuple[FactRef, ...]  # the values of the unknown facts in this completion
    status: str  # "permitted", "required", "not permitted", "forbidden", "conflict"
    why: tuple[Step, ...]  # why it is permitted / required
    why_not: tuple[Step, ...]  # why it is not permitted: clauses that could have permitted it, prohibitions
    # With layers of authority: the headline label in this reading, and each binding layer's verdict.
    label: str | None = None
    layers: tuple[LayerReading, ...] = ()


@dataclass(frozen=True, slots=True)
class LayerReading:
    """A layer's verdict in one reading, and the clauses of the layer that decided it (those that
    apply, or whose exception held); none: the layer is silent."""

    layer: str
    verdict: str
    description: str
    clauses: tuple[ClauseRef, ...]


@dataclass(frozen=True, slots=True)
class Change:
    fact: str
    description: str
    change: str  # "add", "retract", "assume true", "assume false"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """A minimal set of changes to the scenario's facts that flips the action's status."""

    target: str  # "permitted", "not permitted", or a label or layer verdict aimed for (in every completion)
    changes: tuple[Change, ...]
    verdict_after: Verdict
    decided_by: tuple[ClauseRef, ...]  # the clauses that decide the action once the changes are made
    label_after: str | None = None  # with layers: the headline label once the changes are made


@dataclass(frozen=True, slots=True)
class Explanation:
    edition: EditionRef
    scenario: str | None
    description: str | None
    facts: tuple[FactRef, ...]
    action: str
    action_description: str
    possible: bool
    violations: tuple[Violation, ...]
    verdict: Verdict | None
    readings: tuple[ReadingExplanation, ...]
    changes: tuple[ChangeSet, ...]
    more_changes: bool
    changes_note: str | None
    labels: tuple[LabelRef, ...] = ()  # with layers: the action's labels, as `accord query` gives them


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of a minimal scenario: a fact that must hold, or must not."""

    fact: str
    description: str
    holds: bool


@dataclass(frozen=True, slots=True)
class MinimalScenario:
    facts: tuple[Condition, ...]  # the facts that hold (every other fact is false)
    relies_on_absence: tuple[Condition, ...]  # facts the derivation needs to be false
    decided_by: tuple[ClauseRef, ...]
    summary: str  # "A, AND B, AND not C"


@dataclass(frozen=True, slots=True)
class WhenResult:
    edition: EditionRef
    action: str
    action_description: str
    scenarios: tuple[MinimalScenario, ...]
    more: bool
    note: str | None
    goal: str = "permitted"  # what the scenarios reach: permitted, a label, or a layer's verdict


class FindingKind(Enum):
    IMPOSSIBLE = "impossible"  # the domain constraints rule out every scenario
    DEAD = "dead"  # the clause never fires
    SHADOWED = "shadowed"  # the clause fires but never has an effect
    VACUOUS = "vacuous"  # the clause fires in every scenario
    CONFLICT = "conflict"  # required and forbidden at once
    CLASH = "clash"  # a permission and a prohibition apply at once with no priority between them


@dataclass(frozen=True, slots=True)
class Witness:
    """A minimal scenario that shows a finding: the facts that hold (all others are false)."""

    facts: tuple[str, ...]
    action: str | None


@dataclass(frozen=True, slots=True)
class Finding:
    edition: str
    kind: FindingKind
    severity: str  # "error", "warning", "info"
    clause: ClauseInfo | None
    others: tuple[ClauseInfo, ...]
    action: str | None
    message: str
    witness: Witness | None
    proof: str | None


@dataclass(frozen=True, slots=True)
class ClauseUse:
    id: str
    cite: str
    covered: bool
    tests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EditionCoverage:
    edition: str
    total: int
    covered: int
    percent: float
    clauses: tuple[ClauseUse, ...]


@dataclass(frozen=True, slots=True)
class CoverageReport:
    editions: tuple[EditionCoverage, ...]
    total: int
    covered: int
    percent: float
    minimum: float | None
    passed: bool


def absence_text(c: Condition) -> str:
    """`not: …`, or `for no P: …` when the fact is written with variables (no value may make it hold)."""
    names = sorted({w for w in re.findall(r"[A-Za-z0-9_]+", c.fact) if w[0].isupper()})
    lead = f"for no {', '.join(names)}: " if names else "not: "
    return f"{lead}{c.description} [{c.fact}]"
