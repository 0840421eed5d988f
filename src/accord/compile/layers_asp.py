"""Compiling the layers of authority: per-layer statuses, verdicts, labels and the statuses they give.

In: an `ir.EditionView` whose rule base declares layers, and the edition's predicate naming (its
prefix; see `accord.compile.to_asp`). Out: the statements, added to the edition's rules, that
give per action and reading

- `clause_layer(C, L)`: clause C belongs to layer L (one fact per clause);
- `lpermitted/3`, `lforbidden/3`, `lrequired/3` (layer, actor, action): the statuses of
  docs/semantics.md computed from the clauses of one layer only;
- `verdict(L, V, A, X)`: layer L gives verdict V, the first of its verdicts whose basis holds;
  `spoke(L, A, X)`: layer L gives a verdict other than its last (`otherwise`), which holds
  exactly when `spoke` does not; `acting(A, X)`: some layer spoke;
- `lcond(N, A, X)`: the condition of label N holds (for an actor it applies to); `label(N, A, X)`:
  N is the first label whose condition holds, the headline of the action;
- `permitted/2`, `forbidden/2`: the action has a label of that status (these replace the
  layer-blind statuses; `required/2` and `conflict/2` stay as they are).

An action no layer spoke to has no atom here: its label is the label of silence, worked out once
in Python (`accord.language.compose.silent`), which the checker keeps free of a status.
"""

from __future__ import annotations

from collections.abc import Callable

from accord.compile.asp import Cmp, Comment, Fn, Lit, Rule, Statement, Str, Var
from accord.language import ast, ir

SHOWN_LAYERS = (("verdict", 4), ("spoke", 3), ("label", 3), ("acting", 2))

_C, _L, _A, _X, _V = (Var(n) for n in ("C", "L", "A", "X", "V"))
_BASES = {"permitted": "lpermitted", "forbidden": "lforbidden", "required": "lrequired"}

Literal = tuple[bool, str, str]  # (positive, layer, verdict)


def layer_rules(view: ir.EditionView, name: Callable[[str], str]) -> list[Statement]:
    """The statements above; `name` gives an edition predicate its (prefixed) name."""
    authority = view.authority

    def atom(pred: str, *args: Var | Fn | Str) -> Fn:
        return Fn(name(pred), args)

    def lit(pred: str, *args: Var | Fn | Str, positive: bool = True) -> Lit:
        return Lit(atom(pred, *args), positive)

    out: list[Statement] = [Comment("layers of authority: each clause's layer")]
    out.extend(Rule(atom("clause_layer", Str(c.id), Fn(c.layer))) for c in view.clauses.values() if c.layer)
    out.append(Comment("per-layer statuses"))
    key = (_L, _A, _X)
    applies = (lit("applies", _C, _A, _X), lit("clause_layer", _C, _L))
    for head, modality in (("lallowed", "may"), ("lallowed", "must"), ("lforbidden", "must_not"),
                           ("lrequired", "must")):
        out.append(Rule(atom(head, *key), (*applies, lit("modality", _C, Fn(modality)))))
    out.append(Rule(atom("lpermitted", *key), (lit("lallowed", *key), lit("lforbidden", *key, positive=False))))
    out.append(Comment("verdicts: the first verdict of a layer whose basis holds"))
    for layer in authority.layers.values():
        earlier: list[Lit] = []
        for verdict in layer.verdicts:
            if verdict.basis is None:
                continue
            basis = _BASES[verdict.basis]
            here = Fn(layer.name)
            out.append(Rule(atom("verdict", here, Fn(verdict.name), _A, _X), (lit(basis, here, _A, _X), *earlier)))
            earlier.append(lit(basis, here, _A, _X, positive=False))
    out.append(Rule(atom("spoke", _L, _A, _X), (lit("verdict", _L, _V, _A, _X),)))
    out.append(Rule(atom("acting", _A, _X), (lit("spoke", _L, _A, _X),)))
    out.append(Comment("labels: the first label whose condition holds"))
    earlier_labels: list[Lit] = []
    for label in authority.labels:
        here = Fn(label.name)
        for conjunction in dnf(label.condition):
            body: list[Lit | Cmp] = [lit("acting", _A, _X)]
            for positive, layer_name, verdict_name in conjunction:
                layer = authority.layers[layer_name]
                if verdict_name == layer.otherwise.name:
                    body.append(lit("spoke", Fn(layer_name), _A, _X, positive=not positive))
                else:
                    body.append(lit("verdict", Fn(layer_name), Fn(verdict_name), _A, _X, positive=positive))
            for actor in label.actors or (None,):
                extra = () if actor is None else (Cmp(_A, "=", Fn(actor)),)
                out.append(Rule(atom("lcond", here, _A, _X), (*body, *extra)))
        out.append(Rule(atom("label", here, _A, _X), (lit("lcond", here, _A, _X), *earlier_labels)))
        earlier_labels.append(lit("lcond", here, _A, _X, positive=False))
        if label.status is not None:
            out.append(Rule(atom(label.status, _A, _X), (lit("label", here, _A, _X),)))
    return out


def dnf(cond: ast.Condition, positive: bool = True) -> list[list[Literal]]:
    """A label condition as a disjunction of conjunctions of verdict literals (negation pushed in)."""
    if isinstance(cond, ast.Atom):
        return [[(positive, cond.name.text, cond.args[0].name)]]
    if isinstance(cond, ast.Not):
        return dnf(cond.operand, not positive)
    if isinstance(cond, ast.Compare):
        return [] if positive else [[]]  # checked away: a label condition has no comparison
    parts = [dnf(o, positive) for o in cond.operands]
    if isinstance(cond, ast.Or) == positive:  # a disjunction (or a negated conjunction)
        return [conj for part in parts for conj in part]
    out: list[list[Literal]] = [[]]
    for part in parts:
        out = [left + right for left in out for right in part]
    return out
