"""The surface syntax tree of the rule language.

In: built by `accord.language.syntax_builder` while `accord.language.parse` parses. Out: frozen, slotted
dataclasses in the domain's words. Every node carries a `span` (file and offsets) that does not
take part in equality or hashing: the same rules with other spacing or comments compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from accord.language.source import Span


def _span() -> Span | None:
    return field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier with its position."""
    text: str
    span: Span | None = _span()


# ---- terms and conditions ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Const:
    name: str
    span: Span | None = _span()


Term = Var | Const


@dataclass(frozen=True, slots=True)
class Atom:
    """A fact or definition applied to arguments: `armed_attack_on(japan)`."""

    name: Name
    args: tuple[Term, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Compare:
    left: Term
    op: str
    right: Term
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Condition
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Condition, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Condition, ...]
    span: Span | None = _span()


Condition = Atom | Compare | Not | And | Or


# ---- when something is in force -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """`in_force START until END`, dates as written (checked later); None: not given; half-open."""

    start: str | None
    end: str | None
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Citation:
    """One `cite` line of a clause, with the periods in which the clause is cited so."""

    text: str
    periods: tuple[Period, ...] = ()
    span: Span | None = _span()


# ---- declarations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    name: Name
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Import:
    modules: tuple[Name, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class SortDecl:
    name: Name
    description: str | None
    members: tuple[Member, ...]
    span: Span | None = _span()
    bounds: tuple[int, int] | None = None  # an integer sort: the integers from one bound to the other
    dates: tuple[str, str] | None = None  # a date sort: the days from one date to the other


@dataclass(frozen=True, slots=True)
class FactDecl:
    name: Name
    params: tuple[Name, ...]
    description: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ActionDecl:
    name: Name
    params: tuple[Name, ...]
    actors: tuple[Name, ...]
    description: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ConstraintDecl:
    name: Name
    description: str
    condition: Condition
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Param:
    var: Var
    sort: Name


@dataclass(frozen=True, slots=True)
class Definition:
    name: Name
    params: tuple[Param, ...]
    description: str
    condition: Condition
    span: Span | None = _span()
    periods: tuple[Period, ...] = ()


class Modality(Enum):
    MAY = "may"
    MUST = "must"
    MUST_NOT = "must not"


class LineageKind(Enum):
    CARRIES = "carries"
    REPLACES = "replaces"


@dataclass(frozen=True, slots=True)
class Head:
    actor: Name | Var  # a variable: every actor its condition binds it to (a quantified clause)
    modality: Modality
    action: Name
    args: tuple[Term, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Lineage:
    kind: LineageKind
    targets: tuple[Name, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    id: Name
    cite: str
    head: Head
    when: Condition | None
    unless: Condition | None
    overrides: tuple[Name, ...]
    lineage: Lineage | None
    says: str
    notes: tuple[str, ...] = ()
    span: Span | None = _span()
    periods: tuple[Period, ...] = ()
    # Every `cite` line when there are several or one is dated; () for one plain `cite` (`cite`).
    citations: tuple[Citation, ...] = ()
    role: str | None = None  # `role primary` / `role supporting`: the role the text gives the actor


@dataclass(frozen=True, slots=True)
class Edition:
    """A named date; with `include`, a bundle of modules (a counterfactual)."""

    name: Name
    title: str
    in_force: str
    includes: tuple[Name, ...]
    notes: tuple[str, ...] = ()
    span: Span | None = _span()
    in_force_span: Span | None = _span()  # the date alone, for a diagnostic about it


class Truth(Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ScenarioFact:
    truth: Truth
    name: Name
    args: tuple[Name, ...] = ()
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Scenario:
    name: Name
    description: str
    facts: tuple[ScenarioFact, ...]
    span: Span | None = _span()


class Qualifier(Enum):
    ALWAYS = "always"
    POSSIBLY = "possibly"
    NEVER = "not"


class Status(Enum):
    PERMITTED = "permitted"
    FORBIDDEN = "forbidden"
    REQUIRED = "required"


@dataclass(frozen=True, slots=True)
class Quantifier:
    """`for P in SORT [except M and N]` in an expectation: it holds for every member of the sort (but those)."""
    var: Var
    sort: Name
    excluded: tuple[Name, ...] = ()


@dataclass(frozen=True, slots=True)
class Expectation:
    qualifier: Qualifier
    status: Status
    actor: Name | Var
    action: Name
    args: tuple[Name | Var, ...] = ()
    because: str | None = None
    span: Span | None = _span()
    quantifiers: tuple[Quantifier, ...] = ()
    unless: tuple[Compare, ...] = ()  # `unless P = Q or …`: the instances where one holds are left out


@dataclass(frozen=True, slots=True)
class LayerExpectation:
    """`expect … label L ACTOR ACTION(…)` (`label` set) or `expect … layer LAYER VERDICT …` (the other two)."""

    qualifier: Qualifier
    label: Name | None
    layer: Name | None
    verdict: Name | None
    actor: Name | Var
    action: Name
    args: tuple[Name | Var, ...] = ()
    because: str | None = None
    span: Span | None = _span()
    quantifiers: tuple[Quantifier, ...] = ()
    unless: tuple[Compare, ...] = ()  # `unless P = Q or …`: the instances where one holds are left out


@dataclass(frozen=True, slots=True)
class Test:
    name: Name
    scenario: Name
    editions: tuple[Name, ...]  # edition names or dates (YYYY-MM-DD)
    expectations: tuple[Expectation, ...]
    span: Span | None = _span()
    layer_expectations: tuple[LayerExpectation, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    ref: str
    title: str
    grants_nothing: str | None = None
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class Source:
    name: Name
    title: str
    sections: tuple[Section, ...]
    span: Span | None = _span()


# ---- layers of authority, actors and labels ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerdictDecl:
    """A verdict of a layer: it holds when the layer's clauses give `basis` (the first such verdict
    wins); `basis` None: the layer's last verdict, `otherwise`."""

    name: Name
    description: str
    basis: Status | None


@dataclass(frozen=True, slots=True)
class LayerDecl:
    name: Name
    description: str
    verdicts: tuple[VerdictDecl, ...]
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ModuleLayer:
    """`layer NAME` in a module: the module's clauses belong to that layer."""

    layer: Name
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class ActorDecl:
    """`actor NAME bound by LAYER, …`: the layers whose verdicts decide the actor's actions."""

    name: Name
    layers: tuple[Name, ...]
    description: str
    span: Span | None = _span()


@dataclass(frozen=True, slots=True)
class LabelDecl:
    """A headline label: holds when its condition over layer verdicts (`law(authorised)`) holds,
    tried in the order written; `status`: what it makes the action; `actors` (empty: every actor)."""

    name: Name
    description: str
    status: Status | None
    actors: tuple[Name, ...]
    condition: Condition
    span: Span | None = _span()


Item = (Import | SortDecl | FactDecl | ActionDecl | ConstraintDecl | Definition | Clause | Edition | Scenario
        | Test | Source | LayerDecl | ModuleLayer | ActorDecl | LabelDecl)


@dataclass(frozen=True, slots=True)
class Module:
    """One rule file."""

    name: Name
    title: str | None
    items: tuple[Item, ...]
    span: Span | None = _span()
    periods: tuple[Period, ...] = ()
