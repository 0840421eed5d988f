"""Reports for people: explanations, minimal scenarios, semantic findings and clause coverage.

In: the result objects of `accord.results.explain`. Out: plain text (no colour, no wrapping, so a
rerun or another terminal gives the same bytes): the "why" and "why not" trees with a mark per
step (✓ holds, ✗ does not hold), clause ids with citations and descriptions, facts with their
descriptions; never an ASP atom. Free text from rule files comes out with anything unprintable
escaped (`accord.util.text.for_terminal`), so no rule file can drive the terminal. JSON is a dump
of the same objects (`accord.report.query.dumps`).
"""

from __future__ import annotations

from accord.results.explain import (
    ChangeSet,
    CoverageReport,
    Explanation,
    Finding,
    MinimalScenario,
    ReadingExplanation,
    Step,
    WhenResult,
    absence_text,
)
from accord.results.query import ClauseRef, EditionRef, FactRef, Verdict
from accord.util.text import for_terminal

_VERDICT_WORDS = {
    Verdict.CONFLICT: "CONFLICT (required and forbidden at once)",
    Verdict.REQUIRED: "REQUIRED",
    Verdict.PERMITTED: "PERMITTED",
    Verdict.POSSIBLY_PERMITTED: "POSSIBLY PERMITTED (in some completions of the unknown facts, not all)",
    Verdict.FORBIDDEN: "FORBIDDEN (a prohibition applies)",
    Verdict.NOT_PERMITTED: "NOT PERMITTED",
}
LEGEND = "(✓ holds, ✗ does not hold)"


def _edition(e: EditionRef) -> str:
    return e.heading


def steps(tree: tuple[Step, ...], indent: int) -> list[str]:
    lines: list[str] = []
    for step in tree:
        note = f" ({step.note})" if step.note else ""
        lines.append(f"{'  ' * indent}{'✓' if step.holds else '✗'} {step.text}{note}")
        lines.extend(steps(step.children, indent + 1))
    return lines


def _clause_ref(ref: ClauseRef) -> str:
    return f"{ref.id} [{ref.cite}] {ref.says}"


def _facts(facts: tuple[FactRef, ...]) -> list[str]:
    true = [f.fact for f in facts if f.value == "true"]
    unknown = [f.fact for f in facts if f.value == "unknown"]
    lines = ["Facts: " + (", ".join(true) if true else "none (every fact is false)")]
    if unknown:
        lines.append("Unknown: " + ", ".join(unknown) + " (every completion is considered)")
    return lines


def _change_set(number: int, s: ChangeSet) -> list[str]:
    words = {"add": "add", "retract": "retract", "assume true": "decide true", "assume false": "decide false"}
    out = []
    for i, c in enumerate(s.changes):
        lead = f"{number}. " if i == 0 else " " * (len(str(number)) + 2)
        out.append(f"    {lead}{words[c.change]}: {c.description} [{c.fact}]")
    pad = " " * (len(str(number)) + 6)
    if not s.changes:
        out.append(f"    {number}. nothing: it already is")
    decided = "; ".join(_clause_ref(r) for r in s.decided_by)
    after = s.verdict_after.value
    if s.label_after is not None:
        after = f"{s.label_after.replace('_', ' ')} ({after})"
    out.append(f"{pad}then {after}" + (f", decided by {decided}" if decided else ", as no clause then permits it"))
    return out


def layer_lines(r: ReadingExplanation) -> list[str]:
    """The label of a reading, and why each layer gives its verdict."""
    lines = [f"  LABEL: {(r.label or 'none').replace('_', ' ')}; the layers:"]
    for lr in r.layers:
        why = "; ".join(f"{c.role.value} {c.id} [{c.cite}]" for c in lr.clauses) or "no clause of the layer applies"
        lines.append(f"    {lr.layer}: {lr.verdict.replace('_', ' ')} ({lr.description}): {why}")
    return lines


def explanation_human(e: Explanation) -> str:
    lines = [_edition(e.edition)]
    if e.scenario:
        lines.append(f"Scenario {e.scenario}: {e.description}")
    lines += _facts(e.facts)
    lines += ["", f"Action: {e.action} - {e.action_description}"]
    if not e.possible:
        lines += ["", "This scenario is impossible: it breaks the domain constraints"]
        lines += [f"  {v.constraint}: {v.description}" for v in e.violations]
        return for_terminal("\n".join(lines) + "\n")
    assert e.verdict is not None
    if e.labels:
        words = " or ".join(ref.description for ref in e.labels)
        lines.append(f"Label: {words}" + (" (in different completions)" if len(e.labels) > 1 else ""))
    lines.append(f"Verdict: {_VERDICT_WORDS[e.verdict]}")
    for i, r in enumerate(e.readings, 1):
        lines.append("")
        head = f"Reading {i} of {len(e.readings)}" if len(e.readings) > 1 else "Explanation"
        assumed = ", ".join(f"{f.fact} is {f.value}" for f in r.assumed)
        lines.append(f"{head}" + (f" (with {assumed})" if assumed else "") + f": {r.status.upper()} {LEGEND}")
        if r.layers:
            lines += layer_lines(r)
        if r.why:
            lines.append("  WHY")
            lines += steps(r.why, 2)
        if r.why_not:
            lines.append("  WHY NOT: the clauses that could have permitted it, and the prohibitions that apply")
            lines += steps(r.why_not, 2)
    lines += ["", "WHAT WOULD HAVE TO CHANGE"]
    if not e.changes and not e.changes_note:
        lines.append("  (not searched)")
    number = 0
    for target in dict.fromkeys(s.target for s in e.changes):
        chosen = [s for s in e.changes if s.target == target]
        if chosen:
            lines.append(f"  To make it {target}" + (" in every completion:" if e.facts and any(
                f.value == "unknown" for f in e.facts) else ":"))
        for s in chosen:
            number += 1
            lines += _change_set(number, s)
    if e.changes_note:
        lines.append(f"  {e.changes_note}")
    if e.more_changes:
        lines.append("  (there are more minimal changes; raise --changes to see them)")
    return for_terminal("\n".join(lines) + "\n")


def _scenario(number: int, s: MinimalScenario, goal: str = "permitted") -> list[str]:
    parts = [f"{c.description} [{c.fact}]" for c in s.facts]
    parts += [absence_text(c) for c in s.relies_on_absence]
    if not parts:
        parts = ["always: no fact needs to hold"]
    lead = f"  {number}. "
    out = [lead + parts[0]] + [" " * len(lead) + "AND " + p for p in parts[1:]]
    decided = "; ".join(_clause_ref(r) for r in s.decided_by)
    out.append(" " * len(lead) + ("permitted by " if goal == "permitted" else "decided by ") + decided)
    return out


def when_human(w: WhenResult) -> str:
    lines = [_edition(w.edition), "", f"When is {w.action} {w.goal}? ({w.action_description})"]
    if w.note:
        lines.append(w.note)
        return for_terminal("\n".join(lines) + "\n")
    count = len(w.scenarios)
    lines.append(f"{count} minimal scenario{'s' if count != 1 else ''}: each lists every fact that must hold "
                 "(all others are false) and the facts its derivation needs to be absent.")
    for i, s in enumerate(w.scenarios, 1):
        lines.append("")
        lines += _scenario(i, s, w.goal)
    if w.more:
        lines += ["", f"There are more minimal scenarios; only the first {count} are shown (raise --cap)."]
    return for_terminal("\n".join(lines) + "\n")


def findings_human(findings: list[Finding]) -> str:
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    lines = [f"semantic findings: {len(findings)} ({counts['error']} errors, {counts['warning']} warnings, "
             f"{counts['info']} notes)"]
    edition = None
    for f in findings:
        if f.edition != edition:
            edition = f.edition
            lines += ["", f"edition {edition}"]
        where = f" [{f.clause.cite}] ({f.clause.location})" if f.clause and f.clause.location else ""
        subject = f"{f.clause.id}{where}: " if f.clause else ""
        lines.append(f"  {f.severity}[{f.kind.value}] {subject}{f.message}")
        for other in f.others:
            lines.append(f"      with {other.id} [{other.cite}] {other.says}")
        if f.witness is not None:
            facts = ", ".join(f.witness.facts) or "no fact at all"
            action = f" (action: {f.witness.action})" if f.witness.action else ""
            lines.append(f"      witness: {facts}{action}")
        if f.proof:
            lines.append(f"      proof: {f.proof}")
    return for_terminal("\n".join(lines) + "\n")


def coverage_human(report: CoverageReport) -> str:
    lines = ["clause coverage by the tests:"]
    for e in report.editions:
        lines.append(f"  {e.edition}: {e.covered} of {e.total} clauses exercised ({e.percent:.1f}%)")
        missing = [c for c in e.clauses if not c.covered]
        for c in missing:
            lines.append(f"      not exercised: {c.id} [{c.cite}]")
    lines.append(f"  all editions: {report.covered} of {report.total} ({report.percent:.1f}%)")
    if report.minimum is not None:
        below = [e.edition for e in report.editions if e.percent < report.minimum]
        verdict = "met" if report.passed else f"NOT met by {', '.join(below)}"
        lines.append(f"  minimum {report.minimum:g}% per edition: {verdict}")
    return for_terminal("\n".join(lines) + "\n")
