"""Law in time: what is in force on a day, by the day.

(a) A property test (hypothesis): on random dated rule bases (a module period, and clauses with
    several versions and dated citations), for every version with a start day d a query on d-1
    does not use it and a query on d does; for every `until` day e, a query on e-1 uses it and one
    on e does not. "Uses it" is read off the answer: the clause decides the action with the
    version's own citation.
(b) The same on the bundled rules, for every dated version and citation, read off the view of
    the day.
(c) Dates before everything are errors; editions are named dates; a bundle is a counterfactual.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import api
from accord.knowledge.base import EditionChoiceError
from accord.language.check_dates import effective
from accord.language.periods import FIRST, LAST
from accord.results.query import QueryResult

DAY = dt.timedelta(days=1)
ORIGIN = dt.date(2000, 1, 1)

HEAD = """module m "dated" in_force {start} until {end}
sort actor {{ sdf }}
fact go "go"
action patrol by sdf "Patrol"
scenario s "s" {{ go }}
"""


@st.composite
def dated_rules(draw: st.DrawFn) -> tuple[str, list[tuple[str, dt.date, dt.date]]]:
    """A module from day 0 to day 400 and one clause in up to four versions that take turns (some
    with a gap between them), each cited as `v{n}`; the versions' (cite, start, end)."""
    cuts = sorted(draw(st.sets(st.integers(1, 399), min_size=1, max_size=6)))
    days = [0, *cuts, 400]
    versions = []
    text = HEAD.format(start=ORIGIN, end=ORIGIN + 400 * DAY)
    for n, (a, b) in enumerate(itertools.pairwise(days)):
        if draw(st.booleans()) or n == 0:
            start, end = ORIGIN + a * DAY, ORIGIN + b * DAY
            unless = " unless go" if draw(st.booleans()) else ""
            text += (f'clause c in_force {start} until {end} {{ cite "v{n}" sdf may patrol when go{unless} '
                     f'says "s" }}\n')
            versions.append((f"v{n}", start, end))
    return text, versions


def cited(kb: api.KnowledgeBase, day: dt.date) -> set[str]:
    """The citations of the clauses that decide `sdf patrol` on a day."""
    result = kb.query(day.isoformat(), scenario="s")
    return {c.cite for a in result.actions if a.label == "sdf patrol" for c in a.clauses}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(dated_rules())
def test_a_version_is_used_from_its_first_day_and_not_on_its_until_day(
    write_rules: Callable[[str], Path], case: tuple[str, list[tuple[str, dt.date, dt.date]]]
) -> None:
    text, versions = case
    kb = api.load(write_rules(text))
    for cite, start, end in versions:
        assert cite in cited(kb, start)
        assert cite in cited(kb, end - DAY)
        if start > ORIGIN:
            assert cite not in cited(kb, start - DAY)
        assert cite not in cited(kb, end)


def test_every_dated_version_of_the_bundled_rules_on_its_days() -> None:
    kb = api.load()
    base = kb.rules
    first = base.earliest()
    assert first is not None
    checked = 0
    for name, clause in base.clauses.items():
        for version in base.clause_versions.get(name, (clause,)):
            for p in effective(base, version):
                days = [(p.start, True), (p.start - DAY, False)] if p.start != FIRST else []
                days += [(p.end - DAY, True), (p.end, False)] if p.end != LAST else []
                for day, used in days:
                    if day < first:  # nothing at all is in force then
                        assert not used
                        continue
                    shown = base.edition_view(kb.edition_as_of(day).id).clauses.get(name)
                    assert (shown is not None and shown.periods == version.periods) is used, (name, day)
                    checked += 1
    assert checked > 20


def test_a_renumbered_article_is_cited_as_it_stood_that_day() -> None:
    kb = api.load()
    for day, article in (("2000-01-01", "SDF Law Art. 100-8"), ("2007-01-09", "SDF Law Art. 84-3 (before 2016)")):
        view = kb.rules.edition_view(kb.edition(day).id)
        assert view.clauses["law-pre2016.neo"].cite == article


def test_a_query_before_the_statute_cites_no_statute() -> None:
    kb = api.load()
    facts = ["un_pko", "pko_principles", "cabinet_decision"]
    before = kb.query(as_of=dt.date(1980, 1, 1), facts=facts)
    after = kb.query(as_of=dt.date(1993, 1, 1), facts=facts)

    def cites(result: QueryResult) -> set[str]:
        return {c.cite for a in result.actions if a.action == "pko_cooperation" for c in a.clauses}

    assert not any("International Peace Cooperation Act" in c for c in cites(before))
    assert any("International Peace Cooperation Act" in c for c in cites(after))


def test_a_date_before_everything_is_an_error() -> None:
    kb = api.load()
    with pytest.raises(EditionChoiceError, match="earliest provision enters into force on 1954-07-01"):
        kb.edition_as_of(dt.date(1954, 6, 30))


def test_days_of_one_segment_share_one_engine_and_one_answer() -> None:
    kb = api.load()
    assert kb.edition("1999-09-01").id == kb.edition("2001-02-28").id == "1999-08-25"
    assert kb.edition("2001-03-01").id == "2001-03-01"


def test_an_edition_is_a_named_date(write_rules: Callable[[str], Path]) -> None:
    text = HEAD.format(start="2000-01-01", end="2001-01-01") + (
        'clause c in_force 2000-06-01 { cite "c" sdf may patrol when go says "s" }\n'
        'edition early { title "Early" in_force 2000-02-01 }\n'
        'edition late { title "Late" in_force 2000-07-01 }\n'
        'edition bundle { title "All of it" in_force 2000-02-01 include m }\n')
    kb = api.load(write_rules(text))
    assert set(kb.rules.edition_view("early").clauses) == set()
    assert set(kb.rules.edition_view("late").clauses) == {"c"}
    assert not kb.rules.editions["late"].counterfactual
    assert kb.rules.editions["bundle"].counterfactual  # in a dated rule base, a bundle is a counterfactual
    result = kb.query("bundle", scenario="s")
    assert result.edition.counterfactual and "COUNTERFACTUAL" in result.edition.heading
