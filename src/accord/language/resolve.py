"""Name resolution: which declaration each name refers to.

In: the parsed modules of a rule base. Out: `Declarations`, global tables of every declared name
with its owning module, and each module's visible modules (itself and all it imports,
transitively). Reports duplicate names, unknown imports, and, through `Declarations.lookup`,
unknown or invisible names with did-you-mean suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from accord.language import ast
from accord.language.diagnostics import Sink, suggestion_hint
from accord.language.source import Span

N = TypeVar("N")


@dataclass(slots=True)
class Entry(Generic[N]):
    module: str
    node: N
    span: Span | None


@dataclass(slots=True)
class Table(Generic[N]):
    """Declarations of one kind, keyed by name."""

    kind: str
    code: str
    entries: dict[str, Entry[N]] = field(default_factory=dict)
    # The modules of the second and later declarations of a name, already reported as duplicates.
    duplicates: dict[str, set[str]] = field(default_factory=dict)
    # The versions of a name declared more than once with dates (an amendment), in file order.
    versions: dict[str, list[Entry[N]]] = field(default_factory=dict)
    dated: set[str] = field(default_factory=set)

    def declare(self, name: ast.Name, module: str, node: N, sink: Sink, dated: bool = False) -> None:
        """Declare a name; a name declared again is a new version of it when both carry dates."""
        existing = self.entries.get(name.text)
        if existing is not None and dated and name.text in self.dated:
            self.versions.setdefault(name.text, [existing]).append(Entry(module, node, name.span))
            return
        if existing is None and dated:
            self.dated.add(name.text)
        if existing is not None:
            related = ((existing.span, "first declared here"),) if existing.span else ()
            sink.error(
                "duplicate-name",
                "DUPLICATE NAME",
                f"The {self.kind} `{name.text}` is declared twice.",
                name.span,
                f"Rename one of them; {self.kind} names are unique across the rule base.",
                related,
            )
            self.duplicates.setdefault(name.text, set()).add(module)
            return
        self.entries[name.text] = Entry(module, node, name.span)


@dataclass(slots=True)
class Declarations:
    modules: dict[str, ast.Module]
    visible: dict[str, frozenset[str]]
    sorts: Table[ast.SortDecl]
    members: Table[str]
    predicates: Table[ast.FactDecl | ast.Definition]
    actions: Table[ast.ActionDecl]
    constraints: Table[ast.ConstraintDecl]
    clauses: Table[ast.Clause]
    editions: Table[ast.Edition]
    scenarios: Table[ast.Scenario]
    tests: Table[ast.Test]
    sources: Table[ast.Source]
    layers: Table[ast.LayerDecl] = field(default_factory=lambda: Table("layer", "layer"))
    actors: Table[ast.ActorDecl] = field(default_factory=lambda: Table("actor rule", "actor"))
    labels: Table[ast.LabelDecl] = field(default_factory=lambda: Table("label", "label"))
    module_layers: dict[str, list[ast.ModuleLayer]] = field(default_factory=dict)

    def lookup_module(self, name: ast.Name, sink: Sink) -> bool:
        """Whether a module exists; reports it when it does not."""
        if name.text in self.modules:
            return True
        sink.error(
            "unknown-module",
            "UNKNOWN MODULE",
            f"I cannot find a module named `{name.text}`.",
            name.span,
            suggestion_hint(name.text, self.modules, "module")
            or "Each `.accord` file declares one module on its first line.",
        )
        return False

    def lookup(self, table: Table[N], name: ast.Name, module: str | None, sink: Sink) -> Entry[N] | None:
        """Find a name as seen from a module (None: from anywhere); report it when missing."""
        entry = table.entries.get(name.text)
        homes = {e.module for e in table.versions.get(name.text, ())}
        if entry is not None and (module is None or self.visible[module] & ({entry.module} | homes)):
            return entry  # a name with versions is seen where any of its versions is
        if entry is not None and module is not None and self.visible[module] & table.duplicates.get(name.text, set()):
            return None  # a visible module declares it again: reported once, as a duplicate name
        if entry is not None:
            sink.error(
                f"unknown-{table.code}",
                f"UNKNOWN {table.kind.upper()}",
                f"The {table.kind} `{name.text}` is declared in module `{entry.module}`, "
                f"which module `{module}` does not import.",
                name.span,
                f"Add `import {entry.module}` at the top of module `{module}`.",
            )
            return None
        candidates = [
            n for n, e in table.entries.items() if module is None or e.module in self.visible[module]
        ]
        sink.error(
            f"unknown-{table.code}",
            f"UNKNOWN {table.kind.upper()}",
            f"I cannot find {'an' if table.kind[0] in 'aeiou' else 'a'} {table.kind} named `{name.text}`.",
            name.span,
            suggestion_hint(name.text, candidates, table.kind),
        )
        return None


def resolve(modules: list[ast.Module], sink: Sink) -> Declarations:
    """Build the name tables of a rule base and each module's visibility."""
    by_name: dict[str, ast.Module] = {}
    for module in modules:
        if module.name.text in by_name:
            sink.error(
                "duplicate-name",
                "DUPLICATE NAME",
                f"Two files declare module `{module.name.text}`.",
                module.name.span,
                "Each file is one module; give this one another name.",
            )
            continue
        by_name[module.name.text] = module
    decls = Declarations(
        modules=by_name,
        visible={},
        sorts=Table("sort", "sort"),
        members=Table("sort member", "member"),
        predicates=Table("fact or definition", "fact"),
        actions=Table("action", "action"),
        constraints=Table("constraint", "constraint"),
        clauses=Table("clause", "clause"),
        editions=Table("edition", "edition"),
        scenarios=Table("scenario", "scenario"),
        tests=Table("test", "test"),
        sources=Table("source", "source"),
    )
    direct: dict[str, list[str]] = {}
    for name, module in by_name.items():
        direct[name] = []
        for item in module.items:
            _declare(decls, name, item, direct[name], sink)
    for name in by_name:
        decls.visible[name] = _closure(name, direct)
    return decls


def _declare(decls: Declarations, module: str, item: ast.Item, imports: list[str], sink: Sink) -> None:
    match item:
        case ast.Import(modules=names):
            imports.extend(n.text for n in names if decls.lookup_module(n, sink))
        case ast.SortDecl():
            decls.sorts.declare(item.name, module, item, sink)
            for member in item.members:
                decls.members.declare(member.name, module, item.name.text, sink)
        case ast.FactDecl():
            decls.predicates.declare(item.name, module, item, sink)
        case ast.Definition():
            decls.predicates.declare(item.name, module, item, sink, _dated(decls, module, item.periods))
        case ast.ActionDecl():
            decls.actions.declare(item.name, module, item, sink)
        case ast.ConstraintDecl():
            decls.constraints.declare(item.name, module, item, sink)
        case ast.Clause():
            decls.clauses.declare(item.id, module, item, sink, _dated(decls, module, item.periods))
        case ast.Edition():
            decls.editions.declare(item.name, module, item, sink)
        case ast.Scenario():
            decls.scenarios.declare(item.name, module, item, sink)
        case ast.Test():
            decls.tests.declare(item.name, module, item, sink)
        case ast.Source():
            decls.sources.declare(item.name, module, item, sink)
        case ast.LayerDecl():
            decls.layers.declare(item.name, module, item, sink)
        case ast.ActorDecl():
            decls.actors.declare(item.name, module, item, sink)
        case ast.LabelDecl():
            decls.labels.declare(item.name, module, item, sink)
        case ast.ModuleLayer():
            decls.module_layers.setdefault(module, []).append(item)


def _dated(decls: Declarations, module: str, periods: tuple[ast.Period, ...]) -> bool:
    """Whether a provision carries dates, its own or its module's."""
    return bool(periods or decls.modules[module].periods)


def _closure(start: str, direct: dict[str, list[str]]) -> frozenset[str]:
    seen = {start}
    stack = [start]
    while stack:
        for nxt in direct.get(stack.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return frozenset(seen)
