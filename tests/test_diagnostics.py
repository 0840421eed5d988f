"""One test per diagnostic code: the code and exactly the text it underlines.

`test_every_code_is_tested` reads the source of accord for every code it can report and fails when
one has no `test_<code>` here (dashes become underscores).
"""

from __future__ import annotations

import ast as pyast
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.knowledge.loader import MAX_FILE_BYTES
from accord.language import ast, render
from accord.language.diagnostics import Diagnostic, Sink, did_you_mean, suggestion_hint
from accord.language.parse import MAX_DEPTH, parse
from accord.language.resolve import resolve
from accord.language.source import SourceFile, Span

Diagnose = Callable[..., list[Diagnostic]]

SRC = Path(__file__).resolve().parents[1] / "src" / "accord"
CODE = re.compile(r"[a-z]+(?:-[a-z0-9]+)+\Z")
NOT_CODES = {"utf-8"}  # kebab-case strings in the source that are not diagnostic codes

BASE = """module m
sort actor { sdf, usf }
sort party { japan, us_forces }
sort place { land, high_seas }
fact attacked(party) "An attack on the party"
fact decided "The Cabinet decided"
action defend(party) by sdf "Defend"
action patrol by sdf, usf "Patrol"
define hit "Japan is hit": attacked(japan)
edition e { title "t" in_force 2020-01-01 include m }
scenario s "s" { decided }
"""


def single(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    """The one diagnostic of a run, which must have the given code."""
    assert [d.code for d in diagnostics] == [code], [(d.code, d.message) for d in diagnostics]
    return diagnostics[0]


def underlined(diagnostic: Diagnostic) -> str:
    assert diagnostic.span is not None, diagnostic
    return diagnostic.span.text()


# ---- reading files ----------------------------------------------------------------------------------------


def test_no_such_file(tmp_path: Path) -> None:
    from accord import api
    from accord.language.diagnostics import AccordError

    with pytest.raises(AccordError) as caught:
        api.load(tmp_path / "missing.accord")
    d = single(caught.value.diagnostics, "no-such-file")
    assert d.span is None
    assert d.message == f"I cannot find `{tmp_path / 'missing.accord'}`."


def test_no_rules(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of({"notes.txt": "no rules here"}), "no-rules")
    assert d.span is None
    assert re.fullmatch(r"The folder `rules\d+` holds no `\.accord` files\.", d.message)


def test_file_too_large(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of({"big.accord": "#" * (MAX_FILE_BYTES + 1)}), "file-too-large")
    assert d.span is None
    assert d.message == (
        f"`rules0/big.accord` has {MAX_FILE_BYTES + 1} bytes; a rule file may have at most {MAX_FILE_BYTES}."
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    from accord import api
    from accord.language.diagnostics import AccordError

    path = tmp_path / "secret.accord"
    path.write_text("module secret\n", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(AccordError) as caught:
            api.load(path)
    finally:
        path.chmod(0o644)
    d = single(caught.value.diagnostics, "unreadable-file")
    assert d.span is None
    assert d.message == "I cannot read `secret.accord`: Permission denied."


def test_unreadable_file_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from accord import api
    from accord.language.diagnostics import AccordError

    path = tmp_path / "secret.accord"
    path.write_text("module secret\n", encoding="utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "secret.accord":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(AccordError) as caught:
        api.load(path)
    d = single(caught.value.diagnostics, "unreadable-file")
    assert d.message == "I cannot read `secret.accord`: Permission denied."


def test_invalid_utf8(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of({"bad.accord": b"module bad\nfact f \"caf\xe9\"\n"}), "invalid-utf8")
    assert underlined(d) == ""
    assert (d.span.line, d.span.column) == (2, 12)  # type: ignore[union-attr]
    assert d.message == "`rules0/bad.accord` is not valid UTF-8 text (byte 22)."


# ---- parsing ------------------------------------------------------------------------------------------------


def test_syntax_error(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of('module m\nfact f(party "x"\n'), "syntax-error")
    assert underlined(d) == '"x"'
    assert d.hint == "I was expecting one of: `)`, `,`."


def test_syntax_error_at_an_unexpected_character(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of("module m\nsort s { a; b }\n"), "syntax-error")
    assert underlined(d) == ";"
    assert d.hint == "I was expecting one of: `,`, `}`, a \"string\"."


def test_syntax_error_at_a_keyword_glued_to_a_name(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of('module m\nfacts f "x"\n'), "syntax-error")
    assert underlined(d) == "facts"
    assert d.message == "I did not expect `facts` here."
    assert d.hint is not None and d.hint.startswith("`fact` is a keyword: write a space after it (`fact s`)")


def test_too_deep(diagnostics_of: Diagnose) -> None:
    nots = MAX_DEPTH + 6
    d = single(diagnostics_of('module m\nfact f "x"\nconstraint c "d": never ' + "not " * nots + "f\n"), "too-deep")
    assert underlined(d) == "not " * (nots - MAX_DEPTH - 1) + "f"


def test_reserved_word(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of("module m\nsort s { a, not }\n"), "reserved-word")
    assert underlined(d) == "not"
    assert d.message == "`not` is a reserved word of the rule language; it cannot be used as a name."


# ---- names ---------------------------------------------------------------------------------------------------


def test_duplicate_name(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + "sort other { japan }\n"), "duplicate-name")
    assert underlined(d) == "japan"
    assert d.span.line == 12  # type: ignore[union-attr]
    [(first, label)] = d.related
    assert (first.line, first.text(), label) == (3, "japan", "first declared here")


def test_unknown_module(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of("module m\nimport nowhere\n"), "unknown-module")
    assert underlined(d) == "nowhere"


def test_unknown_sort(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'fact at(party, plase) "x"\n'), "unknown-sort")
    assert underlined(d) == "plase"
    assert d.hint == "Maybe you want the sort `place`."


def test_unknown_member(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'define d "x": attacked(japn)\n'), "unknown-member")
    assert underlined(d) == "japn"
    assert d.hint == "Maybe you want the sort member `japan`."


def test_unknown_fact(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'define d "x": attackd(japan)\n'), "unknown-fact")
    assert underlined(d) == "attackd"
    assert d.hint == "Maybe you want the fact or definition `attacked`."


def test_unknown_action(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'clause c { cite "x" sdf may patrl says "s" }\n'), "unknown-action")
    assert underlined(d) == "patrl"


def test_unknown_clause(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'clause c { cite "x" sdf may patrol overrides c.2 says "s" }\n'), "unknown-clause")
    assert underlined(d) == "c.2"


def test_unknown_edition(diagnostics_of: Diagnose) -> None:
    text = BASE + "test t { scenario s edition e2 expect permitted sdf patrol }\n"
    d = single(diagnostics_of(text), "unknown-edition")
    assert underlined(d) == "e2"
    assert d.hint == "Maybe you want the edition `e`."


def test_unknown_scenario(diagnostics_of: Diagnose) -> None:
    text = BASE + "test t { scenario s2 edition e expect permitted sdf patrol }\n"
    d = single(diagnostics_of(text), "unknown-scenario")
    assert underlined(d) == "s2"


def _lookup(table: str, name: str, text: str) -> Diagnostic:
    """Look a name up in a table the rule language never refers to by name (yet), from `text`."""
    sink = Sink()
    source = SourceFile("t.accord", text)
    module = parse(source, sink)
    assert module is not None and not sink.items
    decls = resolve([module], sink)
    start = text.rindex(name)
    decls.lookup(getattr(decls, table), ast.Name(name, Span(source, start, start + len(name))), "m", sink)
    [d] = sink.items
    return d


def test_unknown_constraint() -> None:
    d = _lookup("constraints", "needs_attak", BASE + 'constraint needs_attack "k": never decided\n# needs_attak\n')
    assert d.code == "unknown-constraint"
    assert underlined(d) == "needs_attak"
    assert d.hint == "Maybe you want the constraint `needs_attack`."


def test_unknown_test() -> None:
    d = _lookup("tests", "t2", BASE + "test t1 { scenario s edition e expect permitted sdf patrol }\n# t2\n")
    assert d.code == "unknown-test"
    assert underlined(d) == "t2"


def test_unknown_source() -> None:
    d = _lookup("sources", "src2", BASE + 'source src1 "S" { section "1" "One" }\n# src2\n')
    assert d.code == "unknown-source"
    assert underlined(d) == "src2"


# ---- checking ---------------------------------------------------------------------------------------------------


def test_arity_mismatch(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'define d "x": decided and attacked(japan, land)\n'), "arity-mismatch")
    assert underlined(d) == "attacked(japan, land)"
    assert d.hint == "It is declared as `attacked(party)`."


def test_sort_mismatch(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'define d "x": attacked(land)\n'), "sort-mismatch")
    assert underlined(d) == "land"
    assert d.message == "`land` is a member of sort `place`, but this argument of `attacked` is a `party`."


def test_unsafe_variable(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'define d "x": decided and not attacked(Who)\n'), "unsafe-variable")
    assert underlined(d) == "Who"


def test_not_an_actor(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'action fly by sdf, japan "Fly"\n'), "not-an-actor")
    assert underlined(d) == "japan"


def test_actor_mismatch(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'clause c { cite "x" usf may defend(japan) says "s" }\n'), "actor-mismatch")
    assert underlined(d) == "usf"


def test_override_mismatch(diagnostics_of: Diagnose) -> None:
    text = BASE + (
        'clause a { cite "x" sdf may patrol overrides b says "s" }\n'
        'clause b { cite "x" sdf must not defend(japan) says "s" }\n'
    )
    d = single(diagnostics_of(text), "override-mismatch")
    assert underlined(d) == "b"
    assert d.span.line == 12  # type: ignore[union-attr]


def test_override_cycle(diagnostics_of: Diagnose) -> None:
    a = 'clause a { cite "x" sdf may patrol overrides b says "s" }'
    b = 'clause b { cite "x" sdf must not patrol overrides a says "s" }'
    d = single(diagnostics_of(BASE + a + "\n" + b + "\n"), "override-cycle")
    assert underlined(d) == a
    assert d.message == "These clauses override each other in a circle: a → b → a."


def test_negation_cycle(diagnostics_of: Diagnose) -> None:
    p = 'define p "x": decided and not q'
    d = single(diagnostics_of(BASE + p + '\ndefine q "y": p\n'), "negation-cycle")
    assert underlined(d) == p


def test_invalid_date(diagnostics_of: Diagnose) -> None:
    edition = 'edition e2 { title "t" in_force 2015-02-29 include m }'
    d = single(diagnostics_of(BASE + edition + "\n"), "invalid-date")
    assert underlined(d) == "2015-02-29"
    assert d.message == "`2015-02-29` is not a calendar date."


def test_invalid_date_of_a_period(diagnostics_of: Diagnose) -> None:
    clause = 'clause c in_force 2001-13-01 { cite "c" sdf may patrol says "s" }'
    d = single(diagnostics_of(BASE + clause + "\n"), "invalid-date")
    assert underlined(d) == "in_force 2001-13-01"


def test_empty_period(diagnostics_of: Diagnose) -> None:
    clause = 'clause c in_force 2001-03-01 until 2001-03-01 { cite "c" sdf may patrol says "s" }'
    d = single(diagnostics_of(BASE + clause + "\n"), "empty-period")
    assert underlined(d) == "in_force 2001-03-01 until 2001-03-01"
    assert d.message == "`until 2001-03-01` is not after `in_force 2001-03-01`: the period holds no day."


def test_overlapping_versions(diagnostics_of: Diagnose) -> None:
    old = 'clause c in_force 2001-01-01 until 2005-01-01 { cite "c" sdf may patrol says "s" }'
    new = 'clause c in_force 2004-01-01 { cite "c" sdf may patrol when decided says "s" }'
    d = single(diagnostics_of(BASE + old + "\n" + new + "\n"), "overlapping-versions")
    assert underlined(d) == new
    assert d.message == "Two versions of `c` are both in force from 2004-01-01 until 2005-01-01."
    assert [text for _, text in d.related] == ["the other version"]


def test_versions_that_take_turns_are_one_provision(diagnostics_of: Diagnose) -> None:
    old = 'clause c in_force 2001-01-01 until 2005-01-01 { cite "c" sdf may patrol says "s" }'
    new = 'clause c in_force 2005-01-01 { cite "c" sdf may patrol when decided says "s" }'
    assert diagnostics_of(BASE + old + "\n" + new + "\n") == []


def test_outside_module(diagnostics_of: Diagnose) -> None:
    dated = BASE.replace("module m", "module m in_force 2000-01-01 until 2010-01-01")
    clause = 'clause c in_force 2009-01-01 until 2011-01-01 { cite "c" sdf may patrol says "s" }'
    d = single(diagnostics_of(dated + clause + "\n"), "outside-module")
    assert underlined(d) == clause
    assert "only from 2000-01-01 until 2010-01-01" in d.message


def test_date_before_everything(diagnostics_of: Diagnose) -> None:
    dated = BASE.replace("module m", "module m in_force 2000-01-01")
    test = "test t { scenario s edition 1999-12-31 expect not permitted sdf patrol }"
    d = single(diagnostics_of(dated + test + "\n"), "date-before-everything")
    assert underlined(d) == "1999-12-31"
    assert d.message == "Nothing is in force on 1999-12-31: the earliest provision starts on 2000-01-01."


def test_not_in_force(write_rules: Callable[[str], Path]) -> None:
    from accord import api

    dated = BASE.replace('define hit "Japan is hit":', 'define hit "Japan is hit" in_force 2005-01-01:')
    clause = 'clause c in_force 2001-01-01 { cite "c" sdf may patrol when hit says "s" }'
    warnings = api.load(write_rules(dated + clause + "\n")).rules.warnings
    assert [w.code for w in warnings] == ["not-in-force"]
    assert underlined(warnings[0]) == "hit"
    assert warnings[0].message == (
        "`c` refers to `hit`, which is not in force from 2001-01-01 until 2005-01-01; "
        "there the reference does not hold."
    )


def test_not_a_fact(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'scenario s2 "s" { decided hit }\n'), "not-a-fact")
    assert underlined(d) == "hit"


def test_duplicate_fact(diagnostics_of: Diagnose) -> None:
    text = BASE + 'scenario s2 "s" {\n attacked(japan)\n unknown attacked(japan)\n}\n'
    d = single(diagnostics_of(text), "duplicate-fact")
    assert underlined(d) == "unknown attacked(japan)"
    [(first, label)] = d.related
    assert (first.text(), label) == ("attacked(japan)", "first stated here")


# ---- many problems at once --------------------------------------------------------------------------------------


def test_every_problem_of_a_run_is_reported_sorted_by_file_and_position(diagnostics_of: Diagnose) -> None:
    a = BASE.replace("module m", "module a").replace("include m", "include a") + (
        'define d "x": attackd(japan)\nclause c { cite "x" usf may defend(japan) says "s" }\n'
    )
    b = 'module b\nimport a\nsort more { japan }\nfact f(nope) "x"\n'
    diagnostics = diagnostics_of({"b.accord": b, "a.accord": a})
    assert [(d.code, d.span.file, d.span.line) for d in diagnostics if d.span] == [
        ("unknown-fact", "rules0/a.accord", 12),
        ("actor-mismatch", "rules0/a.accord", 13),
        ("duplicate-name", "rules0/b.accord", 3),
        ("unknown-sort", "rules0/b.accord", 4),
    ]
    assert diagnostics == sorted(diagnostics, key=lambda d: d.sort_key())


def test_syntax_errors_in_several_files_are_all_reported(diagnostics_of: Diagnose) -> None:
    files = {"z.accord": "module z\nsort {\n", "a.accord": "module a\nfact\n", "ok.accord": "module ok\n"}
    diagnostics = diagnostics_of(files)
    assert [(d.code, d.span.file) for d in diagnostics if d.span] == [
        ("syntax-error", "rules0/a.accord"),
        ("syntax-error", "rules0/z.accord"),
    ]


def test_missing_files_are_listed_before_located_problems() -> None:
    sink = Sink()
    sink.error("unknown-fact", "T", "located", Span(SourceFile("a.accord", "x"), 0, 1))
    sink.error("no-such-file", "T", "unlocated", None)
    assert [d.code for d in sink.sorted()] == ["no-such-file", "unknown-fact"]


def test_the_same_finding_twice_is_reported_once() -> None:
    sink = Sink()
    span = Span(SourceFile("a.accord", "xyz"), 0, 1)
    sink.error("unknown-fact", "T", "m", span, "h")
    sink.error("unknown-fact", "T", "m", span, "h")
    assert len(sink.sorted()) == 1


def test_did_you_mean() -> None:
    assert did_you_mean("japn", ["japan", "us_forces", "jpn"]) == ["japan", "jpn"]
    assert did_you_mean("zzz", ["japan"]) == []
    assert suggestion_hint("japn", ["japan"], "member") == "Maybe you want the member `japan`."
    assert suggestion_hint("zzz", ["japan"], "member") is None


# ---- rendering ----------------------------------------------------------------------------------------------------


def test_the_human_form_underlines_the_span(diagnostics_of: Diagnose) -> None:
    diagnostics = diagnostics_of(BASE + 'define d "x": attacked(japn)\n')
    text = render.human(diagnostics)
    assert "12 | define d \"x\": attacked(japn)\n   |                        ^^^^\n" in text
    assert text.startswith("-- UNKNOWN SORT MEMBER ")
    assert text.endswith("error[unknown-member]\n")


def test_the_short_form(diagnostics_of: Diagnose) -> None:
    diagnostics = diagnostics_of(BASE + 'define d "x": attacked(japn)\n')
    assert render.short(diagnostics) == (
        "rules.accord:12:24: error[unknown-member]: I cannot find a sort member named `japn`.\n"
    )


def test_the_json_form(diagnostics_of: Diagnose) -> None:
    import json

    diagnostics = diagnostics_of(BASE + 'define d "x": attacked(japn)\n')
    [item] = json.loads(render.as_json(diagnostics))["diagnostics"]
    assert item == {
        "code": "unknown-member", "severity": "error", "title": "UNKNOWN SORT MEMBER",
        "message": "I cannot find a sort member named `japn`.", "hint": "Maybe you want the sort member `japan`.",
        "file": "rules.accord", "line": 12, "column": 24, "end_line": 12, "end_column": 28, "text": "japn",
    }


def test_no_diagnostics_render_as_nothing() -> None:
    assert render.human([]) == ""
    assert render.short([]) == ""


# ---- the catalogue ----------------------------------------------------------------------------------------------


def codes_in_source() -> set[str]:
    """Every diagnostic code the source can produce: string constants given to `error`, `_problem` or
    `Diagnostic`, plus `unknown-<code>` for every name table declared in resolve.py."""
    codes: set[str] = set()
    table_codes: set[str] = set()
    unknown_template = False
    for path in sorted(SRC.rglob("*.py")):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            if not isinstance(node, pyast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, pyast.Attribute) else func.id if isinstance(func, pyast.Name) else ""
            if called in ("error", "_problem", "Diagnostic", "problem"):
                for arg in node.args[:2]:
                    if isinstance(arg, pyast.Constant) and isinstance(arg.value, str) and CODE.match(arg.value):
                        codes.add(arg.value)
                    if isinstance(arg, pyast.JoinedStr) and pyast.unparse(arg).startswith("f'unknown-{"):
                        unknown_template = True
            if called == "Table" and len(node.args) == 2 and isinstance(node.args[1], pyast.Constant):
                table_codes.add(str(node.args[1].value))
    if unknown_template:
        codes |= {f"unknown-{c}" for c in table_codes}
    return codes


def test_every_code_is_tested() -> None:
    codes = codes_in_source()
    assert len(codes) >= 30, sorted(codes)
    # Nothing that looks like a code, in a module that reports diagnostics, escapes the reading above.
    kebab = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "sink" in text or "Diagnostic(" in text:
            kebab |= set(re.findall(r'"([a-z]+(?:-[a-z0-9]+)+)"', text))
    assert kebab - NOT_CODES <= codes, sorted(kebab - NOT_CODES - codes)
    module = sys.modules[__name__]
    untested = sorted(c for c in codes if not callable(getattr(module, "test_" + c.replace("-", "_"), None)))
    assert untested == [], f"diagnostic codes without a test in {Path(__file__).name}: {untested}"


# ---- quantified actors (docs/language.md, "Quantified actors") ---------------------------------------

QUANTIFIED = """module m
sort actor { sdf, usf }
sort party { japan, partner }
fact member(actor) "The actor takes part"
fact attacked(party) "An attack on the party"
action patrol by sdf, usf "Patrol"
action guard by sdf "Guard"
edition e { title "e" in_force 2000-01-01 include m }
scenario s "s" { member(sdf) }
"""


def test_unbound_actor(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + 'clause c { cite "x" P may patrol when not member(P) says "s" }\n'
    d = single([d for d in diagnostics_of(text) if d.code != "unsafe-variable"], "unbound-actor")
    assert underlined(d) == "P"
    only_one_side = QUANTIFIED + 'clause c { cite "x" P may patrol when member(P) or attacked(japan) says "s" }\n'
    assert underlined(single(diagnostics_of(only_one_side), "unbound-actor")) == "P"
    no_when = QUANTIFIED + 'clause c { cite "x" P may patrol says "s" }\n'
    assert single(diagnostics_of(no_when), "unbound-actor").hint.startswith("Bind `P`")  # type: ignore[union-attr]


def test_actor_variable_sort(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + 'clause c { cite "x" P may patrol when attacked(P) says "s" }\n'
    d = single(diagnostics_of(text), "actor-variable-sort")
    assert underlined(d) == "P" and "`party`" in d.message
    test = QUANTIFIED + 'test t { scenario s edition e expect permitted P patrol for P in party }\n'
    assert underlined(single(diagnostics_of(test), "actor-variable-sort")) == "P"


def test_unquantified_variable(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + 'test t { scenario s edition e expect permitted P patrol because "x" }\n'
    assert underlined(single(diagnostics_of(text), "unquantified-variable")) == "P"


def test_unused_quantifier(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + 'test t { scenario s edition e expect permitted sdf patrol for Q in actor }\n'
    assert underlined(single(diagnostics_of(text), "unused-quantifier")) == "Q"


def test_too_many_instances(diagnostics_of: Diagnose) -> None:
    members = ", ".join(f"n{i}" for i in range(30))
    text = (QUANTIFIED.replace("sort place", "x") + f"sort big {{ {members} }}\nfact near(big, big, big) \"x\"\n"
            "action watch(big, big, big) by sdf \"Watch\"\n"
            "test t { scenario s edition e\n"
            "  expect not permitted sdf watch(X, Y, Z) for X in big, Y in big, Z in big }\n")
    d = single(diagnostics_of(text), "too-many-instances")
    assert underlined(d).startswith("expect not permitted") and "27000" in d.message


def test_not_in_sort(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + 'test t { scenario s edition e expect not permitted P patrol for P in actor except uss }\n'
    d = single(diagnostics_of(text), "not-in-sort")
    assert underlined(d) == "uss" and "sort `actor`" in d.message
    text = QUANTIFIED + 'test t { scenario s edition e expect not permitted P patrol for P in actor unless P = uss }\n'
    assert underlined(single(diagnostics_of(text), "not-in-sort")) == "uss"


def test_unless_without_variable(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + ('test t { scenario s edition e\n'
                         '  expect not permitted P patrol for P in actor unless sdf = usf }\n')
    assert underlined(single(diagnostics_of(text), "unless-without-variable")) == "sdf = usf"


def test_no_instances(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + ('test t { scenario s edition e\n'
                         '  expect not permitted P patrol for P in actor except sdf and usf }\n')
    assert underlined(single(diagnostics_of(text), "no-instances")).startswith("expect not permitted P patrol")
    text = QUANTIFIED + ('test t { scenario s edition e\n'
                         '  expect not permitted P patrol for P in actor unless P = sdf or P != sdf }\n')
    assert single(diagnostics_of(text), "no-instances")


def test_an_unless_variable_needs_its_quantifier(diagnostics_of: Diagnose) -> None:
    text = QUANTIFIED + ('test t { scenario s edition e\n'
                         '  expect not permitted P patrol for P in actor unless P = Q }\n')
    assert underlined(single(diagnostics_of(text), "unquantified-variable")) == "Q"


# ---- rule text that is hostile to a terminal ---------------------------------------------------------------


def _shown_and_underlined(text: str) -> tuple[str, str]:
    """The source line of a human rendering and what its carets stand under."""
    shown, carets = [line for line in text.splitlines() if line[:1].isdigit() or line.startswith(" ")][:2]
    return shown, shown[carets.index("^"):carets.rindex("^") + 1]


def test_a_long_line_is_shown_around_what_is_underlined(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of('module m\nfact f "' + "y" * 300_000 + '" oops "z"\n'), "syntax-error")
    text = render.human([d])
    assert len(text) < 2_000
    shown, under = _shown_and_underlined(text)
    assert shown.startswith("2 | …y") and shown.endswith('" oops "z"') and under == "oops"
    start = "module m\noops " + "z" * 300_000  # cut on the right
    shown, under = _shown_and_underlined(render.human([single(diagnostics_of(start), "syntax-error")]))
    assert shown.startswith("2 | oops zzz") and shown.endswith("z…") and under == "oops"


def test_unprintable_characters_of_a_line_do_not_reach_the_terminal(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of('module m\nfact f "\x1b[2J\u202e\x07" oops\n'), "syntax-error")
    text = render.human([d])
    assert not any(ch in text for ch in "\x1b\u202e\x07")
    assert _shown_and_underlined(text) == ('2 | fact f "\ufffd[2J\ufffd\ufffd" oops', "oops")
    assert render.as_objects([d])[0]["text"] == "oops"


def test_a_long_name_is_quoted_briefly(diagnostics_of: Diagnose) -> None:
    name = "a" * 100_000
    d = single(diagnostics_of(BASE + f'fact {name} "x"\nfact {name} "y"\n'), "duplicate-name")
    assert len(d.message) < 300 and "a" * 77 + "..." in d.message
    assert underlined(d) == name  # the position still covers all of it


def test_an_unprintable_file_name_does_not_reach_the_terminal() -> None:
    source = SourceFile("\x1b[2Jx.accord", "module m\nfact\n")
    sink = Sink()
    parse(source, sink)
    for text in (render.human(sink.sorted()), render.short(sink.sorted())):
        assert "\x1b" not in text and "\ufffd[2Jx.accord" in text


def test_a_message_is_one_line_whatever_the_rule_text(diagnostics_of: Diagnose) -> None:
    """Found by the fuzzer: a section reference with a line break made a two-line message."""
    section = 'section "a\\n\x1b[2J" "x" grants nothing "r"'
    source = f'source src "t" {{\n  {section}\n  {section}\n}}\n'
    d = single(diagnostics_of(BASE + source), "duplicate-name")
    assert d.message == 'The section "a\\n\\x1b[2J" is listed twice in source `src`.'
    assert render.short([d]).count("\n") == 1


# ---- layers of authority ----------------------------------------------------------------------------------

LAYERED = """module m
sort actor { sdf, usf }
sort party { japan, us_forces }
fact decided "The Cabinet decided"
action patrol by sdf, usf "Patrol"
layer law "Law" {
  authorised "a statute authorises it" when permitted
  prohibited "a statute rules it out" when forbidden
  no_authority "no statute authorises it" otherwise
}
layer guidelines "Guidelines" {
  contemplated "contemplated" when permitted
  silent "not contemplated" otherwise
}
layer law
actor sdf bound by law, guidelines "SDF"
actor usf bound by guidelines "USF"
label lawful "Lawful" permitted: law(authorised)
label none_ "Nothing": not law(authorised)
edition e { title "t" in_force 2020-01-01 include m }
scenario s "s" { decided }
"""


def test_unknown_layer(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(LAYERED.replace("layer law\n", "layer lawz\n")), "unknown-layer")
    assert underlined(d) == "lawz"


def test_unknown_verdict(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(LAYERED.replace("law(authorised)\n", "law(authorized)\n", 1)), "unknown-verdict")
    assert underlined(d) == "authorized"
    assert "`authorised`" in d.hint  # type: ignore[operator]


def test_unknown_label(diagnostics_of: Diagnose) -> None:
    text = LAYERED + 'test t { scenario s edition e expect label lawfull sdf patrol because "x" }\n'
    assert underlined(single(diagnostics_of(text), "unknown-label")) == "lawfull"


def test_unknown_actor(diagnostics_of: Diagnose) -> None:
    text = LAYERED.replace('label lawful "Lawful" permitted:', 'label lawful "Lawful" permitted for usg:')
    assert underlined(single(diagnostics_of(text), "unknown-actor")) == "usg"


def test_module_without_layer(diagnostics_of: Diagnose) -> None:
    text = LAYERED.replace("layer law\n", "") + 'clause c { cite "x" sdf may patrol says "s" }\n'
    assert underlined(single(diagnostics_of(text), "module-without-layer")) == "m"


def test_actor_without_rule(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(LAYERED.replace('actor usf bound by guidelines "USF"\n', "")), "actor-without-rule")
    assert underlined(d) == "usf"
    assert d.span.line == 5  # type: ignore[union-attr]


def test_layer_does_not_bind(diagnostics_of: Diagnose) -> None:
    text = LAYERED + 'clause c { cite "x" usf may patrol says "s" }\n'
    assert underlined(single(diagnostics_of(text), "layer-does-not-bind")) == "usf"


def test_override_across_layers(diagnostics_of: Diagnose) -> None:
    other = ('module g\nimport m\nlayer guidelines\n'
             'clause g.1 { cite "x" sdf may patrol overrides c says "s" }\n')
    files = {"m.accord": LAYERED + 'clause c { cite "x" sdf must not patrol says "s" }\n', "g.accord": other}
    assert underlined(single(diagnostics_of(files), "override-across-layers")) == "c"


def test_label_condition(diagnostics_of: Diagnose) -> None:
    text = LAYERED.replace("permitted: law(authorised)", "permitted: law(authorised) and decided")
    assert underlined(single(diagnostics_of(text), "label-condition")) == "decided"


def test_label_status(diagnostics_of: Diagnose) -> None:
    text = LAYERED.replace('label lawful "Lawful" permitted:', 'label lawful "Lawful" required:')
    assert underlined(single(diagnostics_of(text), "label-status")) == "lawful"


def test_label_never_holds(diagnostics_of: Diagnose) -> None:
    text = LAYERED.replace("label none_", "label again \"Again\": law(authorised)\nlabel none_")
    assert underlined(single(diagnostics_of(text), "label-never-holds")) == "again"


def test_labels_incomplete(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(LAYERED.replace("not law(authorised)", "law(no_authority)")), "labels-incomplete")
    assert underlined(d) == "sdf"
    assert "law(prohibited)" in d.message


def test_label_of_silence(diagnostics_of: Diagnose) -> None:
    text = LAYERED.replace('label none_ "Nothing":', 'label none_ "Nothing" forbidden:')
    assert underlined(single(diagnostics_of(text), "label-of-silence")) == "none_"


# ---- integer sorts and comparisons (language/integers.py) ---------------------------------------------------

INTEGERS = BASE + 'sort days "Days" 0..400\nfact days_since(days) "Days since the attack"\n'


def test_empty_range(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'sort days "Days" 9..1\n'), "empty-range")
    assert underlined(d) == 'sort days "Days" 9..1' and d.hint == "Write the smaller bound first: `1..9`."


def test_sort_too_large(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(BASE + 'sort seconds "Seconds" 0..99999\n'), "sort-too-large")
    assert "100000 members" in d.message and d.hint


def test_out_of_range(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(INTEGERS + 'scenario late "L" { days_since(401) }\n'), "out-of-range")
    assert underlined(d) == "401" and d.hint == "Give an integer from 0 to 400, or widen the sort."


def test_open_integer(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(INTEGERS + 'scenario open "O" { unknown days_since }\n'), "open-integer")
    assert underlined(d) == "unknown days_since" and "(0..400)" in d.message
    assert d.hint == "Leave open the values the scenario considers, one line each: `unknown days_since(0)`."


def test_not_an_integer(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(INTEGERS + 'define bad "B": attacked(P) and P >= 3\n'), "not-an-integer")
    assert underlined(d) == "P" and "compares integers" in d.message


DATES = BASE + 'sort day "Days" 1952-01-01..1953-12-31\nfact began(day) "The day the attack began"\n'


def test_not_a_date(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(DATES + 'define bad "B": began(D) and D >= 14\n'), "not-a-date")
    assert underlined(d) == "14" and "compared with a date" in d.message and d.hint


def test_date_out_of_range_and_invalid(diagnostics_of: Diagnose) -> None:
    d = single(diagnostics_of(DATES + 'scenario late "S" { began(1954-01-01) }\n'), "out-of-range")
    assert underlined(d) == "1954-01-01" and "1952-01-01..1953-12-31" in d.message
    d = single(diagnostics_of(DATES + 'define bad "B": began(D) and D >= 1952-02-30\n'), "invalid-date")
    assert underlined(d) == "1952-02-30" and d.hint


# ---- several rule bases (knowledge/project.py) --------------------------------------------------------------


def _project_error(run: Callable[[], object]) -> Diagnostic:
    from accord.language.diagnostics import AccordError

    with pytest.raises(AccordError) as caught:
        run()
    [d] = caught.value.diagnostics
    assert d.hint
    return d


def _two(write_rules: Callable[[str], Path]) -> object:
    from accord.knowledge.project import load_project

    one = write_rules(INTEGERS + 'scenario only_a "A" { decided }\n')
    two = write_rules(BASE.replace("module m", "module n").replace("include m", "include n"))
    return load_project([f"a={one}", f"b={two}"])


def test_bad_project(tmp_path: Path) -> None:
    from accord.knowledge.project import parse_specs

    (tmp_path / "accord.toml").write_text("[bases\n", encoding="utf-8")
    assert "cannot read the project file" in _project_error(lambda: parse_specs([tmp_path / "accord.toml"])).message


def test_unknown_base(write_rules: Callable[[str], Path]) -> None:
    project: Any = _two(write_rules)
    assert _project_error(lambda: project.targets([("scenario", "c.s")])).hint == "Loaded bases: a, b."


def test_other_base(write_rules: Callable[[str], Path]) -> None:
    project: Any = _two(write_rules)
    d = _project_error(lambda: project.targets([("scenario", "b.only_a")]))
    assert d.code == "other-base" and d.hint == "Write `a.only_a`."


def test_ambiguous_name(write_rules: Callable[[str], Path]) -> None:
    project: Any = _two(write_rules)
    d = _project_error(lambda: project.targets([("scenario", "s")]))
    assert d.code == "ambiguous-name" and d.hint == "Qualify it with its base: `a.s` or `b.s`."


def test_not_in_any_base(write_rules: Callable[[str], Path]) -> None:
    project: Any = _two(write_rules)
    assert _project_error(lambda: project.targets([("edition", "e9")])).code == "not-in-any-base"
