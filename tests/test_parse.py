"""Parsing: every construct of the rule language to its syntax tree (accord.language.parse, accord.language.ast)."""

from __future__ import annotations

import pytest

from accord.language import ast
from accord.language.diagnostics import Diagnostic, Sink
from accord.language.parse import MAX_DEPTH, RESERVED, parse
from accord.language.source import SourceFile


def parse_ok(text: str) -> ast.Module:
    sink = Sink()
    module = parse(SourceFile("t.accord", text), sink)
    assert not sink.items, [d.message for d in sink.items]
    assert module is not None
    return module


def parse_bad(text: str) -> list[Diagnostic]:
    sink = Sink()
    module = parse(SourceFile("t.accord", text), sink)
    assert sink.items
    if any(d.code == "syntax-error" for d in sink.items):
        assert module is None
    return sink.sorted()


def only_item(text: str) -> ast.Item:
    [item] = parse_ok("module m\n" + text).items
    return item


def condition(text: str) -> ast.Condition:
    item = only_item(f'constraint c "d": never {text}')
    assert isinstance(item, ast.ConstraintDecl)
    return item.condition


def A(name: str, *args: ast.Term) -> ast.Atom:
    return ast.Atom(ast.Name(name), tuple(args))


def V(name: str) -> ast.Var:
    return ast.Var(name)


def C(name: str) -> ast.Const:
    return ast.Const(name)


def names(*texts: str) -> tuple[ast.Name, ...]:
    return tuple(ast.Name(t) for t in texts)


# ---- modules and declarations ---------------------------------------------------------------------


def test_module_header_with_and_without_title() -> None:
    assert parse_ok("module m").name == ast.Name("m")
    assert parse_ok("module m").title is None
    assert parse_ok('module m "A title"').title == "A title"
    assert parse_ok("module m").items == ()


def test_import() -> None:
    assert only_item("import a, b_2, c") == ast.Import(names("a", "b_2", "c"))


def test_sort_with_descriptions_and_trailing_comma() -> None:
    item = only_item('sort party "Who" {\n  japan "Japan",\n  us_forces,\n}')
    assert item == ast.SortDecl(
        ast.Name("party"),
        "Who",
        (ast.Member(ast.Name("japan"), "Japan"), ast.Member(ast.Name("us_forces"), None)),
    )


def test_sort_without_description() -> None:
    item = only_item("sort k { a }")
    assert item == ast.SortDecl(ast.Name("k"), None, (ast.Member(ast.Name("a")),))


def test_fact_proposition_and_relation() -> None:
    assert only_item('fact cabinet_decision "The Cabinet decided"') == ast.FactDecl(
        ast.Name("cabinet_decision"), (), "The Cabinet decided"
    )
    assert only_item('fact at(party, place) "x"') == ast.FactDecl(ast.Name("at"), names("party", "place"), "x")


def test_action_with_and_without_parameters() -> None:
    assert only_item('action protect by sdf "p"') == ast.ActionDecl(ast.Name("protect"), (), names("sdf"), "p")
    assert only_item('action supply(kind, place) by sdf, usf "s"') == ast.ActionDecl(
        ast.Name("supply"), names("kind", "place"), names("sdf", "usf"), "s"
    )


def test_constraint() -> None:
    assert only_item('constraint c "d": never a and not b') == ast.ConstraintDecl(
        ast.Name("c"), "d", ast.And((A("a"), ast.Not(A("b"))))
    )


def test_definition_with_and_without_parameters() -> None:
    assert only_item('define d "x": a') == ast.Definition(ast.Name("d"), (), "x", A("a"))
    item = only_item('define at(P: place, Q: party) "x": loc(Q, P)')
    assert item == ast.Definition(
        ast.Name("at"),
        (ast.Param(V("P"), ast.Name("place")), ast.Param(V("Q"), ast.Name("party"))),
        "x",
        A("loc", V("Q"), V("P")),
    )


# ---- conditions -----------------------------------------------------------------------------------


def test_atoms_with_variables_and_constants() -> None:
    assert condition("a") == A("a")
    assert condition("f(japan, P, Place_2)") == A("f", C("japan"), V("P"), V("Place_2"))


def test_comparisons() -> None:
    assert condition("P = high_seas") == ast.Compare(V("P"), "=", C("high_seas"))
    assert condition("P != Q") == ast.Compare(V("P"), "!=", V("Q"))


def test_and_binds_tighter_than_or() -> None:
    assert condition("a or b and c") == ast.Or((A("a"), ast.And((A("b"), A("c")))))
    assert condition("a and b or c") == ast.Or((ast.And((A("a"), A("b"))), A("c")))


def test_chains_are_flat() -> None:
    assert condition("a and b and c") == ast.And((A("a"), A("b"), A("c")))
    assert condition("a or b or c") == ast.Or((A("a"), A("b"), A("c")))


def test_grouping_changes_the_reading_and_redundant_parentheses_vanish() -> None:
    assert condition("(a or b) and c") == ast.And((ast.Or((A("a"), A("b"))), A("c")))
    assert condition("((((a))))") == A("a")


def test_negation_of_atoms_groups_and_negations() -> None:
    assert condition("not a") == ast.Not(A("a"))
    assert condition("not (a or b)") == ast.Not(ast.Or((A("a"), A("b"))))
    assert condition("not not a") == ast.Not(ast.Not(A("a")))
    assert condition("not a and b") == ast.And((ast.Not(A("a")), A("b")))
    assert condition("not P = japan") == ast.Not(ast.Compare(V("P"), "=", C("japan")))


# ---- clauses ---------------------------------------------------------------------------------------


FULL_CLAUSE = """
clause g2015.iv-d.1 {
  cite "2015 IV.D.1"
  sdf may asset_protection(P, japan)
  when survival and protected_at(P)
  unless attacked_at(P)
  overrides law.positive-list.asset, other
  replaces g1997.v-2-2-b
  says "The SDF may protect U.S. assets."
  note "Reading one."
  note "Reading two."
}
"""


def test_clause_with_every_part() -> None:
    assert only_item(FULL_CLAUSE) == ast.Clause(
        id=ast.Name("g2015.iv-d.1"),
        cite="2015 IV.D.1",
        head=ast.Head(ast.Name("sdf"), ast.Modality.MAY, ast.Name("asset_protection"), (V("P"), C("japan"))),
        when=ast.And((A("survival"), A("protected_at", V("P")))),
        unless=A("attacked_at", V("P")),
        overrides=names("law.positive-list.asset", "other"),
        lineage=ast.Lineage(ast.LineageKind.REPLACES, names("g1997.v-2-2-b")),
        says="The SDF may protect U.S. assets.",
        notes=("Reading one.", "Reading two."),
    )


def test_minimal_clause() -> None:
    item = only_item('clause c {\n cite "x"\n usf must act\n says "s"\n}')
    assert item == ast.Clause(
        ast.Name("c"), "x", ast.Head(ast.Name("usf"), ast.Modality.MUST, ast.Name("act")), None, None, (), None, "s"
    )


@pytest.mark.parametrize(
    ("text", "modality"),
    [("may", ast.Modality.MAY), ("must", ast.Modality.MUST), ("must not", ast.Modality.MUST_NOT),
     ("must   not", ast.Modality.MUST_NOT), ("must\n  not", ast.Modality.MUST_NOT)],
)
def test_modalities(text: str, modality: ast.Modality) -> None:
    item = only_item(f'clause c {{ cite "x" sdf {text} act says "s" }}')
    assert isinstance(item, ast.Clause)
    assert item.head.modality is modality


def test_carries_lineage() -> None:
    item = only_item('clause c { cite "x" sdf may act carries a.b, c-d says "s" }')
    assert isinstance(item, ast.Clause)
    assert item.lineage == ast.Lineage(ast.LineageKind.CARRIES, names("a.b", "c-d"))


def test_clause_parts_out_of_order_are_a_syntax_error() -> None:
    [d] = parse_bad('module m\nclause c { cite "x" sdf may act unless a when b says "s" }')
    assert d.code == "syntax-error"
    assert d.span is not None and d.span.text() == "when"


# ---- editions, scenarios, tests, sources --------------------------------------------------------------


def test_edition() -> None:
    item = only_item('edition e1 {\n title "T"\n in_force 2016-03-29\n include a, b\n note "n1"\n note "n2"\n}')
    assert item == ast.Edition(ast.Name("e1"), "T", "2016-03-29", names("a", "b"), ("n1", "n2"))


def test_scenario_with_true_unknown_and_false_facts() -> None:
    item = only_item('scenario s "d" {\n attacked(us_forces)\n at(us_forces, high_seas)\n decided\n'
                     ' unknown threatened\n not approval\n unknown at(japan, land)\n}')
    assert item == ast.Scenario(
        ast.Name("s"),
        "d",
        (
            ast.ScenarioFact(ast.Truth.TRUE, ast.Name("attacked"), names("us_forces")),
            ast.ScenarioFact(ast.Truth.TRUE, ast.Name("at"), names("us_forces", "high_seas")),
            ast.ScenarioFact(ast.Truth.TRUE, ast.Name("decided")),
            ast.ScenarioFact(ast.Truth.UNKNOWN, ast.Name("threatened")),
            ast.ScenarioFact(ast.Truth.FALSE, ast.Name("approval")),
            ast.ScenarioFact(ast.Truth.UNKNOWN, ast.Name("at"), names("japan", "land")),
        ),
    )


def test_empty_scenario() -> None:
    assert only_item('scenario s "nothing happens" { }') == ast.Scenario(ast.Name("s"), "nothing happens", ())


def test_test_with_every_kind_of_expectation() -> None:
    item = only_item(
        "test t {\n scenario s\n edition e1, e2\n"
        ' expect possibly permitted sdf use_of_force(collective) because "2015 IV.D"\n'
        " expect not permitted sdf refuel\n"
        " expect forbidden usf act(a, b)\n"
        ' expect required sdf act because "why"\n'
        "}"
    )
    assert item == ast.Test(
        ast.Name("t"),
        ast.Name("s"),
        names("e1", "e2"),
        (
            ast.Expectation(ast.Qualifier.POSSIBLY, ast.Status.PERMITTED, ast.Name("sdf"),
                            ast.Name("use_of_force"), names("collective"), "2015 IV.D"),
            ast.Expectation(ast.Qualifier.NEVER, ast.Status.PERMITTED, ast.Name("sdf"), ast.Name("refuel")),
            ast.Expectation(ast.Qualifier.ALWAYS, ast.Status.FORBIDDEN, ast.Name("usf"), ast.Name("act"),
                            names("a", "b")),
            ast.Expectation(ast.Qualifier.ALWAYS, ast.Status.REQUIRED, ast.Name("sdf"), ast.Name("act"), (), "why"),
        ),
    )


def test_a_test_needs_an_expectation() -> None:
    [d] = parse_bad("module m\ntest t { scenario s edition e }")
    assert d.code == "syntax-error"
    assert d.hint is not None and "`expect`" in d.hint


def test_source_with_sections() -> None:
    item = only_item(
        'source g "The Guidelines" {\n section "2015 IV.D.4" "Missiles"\n'
        ' section "2015 VIII" "Review" grants nothing "A procedure."\n}'
    )
    assert item == ast.Source(
        ast.Name("g"),
        "The Guidelines",
        (ast.Section("2015 IV.D.4", "Missiles"), ast.Section("2015 VIII", "Review", "A procedure.")),
    )


# ---- lexical matters -----------------------------------------------------------------------------------


def test_string_escapes() -> None:
    item = only_item(r'fact f "say \"hi\" \\ then\nnext"')
    assert isinstance(item, ast.FactDecl)
    assert item.description == 'say "hi" \\ then\nnext'


def test_strings_keep_unicode_and_hash_signs() -> None:
    item = only_item('fact f "日本 — #not a comment"')
    assert isinstance(item, ast.FactDecl)
    assert item.description == "日本 — #not a comment"


def test_comments_and_blank_lines_anywhere() -> None:
    module = parse_ok("# head\nmodule m # the module\n\n# between\nfact f \"x\" # after\n# end")
    assert module.items == (ast.FactDecl(ast.Name("f"), (), "x"),)


def test_an_unknown_escape_is_a_syntax_error() -> None:
    [d] = parse_bad('module m\nfact f "a \\t b"')
    assert d.code == "syntax-error"


def test_spans_point_at_the_source() -> None:
    text = 'module m\nclause c.1 {\n  cite "x"\n  sdf may act(P)\n  when at(P)\n  says "s"\n}\n'
    [clause] = parse_ok(text).items
    assert isinstance(clause, ast.Clause)
    assert clause.id.span is not None and clause.id.span.text() == "c.1"
    assert clause.head.span is not None and clause.head.span.text() == "sdf may act(P)"
    assert clause.when is not None and clause.when.span is not None
    assert clause.when.span.text() == "at(P)"
    assert clause.span is not None and clause.span.text().startswith("clause c.1 {")
    assert clause.span.text().endswith("}")
    assert (clause.span.line, clause.span.column) == (2, 1)


# ---- errors ----------------------------------------------------------------------------------------------


def test_syntax_error_names_the_token_and_what_was_expected() -> None:
    [d] = parse_bad("module m\nfact f(party \"x\"")
    assert d.code == "syntax-error"
    assert d.message == 'I did not expect `"x"` here.'
    assert d.span is not None and d.span.text() == '"x"'
    assert d.hint == "I was expecting one of: `)`, `,`."


@pytest.mark.parametrize("modality", ["must", "may"])
def test_a_clause_head_without_its_actor_says_so(modality: str) -> None:
    """`must report_to_unsc` reads `must` as the actor; the message says the actor is missing."""
    [d] = parse_bad(f'module m\nclause c {{\n  cite "Art. 5"\n  {modality} report_to_unsc\n  says "x"\n}}\n')
    assert d.code == "syntax-error"
    assert d.message == f"This clause head has no actor: `{modality} report_to_unsc` does not say who {modality} act."
    assert d.span is not None and d.span.text() == "report_to_unsc"
    assert d.hint is not None and d.hint.startswith("Name the actor first")
    assert f"`sdf {modality} report_to_unsc`" in d.hint


def test_a_file_cut_off_after_the_modality_word_says_where_it_ended() -> None:
    """With no action after `must`, nothing shows a missing actor: the file simply ended early."""
    [d] = parse_bad('module m\nclause c {\n  cite "Art. 5"\n  must')
    assert d.code == "syntax-error"
    assert d.message == "I did not expect the end of the file here."


def test_unexpected_character() -> None:
    [d] = parse_bad("module m\nfact f @ \"x\"")
    assert d.code == "syntax-error"
    assert d.message == "I did not expect the character '@' here."
    assert d.span is not None and d.span.text() == "@"


def test_unexpected_end_of_file() -> None:
    [d] = parse_bad("module m\nsort s { a")
    assert d.code == "syntax-error"
    assert "end of the file" in d.message
    assert d.span is not None and d.span.end == len("module m\nsort s { a")  # at the end of the text


def test_a_file_must_start_with_its_module() -> None:
    [d] = parse_bad('fact f "x"')
    assert d.code == "syntax-error"
    assert d.hint == "I was expecting one of: `module`."


def test_an_empty_file_is_a_syntax_error() -> None:
    [d] = parse_bad("")
    assert d.code == "syntax-error"
    assert "end of the file" in d.message


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ('module m\nfactx "d"\n', "factx"),
        ("modulem\n", "modulem"),
        ('module m\nfact f "x"\nfact orf "y"\nconstraint c "d": never f orf\n', "orf"),
        ('module m\nfact f "x"\nconstraint c "d": never f andf\n', "andf"),
        ('module m\nclausec.1 { cite "x" sdf may act says "s" }\n', "clausec"),
        ('module m\nsource s "t" { section "a" "b" grantsnothing "c" }\n', "grantsnothing"),
        ('module m\nedition e { title "t" in_force2015-01-01 include m }\n', "in_force2015"),
    ],
)
def test_a_keyword_glued_to_the_next_word_is_not_split(text: str, word: str) -> None:
    [d] = parse_bad(text)
    assert d.code == "syntax-error"
    assert d.span is not None and d.span.text() == word


def test_names_that_start_with_keywords_are_names() -> None:
    assert condition("notable and orange or andy") == ast.Or((ast.And((A("notable"), A("orange"))), A("andy")))
    assert only_item('fact factual "x"') == ast.FactDecl(ast.Name("factual"), (), "x")


def test_tokens_may_touch_punctuation_and_strings() -> None:
    assert parse_ok('module m "t"\nfact f"x"\nsort s{a,b}\n').items == (
        ast.FactDecl(ast.Name("f"), (), "x"),
        ast.SortDecl(ast.Name("s"), None, (ast.Member(ast.Name("a")), ast.Member(ast.Name("b")))),
    )


def test_deep_nesting_is_reported_not_crashed() -> None:
    [d] = parse_bad('module m\nfact f "x"\nconstraint c "d": never ' + "not " * (MAX_DEPTH + 5) + "f\n")
    assert d.code == "too-deep"


def test_nesting_up_to_the_limit_is_fine() -> None:
    cond = condition("not " * MAX_DEPTH + "a")
    depth = 0
    while isinstance(cond, ast.Not):
        cond, depth = cond.operand, depth + 1
    assert depth == MAX_DEPTH


def test_many_redundant_parentheses_are_fine() -> None:
    assert condition("(" * 5000 + "a" + ")" * 5000) == A("a")


@pytest.mark.parametrize("word", sorted(RESERVED))
def test_reserved_words_are_never_names(word: str) -> None:
    sink = Sink()
    parse(SourceFile("t.accord", f"module m\nsort s {{ {word} }}\n"), sink)
    assert any(d.code in ("reserved-word", "syntax-error") for d in sink.items), word


def test_reserved_words_match_the_documentation() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "language.md").read_text(encoding="utf-8")
    start = docs.index("Reserved words: `") + len("Reserved words: `")
    listed = set(docs[start : docs.index("`", start)].split())
    assert listed == RESERVED
