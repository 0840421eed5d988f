"""The `accord editions`, `vocab`, `compile` and `coverage` commands: what a rule base holds.

In: the command line (the rules, an edition, the output format). Out: the listing on stdout (human
text or `--format json`; `compile` prints the answer-set program), messages on stderr, and the exit
codes of `accord.cli`: 0 success, 1 a section of the source texts unaccounted for (`coverage`),
2 a bad command line, 3 rule files with errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from accord.analyses.coverage.sources import coverage
from accord.analyses.query import engine
from accord.cli.common import (
    EXIT_FINDINGS,
    Names,
    diagnostics_option,
    each_base,
    edition_id,
    edition_options,
    emit,
    format_option,
    load_bases,
    rules_option,
)
from accord.knowledge.base import KnowledgeBase
from accord.report import query as report
from accord.results.coverage import Accounted


@click.command()
@rules_option
@format_option
@diagnostics_option
def editions(rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """List the editions, oldest first."""

    def run(kb: KnowledgeBase, _: Names) -> None:
        if fmt == "json":
            sys.stdout.write(report.editions_json(kb.editions()))
        else:
            emit(report.editions_table(kb.editions()))

    each_base(load_bases(rules, diagnostics), [], fmt, diagnostics, run)


@click.command()
@click.option("--edition", "-e", help="Only the vocabulary this edition includes.")
@rules_option
@format_option
@diagnostics_option
def vocab(edition: str | None, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Show the vocabulary: sorts, facts, definitions, actions and constraints."""

    def run(kb: KnowledgeBase, local: Names) -> None:
        view = kb.rules.edition_view(edition_id(kb, local(edition), None)) if edition else kb.rules
        if fmt == "json":
            sys.stdout.write(report.dumps(report.vocabulary_data(view)))
        else:
            emit(report.vocabulary_human(view))

    each_base(load_bases(rules, diagnostics), [("edition", edition)], fmt, diagnostics, run)


@click.command("compile")
@edition_options
@rules_option
@diagnostics_option
def compile_(edition: str | None, as_of: str | None, rules: tuple[Path, ...], diagnostics: str) -> None:
    """Print the answer-set program of an edition."""

    def run(kb: KnowledgeBase, local: Names) -> None:
        sys.stdout.write(engine(kb, edition_id(kb, local(edition), as_of)).program_text)

    each_base(load_bases(rules, diagnostics), [("edition", edition)], "asp", diagnostics, run)


@click.command("coverage")
@click.option("--edition", "-e", help="Only the sources and clauses this edition includes.")
@click.option("--missing", is_flag=True, help="List only sections that are not accounted for.")
@rules_option
@format_option
@diagnostics_option
def coverage_(edition: str | None, missing: bool, rules: tuple[Path, ...], fmt: str, diagnostics: str) -> None:
    """Which clauses encode each section of the source texts; fails if any is unaccounted for."""

    def run(kb: KnowledgeBase, local: Names) -> None:
        chosen = edition_id(kb, local(edition), None) if edition else None
        rows = coverage(kb.rules, chosen)
        shown = [r for r in rows if r.status is Accounted.UNACCOUNTED] if missing else rows
        if fmt == "json":
            sys.stdout.write(report.dumps(shown))
        else:
            emit(report.coverage_human(shown, rows))
        if any(r.status is Accounted.UNACCOUNTED for r in rows) or not rows:
            raise click.exceptions.Exit(EXIT_FINDINGS)

    each_base(load_bases(rules, diagnostics), [("edition", edition)], fmt, diagnostics, run)
