"""What `accord when` and `accord explain --label` aim for: a status, a label or a layer's verdict.

In: an edition view, an action key and what was asked (`--label NAME`, or `--layer NAME --status
VERDICT`; neither: permitted). Out: a `Goal`: the solver atom whose truth is the aim and the value
it must have (the last verdict of a layer, `otherwise`, is reached when the layer is silent:
`spoke` false), a phrase for the reports, and whether an action result has reached it in every
reading. An unknown label, layer or verdict is an `ActionError` naming the choices.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.analyses.explain.engine import ActionError, ActionKey
from accord.language import ir
from accord.results.query import ActionResult, Extent
from accord.solve import Sym


@dataclass(frozen=True, slots=True)
class Goal:
    atom: Sym
    value: bool
    phrase: str  # "permitted", "labelled lawful national action", "authorised in layer law"
    label: str | None = None
    layer: str | None = None
    verdict: str | None = None

    def reached(self, action: ActionResult) -> bool:
        """Whether the action has the goal in every reading."""
        if self.label is not None:
            return action.headline == self.label
        if self.layer is not None:
            return any(lr.layer == self.layer and lr.verdict == self.verdict for lr in action.layers)
        return action.permitted is Extent.ALWAYS


def _choices(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names) or "none"


def goal(view: ir.EditionView, key: ActionKey, label: str | None = None, layer: str | None = None,
         status: str | None = None) -> Goal:
    authority = view.authority
    if label is not None:
        found = authority.label(label)
        if found is None:
            names = _choices([lb.name for lb in authority.labels])
            raise ActionError(f"There is no label `{label}`; the labels are {names}.")
        return Goal(Sym("label", (Sym(label), key.actor_sym, key.action_sym)), True,
                    f"labelled {found.description}", label=label)
    if layer is not None or status is not None:
        chosen = authority.layers.get(layer or "")
        if chosen is None:
            raise ActionError(f"`--layer` names one of the layers {_choices(list(authority.layers))}, "
                              "and `--status` one of its verdicts.")
        verdict = chosen.verdict(status or "")
        if verdict is None:
            raise ActionError(f"The layer `{chosen.name}` has no verdict `{status}`; its verdicts are "
                              f"{_choices([v.name for v in chosen.verdicts])}.")
        phrase = f"{verdict.name.replace('_', ' ')} in layer {chosen.name}"
        if verdict.basis is None:
            return Goal(Sym("spoke", (Sym(chosen.name), key.actor_sym, key.action_sym)), False, phrase,
                        layer=chosen.name, verdict=verdict.name)
        return Goal(Sym("verdict", (Sym(chosen.name), Sym(verdict.name), key.actor_sym, key.action_sym)), True,
                    phrase, layer=chosen.name, verdict=verdict.name)
    return Goal(key.status("permitted"), True, "permitted")
