"""Semantic findings for `accord check`: clauses that can never matter, and conflicts.

In: a `KnowledgeBase` and the editions to examine (all by default). Out: `Finding`s, each with a
minimal witness scenario found by the solver, or a proof (the solver's exhaustive search over
every scenario the domain constraints allow):

- **dead**: a clause that fires in no allowed scenario (brave consequences lack `fires_any(C)`);
- **shadowed**: a clause that fires in some scenario but never has an effect: always overridden by
  a clause with priority, or (a permission) always blocked by a prohibition (`grants(C)` never);
- **vacuous**: a clause that fires in every allowed scenario (a cautious consequence);
- **conflict**: an action required and forbidden at once (`conflict/2` in some scenario);
- **clash**: a permission and a prohibition that apply to the same action at once with no priority
  between them (the prohibition wins by default; an `overrides` would say which should).

Witnesses are subset-minimal: every fact in them is needed (`domRec` over `holds/1`).
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.analyses.explain.engine import AnalysisEngine, analysis_engine, clause_info
from accord.knowledge.base import KnowledgeBase
from accord.language import ast, ir
from accord.results.explain import ClauseInfo, Finding, FindingKind, Witness
from accord.solve import Answer, Sym

_ORDER = list(FindingKind)
SEARCHED = "The solver searched every scenario the domain constraints allow"


def findings(kb: KnowledgeBase, editions: Iterable[str] | None = None, timeout: float | None = None) -> list[Finding]:
    chosen = [kb.edition(e).id for e in editions] if editions is not None else [e.id for e in kb.editions()]
    out: list[Finding] = []
    for edition in chosen:
        out.extend(edition_findings(analysis_engine(kb, edition), timeout))
    return out


def _names(answer: Answer, predicate: str) -> set[str]:
    return {a.args[0].name for a in answer.atoms if a.name == predicate}


def edition_findings(analysis: AnalysisEngine, timeout: float | None = None) -> list[Finding]:
    view, edition = analysis.view, analysis.view.edition.id
    search = analysis.search
    brave = search.consequences({}, "brave", timeout)
    if brave is None:
        return [Finding(edition, FindingKind.IMPOSSIBLE, "error", None, (), None,
                        "The domain constraints rule out every scenario: no combination of facts satisfies them.",
                        None, f"{SEARCHED} and found none.")]
    cautious = search.consequences({}, "cautious", timeout)
    assert cautious is not None
    fires, applies, grants = _names(brave, "fires_any"), _names(brave, "applies_any"), _names(brave, "grants")
    conditions = _names(brave, "conditions_any")
    always = _names(cautious, "fires_any")
    out: list[Finding] = []

    def witness(atom: Sym, predicate: str, *cids: str) -> tuple[Answer | None, Witness | None]:
        answers, _more = search.minimal({atom: True}, 1, timeout, everything=True)
        if not answers:
            return None, None
        key = (atom.args[0], atom.args[1]) if not cids else _key_of(answers[0], predicate, *cids)
        return answers[0], _witness(answers[0], key)

    for clause in view.clauses.values():
        info = clause_info(clause)
        cid = Sym(clause.id, quoted=True)
        if clause.id not in fires:
            why = ("its conditions never hold" if clause.id not in conditions
                   else "whenever its conditions hold, its exception holds too")
            out.append(Finding(edition, FindingKind.DEAD, "warning", info, (), None,
                               f"{clause.id} never applies: {why}.", None,
                               f"{SEARCHED} and found none in which it fires."))
            continue
        if clause.id in always:
            out.append(Finding(edition, FindingKind.VACUOUS, "info", info, (), None,
                               f"{clause.id} fires in every scenario: " + _always(clause), None,
                               f"{SEARCHED}: it fires in every one (a cautious consequence)."))
        if clause.id not in applies:
            answer, shown = witness(Sym("fires_any", (cid,)), "fires", clause.id)
            others = _others(analysis, answer, clause.id, "overridden")
            out.append(Finding(edition, FindingKind.SHADOWED, "warning", info, others, shown.action if shown else None,
                               f"{clause.id} is always overridden: whenever it fires, a clause with priority "
                               "over it applies.", shown, f"{SEARCHED} and found none in which it applies."))
        elif clause.modality is ast.Modality.MAY and clause.id not in grants:
            answer, shown = witness(Sym("applies_any", (cid,)), "applies", clause.id)
            others = _others(analysis, answer, clause.id, "blocked")
            out.append(Finding(edition, FindingKind.SHADOWED, "warning", info, others, shown.action if shown else None,
                               f"{clause.id} never permits anything: whenever it applies, a prohibition applies too.",
                               shown, f"{SEARCHED} and found none in which it permits the action."))
    for atom in sorted(a for a in brave.atoms if a.name == "conflict"):
        answer, shown = witness(atom, "")
        label = f"{atom.args[0]} {atom.args[1]}"
        out.append(Finding(edition, FindingKind.CONFLICT, "error", None, _applying(analysis, answer, atom), label,
                           f"{label} can be required and forbidden at once.", shown, None))
    for atom in sorted(a for a in brave.atoms if a.name == "clash"):
        first, second = view.clauses[atom.args[0].name], view.clauses[atom.args[1].name]
        answer, shown = witness(atom, "applies", first.id, second.id)
        out.append(Finding(edition, FindingKind.CLASH, "warning", clause_info(first), (clause_info(second),),
                           shown.action if shown else None,
                           f"{first.id} permits what {second.id} forbids, in the same scenario, and neither "
                           "overrides the other (the prohibition wins).", shown, None))
    return sorted(out, key=lambda f: (_ORDER.index(f.kind), f.clause.id if f.clause else "", f.action or ""))


def _always(clause: ir.Clause) -> str:
    if clause.when is None and clause.unless is None:
        return "it has no conditions."
    if clause.unless is None:
        return "its conditions always hold."
    return "its conditions always hold and its exception never does."


def _key_of(answer: Answer, predicate: str, *cids: str) -> tuple[Sym, Sym] | None:
    """The first (actor, action) for which every clause of `cids` has an atom of `predicate`."""
    keys = [{(a.args[1], a.args[2]) for a in answer.atoms if a.name == predicate and a.args[0].name == c} for c in cids]
    common = sorted(set.intersection(*keys)) if keys else []
    return common[0] if common else None


def _witness(answer: Answer, key: tuple[Sym, Sym] | None) -> Witness:
    facts = tuple(sorted(str(a.args[0]) for a in answer.atoms if a.name == "holds"))
    return Witness(facts, f"{key[0]} {key[1]}" if key else None)


def _others(analysis: AnalysisEngine, answer: Answer | None, cid: str, how: str) -> tuple[ClauseInfo, ...]:
    """The clauses that take effect instead, in the witness: overriders, or prohibitions."""
    if answer is None:
        return ()
    key = _key_of(answer, "fires", cid)
    applying = sorted(a.args[0].name for a in answer.atoms if a.name == "applies" and (a.args[1], a.args[2]) == key)
    if how == "overridden":
        chosen = [b for b in analysis.overriders[cid] if b in applying]
    else:
        chosen = [b for b in applying if analysis.view.clauses[b].modality is ast.Modality.MUST_NOT]
    return tuple(clause_info(analysis.view.clauses[b]) for b in chosen)


def _applying(analysis: AnalysisEngine, answer: Answer | None, status: Sym) -> tuple[ClauseInfo, ...]:
    if answer is None:
        return ()
    ids = sorted(a.args[0].name for a in answer.atoms
                 if a.name == "applies" and (a.args[1], a.args[2]) == (status.args[0], status.args[1]))
    return tuple(clause_info(analysis.view.clauses[i]) for i in ids)
