"""`accord fmt` and its formatter (`accord.language.formatter`): layout, comments, meaning, the command.

The formatted text must parse to the same syntax tree (and the same checked rule base) as the
original, formatting it again must change nothing, and every comment must survive in its place.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ACCORD, cli_env
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import RuleSet, modules, rule_sets

from accord.knowledge.pipeline import build
from accord.language import ast
from accord.language.diagnostics import Sink
from accord.language.formatter import WIDTH, format_source
from accord.language.parse import parse
from accord.language.printer import print_module
from accord.language.source import SourceFile

RULES = Path(__file__).resolve().parent.parent / "rules"


def fmt(text: str) -> str:
    sink = Sink()
    out = format_source(SourceFile("t.accord", text), sink)
    assert out is not None, [d.message for d in sink.items]
    return out


def _tree(text: str) -> ast.Module:
    module = parse(SourceFile("t.accord", text), Sink())
    assert module is not None
    return module


MESSY = '''# a file comment


module m "t"   # after the header
import a,b
# about x
fact x "x"  # after x
fact y "y"
clause c.1 {   # opening
  cite "c"
  # the head
      sdf   may p( X )
  when x and # in the middle
     y
  says "s"
  # before the closing brace
}
# at the end


'''

TIDY = '''# a file comment

module m "t"  # after the header
import a, b
# about x
fact x "x"  # after x
fact y "y"

clause c.1 {  # opening
  cite "c"
  # the head
  sdf may p(X)
  when x and y  # in the middle
  says "s"
  # before the closing brace
}
# at the end
'''


def test_comments_stay_where_they_were_and_the_layout_is_canonical() -> None:
    assert fmt(MESSY) == TIDY
    assert fmt(TIDY) == TIDY
    assert _tree(MESSY) == _tree(TIDY)


LONG = """module m
clause c.1 {
  cite "c"
  sdf may p
  unless (alpha_condition_one and beta_condition_two) or gamma_condition_three or (delta_four and not epsilon_five)
  overrides first.clause-id.alpha, second.clause-id.beta, third.clause-id.gamma, fourth.clause-id.delta, e.x
  says "s"
}
"""


def test_long_conditions_break_at_their_top_operator_and_long_name_lists_after_commas() -> None:
    out = fmt(LONG)
    assert "\n".join([
        "  unless (alpha_condition_one and beta_condition_two)",
        "         or gamma_condition_three",
        "         or (delta_four and not epsilon_five)",
        "  overrides first.clause-id.alpha, second.clause-id.beta, third.clause-id.gamma,",
        "    fourth.clause-id.delta, e.x",
    ]) in out
    assert all(len(line) <= WIDTH for line in out.splitlines() if not line.lstrip().startswith(("says", "cite")))
    assert _tree(out) == _tree(LONG) and fmt(out) == out


def test_an_and_inside_an_or_gets_parentheses_for_the_reader() -> None:
    out = fmt('module m\ndefine d "d":\n  a and b or c\n')
    assert "  (a and b) or c\n" in out


def test_the_bundled_rules_are_formatted_and_formatting_keeps_their_checked_program(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    for path in sorted(copy.glob("*.accord")):
        text = path.read_text(encoding="utf-8")
        assert fmt(text) == text, path.name
        # Undo the layout (every line's indentation): fmt must restore it exactly.
        path.write_text(re.sub(r"(?m)^ +", "", text), encoding="utf-8")
    assert build([copy]) == build([RULES])
    for path in sorted(copy.glob("*.accord")):
        assert fmt(path.read_text(encoding="utf-8")) == (RULES / path.name).read_text(encoding="utf-8"), path.name


def _scramble(text: str, seed: int) -> str:
    """The same tokens with other white space and a comment at the end of some lines."""
    rng = random.Random(seed)
    lines = []
    for line in text.split("\n"):
        line = " " * rng.randrange(4) + line.strip().replace(" ", " " * rng.randrange(1, 3))
        lines.append(line + (f"  # note {len(lines)}" if line and rng.random() < 0.2 else ""))
        if rng.random() < 0.1:
            lines.append("")
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.integers(0, 1000))
def test_formatting_generated_modules_keeps_their_tree_and_comments_and_is_idempotent(
        module: ast.Module, seed: int) -> None:
    text = _scramble(print_module(module), seed)
    if parse(SourceFile("t.accord", text), Sink()) != module:  # white space inside a string was changed
        return
    out = fmt(text)
    assert _tree(out) == module
    assert fmt(out) == out
    assert sorted(re.findall(r"# note \d+", out)) == sorted(re.findall(r"# note \d+", text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                             HealthCheck.function_scoped_fixture])
@given(rule_sets(), st.integers(0, 1000))
def test_formatting_a_generated_rule_base_keeps_its_checked_program(
        tmp_path_factory: pytest.TempPathFactory, rule_set: RuleSet, seed: int) -> None:
    text = print_module(rule_set.module)
    scrambled = _scramble(text, seed)
    before, after = tmp_path_factory.mktemp("before"), tmp_path_factory.mktemp("after")
    (before / "gen.accord").write_text(text, encoding="utf-8")
    (after / "gen.accord").write_text(fmt(scrambled if _tree(scrambled) == _tree(text) else text), encoding="utf-8")
    assert build([after]).clauses == build([before]).clauses
    assert build([after]).definitions == build([before]).definitions


def _accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACCORD), *args], capture_output=True, text=True, env=cli_env())


def test_fmt_check_prints_the_diff_and_exits_1_and_fmt_rewrites(tmp_path: Path) -> None:
    path = tmp_path / "m.accord"
    path.write_text(MESSY, encoding="utf-8")
    run = _accord("fmt", "--check", str(path))
    assert run.returncode == 1
    assert f"+++ {path.as_posix()} (formatted)" in run.stdout and "+import a, b" in run.stdout
    assert "1 file would be reformatted." in run.stderr
    assert path.read_text(encoding="utf-8") == MESSY
    run = _accord("fmt", str(tmp_path))
    assert run.returncode == 0 and run.stdout == f"formatted {path.as_posix()}\n"
    assert path.read_text(encoding="utf-8") == TIDY
    run = _accord("fmt", "--check", str(tmp_path))
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_a_file_with_a_syntax_error_is_reported_and_left_alone(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.accord", tmp_path / "good.accord"
    bad.write_text("module m\nfact x\n", encoding="utf-8")
    good.write_text(MESSY, encoding="utf-8")
    run = _accord("fmt", "--diagnostics", "short", str(tmp_path))
    assert run.returncode == 3
    assert "bad.accord:2:6: error[syntax-error]" in run.stderr and "Traceback" not in run.stderr
    assert bad.read_text(encoding="utf-8") == "module m\nfact x\n"
    assert good.read_text(encoding="utf-8") == TIDY


def test_a_bad_command_line_gets_a_usage_message() -> None:
    assert _accord("fmt").returncode == 2
    assert _accord("fmt", "--no-such-option", "rules").returncode == 2
    missing = _accord("fmt", "no/such/folder")
    assert missing.returncode == 3 and "no-such-file" in missing.stderr
