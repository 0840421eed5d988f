"""Name resolution: declaration tables, module visibility, unknown and duplicate names (accord.language.resolve)."""

from __future__ import annotations

from collections.abc import Callable

from accord.language import ast
from accord.language.diagnostics import Diagnostic, Sink
from accord.language.parse import parse
from accord.language.resolve import Declarations, resolve
from accord.language.source import SourceFile


def resolve_texts(files: dict[str, str]) -> tuple[Declarations, list[Diagnostic]]:
    sink = Sink()
    modules = []
    for name, text in sorted(files.items()):
        module = parse(SourceFile(name, text), sink)
        assert module is not None, [d.message for d in sink.items]
        modules.append(module)
    decls = resolve(modules, sink)
    return decls, sink.sorted()


VOCAB = """module vocab
sort actor { sdf, usf }
sort party { japan, us_forces }
fact attacked(party) "x"
action act by sdf "a"
"""

DEFS = """module defs
import vocab
define hit "h": attacked(japan)
"""

TOP = """module top
import defs
constraint k "k": never hit
clause c { cite "x" sdf may act says "s" }
edition e { title "t" in_force 2020-01-01 include top }
scenario s "s" { attacked(japan) }
test t { scenario s edition e expect permitted sdf act }
source src "src" { section "1" "one" }
"""


def test_every_kind_of_declaration_is_in_its_table_with_its_module() -> None:
    decls, diagnostics = resolve_texts({"vocab.accord": VOCAB, "defs.accord": DEFS, "top.accord": TOP})
    assert diagnostics == []
    assert set(decls.modules) == {"vocab", "defs", "top"}
    assert decls.sorts.entries["party"].module == "vocab"
    assert decls.members.entries["japan"].node == "party"
    assert decls.members.entries["sdf"].node == "actor"
    assert isinstance(decls.predicates.entries["attacked"].node, ast.FactDecl)
    assert isinstance(decls.predicates.entries["hit"].node, ast.Definition)
    assert decls.predicates.entries["hit"].module == "defs"
    assert decls.actions.entries["act"].module == "vocab"
    assert decls.constraints.entries["k"].module == "top"
    assert set(decls.clauses.entries) == {"c"}
    assert set(decls.editions.entries) == {"e"}
    assert set(decls.scenarios.entries) == {"s"}
    assert set(decls.tests.entries) == {"t"}
    assert set(decls.sources.entries) == {"src"}


def test_imports_are_transitive_and_a_module_sees_itself() -> None:
    decls, _ = resolve_texts({"vocab.accord": VOCAB, "defs.accord": DEFS, "top.accord": TOP})
    assert decls.visible["vocab"] == {"vocab"}
    assert decls.visible["defs"] == {"defs", "vocab"}
    assert decls.visible["top"] == {"top", "defs", "vocab"}


def test_import_cycles_are_allowed() -> None:
    decls, diagnostics = resolve_texts({"a.accord": "module a\nimport b\n", "b.accord": "module b\nimport a\n"})
    assert diagnostics == []
    assert decls.visible["a"] == decls.visible["b"] == {"a", "b"}


def test_lookup_finds_visible_names() -> None:
    decls, _ = resolve_texts({"vocab.accord": VOCAB, "defs.accord": DEFS})
    sink = Sink()
    entry = decls.lookup(decls.predicates, ast.Name("attacked"), "defs", sink)
    assert entry is not None and entry.module == "vocab"
    assert sink.items == []


def test_a_name_from_a_module_not_imported_is_unknown_with_an_import_hint() -> None:
    decls, _ = resolve_texts({"vocab.accord": VOCAB, "other.accord": "module other\n"})
    sink = Sink()
    assert decls.lookup(decls.predicates, ast.Name("attacked"), "other", sink) is None
    [d] = sink.items
    assert d.code == "unknown-fact"
    assert d.message == (
        "The fact or definition `attacked` is declared in module `vocab`, which module `other` does not import."
    )
    assert d.hint == "Add `import vocab` at the top of module `other`."


def test_lookup_from_anywhere_sees_every_module() -> None:
    decls, _ = resolve_texts({"vocab.accord": VOCAB, "other.accord": "module other\n"})
    sink = Sink()
    assert decls.lookup(decls.sorts, ast.Name("party"), None, sink) is not None
    assert sink.items == []


def test_unknown_names_get_did_you_mean_hints_from_visible_names_only() -> None:
    secret = "module secret\nsort partly { x }\n"
    decls, _ = resolve_texts({"vocab.accord": VOCAB, "secret.accord": secret, "defs.accord": DEFS})
    sink = Sink()
    assert decls.lookup(decls.sorts, ast.Name("partx"), "defs", sink) is None
    [d] = sink.items
    assert d.code == "unknown-sort"
    assert d.message == "I cannot find a sort named `partx`."
    assert d.hint == "Maybe you want the sort `party`."


def test_an_unknown_name_without_close_matches_has_no_hint() -> None:
    decls, _ = resolve_texts({"vocab.accord": VOCAB})
    sink = Sink()
    decls.lookup(decls.actions, ast.Name("zzzzzz"), "vocab", sink)
    [d] = sink.items
    assert d.code == "unknown-action"
    assert d.message == "I cannot find an action named `zzzzzz`."
    assert d.hint is None


def test_unknown_import() -> None:
    decls, diagnostics = resolve_texts({"vocab.accord": VOCAB, "a.accord": "module a\nimport vocap\n"})
    [d] = diagnostics
    assert d.code == "unknown-module"
    assert d.span is not None and d.span.text() == "vocap"
    assert d.hint == "Maybe you want the module `vocab`."
    assert decls.visible["a"] == {"a"}


def test_duplicate_declarations_point_at_the_first_one() -> None:
    other = 'module other\nfact attacked "again"\n'
    decls, diagnostics = resolve_texts({"vocab.accord": VOCAB, "zz.accord": other})
    [d] = diagnostics
    assert d.code == "duplicate-name"
    assert d.message == "The fact or definition `attacked` is declared twice."
    assert d.span is not None and d.span.file == "zz.accord" and d.span.text() == "attacked"
    [(first, label)] = d.related
    assert label == "first declared here"
    assert first.file == "vocab.accord" and first.line == 4
    # the first declaration wins
    assert decls.predicates.entries["attacked"].module == "vocab"


def test_facts_and_definitions_share_one_namespace() -> None:
    _, diagnostics = resolve_texts({"a.accord": 'module a\nfact f "x"\ndefine f "y": f\n'})
    assert [d.code for d in diagnostics] == ["duplicate-name"]


def test_members_are_unique_across_sorts() -> None:
    _, diagnostics = resolve_texts({"a.accord": "module a\nsort s { x, y }\nsort t { y }\n"})
    [d] = diagnostics
    assert d.message == "The sort member `y` is declared twice."


def test_two_files_with_the_same_module() -> None:
    decls, diagnostics = resolve_texts({"a.accord": "module m\n", "b.accord": "module m\n"})
    [d] = diagnostics
    assert d.code == "duplicate-name"
    assert d.message == "Two files declare module `m`."
    assert d.span is not None and d.span.file == "b.accord"
    assert list(decls.modules) == ["m"]


def test_names_of_different_kinds_do_not_clash() -> None:
    text = 'module x\nsort x { x_member }\nfact x "f"\naction xa by x_member "a"\nconstraint x "c": never x\n'
    _, diagnostics = resolve_texts({"x.accord": text})
    assert diagnostics == []


def test_a_duplicate_name_is_reported_once_not_again_where_it_is_used(
    diagnostics_of: Callable[[dict[str, str]], list[Diagnostic]],
) -> None:
    """`b` declares `attacked` again; `c` imports `b` and uses it. The duplicate is the one problem:
    no "Add `import a`" for a name that `c` already sees through `b`."""
    found = diagnostics_of({
        "a.accord": 'module a\nsort actor { sdf }\nfact attacked "x"\naction act by sdf "a"\n',
        "b.accord": 'module b\nfact attacked "again"\n',
        "c.accord": 'module c\nimport b\nconstraint k "k": never attacked\n',
    })
    assert [d.code for d in found] == ["duplicate-name"]


def test_a_name_seen_through_no_import_still_gets_the_import_hint() -> None:
    files = {
        "a.accord": 'module a\nsort actor { sdf }\nfact attacked "x"\n',
        "c.accord": 'module c\nconstraint k "k": never attacked\n',
    }
    decls, _ = resolve_texts(files)
    sink = Sink()
    assert decls.lookup(decls.predicates, ast.Name("attacked"), "c", sink) is None
    [d] = sink.sorted()
    assert d.hint == "Add `import a` at the top of module `c`."
