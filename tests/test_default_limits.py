"""Every command that can run long has a time limit by default; `--timeout 0` or `none` lifts it.

The one `--timeout` option of `accord.cli.common`: what it accepts, that each solving command
carries it with a finite default, that the default really limits (exit code 5, no option given),
and that `accord test --coverage` is limited in its coverage queries too. See docs/reliability.md.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from accord import api
from accord.cli import COMMANDS, app
from accord.cli.common import DEFAULT_TIMEOUT, EXIT_TIMEOUT, SECONDS
from accord.solve import SolveTimeout

HARD = FIXTURES / "hard"
LONG = ("batch", "check", "diff", "explain", "query", "serve", "test", "when")


def _command(name: str) -> click.Command:
    module, attribute, _help = COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


def _timeout(name: str) -> click.Option:
    (option,) = [p for p in _command(name).params if isinstance(p, click.Option) and p.name == "timeout"]
    return option


@pytest.mark.parametrize("name", LONG)
def test_every_long_command_has_a_default_limit(name: str) -> None:
    option = _timeout(name)
    assert option.type is SECONDS
    assert isinstance(option.default, float) and 0 < option.default <= DEFAULT_TIMEOUT
    assert "0 or none: no limit" in (option.help or "")


@pytest.mark.parametrize(("text", "seconds"), [("0", None), ("none", None), ("None", None), ("inf", None),
                                               ("1e10", None), ("0.001", 0.001), ("2.5", 2.5), ("60", 60.0)])
def test_what_a_limit_may_be(text: str, seconds: float | None) -> None:
    assert SECONDS.convert(text, None, None) == seconds


@pytest.mark.parametrize("text", ["-1", "nan", "-inf", "0.0001", "soon", ""])
def test_what_a_limit_may_not_be(text: str) -> None:
    with pytest.raises(click.BadParameter):
        SECONDS.convert(text, None, None)


_HARD_RUNS = {
    "query": ["query", "crowded", "-e", "e", "-r", str(HARD)],
    "when": ["when", "keeper", "feed", "-e", "e", "-r", str(HARD)],
    "check": ["check", str(HARD)],
}


@pytest.mark.parametrize("name", sorted(_HARD_RUNS))
def test_the_default_limit_applies_when_no_option_is_given(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default, made short, ends a hard question with exit code 5, with no --timeout given."""
    monkeypatch.setattr(_timeout(name), "default", 0.3)
    result = CliRunner().invoke(app, _HARD_RUNS[name])
    assert result.exit_code == EXIT_TIMEOUT, result.output
    assert "within 0.3 s" in result.output


def _hard_with_a_test(tmp_path: Path) -> Path:
    text = (HARD / "pigeons.accord").read_text(encoding="utf-8")
    (tmp_path / "pigeons.accord").write_text(
        text + "\ntest t {\n  scenario crowded\n  edition e\n  expect permitted keeper feed\n}\n", encoding="utf-8")
    return tmp_path


def test_coverage_queries_are_limited(tmp_path: Path) -> None:
    kb = api.load(_hard_with_a_test(tmp_path))
    with pytest.raises(SolveTimeout, match="test `t` in edition `e`"):
        kb.clause_coverage(timeout=0.2)


def test_test_with_coverage_ends_with_the_time_limit(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["test", str(_hard_with_a_test(tmp_path)), "--coverage", "--timeout", "0.3"])
    assert result.exit_code == EXIT_TIMEOUT, result.output
    assert "did not finish test `t` in edition `e` within 0.3 s" in result.output
