"""Pretty-printing: the syntax tree back to canonical rule text.

In: an `ast.Module` (spans are ignored). Out: rule text in the language of docs/language.md that
parses back to an equal `ast.Module`: the module header first, then one declaration per block
(blocks separated by a blank line), two-space indentation inside braces and after `:`, strings
re-escaped with only `\\"`, `\\\\` and `\\n`, and conditions with the fewest parentheses that keep
their structure (`not` binds tighter than `and`, `and` tighter than `or`; a nested `and` inside an
`and`, or `or` inside an `or`, keeps its parentheses so that it is not flattened on re-parsing).
Comments and the original layout are not kept: printing is a canonical form, not a round trip of
the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.language import ast, integers

INDENT = "  "

# Binding strength of a condition's top operator: higher binds tighter.
_OR, _AND, _NOT, _PRIMARY = 1, 2, 3, 4


class PrintError(ValueError):
    """A syntax tree that has no text in the language (an empty `and`/`or`, an empty list)."""


def quote(value: str) -> str:
    """A string literal of the rule language; `\\"`, `\\\\` and `\\n` are the only escapes."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _names(names: Iterable[ast.Name], what: str) -> str:
    texts = [n.text for n in names]
    if not texts:
        raise PrintError(f"{what} needs at least one name")
    return ", ".join(texts)


def _term(term: ast.Term) -> str:
    return term.name


def _term_args(args: tuple[ast.Term, ...]) -> str:
    return f"({', '.join(_term(a) for a in args)})" if args else ""


def _ground_args(args: tuple[ast.Name, ...]) -> str:
    return f"({', '.join(a.text for a in args)})" if args else ""


def _word(node: ast.Name | ast.Var) -> str:
    """A name, or a variable standing for one (an actor or an expectation's argument)."""
    return node.name if isinstance(node, ast.Var) else node.text


def _expected(e: ast.Expectation | ast.LayerExpectation) -> str:
    """What an expectation is about, its quantifiers and its reason."""
    args = f"({', '.join(_word(a) for a in e.args)})" if e.args else ""
    quantified = ", ".join(f"{q.var.name} in {q.sort.text}" + "".join(
        f" {'except' if i == 0 else 'and'} {m.text}" for i, m in enumerate(q.excluded)) for q in e.quantifiers)
    where = f" for {quantified}" if quantified else ""
    unless = f" unless {' or '.join(print_condition(c) for c in e.unless)}" if e.unless else ""
    because = f" because {quote(e.because)}" if e.because is not None else ""
    return f"{_word(e.actor)} {e.action.text}{args}{where}{unless}{because}"


# ---- conditions --------------------------------------------------------------------------


def _strength(cond: ast.Condition) -> int:
    match cond:
        case ast.Or(operands=ops) if len(ops) != 1:
            return _OR
        case ast.And(operands=ops) if len(ops) != 1:
            return _AND
        case ast.Or(operands=(only,)) | ast.And(operands=(only,)):
            return _strength(only)
        case ast.Not():
            return _NOT
        case _:
            return _PRIMARY


def _wrapped(cond: ast.Condition, tighter_than: int, group_and: bool) -> str:
    """`cond`, in parentheses unless its operator binds tighter than `tighter_than`."""
    text = print_condition(cond, group_and=group_and)
    return text if _strength(cond) > tighter_than else f"({text})"


def needs_parentheses(operand: ast.Condition, parent: ast.And | ast.Or, *, group_and: bool = False) -> bool:
    """Whether `operand`, printed as an operand of `parent`, is put in parentheses."""
    level = _AND if isinstance(parent, ast.And) or group_and else _OR
    return _strength(operand) <= level


def print_condition(cond: ast.Condition, *, group_and: bool = False) -> str:
    """A condition with minimal parentheses; re-parsing it gives an equal condition. With
    `group_and`, an `and` inside an `or` is put in parentheses too (the layout of `accord fmt`)."""
    match cond:
        case ast.Atom(name=name, args=args):
            return name.text + _term_args(args)
        case ast.Compare(left=left, op=op, right=right):
            if op not in integers.NEGATED_COMPARISON:
                raise PrintError(f"unknown comparison {op!r}")
            return f"{_term(left)} {op} {_term(right)}"
        case ast.Not(operand=operand):
            # `not` applies to a negation or a primary; `and`/`or` below it need parentheses.
            return f"not {_wrapped(operand, _AND, group_and)}"
        case ast.And(operands=ops) | ast.Or(operands=ops):
            if not ops:
                raise PrintError(f"an empty `{'and' if isinstance(cond, ast.And) else 'or'}`")
            if len(ops) == 1:
                return print_condition(ops[0], group_and=group_and)
            word = " and " if isinstance(cond, ast.And) else " or "
            level = _AND if isinstance(cond, ast.And) or group_and else _OR
            # An operand of the same operator is parenthesized, so it is not flattened.
            return word.join(_wrapped(op, level, group_and) for op in ops)


# ---- declarations ------------------------------------------------------------------------


def _block(opening: str, lines: Iterable[str]) -> str:
    body = "".join(f"{INDENT}{line}\n" for line in lines)
    return f"{opening} {{\n{body}}}"


def _import(item: ast.Import) -> str:
    return f"import {_names(item.modules, 'an import')}"


def _sort(item: ast.SortDecl) -> str:
    if item.bounds is not None:
        description = f" {quote(item.description)}" if item.description is not None else ""
        return f"sort {item.name.text}{description} {item.bounds[0]}..{item.bounds[1]}"
    if item.dates is not None:
        description = f" {quote(item.description)}" if item.description is not None else ""
        return f"sort {item.name.text}{description} {item.dates[0]}..{item.dates[1]}"
    if not item.members:
        raise PrintError(f"sort `{item.name.text}` needs at least one member")
    description = f" {quote(item.description)}" if item.description is not None else ""
    members = (
        m.name.text + (f" {quote(m.description)}" if m.description is not None else "") + ","
        for m in item.members
    )
    return _block(f"sort {item.name.text}{description}", members)


def _sort_params(params: tuple[ast.Name, ...]) -> str:
    return f"({', '.join(p.text for p in params)})" if params else ""


def _fact(item: ast.FactDecl) -> str:
    return f"fact {item.name.text}{_sort_params(item.params)} {quote(item.description)}"


def _action(item: ast.ActionDecl) -> str:
    actors = _names(item.actors, f"action `{item.name.text}`'s `by` list")
    return (
        f"action {item.name.text}{_sort_params(item.params)} by {actors} {quote(item.description)}"
    )


def _constraint(item: ast.ConstraintDecl) -> str:
    return (
        f"constraint {item.name.text} {quote(item.description)}:\n"
        f"{INDENT}never {print_condition(item.condition)}"
    )


def print_periods(periods: Iterable[ast.Period]) -> str:
    """Periods as written after a name: ` in_force 2001-03-01 until 2007-11-01`, or nothing."""
    words = []
    listed = tuple(periods)
    for i, p in enumerate(listed):
        nxt = listed[i + 1] if i + 1 < len(listed) else None
        if p.start is None and p.end is None:
            raise PrintError("a period needs a start or an end")
        if p.end is None and nxt is not None and nxt.start is None:
            raise PrintError("`in_force A` then `until B` reads back as one period")
        words += [f"in_force {p.start}"] if p.start is not None else []
        words += [f"until {p.end}"] if p.end is not None else []
    return "".join(f" {w}" for w in words)


def _definition(item: ast.Definition) -> str:
    params = ", ".join(f"{p.var.name}: {p.sort.text}" for p in item.params)
    signature = f"{item.name.text}({params})" if item.params else item.name.text
    return (
        f"define {signature} {quote(item.description)}{print_periods(item.periods)}:\n"
        f"{INDENT}{print_condition(item.condition)}"
    )


def _clause(item: ast.Clause) -> str:
    head = item.head
    cites = item.citations or (ast.Citation(item.cite),)
    lines = [
        *(f"cite {quote(c.text)}{print_periods(c.periods)}" for c in cites),
        f"{_word(head.actor)} {head.modality.value} {head.action.text}{_term_args(head.args)}",
        *([f"role {item.role}"] if item.role is not None else []),
    ]
    if item.when is not None:
        lines.append(f"when {print_condition(item.when)}")
    if item.unless is not None:
        lines.append(f"unless {print_condition(item.unless)}")
    if item.overrides:
        lines.append(f"overrides {_names(item.overrides, 'overrides')}")
    if item.lineage is not None:
        targets = _names(item.lineage.targets, item.lineage.kind.value)
        lines.append(f"{item.lineage.kind.value} {targets}")
    lines.append(f"says {quote(item.says)}")
    lines.extend(f"note {quote(n)}" for n in item.notes)
    return _block(f"clause {item.id.text}{print_periods(item.periods)}", lines)


def _edition(item: ast.Edition) -> str:
    lines = [
        f"title {quote(item.title)}",
        f"in_force {item.in_force}",
        *([f"include {_names(item.includes, f'edition `{item.name.text}`')}"] if item.includes else []),
        *(f"note {quote(n)}" for n in item.notes),
    ]
    return _block(f"edition {item.name.text}", lines)


_TRUTH_MARK = {ast.Truth.TRUE: "", ast.Truth.FALSE: "not ", ast.Truth.UNKNOWN: "unknown "}


def _scenario(item: ast.Scenario) -> str:
    lines = (f"{_TRUTH_MARK[f.truth]}{f.name.text}{_ground_args(f.args)}" for f in item.facts)
    return _block(f"scenario {item.name.text} {quote(item.description)}", lines)


_QUALIFIER_WORD = {ast.Qualifier.ALWAYS: "", ast.Qualifier.POSSIBLY: "possibly ",
                   ast.Qualifier.NEVER: "not "}


def _expectation(e: ast.Expectation) -> str:
    return f"expect {_QUALIFIER_WORD[e.qualifier]}{e.status.value} {_expected(e)}"


def _layer_expectation(e: ast.LayerExpectation) -> str:
    if e.label is not None:
        what = f"label {e.label.text}"
    elif e.layer is not None and e.verdict is not None:
        what = f"layer {e.layer.text} {e.verdict.text}"
    else:
        raise PrintError("an expectation names a label, or a layer and its verdict")
    return f"expect {_QUALIFIER_WORD[e.qualifier]}{what} {_expected(e)}"


def _layer(item: ast.LayerDecl) -> str:
    if not item.verdicts or item.verdicts[-1].basis is not None:
        raise PrintError(f"layer `{item.name.text}` needs its `otherwise` verdict last")
    lines = [
        f"{v.name.text} {quote(v.description)} " + ("otherwise" if v.basis is None else f"when {v.basis.value}")
        for v in item.verdicts
    ]
    return _block(f"layer {item.name.text} {quote(item.description)}", lines)


def _actor(item: ast.ActorDecl) -> str:
    return f"actor {item.name.text} bound by {_names(item.layers, 'an actor')} {quote(item.description)}"


def _label(item: ast.LabelDecl) -> str:
    status = f" {item.status.value}" if item.status is not None else ""
    actors = f" for {_names(item.actors, 'a label')}" if item.actors else ""
    head = f"label {item.name.text} {quote(item.description)}{status}{actors}:"
    return f"{head}\n{INDENT}{print_condition(item.condition)}"


def _test(item: ast.Test) -> str:
    if not item.expectations and not item.layer_expectations:
        raise PrintError(f"test `{item.name.text}` needs at least one expectation")
    lines = [
        f"scenario {item.scenario.text}",
        f"edition {_names(item.editions, f'test `{item.name.text}`')}",
        *(_expectation(e) for e in item.expectations),
        *(_layer_expectation(e) for e in item.layer_expectations),
    ]
    return _block(f"test {item.name.text}", lines)


def _section(s: ast.Section) -> str:
    grants = f" grants nothing {quote(s.grants_nothing)}" if s.grants_nothing is not None else ""
    return f"section {quote(s.ref)} {quote(s.title)}{grants}"


def _source(item: ast.Source) -> str:
    return _block(
        f"source {item.name.text} {quote(item.title)}", (_section(s) for s in item.sections)
    )


def print_item(item: ast.Item) -> str:
    """One declaration, without a trailing newline."""
    match item:
        case ast.Import():
            return _import(item)
        case ast.SortDecl():
            return _sort(item)
        case ast.FactDecl():
            return _fact(item)
        case ast.ActionDecl():
            return _action(item)
        case ast.ConstraintDecl():
            return _constraint(item)
        case ast.Definition():
            return _definition(item)
        case ast.Clause():
            return _clause(item)
        case ast.Edition():
            return _edition(item)
        case ast.Scenario():
            return _scenario(item)
        case ast.Test():
            return _test(item)
        case ast.Source():
            return _source(item)
        case ast.LayerDecl():
            return _layer(item)
        case ast.ModuleLayer():
            return f"layer {item.layer.text}"
        case ast.ActorDecl():
            return _actor(item)
        case ast.LabelDecl():
            return _label(item)


def print_module(module: ast.Module) -> str:
    """The canonical text of a module: its header, then one block per declaration."""
    title = f" {quote(module.title)}" if module.title is not None else ""
    title += print_periods(module.periods)
    blocks = [f"module {module.name.text}{title}", *(print_item(i) for i in module.items)]
    return "\n\n".join(blocks) + "\n"
