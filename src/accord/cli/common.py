"""What every `accord` command shares: exit codes, common options, loading, printing and failing.

In: option values. Out: a loaded `KnowledgeBase`, a chosen edition id, or a clean exit with a message
on stderr and one of the exit codes below (documented in docs/cli.md and README).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import io
import json
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from accord.language import render
from accord.language.diagnostics import AccordError, brief
from accord.util.text import for_terminal

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.knowledge.base import KnowledgeBase
    from accord.knowledge.project import Project

EXIT_FINDINGS, EXIT_USAGE, EXIT_RULES, EXIT_IMPOSSIBLE, EXIT_TIMEOUT, EXIT_CAP, EXIT_GROUNDING = 1, 2, 3, 4, 5, 6, 7
EXIT_INTERNAL = 70

FORMATS = click.Choice(["human", "json"])
DIAGNOSTIC_FORMATS = click.Choice(["human", "short", "json"])


DEFAULT_TIMEOUT = 60.0  # seconds per solver call, for every command that solves (docs/reliability.md)
MIN_SECONDS = 0.001
NO_LIMIT_PAST = 1e9  # seconds (about 31 years): clingo measures waits in signed 64-bit nanoseconds


class Seconds(click.ParamType["float | None", Any]):
    """A time limit in seconds: at least a millisecond; `0`, `none`, `inf` or anything past 1e9 is no
    limit (None); `nan`, a negative number or a word is refused (docs/reliability.md)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float | None:
        if value is None or (isinstance(value, float) and MIN_SECONDS <= value <= NO_LIMIT_PAST):
            return value
        text = str(value).strip().lower()
        if text == "none":
            return None
        try:
            seconds = float(text)
        except ValueError:
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        if math.isnan(seconds) or seconds < 0:
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        if seconds == 0 or seconds > NO_LIMIT_PAST:
            return None
        if seconds < MIN_SECONDS:
            self.fail(f"{value!r} is less than a millisecond; give at least {MIN_SECONDS}, or 0 for no limit.",
                      param, ctx)
        return seconds


SECONDS = Seconds()


def timeout_option(default: float | None = DEFAULT_TIMEOUT,
                   each: str = "solver call") -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The one `--timeout` option: a limit of each solve, on by default; 0 or `none` for no limit."""
    return click.option("--timeout", type=SECONDS, default=default, show_default=True,
                        help=f"Time limit of each {each}, in seconds (exit code 5 when reached); "
                             "0 or none: no limit.")


def rules_option(f: Callable[..., None]) -> Callable[..., None]:
    return click.option("--rules", "-r", "rules", multiple=True, type=click.Path(path_type=Path),
                        help="Rule files or folders (default: the bundled knowledge base); NAME=PATH, "
                             "repeated, or a project file (accord.toml) for several rule bases.")(f)


def format_option(f: Callable[..., None]) -> Callable[..., None]:
    return click.option("--format", "-f", "fmt", type=FORMATS, default="human", show_default=True,
                        help="Output format.")(f)


def diagnostics_option(f: Callable[..., None]) -> Callable[..., None]:
    return click.option("--diagnostics", type=DIAGNOSTIC_FORMATS, default="human", show_default=True,
                        help="How to show mistakes in rule files.")(f)


def edition_options(f: Callable[..., None]) -> Callable[..., None]:
    f = click.option("--as-of", help="A date (YYYY-MM-DD): the edition in force then.")(f)
    return click.option("--edition", "-e", help="Edition id, or the year it came into force.")(f)


def emit(renderable: RenderableType | str) -> None:
    """Print a report; off a terminal, without the padding rich adds at the ends of lines. Text is
    drawn first and then every piece of it escaped (`for_terminal`): control characters and escape
    sequences from rule files are shown, never sent to the terminal; rich's own styles are kept."""
    from rich.console import Console  # imported here: JSON output needs no rich
    from rich.segment import Segment, Segments

    console = Console(highlight=False, soft_wrap=False)
    drawn = Segments([s if s.control else Segment(for_terminal(s.text), s.style) for s in console.render(renderable)])
    if console.is_terminal:
        console.print(drawn, crop=False)
        return
    with console.capture() as captured:
        console.print(drawn, crop=False)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


_QUOTED = re.compile(r"`([^`\n]*)`")
_current: list[str] = []  # the rule base a command of several bases is answering for (see `each_base`)


def fail(message: str, code: int) -> NoReturn:
    """Stop with a message; user text quoted in it (`…`) is cut short and unprintable characters
    are escaped, so no input can flood the terminal or drive it (docs/reliability.md)."""
    message = _QUOTED.sub(lambda m: f"`{brief(m.group(1))}`", message)
    if _current:
        message = f"{_current[-1]}: {message}"
    message = for_terminal(message)
    sys.stderr.write(f"accord: {message}\n")
    raise click.exceptions.Exit(code)


def show_diagnostics(err: AccordError, style: str, code: int = EXIT_RULES) -> NoReturn:
    text = {"human": render.human, "short": render.short, "json": render.as_json}[style](err.diagnostics)
    sys.stderr.write(text)
    count = len(err.diagnostics)
    if style == "human":
        sys.stderr.write(f"\n{count} problem{'s' if count != 1 else ''} found.\n")
    raise click.exceptions.Exit(code)


def load_rules(rules: tuple[Path, ...], style: str) -> KnowledgeBase:
    from accord.knowledge.base import load  # imported here: `accord --help` needs no engine

    try:
        kb = load(list(rules) or None)
    except AccordError as err:
        show_diagnostics(err, style)
    # The rule base and the modules loaded so far live as long as the command: the garbage collector
    # need not look through them again each time it runs (about 6% of a cold `accord query`).
    gc.freeze()
    return kb


def load_bases(rules: tuple[Path, ...], style: str) -> Project:
    """The rule bases of `--rules` (or of positional paths): one unnamed base, as before, unless the
    paths name bases (`NAME=PATH`, a project file)."""
    from accord.knowledge.project import load_project

    try:
        project = load_project(list(rules))
    except AccordError as err:
        codes = {d.code for d in err.diagnostics}
        show_diagnostics(err, style, EXIT_USAGE if codes == {"bad-project"} else EXIT_RULES)
    gc.freeze()
    return project


Names = Callable[[str | None], str | None]


def each_base(project: Project, names: list[tuple[str, str | None]], fmt: str, style: str,
              run: Callable[[KnowledgeBase, Names], None]) -> None:
    """Run a command on every base its names belong to (all bases when none pins it): with one
    unnamed base, just as before; with several, a section per base in the order of their names
    (JSON: `{"bases": [{"base": NAME, "result": …}]}`), and the largest exit code of any section."""
    given = [(kind, text) for kind, text in names if text is not None]
    try:
        targets = project.targets(given)
    except AccordError as err:
        show_diagnostics(err, style, EXIT_USAGE)
    if project.single:
        run(targets[0][0].kb, lambda text: text)
        return
    codes, results = [], []
    for base, plain in targets:
        def local(text: str | None, plain: dict[tuple[str, str], str] = plain) -> str | None:
            return next((v for (_, t), v in plain.items() if t == text), text)
        buffer = io.StringIO()
        if fmt != "json":
            sys.stdout.write(("## Rule base " if fmt == "markdown" else "== rule base ") + base.name
                             + ("\n\n" if fmt == "markdown" else " ==\n"))
            sys.stdout.flush()
        _current.append(base.name)
        try:
            with contextlib.redirect_stdout(buffer) if fmt == "json" else contextlib.nullcontext():
                run(base.kb, local)
        except click.exceptions.Exit as done:
            codes.append(done.exit_code)
        finally:
            _current.pop()
        results.append({"base": base.name, "result": json.loads(buffer.getvalue()) if buffer.getvalue() else None})
    if fmt == "json":
        sys.stdout.write(json.dumps({"bases": results}, indent=2, ensure_ascii=False) + "\n")
    if any(codes):
        raise click.exceptions.Exit(max(codes))


def one_base(project: Project, names: list[tuple[str, str | None]], style: str,
             what: str) -> tuple[KnowledgeBase, Names]:
    """The one base a command that answers for one base is about: the one unnamed base, or the base
    its names pin (qualify an edition: `nato.e1952`); a usage error when they pin none."""
    try:
        targets = project.targets([(kind, text) for kind, text in names if text is not None])
    except AccordError as err:
        show_diagnostics(err, style, EXIT_USAGE)
    if len(targets) > 1:
        fail(f"{what} answers for one rule base; name an edition of one of them ("
             f"{', '.join(b.name for b, _ in targets)}), e.g. `{targets[0][0].name}.EDITION`.", EXIT_USAGE)
    base, plain = targets[0]
    return base.kb, lambda text: next((v for (_, t), v in plain.items() if t == text), text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"`{text}` is not a date; write YYYY-MM-DD, for example 2016-03-29.", EXIT_USAGE)


def edition_id(kb: KnowledgeBase, edition: str | None, as_of: str | None) -> str:
    from accord.knowledge.base import EditionChoiceError

    if (edition is None) == (as_of is None):
        fail("give exactly one of --edition and --as-of.", EXIT_USAGE)
    try:
        if edition is not None:
            return kb.edition(edition).id
        return kb.edition_as_of(_date(as_of or "")).id
    except EditionChoiceError as err:
        fail(str(err), EXIT_USAGE)


