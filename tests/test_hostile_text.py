"""Free text from rule files cannot drive a terminal, nor be read as markup, Markdown or HTML.

`fixtures/hostile` puts ANSI colour codes, a bell, a carriage return, bidirectional overrides, rich
markup, HTML and Markdown punctuation in every kind of free text: module, sort, member, fact and
action descriptions, citations, `says` and `note` text, edition titles and notes, a scenario's
description and a test's `because`. Every human report shows them escaped (`\\x1b`), tables show
rich markup as the text it is, Markdown escapes it, JSON keeps it exactly, and the web page never
parses text as HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from accord import api
from accord.cli import app
from accord.util.text import for_html, for_markdown, for_terminal, one_column

HOSTILE = FIXTURES / "hostile"
STATIC = Path(api.__file__).parent / "server" / "static"
_DRIVING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # all but \n
_R = ["-r", str(HOSTILE)]
HUMAN = {
    "check": ["check", str(HOSTILE)],
    "query": ["query", "attacked", "-e", "h1", *_R],
    "explain": ["explain", "attacked", "sdf", "use_of_force", "-e", "h2", *_R],
    "when": ["when", "sdf", "use_of_force", "-e", "h1", *_R],
    "diff": ["diff", "h1", "h2", *_R],
    "test": ["test", str(HOSTILE), "--coverage"],
    "vocab": ["vocab", "-e", "h2", *_R],
    "editions": ["editions", *_R],
    "coverage": ["coverage", "-e", "h2", *_R],
}


def _run(args: list[str]) -> tuple[str, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.stdout, result.stderr


@pytest.mark.parametrize("name", sorted(HUMAN))
def test_every_human_report_shows_control_characters_escaped(name: str) -> None:
    out, err = _run(HUMAN[name])
    assert not _DRIVING.search(out + err), repr(_DRIVING.search(out + err))
    if name not in ("when",):  # `when` names facts and clauses only
        assert "\\x1b[31mRED" in out, out


@pytest.mark.parametrize("name", ["query", "vocab", "editions", "diff", "test"])
def test_rich_markup_in_rule_text_is_shown_as_it_is(name: str) -> None:
    out, _err = _run(HUMAN[name])
    flat = " ".join(out.split())
    assert "[bold red]markup[/]" in flat and "[link=https://x]l[/link]" in flat, out


@pytest.mark.parametrize("group", ["cause", "action"])
def test_markdown_escapes_free_text(group: str) -> None:
    out, _err = _run(["diff", "h1", "h2", *_R, "--format", "markdown", "--group", group])
    assert not _DRIVING.search(out)
    assert "<script>" not in out and "\\<script\\>alert(1)\\</script\\>" in out
    assert "\\[link=https://x\\]" in out
    for row in (line for line in out.splitlines() if line.startswith("| ")):
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) in (4, 5), row  # a row of two or three columns: no pipe of a rule file splits it


@pytest.mark.parametrize("group", ["cause", "action"])
def test_html_escapes_free_text(group: str) -> None:
    out, _err = _run(["diff", "h1", "h2", *_R, "--format", "html", "--group", group])
    assert not _DRIVING.search(out)
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_json_keeps_the_text_exactly() -> None:
    out, _err = _run(["query", "attacked", "-e", "h1", *_R, "--format", "json"])
    assert "\x1b" not in out  # JSON escapes it: \u001b
    title = json.loads(out)["edition"]["title"]
    assert title.startswith("Title \x1b[31mRED\x1b[0m \x07bell\r over \u202eevil\u202c [bold red]")


def test_diagnostics_quote_hostile_lines_without_their_controls(tmp_path: Path) -> None:
    text = (HOSTILE / "hostile.accord").read_bytes().decode("utf-8")  # the carriage return kept
    (tmp_path / "hostile.accord").write_text(text.replace("sdf may use_of_force", "sdf may use_of_forse"),
                                             encoding="utf-8", newline="")
    (tmp_path / "ban.accord").write_bytes((HOSTILE / "ban.accord").read_bytes())
    for style in ("human", "short"):
        result = CliRunner().invoke(app, ["check", str(tmp_path), "--diagnostics", style])
        assert result.exit_code == 3
        assert "use_of_forse" in result.stderr and not _DRIVING.search(result.stderr)


def test_the_web_page_never_parses_text_as_html() -> None:
    for script in sorted((STATIC / "js").glob("*.js")):
        code = script.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            uses = [line for line in code.splitlines() if sink in line and not line.lstrip().startswith("//")]
            assert not uses, (script.name, sink, uses)


def test_the_one_helper() -> None:
    assert for_terminal("a\x1b[2Jb\u202e\ud800\nc") == "a\\x1b[2Jb\\u202e\\ud800\nc"
    assert for_terminal("line\nnext", keep_newlines=False) == "line\\nnext"
    assert for_terminal("日本 é ✓") == "日本 é ✓"
    assert one_column("a\tb\x1bc") == "a b\ufffdc"
    assert for_markdown("<b>|x|</b> [a](b) `c` *d*\nnext") == "\\<b\\>\\|x\\|\\</b\\> \\[a\\](b) \\`c\\` \\*d\\* next"
    assert for_html('<a href="x">&\x1b') == "&lt;a href=&quot;x&quot;&gt;&amp;\\x1b"
