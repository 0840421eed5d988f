"""Hypothesis strategies for fuzzing accord with whole rule files: generated, bundled, mutated, extreme.

A `Case` is a folder of rule files (name -> bytes) and the recipe that made it, so a failure report
says what was done without printing megabytes. Where the text comes from:

- the grammar: syntax trees from `strategies.modules()` (syntactically valid, names unresolved)
  and `strategies.rule_sets()` (checked-valid rule bases), printed by `accord.language.printer`;
- the bundled knowledge base: the whole `rules/` folder with one file mutated;
- token soup: keywords, punctuation, names and strings of the grammar in a random order;
- raw input: any bytes, any text (lone surrogates included, written as invalid UTF-8).

Mutators work on text (delete, duplicate or replace a token; swap, delete or repeat lines; insert
tricky text; truncate; nest deeply; make a line or the file very long; CRLF line ends) and on bytes
(random bytes, invalid UTF-8 sequences, a flipped byte, a BOM).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st
from strategies import RESERVED, modules, rule_sets

from accord.language import ast
from accord.language.printer import PrintError, print_module

RULES = Path(__file__).resolve().parent.parent / "rules"
BUNDLED: dict[str, str] = {p.name: p.read_text(encoding="utf-8") for p in sorted(RULES.glob("*.accord"))}


class Case:
    """Rule files to load (name -> content) and how they were made (shown instead of the content)."""

    def __init__(self, files: dict[str, bytes], recipe: tuple[str, ...]) -> None:
        self.files = files
        self.recipe = recipe

    def __repr__(self) -> str:
        sizes = ", ".join(f"{n}: {len(b)} bytes" for n, b in sorted(self.files.items()) if n in self.changed)
        return f"Case(recipe={list(self.recipe)!r}, changed={{{sizes}}})"

    @property
    def changed(self) -> set[str]:
        return {n for n, b in self.files.items() if BUNDLED.get(n, "").encode("utf-8") != b}


# ---- text mutators ------------------------------------------------------------------------------

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*|#[^\n]*|\S')
_CONDITION_START = re.compile(r"\b(?:when|unless|never)\s|\":\s")
_SURROGATE = re.compile("[\ud800-\udfff]")

# Pieces that matter to the lexer, the parser, the checker, quoting and the ASP printer.
TRICKY = (
    '"', "\\", "(", ")", "{", "}", ",", ":", "=", "!=", "#", "\n", "\r", "\t", "\x00", "\x0c", "\x1b[31m",
    "\ufeff", "\u202e", "\u2028", "\ud800", "日本", "é", "É", "A", "X1", "_", "-", ".", ":-", "%", "#show p/0.",
    '"unterminated', '\\"', '""', "9999-99-99", "2015-02-29", "0000-00-00", "module m", "import m",
    "not ", " and ", " or ", "must not", "p(X) :- q.", '". holds(x). %', "9" * 40, "-1",
)
WORDS = (*sorted(RESERVED), "must not", "a", "b", "p", "q", "x", "X", "Y", "japan", "sdf", "e1", "c.1", "g-2.x")
_DEPTHS = (10, 63, 64, 65, 66, 300, 3000)
_LENGTHS = (200, 5_000, 100_000)

TextMutator = Callable[[st.DrawFn, str, list[str]], str]


def _index(draw: st.DrawFn, size: int) -> int:
    return draw(st.integers(0, max(size - 1, 0)))


def _token_span(draw: st.DrawFn, text: str) -> tuple[int, int]:
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return len(text), len(text)
    token = tokens[_index(draw, len(tokens))]
    return token.start(), token.end()


def _splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def delete_token(draw: st.DrawFn, text: str, log: list[str]) -> str:
    start, end = _token_span(draw, text)
    log.append(f"delete {text[start:end][:30]!r} at {start}")
    return _splice(text, start, end, "")


def duplicate_token(draw: st.DrawFn, text: str, log: list[str]) -> str:
    start, end = _token_span(draw, text)
    log.append(f"duplicate {text[start:end][:30]!r} at {start}")
    return _splice(text, start, start, text[start:end] + " ")


def replace_token(draw: st.DrawFn, text: str, log: list[str]) -> str:
    start, end = _token_span(draw, text)
    others = [m.group() for m in _TOKEN.finditer(text[:20_000])] or ["x"]
    new = draw(st.sampled_from(WORDS) | st.sampled_from(TRICKY) | st.sampled_from(others))
    log.append(f"replace {text[start:end][:30]!r} at {start} by {new[:30]!r}")
    return _splice(text, start, end, new)


_IDENTIFIER = re.compile(r"(?<![\w.-])[a-z][a-z0-9_]*(?![\w.-])")


def swap_name(draw: st.DrawFn, text: str, log: list[str]) -> str:
    """Put another name of the same text in a name's place: the text still parses, mostly, but names
    stop resolving, sorts and arities stop matching, declarations collide."""
    found = [m for m in _IDENTIFIER.finditer(text[:100_000]) if m.group() not in RESERVED]
    if not found:
        return text
    old = found[_index(draw, len(found))]
    new = found[_index(draw, len(found))].group()
    log.append(f"rename {old.group()!r} at {old.start()} to {new!r}")
    return _splice(text, old.start(), old.end(), new)


def insert_tricky(draw: st.DrawFn, text: str, log: list[str]) -> str:
    at = draw(st.integers(0, len(text)))
    new = draw(st.sampled_from(TRICKY) | st.sampled_from(WORDS).map(lambda w: f" {w} "))
    log.append(f"insert {new!r} at {at}")
    return _splice(text, at, at, new)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def swap_lines(draw: st.DrawFn, text: str, log: list[str]) -> str:
    lines = _lines(text)
    i, j = _index(draw, len(lines)), _index(draw, len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    log.append(f"swap lines {i + 1} and {j + 1}")
    return "\n".join(lines)


def delete_line(draw: st.DrawFn, text: str, log: list[str]) -> str:
    lines = _lines(text)
    i = _index(draw, len(lines))
    log.append(f"delete line {i + 1}")
    return "\n".join(lines[:i] + lines[i + 1:])


def repeat_lines(draw: st.DrawFn, text: str, log: list[str]) -> str:
    """Repeat a run of lines: duplicate declarations, or (many times) a long file."""
    lines = _lines(text)
    i = _index(draw, len(lines))
    run = lines[i : i + draw(st.integers(1, 20))]
    times = draw(st.sampled_from((1, 2, 50, 2_000)))
    log.append(f"repeat lines {i + 1}..{i + len(run)} {times} times")
    return "\n".join(lines[: i + len(run)] + run * times + lines[i + len(run):])


def truncate(draw: st.DrawFn, text: str, log: list[str]) -> str:
    at = draw(st.integers(0, len(text)))
    log.append(f"truncate at {at}")
    return text[:at]


def deep_nesting(draw: st.DrawFn, text: str, log: list[str]) -> str:
    """Parentheses, `not`s or nested `and`/`or` where a condition starts (else anywhere)."""
    starts = [m.end() for m in _CONDITION_START.finditer(text)]
    at = draw(st.sampled_from(starts)) if starts else draw(st.integers(0, len(text)))
    depth = draw(st.sampled_from(_DEPTHS))
    atom = draw(st.sampled_from(("a", "p(X)", "x = y", "")))
    shape = draw(st.sampled_from(("parens", "nots", "and-or", "open")))
    new = {
        "parens": "(" * depth + atom + ")" * depth,
        "nots": "not " * depth + atom,
        "and-or": f"({atom} and ({atom} or " * depth + atom + "))" * depth,
        "open": "(" * depth,
    }[shape]
    log.append(f"nest {shape} {depth} deep around {atom!r} at {at}")
    return _splice(text, at, at, new + " and ")


def long_line(draw: st.DrawFn, text: str, log: list[str]) -> str:
    """A very long name, string, comment or run of spaces inside a line."""
    at = draw(st.sampled_from([m.start() for m in _TOKEN.finditer(text[:50_000])] or [0]))
    size = draw(st.sampled_from(_LENGTHS))
    new = draw(st.sampled_from(("a" * size, '"' + "y" * size + '"', "# " + "z" * size + "\n", " " * size, "日" * size)))
    log.append(f"insert {size} characters ({new[:1]!r}...) at {at}")
    return _splice(text, at, at, new + " ")


def crlf(draw: st.DrawFn, text: str, log: list[str]) -> str:
    ending = draw(st.sampled_from(("\r\n", "\r")))
    log.append(f"line ends {ending!r}")
    return text.replace("\n", ending)


TEXT_MUTATORS: dict[str, TextMutator] = {
    "delete_token": delete_token, "duplicate_token": duplicate_token, "replace_token": replace_token,
    "insert_tricky": insert_tricky, "swap_name": swap_name, "swap_lines": swap_lines, "delete_line": delete_line,
    "repeat_lines": repeat_lines, "truncate": truncate, "deep_nesting": deep_nesting,
    "long_line": long_line, "crlf": crlf,
}

# ---- byte mutators ------------------------------------------------------------------------------

INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe6\x97", b"\x80")
ByteMutator = Callable[[st.DrawFn, bytes, list[str]], bytes]


def insert_bytes(draw: st.DrawFn, data: bytes, log: list[str]) -> bytes:
    at = draw(st.integers(0, len(data)))
    new = draw(st.sampled_from(INVALID_UTF8) | st.binary(min_size=1, max_size=16))
    log.append(f"insert bytes {new!r} at {at}")
    return data[:at] + new + data[at:]


def flip_byte(draw: st.DrawFn, data: bytes, log: list[str]) -> bytes:
    if not data:
        return data
    at = _index(draw, len(data))
    bit = 1 << draw(st.integers(0, 7))
    log.append(f"flip bit {bit:#x} of byte {at}")
    return data[:at] + bytes([data[at] ^ bit]) + data[at + 1:]


def add_bom(draw: st.DrawFn, data: bytes, log: list[str]) -> bytes:
    bom = draw(st.sampled_from((b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe")))
    log.append(f"prefix {bom!r}")
    return bom + data


BYTE_MUTATORS: dict[str, ByteMutator] = {"insert_bytes": insert_bytes, "flip_byte": flip_byte, "add_bom": add_bom}


def encode(text: str) -> bytes:
    """UTF-8, with lone surrogates written as they are (so: invalid UTF-8)."""
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutations(draw: st.DrawFn, text: str, most: int = 3) -> tuple[bytes, tuple[str, ...]]:
    """`text` changed by one to `most` text mutators, then (sometimes) one byte mutator."""
    log: list[str] = []
    for name in draw(st.lists(st.sampled_from(sorted(TEXT_MUTATORS)), min_size=1, max_size=most)):
        text = TEXT_MUTATORS[name](draw, text, log)
    data = encode(text)
    if draw(st.integers(0, 4)) == 4:  # one time in five: bytes too
        data = BYTE_MUTATORS[draw(st.sampled_from(sorted(BYTE_MUTATORS)))](draw, data, log)
    return data, tuple(log)


# ---- sources of text ----------------------------------------------------------------------------


def _printable(module: ast.Module) -> bool:
    try:
        print_module(module)
    except PrintError:
        return False
    return True


generated_texts: st.SearchStrategy[str] = st.one_of(
    rule_sets().map(lambda r: print_module(r.module)),
    modules(max_items=6).filter(_printable).map(print_module),
)


@st.composite
def generated_cases(draw: st.DrawFn) -> Case:
    """One or two printed modules of the grammar, usually mutated."""
    texts = draw(st.lists(generated_texts, min_size=1, max_size=2))
    files: dict[str, bytes] = {}
    recipe: list[str] = []
    for i, text in enumerate(texts):
        name = f"gen{i}.accord"
        if draw(st.booleans()):  # generated strings hold lone surrogates often: not every time
            text = _SURROGATE.sub("\ufffd", text)
        if draw(st.booleans()):
            files[name], log = draw(mutations(text))
            recipe += [f"{name}: {step}" for step in log]
        else:
            files[name] = encode(text)
            recipe.append(f"{name}: as printed")
    return Case(files, tuple(recipe))


@st.composite
def bundled_cases(draw: st.DrawFn) -> Case:
    """The bundled rules folder with one file mutated."""
    name = draw(st.sampled_from(sorted(BUNDLED)))
    data, log = draw(mutations(BUNDLED[name]))
    files = {n: encode(t) for n, t in BUNDLED.items()}
    files[name] = data
    return Case(files, tuple(f"{name}: {step}" for step in log))


_SOUP = st.sampled_from((*WORDS, *TRICKY, "{", "}", "(", ")", ",", ":", '"s"', "2020-01-01", "\n"))


@st.composite
def extreme_cases(draw: st.DrawFn) -> Case:
    """Token soup in the grammar's words, arbitrary text or bytes, or a valid header then any of these."""
    kind = draw(st.sampled_from(("soup", "text", "bytes")))
    if kind == "soup":
        data = encode(" ".join(draw(st.lists(_SOUP, max_size=60))))
    elif kind == "text":
        data = encode(draw(st.text(st.characters(codec=None), max_size=300)))
    else:
        data = draw(st.binary(max_size=600))
    if draw(st.booleans()):
        data = b'module m\nsort actor { a }\nfact f "f"\naction act by a "x"\n' + data
        kind += " after a header"
    if draw(st.booleans()):
        data, log = draw(mutations(data.decode("utf-8", "surrogateescape"), most=1))
        return Case({"x.accord": data}, (kind, *log))
    return Case({"x.accord": data}, (kind,))


def fuzz_cases() -> st.SearchStrategy[Case]:
    return st.one_of(generated_cases(), bundled_cases(), extreme_cases())
