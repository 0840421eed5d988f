"""The `accord` command line: the command group, its table of commands, and the entry point.

In: the command line. Out: reports on stdout, diagnostics and messages on stderr, and an exit code:
0 success, 1 failing tests or findings, 2 a bad command line (unknown edition, date, scenario or
fact included), 3 rule files with errors, 4 an impossible scenario, 5 the solver's time limit,
6 the cap on readings reached, 7 the grounding guard, 70 an internal error.

Each command lives in a module of its own (`accord.cli.<feature>`), imported only when that command runs:
`COMMANDS` names it and carries its one-line help for `accord --help`.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from accord.cli.common import EXIT_GROUNDING, EXIT_INTERNAL, EXIT_USAGE
from accord.cli.group import Entry, LazyGroup

COMMANDS: dict[str, Entry] = {
    "batch": ("accord.cli.batch", "batch",
              "Answer every scenario of a JSONL file (one per line) against one edition."),
    "check": ("accord.cli.check", "check",
              "Check rule files (default: the bundled rules) and report every problem."),
    "compile": ("accord.cli.rules", "compile_", "Print the answer-set program of an edition."),
    "coverage": ("accord.cli.rules", "coverage_",
                 "Which clauses encode each section of the source texts; fails if any is unaccounted for."),
    "diff": ("accord.cli.diff", "diff",
             "What changed from A to B: clauses, vocabulary, and behaviour over every scenario."),
    "editions": ("accord.cli.rules", "editions", "List the editions, oldest first."),
    "explain": ("accord.cli.explain", "explain",
                "Why an action has its status in a scenario, why not, and what would have to change."),
    "fmt": ("accord.cli.fmt", "fmt", "Rewrite rule files in the canonical layout, comments kept."),
    "lsp": ("accord.cli.lsp", "lsp", "Run the language server for editors, over stdin and stdout."),
    "query": ("accord.cli.query", "query",
              "Which actions a scenario permits, forbids and requires, and which clauses decide."),
    "serve": ("accord.cli.serve", "serve",
              "Serve the JSON API and the scenario-builder page (read-only) at http://HOST:PORT/."),
    "test": ("accord.cli.check", "test", "Run the tests written in the rule language."),
    "timeline": ("accord.cli.timeline", "timeline",
                 "Every change point of the rules, or each action's verdict in a scenario over the whole timeline."),
    "vocab": ("accord.cli.rules", "vocab", "Show the vocabulary: sorts, facts, definitions, actions and constraints."),
    "when": ("accord.cli.explain", "when",
             "Every minimal scenario in which an action is permitted: the conditions under which it is allowed."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
def app() -> None:
    """accord: query and test the rules of defense and security agreements."""


def main() -> None:
    """Entry point: never lets a Python traceback reach the user."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.UsageError as err:
        err.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        sys.stderr.write("accord: aborted\n")
        sys.exit(EXIT_USAGE)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as err:
        _unexpected(err)


def _unexpected(err: Exception) -> NoReturn:
    """The grounding guard, a program the solver rejects, or an internal error. Their modules are
    looked up, not imported: an error of a module that was never loaded cannot be one of theirs."""
    limits, solve = sys.modules.get("accord.compile.limits"), sys.modules.get("accord.solve.core")
    if limits is not None and isinstance(err, limits.GroundingLimitError):
        sys.stderr.write(f"accord: {err}\n")
        sys.exit(EXIT_GROUNDING)
    if solve is not None and isinstance(err, solve.SolverError):
        sys.stderr.write(f"accord: internal error: the solver rejected the compiled program: {err}\n")
        sys.exit(EXIT_INTERNAL)
    sys.stderr.write(f"accord: internal error: {type(err).__name__}: {err}\n")
    sys.exit(EXIT_INTERNAL)
