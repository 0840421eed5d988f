"""`accord diff`: what changed between two editions, clause by clause and in behaviour.

In: two sides, each an edition id or year or a date of a loaded knowledge base, or a rule folder or
file (`PATH`, or `PATH@EDITION` when it holds several editions); optional restrictions (actions,
actors, facts given as true or, with `not `, as false), a witness count and a time limit.
Out: a `DiffResult`.

Behaviour (`accord.analyses.diff.behaviour`) is decided by clingo over the whole declared scenario space,
never by enumerating scenarios: in independent slices of a few actions each, one brave solve
yields every change and proves every other status unchanged, and solves under assumptions give
the witnesses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from accord.analyses.diff.behaviour import behaviour as diff_behaviour
from accord.analyses.diff.behaviour import fact_sym, shared
from accord.analyses.diff.clauses import SideRules, clause_changes, vocabulary_diff
from accord.analyses.diff.program import instances, targets, union_facts, union_sorts
from accord.compile.limits import check_limits
from accord.knowledge.base import EditionChoiceError, KnowledgeBase, load
from accord.knowledge.facts import ScenarioError, parse_fact
from accord.language import ir
from accord.language.diagnostics import did_you_mean
from accord.results.diff import (
    ClauseChange,
    ClauseChangeKind,
    DiffResult,
    DiffSummary,
    Direction,
    SideRef,
    SortBound,
    Space,
    Status,
    VocabularyDiff,
    counts,
)
from accord.results.query import EditionRef
from accord.util import collector, forked

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_EDITION = re.compile(r"[a-z][a-z0-9_]*\Z|[0-9]{4}\Z")


class DiffSpecError(EditionChoiceError):
    """A side, action, actor or given fact that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: a checked rule base, the chosen edition, and how the user named it."""

    rules: ir.RuleBase
    edition: str
    label: str
    origin: str

    @property
    def view(self) -> ir.EditionView:
        return self.rules.edition_view(self.edition)

    @property
    def ref(self) -> SideRef:
        e = self.rules.edition_of(self.edition)
        return SideRef(self.label, self.origin, EditionRef(e.id, e.title, e.in_force.isoformat(), e.counterfactual))


# ---- choosing the sides ----------------------------------------------------------------------


def names_an_edition(text: str) -> bool:
    """Whether a side is written as an edition id, a year or a date (anything else is a path)."""
    return bool(_DATE.match(text) or _EDITION.match(text))


def _exists(path: str) -> bool:
    """Whether a file or folder of that name exists; a name the system cannot look up does not."""
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def needs_knowledge_base(text: str) -> bool:
    """Whether a side can only be an edition of a knowledge base: it is written as one, and no rule
    file or folder of that name exists."""
    return names_an_edition(text) and not _exists(text)


def _pick(kb: KnowledgeBase, text: str) -> ir.Edition:
    if _DATE.match(text):
        try:
            date = dt.date.fromisoformat(text)
        except ValueError as err:
            raise DiffSpecError(f"`{text}` is not a date; write YYYY-MM-DD, for example 2016-03-29.") from err
        return kb.edition_as_of(date)
    return kb.edition(text)


def resolve_side(kb: KnowledgeBase | None, spec: str, other: str) -> Side:
    """An edition, year or date of `kb` (the bundled rules when None); or a rule path or
    `PATH@EDITION`, loaded on its own. A name that is both an edition of `kb` and an existing path is
    the edition; without `kb`, an existing path is read as a path (the bundled rules are not loaded)."""
    if names_an_edition(spec) and (kb is not None or needs_knowledge_base(spec)):
        base = kb if kb is not None else load()
        try:
            return Side(base.rules, _pick(base, spec).id, spec, "knowledge base")
        except EditionChoiceError:
            if not _exists(spec):
                raise
    path, chosen = spec, ""
    if "@" in spec and names_an_edition(spec.rpartition("@")[2]):
        path, _, chosen = spec.rpartition("@")
    if not _exists(path):
        raise DiffSpecError(f"`{spec}` is neither an edition, a year, a date nor a rule file or folder.")
    loaded = load(path)
    editions = loaded.editions()
    if chosen:
        edition = _pick(loaded, chosen)
    elif len(editions) == 1:
        edition = editions[0]
    elif names_an_edition(other) and editions:
        try:
            edition = _pick(loaded, other)
        except EditionChoiceError as err:
            raise DiffSpecError(f"`{path}` has several editions; name one as `{path}@EDITION`. {err}") from err
    else:
        ids = ", ".join(e.id for e in editions) or "none"
        raise DiffSpecError(f"`{path}` has editions {ids}; name one as `{path}@EDITION`.")
    return Side(loaded.rules, edition.id, spec, path)


# ---- restrictions ----------------------------------------------------------------------------


def _check_names(given: Iterable[str], known: Iterable[str], kind: str) -> tuple[str, ...]:
    names = tuple(sorted(set(given)))
    known_set = set(known)
    for name in names:
        if name not in known_set:
            close = did_you_mean(name, known_set)
            maybe = f" Maybe you want: {', '.join(close)}." if close else ""
            raise DiffSpecError(f"Neither side knows the {kind} `{name}`.{maybe}")
    return names


def _given(a: Side, b: Side, texts: Iterable[str], known: set[ir.GroundAtom]) -> dict[ir.GroundAtom, bool]:
    out: dict[ir.GroundAtom, bool] = {}
    for text in texts:
        value = not text.strip().startswith("not ")
        fact_text = text.strip().removeprefix("not ").strip() if not value else text
        try:
            atom = parse_fact(a.rules, fact_text)
        except ScenarioError:
            atom = parse_fact(b.rules, fact_text)
        if atom not in known:
            raise ScenarioError(f"`{fact_text}` is in neither edition's vocabulary.")
        if out.get(atom, value) != value:
            raise ScenarioError(f"`{fact_text}` is given both as true and as false.")
        out[atom] = value
    return dict(sorted(out.items()))


def _show(atom: ir.GroundAtom, value: bool = True) -> str:
    return ("" if value else "not ") + str(fact_sym(atom))


# ---- the analysis ----------------------------------------------------------------------------


def diff_sides(
    a: Side, b: Side, *, actions: Iterable[str] = (), actors: Iterable[str] = (), given: Iterable[str] = (),
    witnesses: int = 1, timeout: float | None = None, jobs: int | None = None,
) -> DiffResult:
    """Compare side A (before) with side B (after); `jobs` processes share a large behaviour diff
    (`accord.analyses.diff.behaviour.shares`). The cycle collector is paused throughout
    (`accord.util.collector`): a large diff allocates much that stays alive until it ends."""
    with collector.paused():
        return _diff_sides(a, b, actions, actors, given, witnesses, timeout, jobs)


def _diff_sides(a: Side, b: Side, actions: Iterable[str], actors: Iterable[str], given: Iterable[str],
                witnesses: int, timeout: float | None, jobs: int | None) -> DiffResult:
    va, vb = a.view, b.view
    check_limits(va)
    check_limits(vb)
    every = targets(va, vb)
    only_actions = _check_names(actions, {t.action for t in every}, "action")
    only_actors = _check_names(actors, {t.actor for t in every}, "actor")
    compared = {t: d for t, d in every.items()
                if (not only_actions or t.action in only_actions) and (not only_actors or t.actor in only_actors)}
    sorts = union_sorts(va, vb)
    facts = union_facts(va, vb)
    space_instances = instances(facts, {s.name: s for s in sorts})
    fixed = _given(a, b, given, set(space_instances))

    def clause_half() -> tuple[tuple[ClauseChange, ...], VocabularyDiff]:
        changes = clause_changes(SideRules(a.rules, va), SideRules(b.rules, vb))
        return tuple(c for c in changes if c.about(only_actions, only_actors)), vocabulary_diff(va, vb)

    # A large diff compares the clauses in a child of its own, beside the behaviour half, whose
    # first steps (cutting the slices, compiling their lines) leave the other cores idle.
    with forked.started(clause_half, fork=shared(va, vb, jobs)) as pending:
        behaviour = diff_behaviour(va, vb, compared, fixed, max(witnesses, 0), timeout, jobs=jobs)
        clauses, vocabulary = pending.result()
    space = Space(
        sorts=tuple(SortBound(s.name, len(s.members)) for s in sorts),
        facts=len(facts),
        fact_instances=len(space_instances),
        constraints=tuple(sorted(set(va.constraints) | set(vb.constraints))),
        targets=len(compared),
        given=tuple(_show(f, v) for f, v in fixed.items()),
        actions=only_actions,
        actors=only_actors,
        empty=behaviour is None,
    )
    changed = behaviour or ()

    def kind(k: ClauseChangeKind) -> int:
        return sum(c.kind is k for c in clauses)

    summary = DiffSummary(
        targets=len(compared),
        targets_changed=len(changed),
        newly_permitted=counts(changed, Status.PERMITTED, Direction.GAINED),
        no_longer_permitted=counts(changed, Status.PERMITTED, Direction.LOST),
        newly_forbidden=counts(changed, Status.FORBIDDEN, Direction.GAINED),
        no_longer_forbidden=counts(changed, Status.FORBIDDEN, Direction.LOST),
        newly_required=counts(changed, Status.REQUIRED, Direction.GAINED),
        no_longer_required=counts(changed, Status.REQUIRED, Direction.LOST),
        clauses_added=kind(ClauseChangeKind.ADDED),
        clauses_removed=kind(ClauseChangeKind.REMOVED),
        clauses_changed=kind(ClauseChangeKind.CHANGED),
        clauses_carried=kind(ClauseChangeKind.CARRIED),
        vocabulary_differs=not vocabulary.empty,
        layer_verdicts_changed=sum(bool(t.layer_changes) for t in changed),
    )
    return DiffResult(a.ref, b.ref, not changed, summary, space, changed, clauses, vocabulary)


def diff(
    kb: KnowledgeBase | None, a: str, b: str, *, actions: Iterable[str] = (), actors: Iterable[str] = (),
    given: Iterable[str] = (), witnesses: int = 1, timeout: float | None = None, jobs: int | None = None,
) -> DiffResult:
    """The Python API behind `accord diff A B` and `KnowledgeBase.diff`: editions, years and dates
    are looked up in `kb` (the bundled rules when None), paths are loaded on their own."""
    if kb is None and (needs_knowledge_base(a) or needs_knowledge_base(b)):
        kb = load()
    side_a, side_b = resolve_side(kb, a, b), resolve_side(kb, b, a)
    return diff_sides(side_a, side_b, actions=actions, actors=actors, given=given,
                      witnesses=witnesses, timeout=timeout, jobs=jobs)
