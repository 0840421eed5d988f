"""The typed ASP form and its printer: quoting, identifiers, every statement kind (accord.compile.asp)."""

from __future__ import annotations

import clingo
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compile.asp import (
    AspPrintError,
    Choice,
    Cmp,
    Comment,
    External,
    Fn,
    Lit,
    Num,
    Program,
    Rule,
    Show,
    Statement,
    Str,
    Term,
    Var,
    print_program,
    print_statement,
    print_statements,
    print_term,
    quote,
)
from accord.solve import string_round_trip


def models(program: str) -> list[list[str]]:
    """Every answer set of a program, each as sorted atom texts."""
    ctl = clingo.Control(["--warn=none", "0"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    out: list[list[str]] = []
    ctl.solve(on_model=lambda m: out.append(sorted(str(s) for s in m.symbols(atoms=True))))
    return sorted(out)


# ---- quoting ----------------------------------------------------------------------------------------


def test_quote_escapes_backslashes_quotes_and_newlines() -> None:
    assert quote("plain") == '"plain"'
    assert quote("") == '""'
    assert quote('say "hi"') == '"say \\"hi\\""'
    assert quote("a\\b") == '"a\\\\b"'
    assert quote("one\ntwo") == '"one\\ntwo"'
    assert quote('\\"') == '"\\\\\\""'


HOSTILE_STRINGS = [
    "",
    "plain",
    'q"uote',
    "back\\slash",
    "trailing backslash\\",
    "new\nline",
    "\\n is not a newline",
    "tab\there, cr\rhere",
    "日本語 — ünïcödé",
    "emoji 😀 and \u2028 line separator",
    '"). evil :- true. %',
    "%* block comment *%",
    ":- not a.",
    "#show x/1.",
    "x" * 100_000,
]


@pytest.mark.parametrize("text", HOSTILE_STRINGS, ids=range(len(HOSTILE_STRINGS)))
def test_every_string_comes_back_from_clingo_unchanged(text: str) -> None:
    assert string_round_trip(text) == text


@pytest.mark.parametrize("text", ["nul\x00byte", "lone \ud800 surrogate"])
def test_text_clingo_cannot_represent_is_refused(text: str) -> None:
    with pytest.raises(AspPrintError):
        quote(text)


def test_a_hostile_string_adds_no_rule() -> None:
    program = print_program(Program((Rule(Fn("p", (Str('"). q. r :- "'),))),)))
    assert models(program) == [['p("\\"). q. r :- \\"")']]


# ---- terms and identifiers --------------------------------------------------------------------------


def test_terms() -> None:
    assert print_term(Var("X")) == "X"
    assert print_term(Var("V_place")) == "V_place"
    assert print_term(Num(-3)) == "-3"
    assert print_term(Str("x")) == '"x"'
    assert print_term(Fn("a")) == "a"
    assert print_term(Fn("f", (Fn("a"), Var("X"), Num(1), Str("s"), Fn("g", (Fn("b"),))))) == 'f(a,X,1,"s",g(b))'


@pytest.mark.parametrize("name", ["a", "abc_9", "aB", "a'", "_a", "__a1", "holds", "dom"])
def test_valid_identifiers(name: str) -> None:
    assert print_term(Fn(name)) == name


@pytest.mark.parametrize(
    "name", ["", "A", "Abc", "1a", "a-b", "a b", "a.b", "a(b)", "_", "a\n", "a:-b", "é", "not", '"a"', "a,b"]
)
def test_invalid_identifiers_are_rejected(name: str) -> None:
    with pytest.raises(AspPrintError):
        print_term(Fn(name))
    with pytest.raises(AspPrintError):
        print_term(Fn(name, (Fn("a"),)))
    with pytest.raises(AspPrintError):
        print_statement(Show(name, 1))


@pytest.mark.parametrize("name", ["", "x", "_", "1X", "X-Y", "X Y", "Ä"])
def test_invalid_variables_are_rejected(name: str) -> None:
    with pytest.raises(AspPrintError):
        print_term(Var(name))


def test_an_invalid_name_deep_inside_a_statement_is_rejected() -> None:
    with pytest.raises(AspPrintError):
        print_statement(Rule(Fn("p"), (Lit(Fn("q", (Fn("r", (Fn("bad name"),)),))),)))


# ---- statements ----------------------------------------------------------------------------------------


def test_a_fact() -> None:
    assert print_statement(Rule(Fn("dom", (Fn("party"), Fn("japan"))))) == "dom(party,japan)."


def test_a_rule_with_positive_and_negative_literals_and_comparisons() -> None:
    rule = Rule(
        Fn("p", (Var("X"),)),
        (Lit(Fn("q", (Var("X"),))), Lit(Fn("r", (Var("X"),)), positive=False), Cmp(Var("X"), "!=", Fn("a")),
         Cmp(Var("X"), "=", Var("X"))),
    )
    assert print_statement(rule) == "p(X) :- q(X), not r(X), X!=a, X=X."


def test_an_integrity_constraint() -> None:
    assert print_statement(Rule(None, (Lit(Fn("v", (Var("N"),))), Lit(Fn("relaxed"), positive=False)))) == (
        ":- v(N), not relaxed."
    )


@pytest.mark.parametrize("op", ["==", "=>", "<>", "", "=; evil"])
def test_unknown_comparisons_are_rejected(op: str) -> None:
    with pytest.raises(AspPrintError):
        print_statement(Rule(Fn("p"), (Cmp(Fn("a"), op, Fn("b")),)))


def test_choices_with_and_without_a_condition() -> None:
    assert print_statement(Choice(Fn("holds", (Var("F"),)), (Lit(Fn("possible", (Var("F"),))),))) == (
        "{ holds(F) : possible(F) }."
    )
    assert print_statement(Choice(Fn("a"), ())) == "{ a }."


def test_external_and_show() -> None:
    assert print_statement(External(Fn("relaxed"))) == "#external relaxed."
    assert print_statement(Show("permitted", 2)) == "#show permitted/2."


def test_comments_prefix_every_line() -> None:
    assert print_statement(Comment("one")) == "% one"
    assert print_statement(Comment("")) == "%"
    assert print_statement(Comment("a\nb  \n\nc")) == "% a\n% b\n%\n% c"


def test_a_hostile_comment_adds_no_rule() -> None:
    text = "cite\n:- true.\r:- true.\u2028:- true.\x85:- true.\x0b:- true.\n*% %* x"
    program = print_program(Program((Comment(text), Rule(Fn("a")))))
    assert all(line.startswith("%") for line in program.splitlines()[:-1])
    assert models(program) == [["a"]]


def test_comments_replace_characters_clingo_cannot_read() -> None:
    assert print_statement(Comment("\x00a\ud800b\udfff\x00")) == "% \ufffda\ufffdb\ufffd\ufffd"
    program = print_program(Program((Comment("nul\x00 and \udc80"), Rule(Fn("a")))))
    assert "\x00" not in program
    assert models(program) == [["a"]]


def test_a_program_is_one_statement_per_line_with_a_final_newline() -> None:
    program = Program((
        Comment("head"),
        Rule(Fn("dom", (Fn("s"), Fn("a")))),
        Choice(Fn("holds", (Var("F"),)), (Lit(Fn("dom", (Fn("s"), Var("F")))),)),
        External(Fn("relaxed")),
        Rule(Fn("p"), (Lit(Fn("holds", (Fn("a"),))),)),
        Rule(None, (Lit(Fn("p")), Lit(Fn("relaxed"), positive=False))),
        Show("holds", 1),
    ))
    text = print_program(program)
    assert text == (
        "% head\n"
        "dom(s,a).\n"
        "{ holds(F) : dom(s,F) }.\n"
        "#external relaxed.\n"
        "p :- holds(a).\n"
        ":- p, not relaxed.\n"
        "#show holds/1.\n"
    )
    assert print_program(program) == text
    assert models(text) == [["dom(s,a)"]]  # holds(a) would make p, and p is forbidden


def test_an_empty_program() -> None:
    assert print_program(Program(())) == ""


# ---- names checked once per printing ------------------------------------------------------------------


def test_a_name_checked_once_lets_no_bad_name_through_later() -> None:
    good = Rule(Fn("p", (Fn("a"), Var("X"))), (Lit(Fn("q", (Var("X"),))),))
    for bad in (
        Rule(Fn("p", (Fn("a b"), Var("X")))),  # a bad constant where a good one was
        Rule(Fn("p", (Fn("a"), Var("x")))),  # a bad variable where a good one was
        Rule(Fn("p", (Fn("X"),))),  # a checked variable name is no identifier
        Rule(Fn("p", (Var("a"),))),  # a checked identifier is no variable name
        Rule(Fn("not")),
        Rule(Fn("p"), (Lit(Fn("q", (Fn("f", (Fn("Bad"),)),))),)),
        Show("P", 1),
    ):
        with pytest.raises(AspPrintError):
            print_statements([good, good, bad])
        with pytest.raises(AspPrintError):
            print_program(Program((good, bad, good)))


def test_a_string_quoted_once_is_quoted_alike_everywhere() -> None:
    statements = [Rule(Fn("p", (Str('a"b'),))), Rule(Fn("q", (Str('a"b'), Str("c\nd"))))]
    assert print_statements(statements) == ['p("a\\"b").', 'q("a\\"b","c\\nd").']


_NAMES = st.sampled_from(["a", "b_1", "aB'", "_c", "X", "Y_2", "_Z", "not", "a b", "", "1a", "é", "x-y"])


def _terms() -> st.SearchStrategy[Term]:
    leaves: st.SearchStrategy[Term] = st.one_of(
        _NAMES.map(Fn), _NAMES.map(Var), st.sampled_from(["s", 'q"', "\x00"]).map(Str), st.integers(-9, 9).map(Num)
    )
    return st.recursive(leaves, lambda inner: st.builds(Fn, _NAMES, st.lists(inner, max_size=3).map(tuple)),
                        max_leaves=6)


_atoms = st.builds(Fn, _NAMES, st.lists(_terms(), max_size=3).map(tuple))
_items = st.one_of(
    st.builds(Lit, _atoms, st.booleans()),
    st.builds(Cmp, _terms(), st.sampled_from(["=", "!=", "<"]), _terms()),
)
_statements = st.one_of(
    st.builds(Rule, st.one_of(st.none(), _atoms), st.lists(_items, max_size=3).map(tuple)),
    st.builds(Choice, _atoms, st.lists(_items, max_size=2).map(tuple)),
    st.builds(External, _atoms),
    st.builds(Show, _NAMES, st.integers(0, 3)),
    st.text(max_size=8).map(Comment),
)


def _alone(statement: Statement) -> str | None:
    try:
        return print_statement(statement)
    except AspPrintError:
        return None


@settings(max_examples=300, deadline=None)
@given(st.lists(_statements, max_size=8))
def test_printing_together_is_printing_each_alone(statements: list[Statement]) -> None:
    """What one printing has checked before never changes how a later statement prints or fails."""
    alone = [_alone(s) for s in statements]
    if None in alone:
        with pytest.raises(AspPrintError):
            print_statements(statements)
        with pytest.raises(AspPrintError):
            print_program(Program(tuple(statements)))
    else:
        assert print_statements(statements) == alone
        assert print_program(Program(tuple(statements))) == "".join(f"{line}\n" for line in alone)
