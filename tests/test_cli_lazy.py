"""The command line loads a command's modules only when that command runs (accord.cli, accord.cli.group).

The table of commands in `accord.cli` must match the real commands (name, one-line help), every
entry must resolve, `accord --help` must read as if every command were loaded, and `accord query`
must not import the modules of other commands (checked in a fresh process that runs the entry point
and lists `sys.modules` as it exits, so the check sees exactly what a user's process imports).
Loading the rules also takes them out of the garbage collector's rounds.
"""

from __future__ import annotations

import gc
import importlib
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ACCORD, FIXTURES, MINI, cli_env

from accord import cli
from accord.cli.common import load_rules
from accord.cli.group import LazyGroup
from accord.compile.limits import GroundingLimitError
from accord.solve import SolverError

SRC = Path(cli.__file__).resolve().parent

# Modules that belong to other commands (or to no command at all): a query must not import them.
NOT_ON_THE_QUERY_PATH = (
    "accord.analyses.explain.engine",
    "accord.analyses.batch.lines",
    "accord.language.check",
    "accord.analyses.coverage.clauses",
    "accord.cli.batch",
    "accord.cli.check",
    "accord.cli.diff",
    "accord.cli.explain",
    "accord.cli.rules",
    "accord.cli.serve",
    "accord.analyses.explain.derivation",
    "accord.analyses.diff.compare",
    "accord.analyses.diff.program",
    "accord.analyses.diff.clauses",
    "accord.report.diff",
    "accord.results.diff",
    "accord.analyses.explain.why",
    "accord.report.explain",
    "accord.results.explain",
    "accord.analyses.explain.findings",
    "accord.language.parse",
    "accord.language.resolve",
    "accord.server",
    "accord.analyses.explain.when",
    "lark",
    "multiprocessing",
    "starlette",
    "uvicorn",
)


def _real(name: str) -> click.Command:
    module, attribute, _ = cli.COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


_LIST_MODULES_AT_EXIT = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("\\nmodules: " + " ".join(sorted(sys.modules)) + "\\n"))
sys.argv = ["accord", *sys.argv[1:]]
from accord.cli import main
main()
"""


def _imported(args: list[str], env: dict[str, str]) -> tuple[int, set[str]]:
    """Run `accord ARGS` (the entry point, in a new process); its exit code and every module it imported."""
    done = subprocess.run([sys.executable, "-c", _LIST_MODULES_AT_EXIT, *args], cwd=FIXTURES, env=env,
                          capture_output=True, timeout=300, check=False)
    listed = [line for line in done.stderr.decode("utf-8").splitlines() if line.startswith("modules: ")]
    assert len(listed) == 1, done.stderr
    return done.returncode, set(listed[0].split()[1:])


def _loaded(names: set[str], prefix: str) -> bool:
    return any(n == prefix or n.startswith(prefix + ".") for n in names)


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_every_entry_resolves_to_the_command_of_that_name(name: str) -> None:
    command = _real(name)
    assert command.name == name
    assert not command.hidden


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_the_table_holds_each_commands_own_one_line_help(name: str) -> None:
    summary = cli.COMMANDS[name][2]
    command = _real(name)
    assert command.get_short_help_str(10**6) == summary
    stand_in = click.Command(name, help=summary)
    for limit in range(10, 130):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_every_command_of_the_cli_modules_is_in_the_table() -> None:
    found = {}
    for path in sorted(SRC.glob("*.py")):
        if path.stem == "__init__":  # the group itself, not a command
            continue
        module = importlib.import_module(f"accord.cli.{path.stem}")
        for attribute, value in vars(module).items():
            if isinstance(value, click.Command) and value.callback and value.callback.__module__ == module.__name__:
                found[value.name] = (module.__name__, attribute)
    assert found == {name: (module, attribute) for name, (module, attribute, _) in cli.COMMANDS.items()}


@pytest.mark.parametrize("width", [50, 80, 200])
def test_help_reads_as_if_every_command_were_loaded(width: int) -> None:
    lazy = LazyGroup(name="accord", lazy=cli.COMMANDS, help=cli.app.help)
    eager = click.Group(name="accord", commands={name: _real(name) for name in cli.COMMANDS}, help=cli.app.help)
    texts = []
    for group in (lazy, eager):
        with click.Context(group, info_name="accord", terminal_width=width, max_content_width=width) as ctx:
            texts.append(group.get_help(ctx))
    assert texts[0] == texts[1]
    assert all(f"  {name} " in texts[0] for name in cli.COMMANDS)


def test_a_mistyped_command_is_matched_against_every_command() -> None:
    done = subprocess.run([str(ACCORD), "quer"], env=cli_env(), capture_output=True, check=False)
    assert done.returncode == 2
    assert "No such command 'quer'. Did you mean 'query'?" in done.stderr.decode()


def test_help_imports_no_command_and_no_engine() -> None:
    code, names = _imported(["--help"], cli_env())
    assert code == 0
    for heavy in ("accord.api", "accord.cli.query", "accord.language.ir", "clingo", "rich", *NOT_ON_THE_QUERY_PATH):
        assert not _loaded(names, heavy), heavy


def test_a_query_imports_nothing_of_other_commands(tmp_path: Path) -> None:
    env = cli_env(extra={"ACCORD_CACHE_DIR": str(tmp_path)})
    args = ["query", "--edition", "e2016", "armed_attack_on_japan"]
    first, _ = _imported(args, env)  # fills the cache of checked rule bases
    assert first == 0
    code, names = _imported(args, env)
    assert code == 0
    assert {"accord.cli.query", "accord.analyses.engine", "clingo", "rich"} <= names
    for other in NOT_ON_THE_QUERY_PATH:
        assert not _loaded(names, other), other


def test_a_json_query_needs_no_rich() -> None:
    args = ["query", "--rules", str(MINI), "--edition", "e1", "--fact", "armed_attack_on(japan)", "-f", "json"]
    code, names = _imported(args, cli_env())
    assert code == 0
    assert "accord.cli.query" in names
    assert not _loaded(names, "rich")


def test_errors_of_modules_loaded_late_keep_their_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    for err, code in ((GroundingLimitError("too big"), 7), (SolverError("bad program"), 70),
                      (RuntimeError("boom"), 70)):
        with pytest.raises(SystemExit) as done:
            cli._unexpected(err)
        assert done.value.code == code
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["accord: too big",
                     "accord: internal error: the solver rejected the compiled program: bad program",
                     "accord: internal error: RuntimeError: boom"]


def test_loaded_rules_are_left_out_of_garbage_collection() -> None:
    gc.unfreeze()
    try:
        kb = load_rules((MINI,), "human")
        assert gc.get_freeze_count() > 0
        assert set(kb.rules.editions) == {"e1"}
    finally:
        gc.unfreeze()
