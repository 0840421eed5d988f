"""Why an action has its layer verdicts and its label in one reading.

In: an edition's analysis engine, one answer set of its traced program and an action key. Out: the
action's headline label in that reading and, per layer that binds the actor, its verdict with the
clauses of that layer that decided it (applied, or had their exception hold): the "why" and "why
not" of each layer ("law: no authority: no clause of the layer applies"; "guidelines:
contemplated: g2015.iv-d.sdf").
"""

from __future__ import annotations

from accord.analyses.explain.engine import ActionKey, AnalysisEngine
from accord.language.compose import silent
from accord.results.explain import LayerReading
from accord.results.query import ClauseRef, Extent, Role
from accord.solve import Answer, Sym

_ROLE = {"may": Role.PERMITS, "must": Role.REQUIRES, "must not": Role.FORBIDS}


def layer_readings(analysis: AnalysisEngine, answer: Answer, key: ActionKey
                   ) -> tuple[str | None, tuple[LayerReading, ...]]:
    authority = analysis.view.authority
    if not authority:
        return None, ()
    args = (key.actor_sym, key.action_sym)
    atoms = answer.atoms
    deciding: dict[str, list[ClauseRef]] = {}
    for atom in sorted(atoms):
        if atom.name in ("applies", "excused") and atom.args[1:] == args:
            clause = analysis.view.clauses[atom.args[0].name]
            role = _ROLE[clause.modality.value] if atom.name == "applies" else Role.EXCEPTION_HELD
            deciding.setdefault(clause.layer or "", []).append(
                ClauseRef(clause.id, clause.cite, clause.says, role, Extent.ALWAYS))
    out = []
    for layer in authority.binding(key.actor):
        held = [v for v in layer.verdicts if v.basis and Sym("verdict", (Sym(layer.name), Sym(v.name), *args)) in atoms]
        verdict = held[0] if held else layer.otherwise
        out.append(LayerReading(layer.name, verdict.name, verdict.description, tuple(deciding.get(layer.name, ()))))
    labels = [lb.name for lb in authority.labels if Sym("label", (Sym(lb.name), *args)) in atoms]
    quiet = silent(authority, key.actor)
    return (labels[0] if labels else quiet.name if quiet else None), tuple(out)
