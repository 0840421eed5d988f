"""The result objects of accord's analyses.

In: built by `accord.analyses.engine` and `accord.analyses.testing`. Out: plain frozen dataclasses, the single source
of both the human reports and the JSON (`to_json` is a dump of the same objects).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from typing import Any


class Extent(Enum):
    """In how many completions of the scenario's unknown facts something holds."""

    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


class Verdict(Enum):
    """The headline status of an action in a scenario."""

    CONFLICT = "conflict"
    REQUIRED = "required"
    PERMITTED = "permitted"
    POSSIBLY_PERMITTED = "possibly permitted"
    FORBIDDEN = "forbidden"
    NOT_PERMITTED = "not permitted"


class Role(Enum):
    """What a clause did for an action."""

    PERMITS = "permits"
    REQUIRES = "requires"
    FORBIDS = "forbids"
    EXCEPTION_HELD = "exception held"
    OVERRIDDEN = "overridden"


@dataclass(frozen=True, slots=True)
class ClauseRef:
    id: str
    cite: str
    says: str
    role: Role
    extent: Extent


@dataclass(frozen=True, slots=True)
class VerdictRef:
    """A verdict a layer gives in some reading of the scenario, and in how many."""

    name: str
    description: str
    extent: Extent


@dataclass(frozen=True, slots=True)
class LayerResult:
    """One layer's answer for an action. `verdict` is the verdict of every reading (None when it
    differs between readings: then `verdicts` lists each one); `decided` is false when no clause
    of the layer spoke, and the verdict is the layer's `otherwise`; `clauses` are the ids of the
    layer's clauses that decided (their roles are in the action's `clauses`); `role` is the role
    (`primary`, `supporting`) those clauses give the actor, when they give one and agree on it."""

    layer: str
    description: str
    verdict: str | None
    verdicts: tuple[VerdictRef, ...]
    decided: bool
    clauses: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True, slots=True)
class LabelRef:
    """A label an action has in some reading; `status` is what the label makes the action."""

    name: str
    description: str
    status: str | None
    extent: Extent


@dataclass(frozen=True, slots=True)
class ActionResult:
    actor: str
    action: str
    arguments: tuple[str, ...]
    description: str
    verdict: Verdict
    permitted: Extent
    forbidden: Extent
    required: Extent
    conflict: Extent
    clauses: tuple[ClauseRef, ...]
    # With layers of authority (docs/semantics.md): the label of every reading (None when the
    # readings differ, or without layers), the labels of some reading, and each binding layer's answer.
    headline: str | None = None
    labels: tuple[LabelRef, ...] = ()
    layers: tuple[LayerResult, ...] = ()

    @property
    def label(self) -> str:
        args = f"({', '.join(self.arguments)})" if self.arguments else ""
        return f"{self.actor} {self.action}{args}"


@dataclass(frozen=True, slots=True)
class EditionRef:
    id: str
    title: str
    in_force: str
    counterfactual: bool = False  # a bundle of modules, not the law in force on its date

    @property
    def heading(self) -> str:
        """How a report names it: an edition, a segment of the timeline, or a counterfactual."""
        if self.id == self.in_force:  # a date: the segment of the timeline that holds it
            return self.title
        if self.counterfactual:
            return f"Edition {self.id}: {self.title} (COUNTERFACTUAL: a bundle of modules, not the law of the day)"
        return f"Edition {self.id}: {self.title} (in force {self.in_force})"


@dataclass(frozen=True, slots=True)
class FactRef:
    fact: str
    value: str


@dataclass(frozen=True, slots=True)
class Violation:
    constraint: str
    description: str


@dataclass(frozen=True, slots=True)
class Reading:
    """One answer set: a completion of the unknown facts and what it permits."""

    facts: tuple[FactRef, ...]
    permitted: tuple[str, ...]
    forbidden: tuple[str, ...]
    required: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueryResult:
    edition: EditionRef
    scenario: str | None
    description: str | None
    facts: tuple[FactRef, ...]
    outside_vocabulary: tuple[str, ...]
    possible: bool
    violations: tuple[Violation, ...]
    actions: tuple[ActionResult, ...]
    readings: tuple[Reading, ...] | None = None
    more_readings: bool = False

    def action(self, actor: str, action: str, arguments: tuple[str, ...] = ()) -> ActionResult:
        for result in self.actions:
            if (result.actor, result.action, result.arguments) == (actor, action, arguments):
                return result
        raise KeyError(f"{actor} {action}{arguments}")


def to_json(value: Any) -> Any:
    """A JSON-ready dump of any result object."""
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def verdict_of(permitted: Extent, forbidden: Extent, required: Extent, conflict: Extent) -> Verdict:
    """An action's verdict from the extents of its statuses."""
    if conflict is not Extent.NEVER:
        return Verdict.CONFLICT
    if required is Extent.ALWAYS:
        return Verdict.REQUIRED
    if permitted is Extent.ALWAYS:
        return Verdict.PERMITTED
    if permitted is Extent.SOMETIMES:
        return Verdict.POSSIBLY_PERMITTED
    if forbidden is not Extent.NEVER:
        return Verdict.FORBIDDEN
    return Verdict.NOT_PERMITTED
