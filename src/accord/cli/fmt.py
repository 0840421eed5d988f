"""The `accord fmt` command: rule files rewritten in their canonical layout.

In: the command line (rule files or folders of them, `--check`). Out: changed files rewritten in
place and their names on stdout, or with `--check` a unified diff of every file that would change
and nothing written; diagnostics on stderr for files that cannot be read or do not parse (those are
left as they are). Exit codes: 0 nothing to do (or done), 1 with `--check` when a file would
change, 2 a bad command line, 3 a file with errors.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from accord.cli.common import EXIT_FINDINGS, EXIT_RULES, diagnostics_option
from accord.knowledge.loader import SUFFIX, load_sources
from accord.language import render
from accord.language.diagnostics import Sink
from accord.language.formatter import format_source
from accord.language.source import SourceFile


def _files(paths: tuple[Path, ...], sink: Sink) -> list[tuple[Path, SourceFile]]:
    """Every rule file named or inside a folder named, read; unreadable ones reported in `sink`."""
    found: list[Path] = []
    for given in paths:
        if given.is_dir():
            found.extend(sorted(p for p in given.rglob(f"*{SUFFIX}") if p.is_file()))
        else:
            found.append(given)
    out, seen = [], set()
    for path in found:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        for source in load_sources([path], sink):
            out.append((path, SourceFile(path.as_posix(), source.text)))
    return out


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; print the diff of every file that would change and exit 1 if any would.")
@diagnostics_option
def fmt(paths: tuple[Path, ...], check_only: bool, diagnostics: str) -> None:
    """Rewrite rule files in the canonical layout, comments kept."""
    sink = Sink()
    changed = 0
    for path, source in _files(paths, sink):
        formatted = format_source(source, sink)
        if formatted is None or formatted == source.text:
            continue
        changed += 1
        if check_only:
            sys.stdout.writelines(difflib.unified_diff(
                source.text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                f"{source.name} (original)", f"{source.name} (formatted)"))
        else:
            path.write_text(formatted, encoding="utf-8")
            sys.stdout.write(f"formatted {source.name}\n")
    if sink.items:
        sys.stderr.write({"human": render.human, "short": render.short, "json": render.as_json}[diagnostics](
            sink.sorted()))
        raise click.exceptions.Exit(EXIT_RULES)
    if check_only and changed:
        sys.stderr.write(f"{changed} file{'s' if changed != 1 else ''} would be reformatted.\n")
        raise click.exceptions.Exit(EXIT_FINDINGS)
