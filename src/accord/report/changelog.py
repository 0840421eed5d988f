"""A diff's behaviour changes by cause, for people, for Markdown and as a self-contained HTML page.

In: a `DiffResult`, its `Changelog` and a limit on the groups shown (0: all). Out: rich renderables,
Markdown text, HTML text, all drawn from one outline (`outline`): the summary; the causes, each
with the clause changes behind it and one line per pattern (an action that moved one way, actors
and arguments merged, a count of instances) with one example witness; the clause changes that
change no behaviour; the vocabulary. `--group action` keeps `accord.report.diff`'s detailed report.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.text import Text

from accord.report.diff import (
    clause_head,
    diff_summary_lines,
    equivalence_sentence,
    status_words,
    vocabulary_lines,
)
from accord.results.changelog import Cause, Changelog, Pattern
from accord.results.diff import DiffResult, SideOutcome, Witness
from accord.util.text import for_html, for_markdown


@dataclass(frozen=True, slots=True)
class Item:
    line: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    groups: tuple[tuple[str | None, tuple[Item, ...]], ...]  # a titled (or untitled) list of items
    more: str | None = None


def _side(name: str, outcome: SideOutcome) -> str:
    clauses = ", ".join(f"{c.role.value} {c.id}" for c in outcome.clauses) or "no clause applies"
    return f"{name} {outcome.verdict.value} ({clauses})"


def _example(result: DiffResult, w: Witness) -> str:
    facts = ", ".join(w.facts) or "no fact holds"
    return f"e.g. when {facts}: {_side('A', w.a)}; {_side('B', w.b)}"


def _pattern(result: DiffResult, p: Pattern) -> Item:
    count = f"{p.count} instance{'s' if p.count != 1 else ''}"
    example = (_example(result, p.example),) if p.example is not None else ()
    return Item(f"{status_words(p.status, p.direction)}: {p.label} ({count})", example)


def cause_title(cause: Cause) -> str:
    if not cause.traced:
        return "causes not traced: no witness was computed (--witnesses 0); ask for witnesses to see them"
    if cause.changes:
        return "; ".join(clause_head(c) for c in cause.changes)
    if cause.vocabulary:
        return "no deciding clause changed; definitions or domain constraints did: " + ", ".join(cause.vocabulary)
    return "no deciding clause, definition or constraint of its own changed (the scenario space did)"


def _limited(count: int, limit: int) -> int:
    return count if limit <= 0 else min(count, limit)


def outline(result: DiffResult, log: Changelog, limit: int) -> list[Section]:
    sections: list[Section] = []
    if result.equivalent:
        sections.append(Section("", ((None, (Item(equivalence_sentence(result)),)),)))
    if log.grouping == "none":
        items = [_pattern(result, p) for c in log.causes for p in c.patterns]
        shown = _limited(len(items), limit)
        more = f"… {len(items) - shown} more change(s): raise --limit (0 shows all)." if shown < len(items) else None
        if items:
            sections.append(Section(f"CHANGES ({len(items)})", ((None, tuple(items[:shown])),), more))
    elif log.causes:
        shown = _limited(len(log.causes), limit)
        hidden = log.causes[shown:]
        more = (f"… {len(hidden)} more cause(s) with {sum(c.instances for c in hidden)} change(s): raise --limit "
                "(0 shows all), or --group action for every witness.") if hidden else None
        groups = tuple((f"{n}. {cause_title(c)}", tuple(_pattern(result, p) for p in c.patterns))
                       for n, c in enumerate(log.causes[:shown], 1))
        sections.append(Section(f"CHANGES BY CAUSE ({len(log.causes)} cause(s), {log.instances} change(s))",
                                groups, more))
    if log.quiet:
        shown = _limited(len(log.quiet), limit)
        more = f"… {len(log.quiet) - shown} more: raise --limit (0 shows all)." if shown < len(log.quiet) else None
        quiet = tuple(Item(clause_head(c)) for c in log.quiet[:shown])
        sections.append(Section(f"CLAUSE CHANGES THAT CHANGE NO BEHAVIOUR ({len(log.quiet)})", ((None, quiet),), more))
    vocabulary = vocabulary_lines(result.vocabulary)
    if vocabulary:
        names = tuple(Item(f"{title}: {', '.join(found)}") for title, found in vocabulary)
        sections.append(Section("VOCABULARY", ((None, names),)))
    return sections


def changelog_human(result: DiffResult, log: Changelog, limit: int) -> RenderableType:
    title, a, b, *summary = diff_summary_lines(result)
    parts: list[RenderableType] = [Text(title, style="bold"), Text(a), Text(b), Text(""),
                                   Text("SUMMARY", style="bold"), *(Text(line) for line in summary)]
    for section in outline(result, log, limit):
        parts.append(Text(""))
        if section.heading:
            parts.append(Text(section.heading, style="bold"))
        for group_title, items in section.groups:
            indent = "  "
            if group_title is not None:
                parts.append(Text(f"  {group_title}", style="bold"))
                indent = "     "
            for item in items:
                parts.append(Text(f"{indent}{item.line}"))
                parts += [Text(f"{indent}  {d}", style="dim") for d in item.details]
        if section.more:
            parts.append(Text(f"  {section.more}"))
    return Group(*parts)


def changelog_markdown(result: DiffResult, log: Changelog, limit: int) -> str:
    title, *summary = diff_summary_lines(result)
    out = [f"# {for_markdown(title)}", ""] + [f"- {for_markdown(line.strip())}" for line in summary] + [""]
    for section in outline(result, log, limit):
        if section.heading:
            out += [f"## {for_markdown(section.heading.capitalize())}", ""]
        for group_title, items in section.groups:
            if group_title is not None:
                out += [f"### {for_markdown(group_title)}", ""]
            for item in items:
                out.append(f"- {for_markdown(item.line)}" if section.heading else for_markdown(item.line))
                out += [f"  - {for_markdown(d)}" for d in item.details]
            out.append("")
        if section.more:
            out += [for_markdown(section.more), ""]
    return "\n".join(out)


_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}"
          "h3{font-size:1rem;margin-bottom:.3rem}ul{margin-top:.2rem}.example{color:#555;font-size:.9em}")


def changelog_html(result: DiffResult, log: Changelog, limit: int) -> str:
    e = for_html
    title, *summary = diff_summary_lines(result)
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{e(title)}</title>",
           f"<style>{_STYLE}</style>", "</head>", "<body>", f"<h1>{e(title)}</h1>", "<ul>"]
    out += [f"<li>{e(line.strip())}</li>" for line in summary] + ["</ul>"]
    for section in outline(result, log, limit):
        if section.heading:
            out.append(f"<h2>{e(section.heading.capitalize())}</h2>")
        for group_title, items in section.groups:
            if group_title is not None:
                out.append(f"<h3>{e(group_title)}</h3>")
            out.append("<ul>")
            out += [f"<li>{e(item.line)}" + "".join(f'<br><span class="example">{e(d)}</span>' for d in item.details)
                    + "</li>" for item in items]
            out.append("</ul>")
        if section.more:
            out.append(f"<p>{e(section.more)}</p>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
