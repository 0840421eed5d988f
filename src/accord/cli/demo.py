"""`make demo`: the story a newcomer should see first.

In: the bundled knowledge base. Out: the scenario of the April 2015 news report (an attack on U.S.
forces near Japan while Japan itself is not attacked) answered under the 1997 Guidelines, under
the 2015 Guidelines before the 2016 laws, and after them: a side-by-side table of every action
whose label (or, without layers, status) changes, the layers and clauses that decide the headline
action (the SDF's use of force to defend the U.S. ship) in each edition, and the minimal
conditions under which the 2016 law permits it.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accord.analyses.explain.when import when
from accord.analyses.query import query
from accord.knowledge.base import load
from accord.language.diagnostics import AccordError
from accord.language.render import human
from accord.report.explain import when_human
from accord.report.layers import headline_text
from accord.report.query import query_human
from accord.results.query import ActionResult, QueryResult, Verdict

SCENARIO = "news_2015_us_ship_attacked"
EDITIONS = ("e1997", "e2015", "e2016")
HEADLINE = ("sdf", "use_of_force", ("collective",))
_STYLE = {
    Verdict.PERMITTED: "green", Verdict.POSSIBLY_PERMITTED: "yellow", Verdict.FORBIDDEN: "red",
    Verdict.REQUIRED: "blue", Verdict.CONFLICT: "magenta", Verdict.NOT_PERMITTED: "dim",
}


def comparison(results: list[QueryResult]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("action", no_wrap=True)
    for r in results:
        table.add_column(f"{r.edition.id}\n{r.edition.in_force}")
    for i, action in enumerate(results[0].actions):
        row = [r.actions[i] for r in results]
        if len({headline_text(a) for a in row}) > 1:
            table.add_row(action.label, *(Text(headline_text(a), style=_STYLE[a.verdict]) for a in row))
    return table


def main() -> None:
    console = Console(highlight=False)
    console.width = max(console.width, 110)
    if console.is_terminal:
        tell(console)
        return
    with console.capture() as captured:
        tell(console)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def tell(console: Console) -> None:
    """The story, printed on `console`."""
    try:
        kb = load()
    except AccordError as err:
        sys.stderr.write(human(err.diagnostics))
        sys.exit(3)
    scenario = kb.scenario(SCENARIO)
    results = [query(kb, e, scenario=SCENARIO) for e in EDITIONS]
    console.print(Text(f"Scenario {scenario.name}", style="bold"))
    console.print(Text(scenario.description))
    console.print()
    console.print(Text("What changes from one edition to the next:", style="bold"))
    console.print(comparison(results))
    actor, action, args = HEADLINE
    for result in results:
        console.print()
        console.rule(f"{result.edition.id}: {result.edition.title}")
        console.print(query_human(_only(result, result.action(actor, action, args)), show_all=True))
    console.print()
    console.rule(f"When may the SDF use force for another country under {EDITIONS[-1]}?")
    conditions = when(kb, f"{actor} {action}({', '.join(args)})", EDITIONS[-1], cap=2)
    console.print(when_human(conditions), end="", markup=False, highlight=False, soft_wrap=True)
    console.print()
    for hint in (
        f"accord query -e {EDITIONS[-1]} {SCENARIO}            every action, with its clauses",
        f"accord explain -e {EDITIONS[1]} {SCENARIO} '{actor} {action}({', '.join(args)})'",
        f"accord diff {EDITIONS[0]} {EDITIONS[-1]}                  what changed, with witness scenarios",
    ):
        console.print(Text("Try: " + hint, style="dim"))


def _only(result: QueryResult, action: ActionResult) -> QueryResult:
    """The result with just one action, for a focused report."""
    return replace(result, actions=(action,))


if __name__ == "__main__":
    main()
