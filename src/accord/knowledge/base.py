"""The `KnowledgeBase`: a checked rule base with its editions, scenarios and facts.

In: paths of rule files or folders (the bundled rules by default), through `load`. Out: a
`KnowledgeBase` that names editions (by id, year or date), scenarios and facts given as text, and
keeps the engines that analyses build on it (`memo`): each edition is compiled and grounded once,
on first use, by whichever analysis asks first, and reused by every later one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar, cast

from accord.knowledge.facts import ScenarioError, parse_fact
from accord.knowledge.pipeline import build
from accord.language import ir
from accord.language.diagnostics import AccordError, Diagnostic, brief, did_you_mean
from accord.language.grammar import bundled_rules_dir

T = TypeVar("T")


class EditionChoiceError(ValueError):
    """An edition or date that does not pick exactly one edition; the message says why."""


def rule_paths(paths: Path | str | Sequence[Path | str] | None) -> list[Path]:
    """The rule files or folders to load: the given ones, or the bundled rules."""
    if paths is None:
        chosen = [bundled_rules_dir()]
        if not chosen[0].is_dir():  # a wheel built without rules: say so, not "no such file"
            raise AccordError([Diagnostic(
                "no-rules", "NO RULE FILES", "This installation of accord carries no bundled rules.",
                hint="Give rule files or folders: `--rules PATH` on the command line, `accord.load(PATH)` in Python.",
            )])
        return chosen
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def load(paths: Path | str | Sequence[Path | str] | None = None) -> KnowledgeBase:
    """Load and check a rule base; raises `AccordError` with every diagnostic on a mistake."""
    return KnowledgeBase(build(rule_paths(paths)))


class KnowledgeBase:
    def __init__(self, rules: ir.RuleBase) -> None:
        self.rules = rules
        self._memo: dict[tuple[str, str], object] = {}
        self._facts: dict[str, ir.GroundAtom] = {}
        self._days: dict[dt.date, ir.Edition] = {}  # the segment of each date asked (see `edition_as_of`)
        self._points: tuple[tuple[dt.date, ...], dt.date | None] | None = None

    def memo(self, kind: str, edition: str, make: Callable[[], T]) -> T:
        """What `make` builds for an edition (an engine, say), built once and kept under `kind`."""
        key = (kind, edition)
        if key not in self._memo:
            self._memo[key] = make()
        return cast(T, self._memo[key])

    # ---- editions ----------------------------------------------------------------------

    def editions(self) -> list[ir.Edition]:
        return sorted(self.rules.editions.values(), key=lambda e: (e.in_force, e.id))

    def edition(self, name: str) -> ir.Edition:
        """An edition by id, by the year it came into force (`2015`), or a date (`2015-06-01`: the
        law in force that day, see `edition_as_of`)."""
        if name in self.rules.editions:
            return self.rules.editions[name]
        if len(name) == 10 and name[:4].isdigit() and name[4:5] == "-":
            try:
                day = dt.date.fromisoformat(name)
            except ValueError:
                raise EditionChoiceError(f"`{brief(name)}` is not a date; write YYYY-MM-DD.") from None
            return self.edition_as_of(day)
        if name.isdigit() and len(name) == 4:
            matches = [e for e in self.editions() if e.in_force.year == int(name)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                ids = ", ".join(e.id for e in matches)
                raise EditionChoiceError(f"Several editions came into force in {name}: {ids}. Name one.")
        known = ", ".join(e.id for e in self.editions()) or "none"
        raise EditionChoiceError(f"There is no edition `{brief(name)}`. Known editions: {known}.")

    def edition_as_of(self, date: dt.date) -> ir.Edition:
        """What answers for a date: the segment of the timeline holding it (exactly the provisions
        in force that day) when the rules carry dates; otherwise the latest edition on or before it.
        Segments are remembered per date: a batch or a timeline asks for the same days again."""
        known = self._days.get(date)
        if known is not None:
            return known
        if self._points is None:
            self._points = (self.rules.change_points(), self.rules.earliest())
        points, earliest = self._points
        if points:
            first = earliest or points[0]
            if date < first:
                raise EditionChoiceError(f"Nothing is in force on {date.isoformat()}: the earliest provision "
                                         f"enters into force on {first.isoformat()}.")
            if len(self._days) >= _FACTS_KEPT:
                self._days.clear()
            found = self._days[date] = self.rules.edition_of(date.isoformat())
            return found
        in_force = [e for e in self.editions() if e.in_force <= date]
        if not in_force:
            first_edition = self.editions()[0] if self.editions() else None
            since = (f" The first edition, `{first_edition.id}`, came into force on {first_edition.in_force}."
                     if first_edition else "")
            raise EditionChoiceError(f"No edition was in force on {date.isoformat()}.{since}")
        latest = in_force[-1].in_force
        same_day = [e for e in in_force if e.in_force == latest]
        if len(same_day) > 1:
            ids = ", ".join(e.id for e in same_day)
            raise EditionChoiceError(f"Several editions came into force on {latest}: {ids}. Name one.")
        return same_day[0]

    def choose_edition(self, edition: str | None, as_of: dt.date | None) -> str:
        """The id of the edition named, or in force on the date; exactly one of the two is given."""
        if edition is not None and as_of is None:
            return self.edition(edition).id
        if as_of is not None and edition is None:
            return self.edition_as_of(as_of).id
        raise EditionChoiceError("Give exactly one of an edition or an as-of date.")

    # ---- scenarios and facts -------------------------------------------------------------

    def scenario(self, name: str) -> ir.Scenario:
        if name not in self.rules.scenarios:
            close = did_you_mean(name, self.rules.scenarios)
            maybe = f" Maybe you want: {', '.join(close)}." if close else ""
            raise ScenarioError(f"There is no scenario `{brief(name)}`.{maybe}")
        return self.rules.scenarios[name]

    def scenario_facts(
        self, scenario: str | None, facts: Iterable[str] = (), unknown: Iterable[str] = ()
    ) -> tuple[ir.Scenario | None, list[ir.GroundAtom], list[ir.GroundAtom]]:
        """A named scenario (or None) with the facts given as text added: (the scenario, the true
        facts, the unknown facts); `ScenarioError` for a bad name or fact, or a fact given both ways."""
        named = self.scenario(scenario) if scenario is not None else None
        true = list(named.true) if named else []
        open_facts = list(named.unknown) if named else []
        true += [self.parse_fact(f) for f in _listed(facts)]
        open_facts += [self.parse_fact(f) for f in _listed(unknown)]
        clash = sorted(set(true) & set(open_facts))
        if clash:
            raise ScenarioError(f"The fact `{ir.show_atom(clash[0])}` is given both as true and as unknown.")
        return named, true, open_facts

    def parse_fact(self, text: str) -> ir.GroundAtom:
        """Read a ground fact such as `armed_attack_on(japan)`, checked against the vocabulary.
        Facts read once are remembered (batches repeat them); mistakes are not."""
        known = self._facts.get(text) if isinstance(text, str) else None
        if known is None:
            known = parse_fact(self.rules, text)
            if len(self._facts) >= _FACTS_KEPT:
                self._facts.clear()
            self._facts[text] = known
        return known


_FACTS_KEPT = 100_000  # fact texts remembered by `parse_fact`


def _listed(facts: Iterable[str]) -> Iterable[str]:
    """Facts as given; one fact given as a bare string is that one fact, not its characters."""
    return (facts,) if isinstance(facts, str) else facts

