"""The solver-side engine behind `accord explain`, `accord when` and the semantic `accord check`.

In: an `EditionEngine` (one edition, compiled and grounded for queries). Out: an `AnalysisEngine`
that holds the edition's *traced* program (`to_asp_traced`: every body alternative also derives a
`body(Group, K, t(Values…))` atom, mapped back to its source by `TracedRule`s) plus a few analysis
rules, grounded once in an `AnalysisProgram`; and the helpers every analysis shares: reading an
action written as text (`sdf use_of_force(collective)`), and turning facts and actions into solver
values. The analysis rules, in the typed ASP IR:

- `scen(F)`, `open(F)`: free choices, fixed by assumptions, naming the facts a scenario states true
  and those it leaves unknown; `add(F)` / `drop(F)`: the answer set makes a false fact true / a
  true one false. The solver minimises these (subset-minimal, `domRec`) for "what would have to
  change" and, with an empty scenario, for `accord when`;
- for `accord check`, in a separate lean program (no trace, minimal in `holds/1`, built on first
  use): `conditions_any(C)`, `fires_any(C)`, `applies_any(C)`, `grants(C)` (a permission applies
  and the action is permitted) and `clash(C, D)` (permission C and prohibition D apply to the
  same action at once).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from accord.analyses.engine import EditionEngine, fact_sym
from accord.analyses.query import engine
from accord.compile.asp import Choice, Fn, Lit, Program, Rule, Show, Statement, Var, print_program
from accord.compile.to_asp import to_asp
from accord.compile.traced_asp import TracedRule, to_asp_traced
from accord.knowledge.base import KnowledgeBase
from accord.language import ast, ir
from accord.language.diagnostics import did_you_mean
from accord.results.explain import ClauseInfo
from accord.solve import AnalysisProgram, Answer, Sym

MODALITY_WORDS = {ast.Modality.MAY: "may", ast.Modality.MUST: "must", ast.Modality.MUST_NOT: "must not"}
_ACTION = re.compile(r"\s*([a-z][a-z0-9_]*)\s+([a-z][a-z0-9_]*)\s*(?:\(([a-z0-9_\s,]*)\))?\s*\Z")


class ActionError(ValueError):
    """An action written on a command line or given to the API that the edition does not know."""


@dataclass(frozen=True, slots=True, order=True)
class ActionKey:
    actor: str
    action: str
    args: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.actor} {self.action}" + (f"({', '.join(self.args)})" if self.args else "")

    @property
    def actor_sym(self) -> Sym:
        return Sym(self.actor)

    @property
    def action_sym(self) -> Sym:
        return Sym(self.action, tuple(Sym(a) for a in self.args))

    def status(self, name: str) -> Sym:
        """The solver atom `permitted(actor, action)` (or forbidden, required, conflict)."""
        return Sym(name, (self.actor_sym, self.action_sym))


def parse_action(view: ir.EditionView, text: str) -> ActionKey:
    """Read `sdf use_of_force(collective)`: an actor, then an action with its arguments."""
    shown = text if len(text) <= 60 else text[:57] + "..."
    match = _ACTION.match(text)
    if match is None:
        raise ActionError(f"`{shown}` is not an action. Write the actor, then the action: "
                          "`sdf use_of_force(collective)`.")
    actor, name, arg_text = match.group(1), match.group(2), match.group(3)
    args = tuple(a.strip() for a in arg_text.split(",")) if arg_text is not None else ()
    action = view.actions.get(name)
    if action is None:
        close = did_you_mean(name, view.actions)
        maybe = f" Maybe you want: {', '.join(close)}." if close else ""
        raise ActionError(f"The edition `{view.edition.id}` has no action `{name}`.{maybe}")
    if actor not in action.actors:
        raise ActionError(f"The action `{name}` is for {', '.join(action.actors)}, not `{actor}`.")
    if len(args) != len(action.params):
        raise ActionError(f"`{name}` takes {len(action.params)} argument(s) ({', '.join(action.params) or 'none'}), "
                          f"but `{shown}` gives {len(args)}.")
    for arg, sort in zip(args, action.params, strict=True):
        members = view.sorts[sort].members
        if arg not in members:
            close = did_you_mean(arg, members)
            maybe = f" Maybe you want: {', '.join(close)}." if close else ""
            raise ActionError(f"`{arg}` is not a member of sort `{sort}` in `{shown}`.{maybe}")
    return ActionKey(actor, name, args)


def clause_info(clause: ir.Clause) -> ClauseInfo:
    where = f"{clause.span.file}:{clause.span.line}" if clause.span else ""
    return ClauseInfo(clause.id, clause.cite, clause.says, MODALITY_WORDS[clause.modality], where)


def show_sym(value: Sym) -> str:
    """A fact, definition or action value in the user's notation: `armed_attack_on(japan)`."""
    return str(value)


def _lit(name: str, *args: Var | Fn, positive: bool = True) -> Lit:
    return Lit(Fn(name, args), positive)


def _change_rules() -> list[Statement]:
    """`scen/1`, `open/1` (fixed by assumptions), and the changes `add/1`, `drop/1` against them."""
    f = Var("F")
    possible = (_lit("possible", f),)
    return [
        Choice(Fn("scen", (f,)), possible),
        Choice(Fn("open", (f,)), possible),
        Rule(Fn("add", (f,)), (_lit("holds", f), _lit("scen", f, positive=False), _lit("open", f, positive=False))),
        Rule(Fn("drop", (f,)), (_lit("scen", f), _lit("holds", f, positive=False), _lit("open", f, positive=False))),
        Show("add", 1),
        Show("drop", 1),
    ]


def _search_rules(layered: bool = False) -> list[Statement]:
    """What the semantic check asks about every clause, over every scenario. With layers, a
    permission grants when its own layer permits, and only clauses of one layer clash."""
    c, d, a, x = Var("C"), Var("D"), Var("A"), Var("X")
    layer = Var("L")
    same = (_lit("clause_layer", c, layer), _lit("clause_layer", d, layer)) if layered else ()
    granted = ((_lit("clause_layer", c, layer), _lit("lpermitted", layer, a, x)) if layered
               else (_lit("permitted", a, x),))
    rules: list[Statement] = [
        Rule(Fn("conditions_any", (c,)), (_lit("when", c, a, x),)),
        Rule(Fn("conditions_any", (c,)), (_lit("excused", c, a, x),)),
        Rule(Fn("fires_any", (c,)), (_lit("fires", c, a, x),)),
        Rule(Fn("applies_any", (c,)), (_lit("applies", c, a, x),)),
        Rule(Fn("grants", (c,)), (_lit("applies", c, a, x), _lit("modality", c, Fn("may")), *granted)),
        Rule(Fn("clash", (c, d)), (_lit("applies", c, a, x), _lit("modality", c, Fn("may")),
                                   _lit("applies", d, a, x), _lit("modality", d, Fn("must_not")), *same)),
    ]
    shown = (("conditions_any", 1), ("fires_any", 1), ("applies_any", 1), ("grants", 1), ("clash", 2), ("conflict", 2))
    return rules + [Show(n, k) for n, k in shown]


class AnalysisEngine:
    """One edition's traced program, grounded once, with its source map."""

    def __init__(self, engine: EditionEngine) -> None:
        self.engine = engine
        self.view = engine.view
        traced, rules = to_asp_traced(self.view)
        self.program_text = print_program(Program((*traced.statements, *_change_rules())))
        self._solver: AnalysisProgram | None = None
        self._search: AnalysisProgram | None = None
        self.rules: dict[tuple[str, int], TracedRule] = {(r.group, r.index): r for r in rules}
        groups: dict[str, list[TracedRule]] = defaultdict(list)
        for r in rules:
            groups[r.group].append(r)
        self.groups: dict[str, tuple[TracedRule, ...]] = {g: tuple(rs) for g, rs in groups.items()}
        self.overriders: dict[str, tuple[str, ...]] = {
            cid: tuple(sorted(b.id for b in self.view.clauses.values() if cid in b.overrides))
            for cid in self.view.clauses
        }

    # ---- scenarios and actions as solver values ---------------------------------------------

    def holds_values(self, true: Iterable[ir.GroundAtom], unknown: Iterable[ir.GroundAtom]) -> dict[Sym, bool]:
        """Assumptions fixing a scenario: `holds(F)` for every known fact instance."""
        return {Sym("holds", (f,)): v for f, v in self.engine.values(true, unknown).items()}

    def scenario_values(self, true: Iterable[ir.GroundAtom], unknown: Iterable[ir.GroundAtom]) -> dict[Sym, bool]:
        """Assumptions naming a scenario without fixing it: `scen(F)` and `open(F)` for every fact instance."""
        true_set, unknown_set = {fact_sym(f) for f in true}, {fact_sym(f) for f in unknown}
        out: dict[Sym, bool] = {}
        for fact in self.engine.fact_space:
            sym = fact_sym(fact)
            out[Sym("scen", (sym,))] = sym in true_set
            out[Sym("open", (sym,))] = sym in unknown_set
        return out

    def targets(self, key: ActionKey) -> list[ir.Clause]:
        """The clauses whose head can be this actor, action and arguments."""
        return [c for c in self.view.clauses.values() if _head_matches(c, key)]

    def model(self, values: Mapping[Sym, bool], timeout: float | None) -> Answer | None:
        return self.solver.model(values, timeout)

    @property
    def solver(self) -> AnalysisProgram:
        """The traced program with the change rules, minimal in `add/1` and `drop/1` (grounded on first use)."""
        if self._solver is None:
            self._solver = AnalysisProgram(self.program_text, free=(("add", 1), ("drop", 1)))
        return self._solver

    @property
    def search(self) -> AnalysisProgram:
        """The edition's plain program with the semantic check's atoms, minimal in `holds/1` (lazy)."""
        if self._search is None:
            plain = [s for s in to_asp(self.view).statements if not isinstance(s, Show)]
            text = print_program(Program((*plain, *_search_rules(bool(self.view.authority)))))
            self._search = AnalysisProgram(text, free=(("holds", 1),))
        return self._search


def _head_matches(clause: ir.Clause, key: ActionKey) -> bool:
    if not clause.about(key.actor) or clause.action != key.action:
        return False
    bound: dict[str, str] = {}
    for term, value in zip((clause.actor_term, *clause.args), (key.actor, *key.args), strict=True):
        if isinstance(term, ast.Const):
            if term.name != value:
                return False
        elif bound.setdefault(term.name, value) != value:
            return False
    return True


def analysis_engine(kb: KnowledgeBase, edition: str) -> AnalysisEngine:
    """An edition's traced engine, grounded once and kept in the knowledge base's memo."""
    chosen = kb.edition(edition).id
    return kb.memo("analysis", chosen, lambda: AnalysisEngine(engine(kb, chosen)))
