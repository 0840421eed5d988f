"""Derivations: why something holds in an answer set, or why it does not, as explanation steps.

In: an `AnalysisEngine` (whose traced rules are the source map from `body(Group, K, t(Values…))`
atoms back to the compiled body alternatives) and one answer set of its program, plus which facts
the scenario stated and which it left unknown. Out: `Step` trees in the user's terms.

Nothing here decides what holds: every truth value is read from the answer set. A true atom is
explained by the alternative the solver reports (`body/3`), chosen well-founded (each chosen
alternative depends only on atoms explained with fewer steps), its values substituted into the
alternative's literals. A false atom is explained alternative by alternative: the literals that
are false in the answer set, or, for variables the head does not fix, that no value matches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from accord.analyses.explain.engine import ActionKey, AnalysisEngine, clause_info
from accord.compile.asp import BodyItem, Cmp, Fn, Lit, Num, Str, Term, Var, item_variables
from accord.compile.traced_asp import TRACE, TracedRule
from accord.language import ir
from accord.results.explain import Step, StepKind
from accord.solve import Answer, Sym

Subst = dict[str, Sym]
MAX_DEPTH = 14
MAX_STEPS = 4000
MAX_CASES = 8
SEE_ABOVE = "explained above"
CIRCULAR = "it could only follow from itself, so it does not hold"


def ground(term: Term, subst: Subst) -> Sym | None:
    """The value of a term under a substitution; None while a variable in it has no value."""
    match term:
        case Var(name=name):
            return subst.get(name)
        case Str(value=value):
            return Sym(value, quoted=True)
        case Num(value=value):
            return Sym(str(value))
        case Fn(name=name, args=args):
            values = [ground(a, subst) for a in args]
            if any(v is None for v in values):
                return None
            return Sym(name, tuple(v for v in values if v is not None))
    raise AssertionError(term)


def match(term: Term, value: Sym, subst: Subst) -> Subst | None:
    """Extend `subst` so that the term equals the value, or None."""
    match term:
        case Var(name=name):
            if name in subst:
                return subst if subst[name] == value else None
            return {**subst, name: value}
        case Fn(name=name, args=args):
            if value.quoted or value.name != name or len(value.args) != len(args):
                return None
            for a, v in zip(args, value.args, strict=True):
                found = match(a, v, subst)
                if found is None:
                    return None
                subst = found
            return subst
        case _:
            return subst if ground(term, subst) == value else None


def _show_term(term: Term, subst: Subst) -> str:
    value = ground(term, subst)
    if value is not None:
        return str(value)
    match term:
        case Var(name=name):
            return name.removeprefix("V_")
        case Fn(name=name, args=args):
            return f"{name}({', '.join(_show_term(a, subst) for a in args)})" if args else name
    return str(term)


def _is_dom(item: BodyItem) -> bool:
    return isinstance(item, Lit) and item.atom.name == "dom"


def group_of(atom: Sym) -> str:
    first = atom.args[0]
    return f"{atom.name}:{first.name}"


class Derivation:
    """Explanations read off one answer set of an edition's traced program."""

    def __init__(self, analysis: AnalysisEngine, answer: Answer, true: Iterable[ir.GroundAtom],
                 unknown: Iterable[ir.GroundAtom]) -> None:
        self.a = analysis
        self.view = analysis.view
        self.atoms = answer.atoms
        self.true = {Sym(n, tuple(Sym(x) for x in args)) for n, args in true}
        self.unknown = {Sym(n, tuple(Sym(x) for x in args)) for n, args in unknown}
        self.by_name: dict[str, list[Sym]] = defaultdict(list)
        for atom in sorted(self.atoms):
            self.by_name[atom.name].append(atom)
        self.support = self._well_founded_support()
        self._memo: dict[Sym, tuple[Step, ...]] = {}
        self._shown: set[object] = set()  # what a step above already explains in full
        self._steps = 0

    def _well_founded_support(self) -> dict[Sym, tuple[TracedRule, Subst]]:
        candidates: list[tuple[Sym, TracedRule, Subst, list[Sym]]] = []
        for atom in self.by_name.get(TRACE, []):
            rule = self.a.rules[(atom.args[0].name, int(atom.args[1].name))]
            subst = dict(zip(rule.variables, atom.args[2].args, strict=True))
            head = ground(rule.head, subst)
            assert head is not None
            deps = [d for i in rule.body if isinstance(i, Lit) and i.positive and i.atom.name not in ("holds", "dom")
                    and (d := ground(i.atom, subst)) is not None]
            candidates.append((head, rule, subst, deps))
        level: dict[Sym, int] = {}
        best: dict[Sym, tuple[TracedRule, Subst]] = {}
        changed = True
        while changed:
            changed = False
            for head, rule, subst, deps in candidates:
                if all(d in level for d in deps):
                    new = 1 + max((level[d] for d in deps), default=0)
                    if new < level.get(head, new + 1):
                        level[head], best[head] = new, (rule, subst)
                        changed = True
        return best

    # ---- atoms ----------------------------------------------------------------------------

    def because(self, atom: Sym, depth: int, active: frozenset[Sym] = frozenset()) -> tuple[Step, ...]:
        """Why a traced atom (clause part, definition, auxiliary condition) holds, or does not."""
        if atom in self.atoms:
            if atom not in self._memo:
                rule, subst = self.support[atom]
                self._memo[atom] = tuple(self.literal(i, subst, depth + 1, active)
                                         for i in rule.body if not _is_dom(i))
            return self._memo[atom]
        return self.why_not(atom, depth, active)

    def why_not(self, atom: Sym, depth: int, active: frozenset[Sym] = frozenset()) -> tuple[Step, ...]:
        if depth > MAX_DEPTH or self._steps > MAX_STEPS:
            return (Step(StepKind.CUT, False, "… (explanation cut here)"),)
        rules = [(r, s) for r in self.a.groups.get(group_of(atom), ()) if (s := match(r.head, atom, {})) is not None]
        inner = active | {atom}
        out = [self._failing(rule, subst, depth, inner, len(rules)) for rule, subst in rules]
        if len(out) == 1 and out[0].kind is StepKind.ALTERNATIVE:
            return out[0].children
        return tuple(out)

    def _failing(self, rule: TracedRule, subst: Subst, depth: int, active: frozenset[Sym], count: int,
                 label: str | None = None) -> Step:
        """Why one alternative does not hold for the values in `subst`: the literals that are false,
        or that no value makes true; failing that, case by case over the values that match."""
        self._steps += 1
        items = [i for i in rule.body if not _is_dom(i)]
        fails: list[Step] = []
        pending: list[BodyItem] = []
        for item in items:
            if self._ground(item, subst):
                if not self._true(item, subst):
                    fails.append(self.literal(item, subst, depth + 1, active))
            else:
                pending.append(item)
        for item in pending:
            if isinstance(item, Lit) and item.positive and not self._matches(item.atom, subst):
                name = _show_term(item.atom.args[0], subst) if item.atom.name in ("holds", "derived") else None
                text = "no value makes this hold: " + self.text(item, subst)
                fails.append(Step(StepKind.NO_INSTANCE, False, text, name=name))
        if not fails:
            fails.extend(self._case_by_case(rule, subst, pending, depth, active))
        if label is None:
            if len(items) == 1 and len(fails) == 1 and fails[0].kind is not StepKind.NO_COMBINATION:
                only = fails[0]  # a one-part alternative: the part itself, labelled
                if count == 1:
                    return only
                return replace(only, text=f"alternative {rule.index + 1} of {count}: {only.text}")
            text = " and ".join(self.text(i, subst) for i in items)
            label = f"alternative {rule.index + 1} of {count}: {text}" if count > 1 else text
        return Step(StepKind.ALTERNATIVE, False, label, children=tuple(fails))

    def _case_by_case(self, rule: TracedRule, subst: Subst, pending: list[BodyItem], depth: int,
                      active: frozenset[Sym]) -> list[Step]:
        """Each literal has a match, but no values match them all: refute each value of the first."""
        first = next(i for i in pending if isinstance(i, Lit) and i.positive)
        atoms = self.by_name.get(first.atom.name, [])
        cases = [m for atom in atoms if (m := match(first.atom, atom, subst)) is not None]
        if len(cases) > MAX_CASES or depth > MAX_DEPTH:
            names = sorted({n for i in pending for n in item_variables(i)} - set(subst))
            listing = "; ".join(self.text(i, subst) for i in pending)
            shown = ", ".join(n.removeprefix("V_") for n in names)
            text = f"no values of {shown} make all of these hold together: {listing}"
            return [Step(StepKind.NO_COMBINATION, False, text)]
        out: list[Step] = []
        bindings: list[str] = []
        for case in cases:
            bound = ", ".join(f"{n.removeprefix('V_')} = {case[n]}" for n in sorted(set(case) - set(subst)))
            bindings.append(bound)
            out.append(self._failing(rule, case, depth + 1, active, 1, f"with {bound}"))
        name = _show_term(first.atom.args[0], subst) if first.atom.name in ("holds", "derived") else None
        out.append(Step(StepKind.NO_INSTANCE, False, "no other value makes this hold: " + self.text(first, subst),
                        name=name, note="other than " + "; ".join(bindings)))
        return out

    def _ground(self, item: BodyItem, subst: Subst) -> bool:
        if isinstance(item, Lit):
            return ground(item.atom, subst) is not None
        return ground(item.left, subst) is not None and ground(item.right, subst) is not None

    def _true(self, item: BodyItem, subst: Subst) -> bool:
        if isinstance(item, Cmp):
            equal = ground(item.left, subst) == ground(item.right, subst)
            return equal if item.op == "=" else not equal
        return (ground(item.atom, subst) in self.atoms) == item.positive

    def _matches(self, pattern: Fn, subst: Subst) -> bool:
        return any(match(pattern, atom, subst) is not None for atom in self.by_name.get(pattern.name, []))

    # ---- literals -------------------------------------------------------------------------

    def literal(self, item: BodyItem, subst: Subst, depth: int, active: frozenset[Sym] = frozenset()) -> Step:
        """A literal of a body alternative, its truth in the answer set, and why."""
        self._steps += 1
        text = self.text(item, subst)
        if isinstance(item, Cmp):
            holds = self._true(item, subst)
            bound = [n for n in sorted(item_variables(item)) if n in subst]
            note = ", ".join(f"{n.removeprefix('V_')} is {subst[n]}" for n in bound)
            return Step(StepKind.COMPARISON, holds, text, note=note if note and (item.op != "=" or not holds) else None)
        atom = ground(item.atom, subst)
        assert atom is not None
        true = atom in self.atoms
        holds = true == item.positive
        negated = not item.positive
        if item.atom.name == "holds":
            return Step(StepKind.FACT, holds, text, name=str(atom.args[0]), note=self._fact_note(atom.args[0], true),
                        negated=negated)
        kind = StepKind.DEFINITION if item.atom.name == "derived" else StepKind.CONDITION
        name = str(atom.args[0]) if item.atom.name == "derived" else None
        if atom in active:  # refuting it needs itself: no derivation can start (an unfounded loop)
            return Step(kind, holds, text, name=name, note=CIRCULAR, negated=negated)
        if kind is StepKind.DEFINITION:
            if atom in self._shown:
                return Step(kind, holds, text, name=name, note=SEE_ABOVE, negated=negated)
            self._shown.add(atom)
        return Step(kind, holds, text, name=name, negated=negated, children=self.because(atom, depth, active))

    def _fact_note(self, fact: Sym, true: bool) -> str:
        if fact in self.unknown:
            return f"unknown in the scenario; {'true' if true else 'false'} in this reading"
        if fact in self.true:
            return "stated in the scenario"
        return "not stated in the scenario, so false"

    def text(self, item: BodyItem, subst: Subst) -> str:
        """A literal in the user's words: description, then the name with its arguments."""
        if isinstance(item, Cmp):
            return f"{_show_term(item.left, {})} {item.op} {_show_term(item.right, {})}"
        atom = item.atom
        prefix = "" if item.positive else "not: "
        inner = atom.args[0]
        if atom.name == "holds" and isinstance(inner, Fn):
            fact = self.view.facts.get(inner.name)
            return f"{prefix}{fact.description if fact else inner.name} [{_show_term(inner, subst)}]"
        if atom.name == "derived" and isinstance(inner, Fn):
            d = self.view.definitions.get(inner.name)
            return f"{prefix}{d.description if d else inner.name} [{_show_term(inner, subst)}]"
        if atom.name == "aux" and isinstance(inner, Fn):
            return prefix + self._aux_text(inner.name, subst)
        return prefix + _show_term(atom, subst)

    def _aux_text(self, aux_id: str, subst: Subst) -> str:
        """A nested condition; its parameters carry the same variable names as the enclosing one."""
        parts = [" and ".join(self.text(i, subst) for i in r.body if not _is_dom(i))
                 for r in self.a.groups.get(f"aux:{aux_id}", ())]
        if len(parts) == 1:
            return f"({parts[0]})"
        return "either " + " or ".join(f"({p})" for p in parts)

    # ---- clauses --------------------------------------------------------------------------

    def clause(self, clause: ir.Clause, key: ActionKey, depth: int = 0) -> Step:
        """Whether a clause applies to the action in the answer set, and why."""
        args = (Sym(clause.id, quoted=True), key.actor_sym, key.action_sym)
        atom = {name: Sym(name, args) for name in ("when", "unless", "fires", "excused", "applies", "overridden")}
        has = {name: a in self.atoms for name, a in atom.items()}
        verb = "applies" if has["applies"] else "does not apply"
        text = f"{clause.id} [{clause.cite}] {verb}: {clause.says}"
        if atom["applies"] in self._shown:
            return Step(StepKind.CLAUSE, has["applies"], text, name=clause.id, clause=clause_info(clause),
                        note=SEE_ABOVE)
        self._shown.add(atom["applies"])
        children: list[Step] = []
        if f"fires:{clause.id}" in self.a.groups:  # the exception shares variables with the conditions
            if has["fires"]:
                children.append(Step(StepKind.CONDITIONS, True, "its conditions hold and its exception does not",
                                     children=self.because(atom["fires"], depth + 1)))
            elif has["excused"]:
                children.append(Step(StepKind.EXCEPTION, True, "its conditions hold, but so does its exception",
                                     children=self.because(atom["excused"], depth + 1)))
            else:
                children.append(Step(StepKind.CONDITIONS, False, "its conditions do not hold without its exception",
                                     children=self.why_not(atom["fires"], depth + 1)))
        else:
            if clause.when is None:
                children.append(Step(StepKind.CONDITIONS, True, "it has no conditions"))
            else:
                children.append(Step(StepKind.CONDITIONS, has["when"],
                                     "its conditions hold" if has["when"] else "its conditions do not hold",
                                     children=self.because(atom["when"], depth + 1)))
            if has["when"] and clause.unless is not None:
                children.append(Step(StepKind.EXCEPTION, has["unless"],
                                     "its exception holds" if has["unless"] else "its exception does not hold",
                                     children=self.because(atom["unless"], depth + 1)))
        over = [self.view.clauses[b] for b in self.a.overriders[clause.id]]
        over = [b for b in over if b.id in {c.id for c in self.a.targets(key)}]
        if has["fires"] and over:
            if has["overridden"]:
                children.append(Step(StepKind.PRIORITY, True, "a clause with priority over it applies", children=tuple(
                    self.clause(b, key, depth + 1) for b in over if self.applies(b, key))))
            else:
                children.append(Step(StepKind.PRIORITY, False, "no clause with priority over it applies",
                                     children=tuple(self.clause(b, key, depth + 1) for b in over)))
        return Step(StepKind.CLAUSE, has["applies"], text, name=clause.id, clause=clause_info(clause),
                    children=tuple(children))

    def applies(self, clause: ir.Clause, key: ActionKey) -> bool:
        return Sym("applies", (Sym(clause.id, quoted=True), key.actor_sym, key.action_sym)) in self.atoms
