"""The editor files: the TextMate grammar and the VS Code extension's manifest are valid and agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

from strategies import RESERVED

VSCODE = Path(__file__).resolve().parent.parent / "editors" / "vscode"


def test_the_textmate_grammar_is_json_with_the_expected_scopes() -> None:
    grammar = json.loads((VSCODE / "syntaxes" / "accord.tmLanguage.json").read_text(encoding="utf-8"))
    assert grammar["scopeName"] == "source.accord"
    repository = grammar["repository"]
    assert {p["include"].removeprefix("#") for p in grammar["patterns"]} == set(repository)
    scopes = json.dumps(grammar)
    for scope in ("comment.line.number-sign.accord", "string.quoted.double.accord", "keyword.control.accord",
                  "keyword.declaration.accord", "keyword.operator.logical.accord", "variable.parameter.accord"):
        assert scope in scopes
    for rule in repository.values():
        for key in ("match", "begin", "end"):
            if key in rule:
                re.compile(rule[key])
    words = set(re.findall(r"[a-z_]+", " ".join(
        rule.get("match", "") for rule in repository.values() if rule is not repository["name"])))
    assert words >= RESERVED, RESERVED - words


def test_the_extension_manifest_names_the_grammar_and_the_language() -> None:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    (language,) = manifest["contributes"]["languages"]
    (grammar,) = manifest["contributes"]["grammars"]
    assert language["extensions"] == [".accord"] and grammar["language"] == language["id"]
    assert (VSCODE / grammar["path"]).is_file() and (VSCODE / language["configuration"]).is_file()
    json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))
    assert '"lsp"' in (VSCODE / manifest["main"]).read_text(encoding="utf-8")
