"""The Python facade: loading, choosing editions, and facts given as text (accord.api, accord.knowledge.facts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

import accord
from accord import api
from accord.api import EditionChoiceError, KnowledgeBase, ScenarioError
from accord.knowledge import base
from accord.language.diagnostics import AccordError

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

DATED = """module m
sort actor { sdf }
fact alarm "x"
action act by sdf "Act"
clause c { cite "x" sdf may act when alarm says "s" }
edition e2014 { title "2014" in_force 2014-07-01 include m }
edition e2015b { title "2015, later" in_force 2015-09-19 include m }
edition e2015a { title "2015, earlier" in_force 2015-04-27 include m }
edition e2016b { title "2016, one" in_force 2016-03-29 include m }
edition e2016a { title "2016, other" in_force 2016-03-29 include m }
"""


@pytest.fixture
def dated(load_rules: Callable[[str], KnowledgeBase]) -> KnowledgeBase:
    return load_rules(DATED)


# ---- loading ------------------------------------------------------------------------------------------


def test_load_takes_a_path_a_string_or_a_list() -> None:
    assert set(api.load(MINI).rules.editions) == {"e1"}
    assert set(api.load(str(MINI)).rules.editions) == {"e1"}
    assert set(api.load([MINI / "mini.accord"]).rules.editions) == {"e1"}


def test_the_package_exports_the_facade() -> None:
    assert accord.load is api.load
    assert accord.KnowledgeBase is KnowledgeBase
    assert accord.ScenarioError is ScenarioError


def test_loading_bad_rules_raises_with_every_diagnostic(write_rules: Callable[[str], Path]) -> None:
    path = write_rules("module m\nsort s { a, a }\nfact f(nope) \"x\"\n")
    with pytest.raises(AccordError) as caught:
        api.load(path)
    assert [d.code for d in caught.value.diagnostics] == ["duplicate-name", "unknown-sort"]
    assert str(caught.value) == "2 problem(s)"


def test_loading_a_missing_path_raises() -> None:
    with pytest.raises(AccordError) as caught:
        api.load("no/such/rules")
    assert [d.code for d in caught.value.diagnostics] == ["no-such-file"]


# ---- choosing an edition --------------------------------------------------------------------------------


def test_editions_are_listed_by_date_then_id(dated: KnowledgeBase) -> None:
    assert [e.id for e in dated.editions()] == ["e2014", "e2015a", "e2015b", "e2016a", "e2016b"]


def test_edition_by_id(dated: KnowledgeBase) -> None:
    assert dated.edition("e2015b").title == "2015, later"


def test_edition_by_year(dated: KnowledgeBase) -> None:
    assert dated.edition("2014").id == "e2014"


def test_a_year_with_several_editions_is_ambiguous(dated: KnowledgeBase) -> None:
    with pytest.raises(EditionChoiceError) as caught:
        dated.edition("2015")
    assert str(caught.value) == "Several editions came into force in 2015: e2015a, e2015b. Name one."


@pytest.mark.parametrize("name", ["nope", "2013", "E2014", "e2014 ", "", "201"])
def test_an_unknown_edition_lists_the_known_ones(dated: KnowledgeBase, name: str) -> None:
    with pytest.raises(EditionChoiceError) as caught:
        dated.edition(name)
    assert str(caught.value) == (
        f"There is no edition `{name}`. Known editions: e2014, e2015a, e2015b, e2016a, e2016b."
    )


@pytest.mark.parametrize(
    ("day", "edition"),
    [
        (dt.date(2014, 7, 1), "e2014"),  # the day it comes into force
        (dt.date(2015, 4, 26), "e2014"),
        (dt.date(2015, 4, 27), "e2015a"),
        (dt.date(2015, 9, 18), "e2015a"),
        (dt.date(2016, 3, 28), "e2015b"),
    ],
)
def test_edition_as_of_a_date(dated: KnowledgeBase, day: dt.date, edition: str) -> None:
    assert dated.edition_as_of(day).id == edition


def test_a_date_before_the_first_edition(dated: KnowledgeBase) -> None:
    with pytest.raises(EditionChoiceError) as caught:
        dated.edition_as_of(dt.date(2014, 6, 30))
    assert str(caught.value) == (
        "No edition was in force on 2014-06-30. The first edition, `e2014`, came into force on 2014-07-01."
    )


@pytest.mark.parametrize("day", [dt.date(2016, 3, 29), dt.date(2099, 1, 1)])
def test_editions_in_force_on_the_same_day_are_ambiguous(dated: KnowledgeBase, day: dt.date) -> None:
    with pytest.raises(EditionChoiceError) as caught:
        dated.edition_as_of(day)
    assert str(caught.value) == "Several editions came into force on 2016-03-29: e2016a, e2016b. Name one."


def test_a_rule_base_without_editions(load_rules: Callable[[str], KnowledgeBase]) -> None:
    kb = load_rules("module m\n")
    assert kb.editions() == []
    with pytest.raises(EditionChoiceError) as caught:
        kb.edition_as_of(dt.date(2020, 1, 1))
    assert str(caught.value) == "No edition was in force on 2020-01-01."
    with pytest.raises(EditionChoiceError) as caught:
        kb.edition("e1")
    assert str(caught.value) == "There is no edition `e1`. Known editions: none."


def test_query_by_edition_or_as_of_date(dated: KnowledgeBase) -> None:
    by_id = dated.query("e2015a", facts=["alarm"])
    by_year = dated.query("2014", facts=["alarm"])
    by_date = dated.query(as_of=dt.date(2015, 5, 1), facts=["alarm"])
    assert by_id.edition.id == by_date.edition.id == "e2015a"
    assert by_year.edition.id == "e2014"
    assert by_date.action("sdf", "act").verdict.value == "permitted"


def test_query_needs_exactly_one_of_edition_and_date(dated: KnowledgeBase) -> None:
    with pytest.raises(EditionChoiceError, match="exactly one"):
        dated.query(facts=["alarm"])
    with pytest.raises(EditionChoiceError, match="exactly one"):
        dated.query("e2014", as_of=dt.date(2015, 1, 1), facts=["alarm"])


def test_compile_gives_the_edition_s_program(dated: KnowledgeBase) -> None:
    assert dated.compile("e2014").startswith("% accord edition e2014: 2014\n")
    assert dated.compile("2014") == dated.compile("e2014")


# ---- scenarios and facts given as text ------------------------------------------------------------------------


def test_an_unknown_scenario_suggests_a_close_one(mini: KnowledgeBase) -> None:
    with pytest.raises(ScenarioError) as caught:
        mini.query("e1", scenario="partner_attacks")
    assert str(caught.value) == "There is no scenario `partner_attacks`. Maybe you want: partner_attacked."
    with pytest.raises(ScenarioError) as caught:
        mini.query("e1", scenario="zzz")
    assert str(caught.value) == "There is no scenario `zzz`."


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("cabinet_decision", ("cabinet_decision", ())),
        ("armed_attack_on(japan)", ("armed_attack_on", ("japan",))),
        ("  armed_attack_on (  japan )  ", ("armed_attack_on", ("japan",))),
        ("armed_attack_on(\u00a0japan\u00a0)", ("armed_attack_on", ("japan",))),
    ],
)
def test_facts_as_text(mini: KnowledgeBase, text: str, fact: tuple[str, tuple[str, ...]]) -> None:
    assert mini.parse_fact(text) == fact


def bad_fact(kb: KnowledgeBase, text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        kb.query("e1", facts=[text])
    with pytest.raises(ScenarioError):
        kb.query("e1", unknown=[text])
    return str(caught.value)


def test_an_unknown_fact_suggests_close_names(mini: KnowledgeBase) -> None:
    assert bad_fact(mini, "armed_attack(japan)") == (
        "`armed_attack` is not a known fact. Maybe you want: armed_attack_on."
    )
    assert bad_fact(mini, "cabinet_decisions") == (
        "`cabinet_decisions` is not a known fact. Maybe you want: cabinet_decision."
    )
    assert bad_fact(mini, "zzz") == "`zzz` is not a known fact."


def test_a_definition_is_not_a_fact(mini: KnowledgeBase) -> None:
    assert bad_fact(mini, "survival_situation") == (
        "`survival_situation` is a definition, which accord derives. Maybe you want: survival_threatened."
    )


def test_the_wrong_number_of_arguments(mini: KnowledgeBase) -> None:
    assert bad_fact(mini, "armed_attack_on") == (
        "`armed_attack_on` takes 1 argument(s) (party), but `armed_attack_on` gives 0."
    )
    assert bad_fact(mini, "armed_attack_on(japan, us_forces)") == (
        "`armed_attack_on` takes 1 argument(s) (party), but `armed_attack_on(japan, us_forces)` gives 2."
    )
    assert bad_fact(mini, "cabinet_decision(japan)") == (
        "`cabinet_decision` takes 0 argument(s) (none), but `cabinet_decision(japan)` gives 1."
    )


def test_an_argument_that_is_not_a_member_of_the_sort(mini: KnowledgeBase) -> None:
    assert bad_fact(mini, "armed_attack_on(japn)") == (
        "`japn` is not a member of sort `party` in `armed_attack_on(japn)`. Maybe you want: japan."
    )
    assert bad_fact(mini, "armed_attack_on(sdf)") == "`sdf` is not a member of sort `party` in `armed_attack_on(sdf)`."


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "armed_attack_on()",
        "armed_attack_on(japan",
        "armed_attack_on(japan))",
        "armed_attack_on(japan). holds(x",
        'armed_attack_on("japan")',
        "armed_attack_on(Japan)",
        "armed_attack_on(X)",
        "armed_attack_on(japan,)",
        "armed_attack_on(japan) :- cabinet_decision",
        "cabinet_decision.",
        "not cabinet_decision",
        "#show holds/1",
        "%* cabinet_decision *%",
        "armed_attack_on(日本)",
        "Cabinet_decision",
        "cabinet-decision",
        "cabinet_decision\n:- true",
        "cabinet_decision\x00",
    ],
)
def test_malformed_fact_text_is_refused_with_a_message(mini: KnowledgeBase, text: str) -> None:
    message = bad_fact(mini, text)
    assert message
    assert "Traceback" not in message


def test_asp_syntax_in_fact_text_says_how_to_write_a_fact(mini: KnowledgeBase) -> None:
    assert bad_fact(mini, "cabinet_decision. :- true") == (
        "`cabinet_decision. :- true` is not a fact. "
        "Write a fact name with its arguments, e.g. `armed_attack_on(japan)`."
    )
    assert bad_fact(mini, 'armed_attack_on("japan")') == (
        '`armed_attack_on("japan")` is not a fact. Write a fact name with its arguments, e.g. `armed_attack_on(japan)`.'
    )


def test_huge_fact_text_is_refused_and_shortened_in_the_message(mini: KnowledgeBase) -> None:
    message = bad_fact(mini, "armed_attack_on(" + "x" * 100_000 + ")")
    assert message == f"The fact `armed_attack_on({'x' * 41}...` is too long (100017 characters)."
    assert bad_fact(mini, "a" * 900).endswith("` is not a known fact.")


def test_a_fact_both_true_and_unknown(mini: KnowledgeBase) -> None:
    with pytest.raises(ScenarioError) as caught:
        mini.query("e1", facts=["cabinet_decision"], unknown=["cabinet_decision"])
    assert str(caught.value) == "The fact `cabinet_decision` is given both as true and as unknown."


def test_a_scenario_plus_facts(mini: KnowledgeBase) -> None:
    result = mini.query("e1", scenario="partner_attacked", facts=["armed_attack_on(japan)"])
    assert [f.fact for f in result.facts if f.value == "true"] == [
        "armed_attack_on(close_partner)", "armed_attack_on(japan)", "cabinet_decision",
    ]


def test_an_installation_without_bundled_rules_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A wheel built without rules has no `_data/rules`: that is `no-rules`, not `no-such-file`."""
    monkeypatch.setattr(base, "bundled_rules_dir", lambda: tmp_path / "_data" / "rules")
    with pytest.raises(AccordError) as caught:
        api.load()
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "no-rules" and diagnostic.span is None
    assert diagnostic.message == "This installation of accord carries no bundled rules."
    assert "--rules" in (diagnostic.hint or "")
