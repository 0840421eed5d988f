"""The language server, driven over a subprocess's stdin and stdout as an editor drives it.

The bundled rules are the workspace (never written to: edits are sent as unsaved text). Checked:
a typo's diagnostic (the same code, message and span as `accord check`), its clearing when fixed,
hover, definition, references, completion, symbols and formatting, and that a malformed message or
an unknown method leaves the server answering. On the alliance fixture: hover and definition on a
clause's variables (its actor `P` and its arguments).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ACCORD, cli_env
from lsp_client import Client

from accord.language.diagnostics import Sink
from accord.language.formatter import format_source
from accord.language.source import SourceFile

RULES = Path(__file__).resolve().parent.parent / "rules"
LAW = RULES / "law_2016.accord"
ALLIANCE = Path(__file__).resolve().parent / "fixtures" / "alliance"
TYPO = ("unless rescue_commenced or own_defense_operation_2016",
        "unless rescue_commenced or own_defense_operation_2061")


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    c = Client(RULES, cli_env())
    yield c
    assert c.close() == 0


def _position(text: str, needle: str, within: int = 1) -> dict[str, int]:
    """The protocol position `within` characters into the first occurrence of `needle`."""
    offset = text.index(needle) + within
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


def _at(uri: str, text: str, needle: str, within: int = 1) -> dict[str, object]:
    return {"textDocument": {"uri": uri}, "position": _position(text, needle, within)}


def test_a_typo_is_diagnosed_as_accord_check_does_and_cleared_when_fixed(client: Client, tmp_path: Path) -> None:
    text = LAW.read_text(encoding="utf-8")
    wrong = text.replace(*TYPO)
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    (copy / LAW.name).write_text(wrong, encoding="utf-8")
    run = subprocess.run([str(ACCORD), "check", "--no-semantic", "--diagnostics", "json", str(copy)],
                         capture_output=True, text=True, env=cli_env())
    assert run.returncode == 3
    (expected,) = json.loads(run.stderr)["diagnostics"]

    uri = client.open(LAW, wrong)
    (found,) = client.diagnostics(uri)
    assert found["code"] == expected["code"] == "unknown-fact"
    assert found["message"] == f"{expected['message']}\n{expected['hint']}"
    assert found["range"]["start"] == {"line": expected["line"] - 1, "character": expected["column"] - 1}
    assert found["range"]["end"] == {"line": expected["end_line"] - 1, "character": expected["end_column"] - 1}
    assert found["severity"] == 1 and found["source"] == "accord"

    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": text}]})
    client.request("textDocument/hover", _at(uri, text, "own_defense_operation_2016"))  # a round trip: the change is in
    assert client.diagnostics(uri) == []


def test_a_syntax_error_is_reported_and_the_other_files_still_checked(client: Client) -> None:
    text = (RULES / "treaty_1960.accord").read_text(encoding="utf-8")
    uri = client.open(RULES / "treaty_1960.accord", text.replace("clause ", "clause clause ", 1))
    (found,) = client.diagnostics(uri)
    assert found["code"] == "syntax-error"
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": text}]})
    client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_hover_shows_a_clause_a_fact_and_a_definition(client: Client) -> None:
    text = LAW.read_text(encoding="utf-8")
    uri = client.open(LAW)
    clause = client.request("textDocument/hover", _at(uri, text, "replaces law-pre2016.force", 9))["result"]
    assert "**clause** `law-pre2016.force`" in clause["contents"]["value"]
    # The citation as first written: the 1954 text of Art. 76 (from 2003 it is cited with the 2003 Act).
    assert "*Cite:* SDF Law Art. 76 (1954 text)" in clause["contents"]["value"]
    fact = client.request("textDocument/hover", _at(uri, text, "cabinet_decision"))["result"]["contents"]["value"]
    assert "module `vocabulary`" in fact and "National Security Council deliberation" in fact
    definition = client.request("textDocument/hover", _at(uri, text, "three_new_conditions(F)"))["result"]
    assert "define three_new_conditions(F: force_kind)" in definition["contents"]["value"]
    assert client.request("textDocument/hover", _at(uri, text, "Legislation", 0))["result"] is None


def test_definition_and_references(client: Client) -> None:
    text = LAW.read_text(encoding="utf-8")
    uri = client.open(LAW)
    found = client.request("textDocument/definition", _at(uri, text, "three_new_conditions(F)"))["result"]
    assert found["uri"] == (RULES / "definitions.accord").as_uri()
    definitions = (RULES / "definitions.accord").read_text(encoding="utf-8")
    assert found["range"]["start"] == _position(definitions, "three_new_conditions(F: force_kind)", 0)
    module = client.request("textDocument/definition", _at(uri, text, "import vocabulary", 8))["result"]
    assert module["uri"] == (RULES / "vocabulary.accord").as_uri()
    replaced = client.request("textDocument/definition", _at(uri, text, "replaces law-pre2016.force", 9))["result"]
    assert replaced["uri"] == (RULES / "law_pre2016.accord").as_uri()

    params = {**_at(uri, text, "any_force_2016"), "context": {"includeDeclaration": True}}
    refs = client.request("textDocument/references", params)["result"]
    assert len(refs) == text.count("any_force_2016")
    params = {**_at(uri, text, "cabinet_decision"), "context": {"includeDeclaration": False}}
    files = {r["uri"] for r in client.request("textDocument/references", params)["result"]}
    assert {(RULES / n).as_uri() for n in ("law_2016.accord", "definitions.accord", "scenarios.accord")} <= files
    assert (RULES / "vocabulary.accord").as_uri() not in files


def test_completion_offers_the_names_in_scope_with_descriptions(client: Client) -> None:
    text = LAW.read_text(encoding="utf-8")
    uri = client.open(LAW)
    params = _at(uri, text, "when force_2016(F)", len("when "))
    items = {i["label"]: i for i in client.request("textDocument/completion", params)["result"]["items"]}
    assert "cabinet_decision" in items and "any_force_2016" in items and "use_of_force" in items
    assert "National Security Council" in items["cabinet_decision"]["documentation"]
    assert "g1997.v-2-2-b" not in items  # clause ids belong after `overrides`
    params = _at(uri, text, "import vocabulary", len("import "))
    modules = {i["label"] for i in client.request("textDocument/completion", params)["result"]["items"]}
    assert {"vocabulary", "definitions", "guidelines_2015"} <= modules and "any_force_2016" not in modules


def test_document_symbols_list_the_module_and_its_declarations(client: Client) -> None:
    uri = client.open(LAW)
    (module,) = client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
    assert module["name"] == "law_2016"
    names = [c["name"] for c in module["children"]]
    assert "law2016.force" in names and "force_2016" in names and names.index("force_2016") < names.index(
        "law2016.force")


def test_formatting_gives_the_text_accord_fmt_writes(client: Client) -> None:
    text = LAW.read_text(encoding="utf-8")
    messy = text.replace("  sdf may use_of_force(F)\n", "      sdf   may use_of_force( F )\n")
    uri = client.open(LAW, messy)
    (edit,) = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {
        "tabSize": 2, "insertSpaces": True}})["result"]
    assert edit["newText"] == format_source(SourceFile("x", messy), Sink()) == text
    broken = messy.replace("import vocabulary", "import import vocabulary")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": broken}]})
    result = client.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {
        "tabSize": 2, "insertSpaces": True}})
    assert result["result"] is None
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                             "contentChanges": [{"text": text}]})


def test_a_malformed_message_or_an_unknown_method_does_not_kill_the_server(client: Client) -> None:
    client.send_raw(b"{this is not json")
    unknown = client.request("accord/noSuchMethod", {})
    assert unknown["error"]["code"] == -32601
    client.send({"id": "bad", "method": "textDocument/hover", "params": {"textDocument": {"uri": 7}}})
    outside = client.request("textDocument/hover", {"textDocument": {"uri": "untitled:1"},
                                                    "position": {"line": 0, "character": 0}})
    assert outside.get("result") is None
    uri = client.open(LAW)
    assert client.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})["result"]
    assert client.process.poll() is None


def test_hover_and_definition_on_a_clause_variable() -> None:
    path = ALLIANCE / "alliance.accord"
    text = path.read_text(encoding="utf-8")
    head = "\n  P may assist(Q)\n"  # art5's head (the file's comment writes it too, in backticks)
    c = Client(ALLIANCE, cli_env())
    try:
        uri = c.open(path)
        hovered = c.request("textDocument/hover", _at(uri, text, head, 3))["result"]
        value = hovered["contents"]["value"]
        assert "**variable** `P` · clause `art5`" in value and "The clause's actor" in value
        assert "Bound by `party(P)`." in value
        assert "Sort `actor`: `northland`, `eastland`, `southland`." in value
        assert hovered["range"]["start"] == _position(text, head, 3)
        # Q is an argument, bound through a definition: attacked_party(P: actor).
        argument = c.request("textDocument/hover", _at(uri, text, head, 16))["result"]["contents"]["value"]
        assert "The clause's actor" not in argument and "Bound by `attacked_party(Q)`." in argument
        assert "Sort `actor`" in argument

        binding = "when party(P) and attacked_party(Q) and (P = Q"
        found = c.request("textDocument/definition", _at(uri, text, head, 3))["result"]
        assert found["uri"] == path.as_uri()
        assert found["range"]["start"] == _position(text, binding, 5)
        at_q = c.request("textDocument/definition", _at(uri, text, binding, len(binding) - 1))["result"]
        assert at_q["range"]["start"] == _position(text, binding, 18)
        # `unless P = Q` goes to the atoms of the clause's `when` that bind P.
        unless = c.request("textDocument/definition", _at(uri, text, "unless P = Q", 7))["result"]
        assert unless["range"]["start"] == _position(text, "when party(P) and attacked_party(Q) and council", 5)
        # Elsewhere, hover still shows declarations.
        fact = c.request("textDocument/hover", _at(uri, text, "request_from(Q)"))["result"]["contents"]["value"]
        assert "`request_from`" in fact and "asked for assistance" in fact
    finally:
        assert c.close() == 0
