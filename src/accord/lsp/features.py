"""The answers to an editor's requests about one position or one file.

In: a `RuleFolder` (the parsed, checked files) and a file's path with a protocol position. Out:
lsprotocol values: hover text (the declaration as the formatter prints it, with its description,
module and, for a clause, its citation; free text escaped for Markdown; for a clause's variable, its
sort and the values it ranges over), the declaration's location (for a variable, the atom that
binds it), every reference's location, completion items for the names the file's module can see,
the file's symbols, and a formatting edit (none for a file that does not parse).
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types as lsp

from accord.language import ast, printer
from accord.language.diagnostics import Sink
from accord.language.formatter import format_source
from accord.lsp.convert import START, offset, position, span_range
from accord.lsp.folder import RuleFolder
from accord.lsp.index import Declared, FileIndex, Kind, Occurrence, item_name
from accord.lsp.variables import Variable, members_text, parameter_sort, variable_at
from accord.util.text import for_markdown


def _at(folder: RuleFolder, path: Path, where: lsp.Position) -> Occurrence | None:
    source, index = folder.source(path), folder.index(path)
    if source is None or index is None:
        return None
    return index.at(offset(source, where))


def _location(folder: RuleFolder, span_file: str, r: lsp.Range) -> lsp.Location | None:
    path = folder.path_of(span_file)
    return lsp.Location(path.resolve().as_uri(), r) if path is not None else None


def _description(d: Declared) -> str | None:
    node = d.node
    if isinstance(node, ast.Module):
        return node.title
    if isinstance(node, ast.Member):
        return node.description
    if isinstance(node, ast.Clause):
        return node.says
    for attribute in ("description", "title"):
        value = getattr(node, attribute, None)
        if isinstance(value, str):
            return value
    return None


_BACKTICKS = re.compile("`+")


def _hover_text(folder: RuleFolder, d: Declared) -> str:
    lines = [f"**{d.kind.value}** `{d.name}` · module `{d.module}`"]
    description = _description(d)
    if isinstance(d.node, ast.Clause):
        lines.append(f"*Cite:* {for_markdown(d.node.cite)}")
    if description:
        lines.append(for_markdown(description))
    if isinstance(d.node, ast.Member) and d.owner is not None:
        lines.append(f"A member of sort `{d.owner.name.text}`.")
    elif not isinstance(d.node, ast.Module | ast.Member):
        text = printer.print_item(d.node)
        fence = "`" * max(3, 1 + max((len(m) for m in _BACKTICKS.findall(text)), default=0))  # never closed early
        lines.append(f"{fence}accord\n{text}\n{fence}")
    else:
        lines.append(f"In {for_markdown(d.span.file)}.")
    return "\n\n".join(lines)


def _variable(folder: RuleFolder, path: Path, where: lsp.Position) -> Variable | None:
    source, index = folder.source(path), folder.index(path)
    if source is None or index is None:
        return None
    return variable_at(index.module, offset(source, where))


def _atom_text(atom: ast.Atom) -> str:
    return f"{atom.name.text}({', '.join(a.name for a in atom.args)})" if atom.args else atom.name.text


def _variable_text(folder: RuleFolder, v: Variable) -> str:
    lines = [f"**variable** `{v.name}` · clause `{v.clause.id.text}`"]
    if v.binding is None:
        lines.append(f"No atom of the clause's `when` binds `{v.name}` outside a `not`, so nothing says "
                     "which values it takes.")
        return "\n\n".join(lines)
    atom, at = v.binding
    predicate = folder.declared(Kind.PREDICATE, atom.name.text)
    sort = parameter_sort(predicate.node, at) if predicate is not None else None
    sort_decl = folder.declared(Kind.SORT, sort) if sort is not None else None
    if v.is_actor:
        lines.append(f"The clause's actor: the clause stands for one clause per value of `{v.name}` that its "
                     "condition lets through.")
    lines.append(f"Bound by `{_atom_text(atom)}`.")
    if sort is None:
        lines.append(f"Its sort is not known: no fact or definition `{atom.name.text}` declares that argument.")
    elif sort_decl is not None and isinstance(sort_decl.node, ast.SortDecl):
        lines.append(f"Sort `{sort}`: {members_text(sort_decl.node)}.")
    else:
        lines.append(f"Sort `{sort}`.")
    return "\n\n".join(lines)


def hover(folder: RuleFolder, path: Path, where: lsp.Position) -> lsp.Hover | None:
    variable = _variable(folder, path, where)
    if variable is not None:
        content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=_variable_text(folder, variable))
        return lsp.Hover(contents=content, range=span_range(variable.span))
    found = _at(folder, path, where)
    declared = folder.declared(found.kind, found.name) if found is not None else None
    if found is None or declared is None:
        return None
    content = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=_hover_text(folder, declared))
    return lsp.Hover(contents=content, range=span_range(found.span))


def definition(folder: RuleFolder, path: Path, where: lsp.Position) -> lsp.Location | None:
    variable = _variable(folder, path, where)
    if variable is not None:
        atom = variable.binding[0] if variable.binding is not None else None
        if atom is None or atom.span is None:
            return None
        return _location(folder, atom.span.file, span_range(atom.span))
    found = _at(folder, path, where)
    declared = folder.declared(found.kind, found.name) if found is not None else None
    if declared is None:
        return None
    return _location(folder, declared.span.file, span_range(declared.span))


def references(folder: RuleFolder, path: Path, where: lsp.Position, with_declaration: bool) -> list[lsp.Location]:
    found = _at(folder, path, where)
    if found is None:
        return []
    out = []
    for index in folder.indexes():
        for o in index.occurrences:
            if o.kind is found.kind and o.name == found.name and (with_declaration or not o.declaration):
                location = _location(folder, o.span.file, span_range(o.span))
                if location is not None:
                    out.append(location)
    return out


_COMPLETION_KIND = {
    Kind.MODULE: lsp.CompletionItemKind.Module, Kind.SORT: lsp.CompletionItemKind.Class,
    Kind.MEMBER: lsp.CompletionItemKind.EnumMember, Kind.PREDICATE: lsp.CompletionItemKind.Function,
    Kind.ACTION: lsp.CompletionItemKind.Method, Kind.CLAUSE: lsp.CompletionItemKind.Reference,
    Kind.EDITION: lsp.CompletionItemKind.Folder, Kind.SCENARIO: lsp.CompletionItemKind.Value,
}

# What a line's first word says about the names that may follow it.
_CONTEXT = (
    (re.compile(r"\s*(import|include)\b"), {Kind.MODULE}, False),
    (re.compile(r"\s*(overrides|replaces|carries)\b"), {Kind.CLAUSE}, False),
    (re.compile(r"\s*scenario\s+\S*$"), {Kind.SCENARIO}, False),
    (re.compile(r"\s*edition\s+[a-z0-9_, ]*$"), {Kind.EDITION}, False),
    (re.compile(r"\s*(fact|action|sort|define)\b.*\("), {Kind.SORT}, True),
)
_NAMES_IN_CONDITIONS = {Kind.PREDICATE, Kind.ACTION, Kind.MEMBER}


def completion(folder: RuleFolder, path: Path, where: lsp.Position) -> lsp.CompletionList:
    source = folder.source(path)
    line = ""
    if source is not None and where.line < len(source.line_starts):
        start = source.line_starts[where.line]
        line = source.text[start : offset(source, where)]
    kinds, scoped = _NAMES_IN_CONDITIONS, True
    for pattern, wanted, in_scope in _CONTEXT:
        if pattern.match(line):
            kinds, scoped = wanted, in_scope
            break
    visible = _visible(folder, path) if scoped else None
    items: dict[str, lsp.CompletionItem] = {}
    for index in folder.indexes():
        for d in index.declared:
            if d.kind in kinds and (visible is None or d.module in visible):
                items[d.name] = lsp.CompletionItem(
                    label=d.name, kind=_COMPLETION_KIND.get(d.kind), detail=f"{d.kind.value} · {d.module}",
                    documentation=_description(d))
    return lsp.CompletionList(is_incomplete=False, items=[items[k] for k in sorted(items)])


def _visible(folder: RuleFolder, path: Path) -> frozenset[str] | None:
    index, decls = folder.index(path), folder.analysis.declarations
    if index is None or decls is None:
        return None
    return decls.visible.get(index.module.name.text)


_SYMBOL_KIND = {
    ast.SortDecl: lsp.SymbolKind.Enum, ast.FactDecl: lsp.SymbolKind.Property, ast.ActionDecl: lsp.SymbolKind.Method,
    ast.ConstraintDecl: lsp.SymbolKind.Constant, ast.Definition: lsp.SymbolKind.Function,
    ast.Clause: lsp.SymbolKind.Object, ast.Edition: lsp.SymbolKind.Package, ast.Scenario: lsp.SymbolKind.Event,
    ast.Test: lsp.SymbolKind.Method, ast.Source: lsp.SymbolKind.File,
}


def symbols(folder: RuleFolder, path: Path) -> list[lsp.DocumentSymbol]:
    index = folder.index(path)
    if index is None:
        return []
    return [_module_symbol(index)]


def _module_symbol(index: FileIndex) -> lsp.DocumentSymbol:
    module = index.module
    children = []
    for item in module.items:
        name, kind = item_name(item), _SYMBOL_KIND.get(type(item))
        if name is None or name.span is None or item.span is None or kind is None:
            continue
        children.append(lsp.DocumentSymbol(
            name=name.text, detail=type(item).__name__.removesuffix("Decl").lower(), kind=kind,
            range=span_range(item.span), selection_range=span_range(name.span)))
    selection = span_range(module.name.span) if module.name.span is not None else START
    whole = span_range(module.span) if module.span is not None else selection
    return lsp.DocumentSymbol(name=module.name.text, detail=module.title, kind=lsp.SymbolKind.Module, range=whole,
                              selection_range=selection, children=children)


def formatting(folder: RuleFolder, path: Path) -> list[lsp.TextEdit] | None:
    source = folder.source(path)
    if source is None:
        return None
    formatted = format_source(source, Sink())
    if formatted is None or formatted == source.text:
        return [] if formatted is not None else None
    end = position(source, len(source.text))
    return [lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0), end=end), new_text=formatted)]
