"""Formatting: a rule file in its one canonical layout, with its comments kept.

In: a `SourceFile`. Out: the file's text as `accord fmt` writes it, or None with the syntax
diagnostics in the sink (a file that does not parse is never rewritten).

The layout is the printer's (`accord.language.printer`): one declaration per block, two-space
indentation, clause fields in the grammar's order, minimal parentheses. On top of it this module
breaks lines that run past `WIDTH`: a long condition at its top `or`/`and`, each operand on a line
of its own starting under the first one (and so on inward while an operand is still too long), and
a long list of names after its commas. Blank lines between declarations are kept (runs of them
become one); a block of several lines is always set off by one.

Comments are carried over by their place among the tokens: a comment after code on a line stays at
the end of the line that holds the token before it (two spaces from the code); a comment on a line
of its own stays before the line that holds the token after it, at that line's indentation (one
step deeper before a closing brace). Since formatting changes only
white space and redundant parentheses, the formatted file parses to an equal syntax tree; this is
checked on every run (`FormatError` if it ever did not).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from accord.language import ast, printer
from accord.language.diagnostics import Sink
from accord.language.parse import parse
from accord.language.source import SourceFile

WIDTH = 100
CONTINUATION = printer.INDENT  # the extra indentation of a name list's continuation lines

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|!=|[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*|\S')
_LINE_PREFIX = re.compile(r"[ ]*(?:[a-z_]+ )?")  # the indentation and keyword before a condition or list


class FormatError(RuntimeError):
    """The formatted text would not mean what the original meant (a fault of the formatter)."""


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    line: int  # 0-based


@dataclass(frozen=True, slots=True)
class _Comment:
    text: str
    line: int
    trailing: bool  # after code on the same line
    before: int  # index of the first token after it


def _scan(text: str) -> tuple[list[_Token], list[_Comment]]:
    tokens: list[_Token] = []
    comments: list[_Comment] = []
    line, last_line_of_code = 0, -1
    position = 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        word = match.group()
        if word.startswith("#"):
            comments.append(_Comment(word.rstrip(), line, last_line_of_code == line, len(tokens)))
        else:
            tokens.append(_Token(word, match.start(), line))
            last_line_of_code = line
    return tokens, comments


# ---- line breaking ------------------------------------------------------------------------


def _operands(cond: ast.Condition) -> tuple[str, tuple[ast.Condition, ...]] | None:
    match cond:
        case ast.And(operands=ops) | ast.Or(operands=ops) if len(ops) == 1:
            return _operands(ops[0])
        case ast.And(operands=ops) if ops:
            return "and", ops
        case ast.Or(operands=ops) if ops:
            return "or", ops
        case _:
            return None


def _condition_lines(cond: ast.Condition, column: int) -> list[str]:
    """The condition starting at `column`: its first line without indentation, the rest with it."""
    text = printer.print_condition(cond, group_and=True)
    split = _operands(cond)
    if column + len(text) <= WIDTH or split is None:
        return [text]
    word, ops = split
    lines: list[str] = []
    for index, operand in enumerate(ops):
        lead = "" if index == 0 else f"{word} "
        paren = isinstance(cond, ast.And | ast.Or) and printer.needs_parentheses(operand, cond, group_and=True)
        inner = _condition_lines(operand, column + len(lead) + paren)
        if paren:
            inner[0] = "(" + inner[0]
            inner[-1] += ")"
        first = lead + inner[0]
        lines.append(first if index == 0 else " " * column + first)
        lines.extend(inner[1:])
    return lines


def _name_list_lines(names: list[str], prefix: str) -> list[str]:
    indent = " " * (len(prefix) - len(prefix.lstrip(" "))) + CONTINUATION
    lines, current = [], prefix + names[0]
    for name in names[1:]:
        if len(current) + len(name) + 2 > WIDTH:
            lines.append(current + ",")
            current = indent + name
        else:
            current += ", " + name
    return [*lines, current]


def _parts(node: object) -> Iterator[ast.Condition | tuple[ast.Name, ...]]:
    """The conditions and name lists of a declaration, wherever its fields hold them."""
    if isinstance(node, ast.Atom | ast.Compare | ast.Not | ast.And | ast.Or):
        yield node
    elif isinstance(node, tuple):
        if len(node) > 1 and all(isinstance(n, ast.Name) for n in node):
            yield node
        else:
            for element in node:
                yield from _parts(element)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type | ast.Name):
        for f in dataclasses.fields(node):
            yield from _parts(getattr(node, f.name))


def _broken(item: ast.Item) -> list[str]:
    """The printed declaration, its conditions grouped for readers and its long lines broken."""
    lines = printer.print_item(item).split("\n")
    tails: list[tuple[str, ast.Condition | list[str]]] = []
    for part in _parts(item):
        if isinstance(part, tuple):
            names = [n.text for n in part]
            tails.append((", ".join(names), names))
        else:
            tails.append((printer.print_condition(part), part))
    out: list[str] = []
    for line in lines:
        out.extend(_break_line(line, tails))
    return out


def _break_line(line: str, tails: list[tuple[str, ast.Condition | list[str]]]) -> list[str]:
    for text, part in tails:
        prefix = line[: len(line) - len(text)]
        if line.endswith(text) and _LINE_PREFIX.fullmatch(prefix):
            if isinstance(part, list):
                return _name_list_lines(part, prefix) if len(line) > WIDTH else [line]
            first, *rest = _condition_lines(part, len(prefix))
            return [prefix + first, *rest]
    return [line]


# ---- comments -----------------------------------------------------------------------------


def _header(module: ast.Module) -> str:
    title = f" {printer.quote(module.title)}" if module.title is not None else ""
    return f"module {module.name.text}{title}{printer.print_periods(module.periods)}"


def _positions(original: list[str], formatted: list[_Token]) -> list[int]:
    """For each original token, the index of a formatted line that holds it (or its neighbour)."""
    matcher = difflib.SequenceMatcher(None, original, [t.text for t in formatted], autojunk=False)
    found: list[int | None] = [None] * len(original)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[block.a + k] = formatted[block.b + k].line
    lines, following = [0] * len(original), formatted[-1].line if formatted else 0
    for index in range(len(original) - 1, -1, -1):
        value = found[index]
        following = value if value is not None else following
        lines[index] = following
    return lines


@dataclass(slots=True)
class _Unit:
    """The header or one declaration: its tokens in the original and its formatted lines."""

    first: int  # index of its first token in the original
    last: int  # index of its last token
    lines: list[str]


def _with_comments(unit: _Unit, tokens: list[_Token], comments: list[_Comment]) -> list[str]:
    own = [c for c in comments if unit.first < c.before <= unit.last and not c.trailing]
    trailing = [c for c in comments if c.trailing and unit.first < c.before <= unit.last + 1]
    if not own and not trailing:
        return unit.lines
    formatted, _ = _scan("\n".join(unit.lines))
    where = _positions([t.text for t in tokens[unit.first : unit.last + 1]], formatted)
    before: dict[int, list[str]] = {}
    after: dict[int, list[str]] = {}
    for c in own:
        before.setdefault(where[c.before - unit.first], []).append(c.text)
    for c in trailing:
        after.setdefault(where[c.before - 1 - unit.first], []).append(c.text)
    out: list[str] = []
    for number, line in enumerate(unit.lines):
        indent = line[: len(line) - len(line.lstrip(" "))]
        indent += printer.INDENT if line.lstrip(" ").startswith("}") else ""  # inside the block it closes
        out.extend(indent + text for text in before.get(number, ()))
        out.append("  ".join([line, *after.get(number, ())]))
    return out


def _trivia(text_lines: list[str], start: int, end: int, comments: dict[int, str]) -> list[str]:
    """Own-line comments and blank lines of lines [start, end), each blank run made one."""
    out: list[str] = []
    for number in range(start, end):
        if number in comments:
            out.append(comments[number])
        elif not text_lines[number].strip() and out[-1:] != [""]:
            out.append("")
    return out


def layout(module: ast.Module, text: str) -> str:
    """The canonical text of `module`, parsed from `text`, with `text`'s comments."""
    tokens, comments = _scan(text)
    starts = [item.span.start if item.span is not None else 0 for item in module.items]
    index_of = {t.start: i for i, t in enumerate(tokens)}
    firsts = [0, *(index_of[s] for s in starts)]
    units = [
        _Unit(first, (firsts[k + 1] if k + 1 < len(firsts) else len(tokens)) - 1, lines)
        for k, (first, lines) in enumerate(
            zip(firsts, [[_header(module)], *(_broken(i) for i in module.items)], strict=True)
        )
    ]
    own_line = {c.line: c.text for c in comments if not c.trailing}
    text_lines = text.split("\n")
    out = _trivia(text_lines, 0, tokens[0].line, own_line)
    while out[:1] == [""]:
        out.pop(0)
    for k, unit in enumerate(units):
        if k:
            previous = units[k - 1]
            between = _trivia(text_lines, tokens[previous.last].line + 1, tokens[unit.first].line, own_line)
            if "" not in between and (len(previous.lines) > 1 or len(unit.lines) > 1):
                between.insert(0, "")
            out.extend(between)
        out.extend(_with_comments(unit, tokens, comments))
    out.extend(_trivia(text_lines, tokens[units[-1].last].line + 1, len(text_lines), own_line))
    while out[-1:] == [""]:
        out.pop()
    return "\n".join(out) + "\n"


def format_source(source: SourceFile, sink: Sink) -> str | None:
    """The formatted text of a file, or None (and its syntax errors in `sink`) if it does not parse."""
    found = Sink()
    module = parse(source, found)
    for diagnostic in found.items:
        sink.add(diagnostic)
    if module is None or found.has_errors:
        return None
    formatted = layout(module, source.text)
    again = parse(SourceFile(source.name, formatted), Sink())
    if again != module:
        raise FormatError(f"formatting {source.name} would change its meaning")
    return formatted
