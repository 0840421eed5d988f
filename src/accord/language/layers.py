"""Checking the layers of authority: layers, the layer of each module, actor rules and labels.

In: the resolved `Declarations` and the `ir.RuleBase` built from them by `accord.language.check`.
Out: the rule base with its `ir.Authority` and each clause's layer; diagnostics for an unknown
layer, verdict, label or actor rule, a module with clauses but no layer, an actor with no rule, a
clause whose layer does not bind its actor (or one of the actors its variable stands for), an
override across layers, a label condition that is not over verdicts, a label with a status other
than permitted or forbidden, a label that can never hold, verdicts no label covers, and a label
of silence (every layer silent) that would permit or forbid.

A rule base that declares no layer is left as it is: its statuses decide alone (docs/semantics.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from accord.language import ast, ir
from accord.language.compose import combinations, headline, silent
from accord.language.diagnostics import Sink
from accord.language.resolve import Declarations

ACTOR_SORT = "actor"
_LABEL_STATUSES = frozenset({ast.Status.PERMITTED, ast.Status.FORBIDDEN})


def check_layers(decls: Declarations, base: ir.RuleBase, sink: Sink) -> ir.RuleBase:
    """The rule base with its authority; see the module's docstring."""
    return _LayerChecker(decls, base, sink).run()


class _LayerChecker:
    def __init__(self, decls: Declarations, base: ir.RuleBase, sink: Sink) -> None:
        self.decls, self.base, self.sink = decls, base, sink

    def run(self) -> ir.RuleBase:
        d = self.decls
        layers = {n: self.layer(e.node, e.module) for n, e in d.layers.entries.items()}
        module_layers = self.module_layers()
        actors = {n: self.actor(e.node, e.module) for n, e in d.actors.entries.items()}
        if not layers:
            return self.base
        authority = ir.Authority(dict(sorted(layers.items())), dict(sorted(actors.items())), ())
        labels = tuple(self.label(e.node, e.module, authority) for e in d.labels.entries.values())
        authority = ir.Authority(authority.layers, authority.actors, labels)
        clauses = {cid: dataclasses.replace(c, layer=module_layers.get(c.module))
                   for cid, c in self.base.clauses.items()}
        self.modules_without_layer(module_layers)
        self.actors_without_rule(authority)
        self.bindings(authority, clauses)
        self.overrides(clauses)
        if not self.sink.has_errors:  # enumerating verdicts needs labels over known layers and verdicts
            self.coverage(authority)
        versions = {cid: tuple(dataclasses.replace(v, layer=module_layers.get(v.module)) for v in vs)
                    for cid, vs in self.base.clause_versions.items()}
        tests = {name: self.test(t, authority) for name, t in self.base.tests.items()}
        return dataclasses.replace(self.base, clauses=clauses, clause_versions=versions, tests=tests,
                                   authority=authority)

    # ---- declarations ---------------------------------------------------------------------------

    def layer(self, node: ast.LayerDecl, module: str) -> ir.Layer:
        seen: set[str] = set()
        for v in node.verdicts:
            if v.name.text in seen:
                self.sink.error("duplicate-name", "DUPLICATE NAME",
                           f"The layer `{node.name.text}` declares the verdict `{v.name.text}` twice.",
                           v.name.span, "Give each verdict of a layer its own name.")
            seen.add(v.name.text)
        verdicts = tuple(ir.Verdict(v.name.text, v.description, None if v.basis is None else v.basis.value)
                         for v in node.verdicts)
        return ir.Layer(node.name.text, node.description, verdicts, module)

    def module_layers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for module, items in sorted(self.decls.module_layers.items()):
            first, *more = items
            for extra in more:
                self.sink.error("duplicate-name", "DUPLICATE NAME",
                           f"Module `{module}` names its layer more than once.", extra.span,
                           "A module belongs to one layer: keep one `layer` line.")
            if self.decls.lookup(self.decls.layers, first.layer, module, self.sink) is not None:
                found[module] = first.layer.text
        return found

    def actor(self, node: ast.ActorDecl, module: str) -> ir.Actor:
        entry = self.decls.lookup(self.decls.members, node.name, module, self.sink)
        if entry is not None and entry.node != ACTOR_SORT:
            self.sink.error("not-an-actor", "NOT AN ACTOR",
                       f"`{node.name.text}` is a member of sort `{entry.node}`, not of sort `{ACTOR_SORT}`.",
                       node.name.span, f"Actor rules are for the members of the sort named `{ACTOR_SORT}`.")
        layers = [n.text for n in node.layers if self.decls.lookup(self.decls.layers, n, module, self.sink)]
        return ir.Actor(node.name.text, tuple(layers), node.description, module)

    def label(self, node: ast.LabelDecl, module: str, authority: ir.Authority) -> ir.Label:
        if node.status is not None and node.status not in _LABEL_STATUSES:
            self.sink.error("label-status", "LABEL STATUS",
                       f"A label can make an action permitted or forbidden, not `{node.status.value}`.",
                       node.name.span, "Write `permitted`, `forbidden`, or nothing (the label only describes).")
        actors = []
        for name in node.actors:
            if self.decls.lookup(self.decls.actors, name, module, self.sink) is not None:
                actors.append(name.text)
        self.label_condition(node.condition, module, authority)
        status = node.status.value if node.status in _LABEL_STATUSES and node.status is not None else None
        return ir.Label(node.name.text, node.description, status, tuple(actors), node.condition, module,
                        node.name.span)

    def label_condition(self, cond: ast.Condition, module: str, authority: ir.Authority) -> None:
        for atom in _atoms(cond):
            if isinstance(atom, ast.Compare) or len(atom.args) != 1 or isinstance(atom.args[0], ast.Var):
                self.sink.error("label-condition", "NOT A LAYER VERDICT",
                           "A label's condition speaks of layer verdicts only.", atom.span,
                           "Write `layer(verdict)`, for example `law(authorised)`, joined by and, or, not.")
                continue
            if self.decls.lookup(self.decls.layers, atom.name, module, self.sink) is None:
                continue
            layer, verdict = authority.layers.get(atom.name.text), atom.args[0]
            if layer is not None and layer.verdict(verdict.name) is None:
                names = ", ".join(f"`{v.name}`" for v in layer.verdicts)
                self.sink.error("unknown-verdict", "UNKNOWN VERDICT",
                           f"The layer `{layer.name}` has no verdict `{verdict.name}`.", verdict.span,
                           f"Its verdicts are {names}.")

    # ---- the whole rule base --------------------------------------------------------------------

    def modules_without_layer(self, module_layers: dict[str, str]) -> None:
        for name, entry in sorted(self.decls.clauses.entries.items(), key=lambda e: e[1].module):
            module = entry.module
            if module not in module_layers and module in self.decls.modules:
                node = self.decls.modules[module]
                self.sink.error("module-without-layer", "MODULE WITHOUT A LAYER",
                           f"Module `{module}` has clauses (`{name}`, …) but belongs to no layer.",
                           node.name.span, "Add a line `layer NAME` to the module, naming one of the declared layers.")
                module_layers[module] = ""  # reported once per module

    def actors_without_rule(self, authority: ir.Authority) -> None:
        reported: set[str] = set()
        for entry in self.decls.actions.entries.values():
            for actor in entry.node.actors:
                if actor.text not in authority.actors and actor.text not in reported:
                    reported.add(actor.text)
                    self.sink.error("actor-without-rule", "ACTOR WITHOUT A RULE",
                               f"The actor `{actor.text}` acts here, but no actor rule says which layers bind it.",
                               actor.span, f"Declare `actor {actor.text} bound by LAYER, … \"…\"`.")

    def bindings(self, authority: ir.Authority, clauses: dict[str, ir.Clause]) -> None:
        for cid, clause in clauses.items():
            unbound = [a for a in clause.actors if (rule := authority.actors.get(a)) is not None
                       and clause.layer and clause.layer not in rule.layers]
            if not unbound:
                continue
            node = self.decls.clauses.entries[cid].node
            some = f", one of the actors `{clause.actor}` stands for" if clause.actor_range else ""
            self.sink.error("layer-does-not-bind", "LAYER DOES NOT BIND THE ACTOR",
                       f"Clause `{cid}` is in layer `{clause.layer}`, which does not bind `{unbound[0]}`{some}.",
                       node.head.actor.span,
                       f"Add `{clause.layer}` to the actor rule of `{unbound[0]}`, or move the clause.")

    def overrides(self, clauses: dict[str, ir.Clause]) -> None:
        for cid, clause in clauses.items():
            node = self.decls.clauses.entries[cid].node
            for target in node.overrides:
                other = clauses.get(target.text)
                if other is not None and other.layer != clause.layer:
                    self.sink.error("override-across-layers", "OVERRIDE ACROSS LAYERS",
                               f"Clause `{cid}` ({clause.layer}) overrides `{target.text}` ({other.layer}).",
                               target.span, "Each layer gives its own verdict: a clause overrides only clauses of "
                               "its layer. Let the labels compose the layers.")

    def coverage(self, authority: ir.Authority) -> None:
        """Labels that never hold, verdicts no label covers, a label of silence with a status."""
        held: set[str] = set()
        loud: set[str] = set()  # labels of silence already reported
        for actor in authority.actors:
            gaps = []
            for verdicts in combinations(authority, actor):
                label = headline(authority, actor, verdicts)
                if label is None:
                    gaps.append(verdicts)
                else:
                    held.add(label.name)
            rule = self.decls.actors.entries[actor].node
            if gaps:
                shown = ", ".join(f"{k}({v})" for k, v in gaps[0].items())
                self.sink.error("labels-incomplete", "NO LABEL FOR SOME VERDICTS",
                           f"No label holds for `{actor}` when {shown}.", rule.name.span,
                           "Add a label for these verdicts, or end the labels with a catch-all such as `no_basis`.")
            quiet = silent(authority, actor)
            if quiet is not None and quiet.status is not None and quiet.name not in loud:
                loud.add(quiet.name)
                self.sink.error("label-of-silence", "LABEL OF SILENCE",
                           f"When no layer speaks to an action of `{actor}`, its label `{quiet.name}` would make it "
                           f"{quiet.status}.", quiet.span,
                           "An action no clause speaks to is neither permitted nor forbidden: give that case a "
                           "label without a status.")
        for label in authority.labels:
            if label.name not in held and any(label.applies_to(a) for a in authority.actors):
                self.sink.error("label-never-holds", "LABEL NEVER HOLDS",
                           f"The label `{label.name}` holds for no combination of verdicts: an earlier label always "
                           "wins, or its condition cannot be met.", label.span,
                           "Reorder the labels, or correct its condition.")

    def test(self, test: ir.Test, authority: ir.Authority) -> ir.Test:
        entry = self.decls.tests.entries.get(test.name)
        if entry is None or not entry.node.layer_expectations:
            return test
        for exp in entry.node.layer_expectations:
            if exp.label is not None:
                self.decls.lookup(self.decls.labels, exp.label, None, self.sink)
            elif exp.layer is not None and exp.verdict is not None:
                found = self.decls.lookup(self.decls.layers, exp.layer, None, self.sink)
                layer = authority.layers.get(exp.layer.text) if found else None
                if layer is not None and layer.verdict(exp.verdict.text) is None:
                    names = ", ".join(f"`{v.name}`" for v in layer.verdicts)
                    self.sink.error("unknown-verdict", "UNKNOWN VERDICT",
                               f"The layer `{layer.name}` has no verdict `{exp.verdict.text}`.", exp.verdict.span,
                               f"Its verdicts are {names}.")
        return test


def _atoms(cond: ast.Condition) -> Iterator[ast.Atom | ast.Compare]:
    if isinstance(cond, (ast.Atom, ast.Compare)):
        yield cond
    elif isinstance(cond, ast.Not):
        yield from _atoms(cond.operand)
    else:
        for operand in cond.operands:
            yield from _atoms(operand)
