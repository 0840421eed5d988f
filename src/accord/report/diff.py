"""Reports of `accord diff`: a summary first, then the details, for people, for Markdown and as JSON.

In: a `DiffResult`. Out: a rich renderable (human), Markdown text, or JSON text (a dump of the same
result objects, documented in docs/json.md). Nothing here decides anything: every word comes from
the result, in the order the result gives (sorted), so a rerun prints the same bytes. Free text
reaches rich only as `Text` (never read as markup) and Markdown only through
`accord.util.text.for_markdown` (never read as Markdown or HTML).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from accord.results.diff import (
    ClauseChange,
    ClauseChangeKind,
    ClauseSide,
    DiffResult,
    Direction,
    LayerChange,
    Movement,
    SideOutcome,
    SideRef,
    Status,
    StatusChange,
    TargetDiff,
    VocabularyDiff,
    Witness,
)
from accord.results.query import to_json
from accord.util.text import for_markdown

_WORDS = {
    (Status.PERMITTED, Direction.GAINED): "newly permitted",
    (Status.PERMITTED, Direction.LOST): "no longer permitted",
    (Status.FORBIDDEN, Direction.GAINED): "newly forbidden",
    (Status.FORBIDDEN, Direction.LOST): "no longer forbidden",
    (Status.REQUIRED, Direction.GAINED): "newly required",
    (Status.REQUIRED, Direction.LOST): "no longer required",
}
_VOCABULARY = (
    ("sorts_only_a", "sorts only in A"), ("sorts_only_b", "sorts only in B"),
    ("members_only_a", "sort members only in A"), ("members_only_b", "sort members only in B"),
    ("facts_only_a", "facts only in A"), ("facts_only_b", "facts only in B"),
    ("actions_only_a", "actions only in A"), ("actions_only_b", "actions only in B"),
    ("definitions_only_a", "definitions only in A"), ("definitions_only_b", "definitions only in B"),
    ("definitions_changed", "definitions that changed"),
    ("constraints_only_a", "domain constraints only in A"), ("constraints_only_b", "domain constraints only in B"),
    ("constraints_changed", "domain constraints that changed"),
)


def diff_json(result: DiffResult) -> str:
    return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"


# ---- sentences shared by the human and the Markdown reports ----------------------------------


def side_line(name: str, side: SideRef) -> str:
    e = side.edition
    if side.origin != "knowledge base":
        chosen = f"{side.origin}, edition {e.id}"
    else:
        chosen = e.id if side.label == e.id else f"{side.label} = edition {e.id}"
    when = "COUNTERFACTUAL: a bundle of modules" if e.counterfactual else f"in force {e.in_force}"
    return f"{name}: {chosen}: {e.title} ({when})"


def space_sentence(result: DiffResult) -> str:
    s = result.space
    free = s.fact_instances - len(s.given)
    text = (f"all combinations of {s.fact_instances} fact instances ({s.facts} facts over "
            f"{len(s.sorts)} sorts; 2^{free} scenarios")
    text += f" with {', '.join(s.given)} fixed)" if s.given else ")"
    if s.constraints:
        text += f" allowed by the {len(s.constraints)} domain constraint(s) of both sides ({', '.join(s.constraints)})"
    else:
        text += " (no domain constraints)"
    scope = f"{s.targets} actor/action/argument combination(s)"
    if s.actions or s.actors:
        limits = [f"action {', '.join(s.actions)}"] if s.actions else []
        limits += [f"actor {', '.join(s.actors)}"] if s.actors else []
        scope += " (only " + "; ".join(limits) + ")"
    return f"{text}; compared: {scope}, each for permitted, forbidden and required"


def equivalence_sentence(result: DiffResult) -> str:
    a, b = result.a.edition.id, result.b.edition.id
    if result.space.empty:
        return (f"No scenario is possible: no combination of facts satisfies the domain constraints of both "
                f"{a} and {b}" + (f" with {', '.join(result.space.given)}" if result.space.given else "")
                + ", so there is nothing to compare.")
    return (f"Equivalent: {a} and {b} give every action the same status in every scenario of the declared "
            f"space, {space_sentence(result)}. Proof: clingo searched this space exhaustively for a "
            f"scenario in which a status holds on one side and not on the other, and there is none.")


def behaviour_counts(result: DiffResult) -> str:
    s = result.summary
    pairs = [(s.newly_permitted, "newly permitted"), (s.no_longer_permitted, "no longer permitted"),
             (s.newly_forbidden, "newly forbidden"), (s.no_longer_forbidden, "no longer forbidden"),
             (s.newly_required, "newly required"), (s.no_longer_required, "no longer required")]
    pairs.append((s.layer_verdicts_changed, "with a layer's verdict changed"))
    return ", ".join(f"{n} {words}" for n, words in pairs if n)


def clause_counts(result: DiffResult) -> str:
    s = result.summary
    return (f"{s.clauses_added} added, {s.clauses_removed} removed, {s.clauses_changed} changed, "
            f"{s.clauses_carried} carried over")


def vocabulary_lines(v: VocabularyDiff) -> list[tuple[str, tuple[str, ...]]]:
    return [(title, getattr(v, name)) for name, title in _VOCABULARY if getattr(v, name)]


def directions(change: StatusChange | LayerChange) -> list[Direction]:
    """The ways a status or a layer's verdict moved: gained (holds in B only), lost (in A only), or both."""
    return [d for d in Direction if change.movement in (Movement.BOTH, Movement(d.value))]


def status_words(status: Status, direction: Direction) -> str:
    """`newly permitted`, `no longer forbidden`, …"""
    return _WORDS[(status, direction)]


def direction_words(change: StatusChange | LayerChange, direction: Direction) -> str:
    if isinstance(change, LayerChange):
        verdict = change.verdict.replace("_", " ")
        how = "now" if direction is Direction.GAINED else "no longer"
        return f"{change.layer}: {how} {verdict} in some scenarios"
    return f"{status_words(change.status, direction)} in some scenarios"


def all_changes(target: TargetDiff) -> list[StatusChange | LayerChange]:
    """A target's status changes, then its layer verdict changes."""
    return [*target.changes, *target.layer_changes]


def behaviour_sentence(result: DiffResult) -> str:
    s = result.summary
    if result.space.empty:
        return "Behaviour: nothing to compare: no scenario is possible."
    if result.equivalent:
        return "Behaviour: no difference."
    return (f"Behaviour: {s.targets_changed} of {s.targets} actor/action combinations change in some scenario: "
            f"{behaviour_counts(result)}.")


def diff_summary_lines(result: DiffResult) -> list[str]:
    """The title, both sides, and the summary's four sentences (behaviour, clauses, vocabulary, space)."""
    vocabulary = vocabulary_lines(result.vocabulary)
    return [
        f"accord diff: {result.a.edition.id} -> {result.b.edition.id}",
        side_line("A", result.a),
        side_line("B", result.b),
        f"  {behaviour_sentence(result)}",
        f"  Clauses: {clause_counts(result)}.",
        "  Vocabulary: " + ("; ".join(f"{title} ({len(items)})" for title, items in vocabulary)
                            if vocabulary else "the same") + ".",
        f"  Space: {space_sentence(result)}.",
    ]


def outcome_lines(outcome: SideOutcome, cite: Callable[[str], str] = str) -> list[str]:
    """A side's verdict and its deciding clauses, each citation shown through `cite`."""
    lines = [outcome.verdict.value if outcome.label is None else f"{outcome.label} ({outcome.verdict.value})"]
    lines += [f"{layer}: {verdict.replace('_', ' ')}" for layer, verdict in outcome.layers]
    lines += [f"{c.role.value}: {c.id} [{cite(c.cite)}]" for c in outcome.clauses]
    if not outcome.clauses:
        lines.append("no clause applies (default deny)")
    return lines


def clause_head(change: ClauseChange) -> str:
    def ids(sides: tuple[ClauseSide, ...]) -> str:
        return ", ".join(f"{s.id} [{s.cite}]" for s in sides)

    if change.kind is ClauseChangeKind.ADDED:
        return f"added {ids(change.b)}"
    if change.kind is ClauseChangeKind.REMOVED:
        return f"removed {ids(change.a)}"
    how = "" if change.matched_by == "id" else f" ({change.matched_by})"
    what = f": {', '.join(change.differences)} differ" if change.differences else ""
    if change.matched_by == "id":
        return f"{change.kind.value} {ids(change.b)}{what}"
    return f"{change.kind.value} {ids(change.a)} -> {ids(change.b)}{how}{what}"


# ---- human ------------------------------------------------------------------------------------


def _witness_table(result: DiffResult, witness: Witness, number: int) -> RenderableType:
    facts = ", ".join(witness.facts) or "no fact holds"
    table = Table(box=None, header_style="bold", pad_edge=False, title_justify="left",
                  title=f"witness {number} ({len(witness.facts)} fact(s)): {facts}", title_style="")
    table.add_column(f"A {result.a.edition.id}", overflow="fold")
    table.add_column(f"B {result.b.edition.id}", overflow="fold")
    left, right = outcome_lines(witness.a), outcome_lines(witness.b)
    for i in range(max(len(left), len(right))):
        table.add_row(Text(left[i] if i < len(left) else ""), Text(right[i] if i < len(right) else ""))
    return table


def _target_block(result: DiffResult, target: TargetDiff) -> list[RenderableType]:
    parts: list[RenderableType] = [Text.assemble(("  " + target.label, "bold"), f" - {target.description}")]
    for change in all_changes(target):
        for direction in directions(change):
            parts.append(Text(f"    {direction_words(change, direction)}", style="italic"))
            for i, witness in enumerate(change.witnesses(direction), 1):
                parts.append(_indent(_witness_table(result, witness, i)))
    return parts


def _indent(renderable: RenderableType) -> RenderableType:
    return Padding(renderable, (0, 0, 0, 6), expand=False)


def diff_human(result: DiffResult, show_carried: bool = False) -> RenderableType:
    s = result.summary
    parts: list[RenderableType] = [
        Text(f"accord diff: {result.a.edition.id} -> {result.b.edition.id}", style="bold"),
        Text(side_line("A", result.a)),
        Text(side_line("B", result.b)),
        Text(""),
        Text("SUMMARY", style="bold"),
    ]
    style = "bold red" if result.space.empty else "bold green" if result.equivalent else "bold yellow"
    summary = diff_summary_lines(result)
    parts.append(Text(summary[3], style=style))
    parts += [Text(line) for line in summary[4:]]
    vocabulary = vocabulary_lines(result.vocabulary)
    if result.equivalent:
        parts += [Text(""), Text(equivalence_sentence(result), style="green")]
    else:
        parts += [Text(""), Text(f"BEHAVIOUR CHANGES ({s.targets_changed})", style="bold")]
        for target in result.behaviour:
            parts += _target_block(result, target)
    shown = [c for c in result.clauses if show_carried or c.kind is not ClauseChangeKind.CARRIED]
    if shown:
        parts += [Text(""), Text(f"CLAUSE CHANGES ({len(shown)})", style="bold")]
        for change in shown:
            parts.append(Text("  " + clause_head(change)))
            for side, name in ((change.a, "A"), (change.b, "B")):
                for clause in side:
                    parts.append(Text(f"      {name}: {clause.rule}", style="dim"))
        if s.clauses_carried and not show_carried:
            parts.append(Text(f"  {s.clauses_carried} clause(s) carried over unchanged (--carried lists them)."))
    if vocabulary:
        parts += [Text(""), Text("VOCABULARY", style="bold")]
        parts += [Text(f"  {title}: {', '.join(items)}") for title, items in vocabulary]
    return Group(*parts)


# ---- Markdown ---------------------------------------------------------------------------------


def diff_markdown(result: DiffResult, show_carried: bool = False) -> str:
    out = [f"# accord diff: {result.a.edition.id} -> {result.b.edition.id}", "",
           f"- {for_markdown(side_line('A', result.a))}", f"- {for_markdown(side_line('B', result.b))}", "",
           "## Summary", ""]
    out.append("- **Behaviour:**" + behaviour_sentence(result).removeprefix("Behaviour:"))
    out.append(f"- **Clauses:** {clause_counts(result)}.")
    vocabulary = vocabulary_lines(result.vocabulary)
    out.append("- **Vocabulary:** " + ("; ".join(f"{title} ({len(items)})" for title, items in vocabulary)
                                       if vocabulary else "the same") + ".")
    out += [f"- **Space:** {for_markdown(space_sentence(result))}.", ""]
    if result.equivalent:
        out += [equivalence_sentence(result), ""]
    else:
        out += ["## Behaviour changes", ""]
        for target in result.behaviour:
            out += [f"### `{target.label}`", "", for_markdown(target.description), ""]
            for change in all_changes(target):
                for direction in directions(change):
                    out += [f"**{direction_words(change, direction)}**", ""]
                    for i, w in enumerate(change.witnesses(direction), 1):
                        facts = ", ".join(f"`{f}`" for f in w.facts) or "no fact holds"
                        out += [f"Witness {i} ({len(w.facts)} fact(s)): {facts}", "",
                                f"| A `{result.a.edition.id}` | B `{result.b.edition.id}` |", "| --- | --- |",
                                f"| {'<br>'.join(outcome_lines(w.a, for_markdown))} "
                                f"| {'<br>'.join(outcome_lines(w.b, for_markdown))} |",
                                ""]
    shown = [c for c in result.clauses if show_carried or c.kind is not ClauseChangeKind.CARRIED]
    if shown:
        out += ["## Clause changes", "", "| change | A | B |", "| --- | --- | --- |"]
        for clause_change in shown:
            cells = [" ".join(f"`{c.id}` [{for_markdown(c.cite)}]: {for_markdown(c.rule)}" for c in side)
                     for side in (clause_change.a, clause_change.b)]
            head = clause_change.kind.value
            if clause_change.matched_by not in (None, "id"):
                head += f" ({clause_change.matched_by})"
            if clause_change.differences:
                head += f": {', '.join(clause_change.differences)}"
            out.append(f"| {head} | {cells[0] or '-'} | {cells[1] or '-'} |")
        out.append("")
    if vocabulary:
        out += ["## Vocabulary", ""] + [f"- {title}: {', '.join(f'`{i}`' for i in items)}"
                                        for title, items in vocabulary] + [""]
    return "\n".join(out)
