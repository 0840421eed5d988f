"""Hostile command lines and rule files: accord answers with a message and an exit code, never a
Python traceback, and says the same thing whatever the hash seed."""

from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ACCORD, MINI, Run, cli_env, run_cli

Writer = Callable[[Path], None]

HEAD = 'module m\nfact f "x"\n'


def _text(name: str, text: str) -> Writer:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


def _bytes(name: str, data: bytes) -> Writer:
    return lambda folder: (folder / name).write_bytes(data)


def _random_bytes(folder: Path) -> None:
    (folder / "random.accord").write_bytes(random.Random(20240229).randbytes(4096))


def _directory_named_like_a_file(folder: Path) -> None:
    (folder / "dir.accord").mkdir()


def _folder_with_a_directory_inside(folder: Path) -> None:
    (folder / "rules" / "dir.accord").mkdir(parents=True)
    (folder / "rules" / "ok.accord").write_text("module ok\n", encoding="utf-8")


def _symlink_loop(folder: Path) -> None:
    (folder / "rules").mkdir(parents=True)
    os.symlink("loop.accord", folder / "rules" / "loop.accord")


def _huge_file(folder: Path) -> None:
    (folder / "huge.accord").write_bytes(b"module huge\n" + b"# padding\n" * 500_000)


# name -> (how to write it, the exit code of `accord check NAME`: 0 fine, 3 mistakes in rule files)
FILES: dict[str, tuple[Writer, int]] = {
    "random.accord": (_random_bytes, 3),
    "invalid_utf8.accord": (_bytes("invalid_utf8.accord", b"module m\nfact f \"\xff\xfe\"\n"), 3),
    "nul_bytes.accord": (_bytes("nul_bytes.accord", b"module m\x00\nfact f \"a\x00b\"\n"), 3),
    "empty.accord": (_text("empty.accord", ""), 3),
    "only_bom.accord": (_text("only_bom.accord", "\ufeff"), 3),
    "only_comment.accord": (_text("only_comment.accord", "# nothing but a comment\n"), 3),
    "only_whitespace.accord": (_text("only_whitespace.accord", " \n\t\r\n\u3000\n"), 3),
    "long_line.accord": (_text("long_line.accord", HEAD + 'fact g "' + "x" * 1_000_000 + '"\n'), 0),
    "long_name.accord": (_text("long_name.accord", HEAD + "fact " + "a" * 100_000 + ' "x"\n'), 0),
    "many_lines.accord": (_text("many_lines.accord", HEAD + "\n" * 200_000 + "fact\n"), 3),
    "parens.accord": (_text("parens.accord", HEAD + 'constraint c "d": never ' + "(" * 10_000 + "f" + ")" * 10_000), 0),
    "open_parens.accord": (_text("open_parens.accord", HEAD + 'constraint c "d": never ' + "(" * 10_000), 3),
    "close_parens.accord": (_text("close_parens.accord", HEAD + 'constraint c "d": never f' + ")" * 10_000), 3),
    "nots.accord": (_text("nots.accord", HEAD + 'constraint c "d": never ' + "not " * 10_000 + "f\n"), 3),
    "ands.accord": (_text("ands.accord", HEAD + 'constraint c "d": never ' + " and ".join(["f"] * 10_000) + "\n"), 0),
    "nested_and_or.accord": (
        _text("nested_and_or.accord", HEAD + 'constraint c "d": never ' + "(f and (f or " * 2_000 + "f" + "))" * 2_000),
        3,
    ),
    "unterminated_string.accord": (_text("unterminated_string.accord", 'module m\nfact f "no end\n'), 3),
    "unterminated_block.accord": (_text("unterminated_block.accord", "module m\nsort s { a, b\n"), 3),
    "control_characters.accord": (
        _text("control_characters.accord", 'module m\nfact f "\x1b[31mred\x07\x08"\n\x0c'), 0
    ),
    "unicode_names.accord": (_text("unicode_names.accord", 'module m\nfact café "x"\n'), 3),
    "keyword_names.accord": (_text("keyword_names.accord", 'module not\nsort s { not, may }\nfact title "x"\n'), 3),
    "glued_keywords.accord": (_text("glued_keywords.accord", 'modulem\nfactf "x"\n'), 3),
    "cycle_import.accord": (_text("cycle_import.accord", "module m\nimport m\n"), 0),
    "dir.accord": (_directory_named_like_a_file, 3),
    "huge.accord": (_huge_file, 3),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for write, _code in FILES.values():
        write(folder)
    _folder_with_a_directory_inside(folder / "nested")
    _symlink_loop(folder / "looping")
    return folder


def run_twice(args: list[str], cwd: Path) -> Run:
    """Run the CLI under two hash seeds (at once); both must say exactly the same, with no traceback."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        first_run = pool.submit(run_cli, args, cwd, "1")
        second_run = pool.submit(run_cli, args, cwd, "2024")
        first, second = first_run.result(), second_run.result()
    assert "Traceback" not in first.stderr, first.transcript()
    assert "Traceback" not in first.stdout, first.transcript()
    assert (first.code, first.stdout, first.stderr) == (second.code, second.stdout, second.stderr)
    return first


@pytest.mark.parametrize("name", sorted(FILES))
def test_hostile_rule_files(hostile: Path, name: str) -> None:
    run = run_twice(["check", name], hostile)
    assert run.code == FILES[name][1], run.transcript()
    if run.code:
        assert run.stderr.startswith("-- "), run.transcript()
        assert run.stderr.endswith(" found.\n"), run.transcript()


@pytest.mark.parametrize("name", ["random.accord", "nots.accord", "keyword_names.accord", "dir.accord"])
def test_hostile_rule_files_in_json(hostile: Path, name: str) -> None:
    run = run_twice(["test", name, "--diagnostics", "json"], hostile)
    assert run.code == 3, run.transcript()
    assert json.loads(run.stderr)["diagnostics"]


def test_a_directory_inside_a_folder_of_rules_is_skipped(hostile: Path) -> None:
    run = run_twice(["check", "nested/rules"], hostile)
    assert run.code == 0, run.transcript()


def test_a_symlink_loop_is_not_followed(hostile: Path) -> None:
    run = run_twice(["check", "looping/rules"], hostile)
    assert run.code == 3, run.transcript()
    assert "no-rules" in run.stderr


MINI_RULES = "{mini}"  # the mini fixture; a placeholder keeps test ids free of local paths

COMMAND_LINES: list[tuple[list[str], int | None]] = [
    ([], 2),
    (["--help"], 0),
    (["query", "--help"], 0),
    (["--version"], 2),
    (["frobnicate"], 2),
    (["check", "--diagnostics", "yaml", MINI_RULES], 2),
    (["check", "missing.accord"], 3),
    (["check", "missing/folder/"], 3),
    (["check", "/dev/null"], 3),
    (["check", ""], None),
    (["check", "x" * 5000], 3),
    (["check", "x/" * 3000], 3),
    (["check", "日本語.accord"], 3),
    (["editions", "-r", "missing.accord"], 3),
    (["query"], 2),
    (["query", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "-e", "", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "-e", "e1", "--as-of", "2016-01-01", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "--as-of", "yesterday", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "--as-of", "99999-01-01", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "--as-of", "0001-01-01", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "--as-of", "9999-12-31", "-r", MINI_RULES], 0),
    (["query", "日本", "-e", "e1", "-r", MINI_RULES], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--fact", ""], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--fact", "armed_attack_on(" + "x" * 100_000 + ")"], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--fact", 'armed_attack_on("japan")'], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--fact", "armed_attack_on(japan)). :- holds(X"], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--fact", "survival_situation"], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--fact", "armed_attack_on(日本)"], 2),
    (["query", "-e", "e1", "-r", MINI_RULES, "--unknown", "\u202earmed_attack_on(japan)"], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "0"], 0),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "none"], 0),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "0.0001"], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "-1"], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "soon"], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--all", "--cap", "-5"], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--all", "--cap", "1"], 6),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--format", "json", "--all"], 0),
    (["compile", "-r", MINI_RULES], 2),
    (["compile", "-e", "nope", "-r", MINI_RULES], 2),
    (["vocab", "-e", "nope", "-r", MINI_RULES], 2),
    (["test", MINI_RULES, "--name", "nope"], 2),
    (["test", MINI_RULES, "--name", ""], 2),
    (["diff", "x" * 5000, "e1", "-r", MINI_RULES], 2),  # a name too long for the file system: not a path
    (["diff", "e1", "e1\x01", "-r", MINI_RULES], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "inf"], 0),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--timeout", "nan"], 2),
    (["query", "partner_attacked", "-e", "e1", "-r", MINI_RULES, "--all", "--cap", str(2**64)], 0),
    (["check", MINI_RULES, "--timeout", "nan"], 2),
    (["batch", "-", "-e", "e1", "-r", MINI_RULES, "--jobs", str(10**9)], 2),
]


@pytest.mark.parametrize(("args", "code"), COMMAND_LINES, ids=[" ".join(a)[:60] or "(none)" for a, _ in COMMAND_LINES])
def test_hostile_command_lines(tmp_path: Path, args: list[str], code: int | None) -> None:
    run = run_twice([str(MINI) if a == MINI_RULES else a for a in args], tmp_path)
    if code is not None:
        assert run.code == code, run.transcript()
    if run.code != 0:
        assert run.stderr.strip(), run.transcript()


def test_a_closed_output_pipe_is_no_traceback() -> None:
    """`accord compile … | head -1`: the reader goes away; accord stops quietly."""
    process = subprocess.Popen(
        [str(ACCORD), "compile", "-e", "e1", "-r", str(MINI)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
