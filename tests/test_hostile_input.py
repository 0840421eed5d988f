"""Hostile scenario input: fact names and values holding quotes, ASP syntax (`.`, `:-`, `#`, `%`),
unicode, control characters, huge numbers and huge strings, given on the command line (`--fact`,
`--unknown`, a scenario name), in rule and scenario files, in JSONL batches and through the API.

Each is rejected with a short, printable message that names the bad item (cut to 60 characters,
unprintable characters escaped), or handled exactly. And no input can add a rule to the solver's
program: user text in rule files reaches the program only inside comments and string literals
(clingo's own parser sees the same statements whatever the text), and scenario input only chooses
assumptions among the `holds/1` atoms grounded once: after any number of hostile queries, nothing
was added to or grounded in the solver, and the compiled program is byte for byte the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import clingo
import clingo.ast
import pytest
from conftest import MINI, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import api
from accord.analyses.batch.lines import Evaluator
from accord.knowledge.facts import ScenarioError
from accord.language.diagnostics import brief
from accord.language.printer import quote

MINI_TEXT = (MINI / "mini.accord").read_text(encoding="utf-8")

# Facts that must be refused, wherever they come from. None of them holds a NUL or a lone surrogate,
# so that each can also be a command-line argument (those two are tried through the API below).
HOSTILE = [
    'armed_attack_on("japan")', "armed_attack_on('japan')", 'armed_attack_on(japan")', "armed_attack_on(japan).",
    "armed_attack_on(japan). :- holds(X)", "armed_attack_on(japan) :- cabinet_decision.", "survival_threatened.",
    "armed_attack_on(japan)\n#show holds/1.", "#show holds/1.", "% comment", "%* block *%", "#const n=1.",
    '#include "/etc/passwd".', "#external relaxed.", "armed_attack_on(X)", "armed_attack_on(_)",
    "armed_attack_on(japan;us_forces)", "armed_attack_on(japan), survival_threatened", "holds(armed_attack_on(japan))",
    "not armed_attack_on(japan)", "armed_attack_on(1)", "armed_attack_on(-1)", "armed_attack_on(1e999)",
    "armed_attack_on(" + "9" * 5000 + ")", "9" * 5000, "armed_attack_on(japan)))", "armed_attack_on(" * 300,
    "\uff41rmed_attack_on(japan)", "armed_attack_on(日本)", "armed_attack_on(japan\u200b)",
    "\u202earmed_attack_on(japan)",
    "Armed_attack_on(japan)", "armed_attack_on(japan, japan)", "survival_threatened(japan)", "survival_situation",
    "relaxed", "violated(needs_attack)", "a" * 900, "armed_attack_on(" + "x" * 100_000 + ")", "", " ", "\t",
    "\x1b[31marmed_attack_on(japan)\x1b[0m", "armed_attack_on(\x07japan)",
]
API_ONLY = ["armed_attack_on(japan)\x00", "\x00", "\ud800", "armed_attack_on(\udcff)"]
# Handled exactly: the same fact, however it is spaced.
SPACED = ["armed_attack_on(japan)", " armed_attack_on( japan ) ", "armed_attack_on (japan)\r\n",
          "\tarmed_attack_on(japan)\n"]


def names_the_item(message: str, text: str) -> bool:
    """The message quotes the input, or a part of it, as `brief` shows it."""
    shown = brief(text)
    quoted = re.findall(r"`([^`]*)`", message)
    return any(q == shown or (q and (q.removesuffix("...") in shown or q in brief(text.strip()))) for q in quoted)


def assert_clear(message: str, text: str) -> None:
    assert len(message) < 400, message
    assert all(ch.isprintable() for ch in message), repr(message)
    assert names_the_item(message, text), (message, text[:80])


@pytest.fixture(scope="module")
def kb() -> api.KnowledgeBase:
    return api.load(MINI)


# ---- the API and the batch evaluator --------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE + API_ONLY, ids=lambda t: brief(t, 30))
def test_the_api_refuses_a_hostile_fact_and_names_it(kb: api.KnowledgeBase, text: str) -> None:
    for key in ("facts", "unknown"):
        with pytest.raises(ScenarioError) as caught:
            kb.query("e1", **{key: [text]})
        assert_clear(str(caught.value), text)
    with pytest.raises(ScenarioError) as named:
        kb.query("e1", scenario=text)
    assert_clear(str(named.value), text)


@pytest.mark.parametrize("text", SPACED)
def test_spacing_around_a_fact_is_handled_exactly(kb: api.KnowledgeBase, text: str) -> None:
    assert kb.parse_fact(text) == ("armed_attack_on", ("japan",))
    assert [f.fact for f in kb.query("e1", facts=[text]).facts] == ["armed_attack_on(japan)"]


@pytest.mark.parametrize("value", [3, None, b"armed_attack_on(japan)", ["armed_attack_on(japan)"], 1e999])
def test_the_api_refuses_a_fact_that_is_not_text(kb: api.KnowledgeBase, value: Any) -> None:
    with pytest.raises(ScenarioError, match="A fact is text such as"):
        kb.query("e1", facts=[value])


def test_one_fact_given_as_a_bare_string_is_that_fact(kb: api.KnowledgeBase) -> None:
    assert kb.query("e1", facts="armed_attack_on(japan)") == kb.query("e1", facts=["armed_attack_on(japan)"])


_PIECES = st.sampled_from(["armed_attack_on", "japan", "close_partner", "survival_threatened", "(", ")", ",", " ",
                           ".", ":-", "#", "%", '"', "'", "\\", "\n", "X", "_", "日本", "\x00", "\ud800", "9" * 30])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.lists(_PIECES, max_size=8).map("".join), st.text(max_size=40)))
def test_any_text_is_a_declared_fact_instance_or_refused(kb: api.KnowledgeBase, text: str) -> None:
    try:
        name, args = kb.parse_fact(text)
    except ScenarioError as err:
        assert len(str(err)) < 400 and all(ch.isprintable() for ch in str(err))
        return
    fact = kb.rules.facts[name]
    assert all(a in kb.rules.sorts[s].members for a, s in zip(args, fact.params, strict=True))
    assert re.sub(r"\s", "", text) == (f"{name}({','.join(args)})" if args else name)


BATCH_LINES = [
    json.dumps({"id": "fact", "facts": [text]}) for text in HOSTILE + API_ONLY
] + [json.dumps({"id": "unknown", "unknown": [text]}) for text in HOSTILE[:10]] + [
    json.dumps({"id": "scenario", "scenario": text}) for text in HOSTILE[:10]
] + [
    "[" * 100_000 + "]" * 100_000, '{"id": ' + "9" * 5000 + ', "scenario": "partner_attacked"}',
    '{"id": NaN, "scenario": "partner_attacked"}', '{"id": 1e999, "scenario": "partner_attacked"}',
    '{"id": "\\ud800", "scenario": "partner_attacked"}', '{"\\u001b[2J": 1}', '{"facts": "armed_attack_on(japan)"}',
    '{"facts": [["armed_attack_on(japan)"]]}', '{"scenario": null, "facts": []}', "[]", '"partner_attacked"',
    '{"scenario": "partner_attacked"} {"scenario": "partner_attacked"}', "\ufeff{}", "x" * 1_000_001,
]


def test_hostile_batch_lines_are_error_lines_naming_the_item(kb: api.KnowledgeBase) -> None:
    evaluator = Evaluator(kb, "e1")
    for number, line in enumerate(BATCH_LINES, start=1):
        outcome = evaluator.answer(number, line)
        assert not outcome.ok, line[:80]
        data = json.loads(outcome.text, parse_constant=_no_constant)
        assert data["line"] == number and set(data) == {"line", "id", "error"}
        assert len(data["error"]) < 400 and all(ch.isprintable() for ch in data["error"]), data["error"]
        given = json.loads(line) if number <= len(HOSTILE + API_ONLY) + 20 else None
        if given is not None:
            text = (given.get("facts") or given.get("unknown") or [given.get("scenario")])[0]
            assert names_the_item(data["error"], text), (data["error"], text[:80])


def _no_constant(name: str) -> Any:
    raise AssertionError(f"{name} is not JSON")


# ---- nothing reaches the solver but assumptions on existing atoms ---------------------------------


def spy_on_clingo(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """From now on, count what accord asks of clingo and check every solve's assumptions."""
    seen: dict[str, Any] = {"add": 0, "ground": 0, "backend": 0, "solve": 0, "foreign": []}
    originals = {name: getattr(clingo.Control, name) for name in ("add", "ground", "backend", "solve")}

    def counted(name: str) -> Callable[..., Any]:
        def call(self: clingo.Control, *args: Any, **kwargs: Any) -> Any:
            seen[name] += 1
            if name == "solve":
                holds = {atom.literal for atom in self.symbolic_atoms.by_signature("holds", 1)}
                seen["foreign"] += [lit for lit in kwargs.get("assumptions", ()) if abs(lit) not in holds]
            return originals[name](self, *args, **kwargs)
        return call

    for name in originals:
        monkeypatch.setattr(clingo.Control, name, counted(name))
    return seen


def test_no_scenario_input_adds_a_rule_to_the_program(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = api.load(MINI)
    program = kb.compile("e1")  # compiled and grounded once, here
    before = kb.query("e1", scenario="partner_attacked")
    assert kb.query("e1", scenario="partner_attacked") == before  # the second query reads the ground program once
    evaluator = Evaluator(kb, "e1")
    evaluator.warm()  # the batch's bit-parallel evaluator reads the ground program once, here
    seen = spy_on_clingo(monkeypatch)
    for text in HOSTILE + API_ONLY:
        for key in ("facts", "unknown"):
            with pytest.raises(ScenarioError):
                kb.query("e1", **{key: [text, "cabinet_decision"]})
            evaluator.answer(1, json.dumps({key: ["cabinet_decision", text]}))
        kb.query("e1", facts=["cabinet_decision"], unknown=["armed_attack_on(japan)"])
        _, true, unknown = kb.scenario_facts(None, ["cabinet_decision"], ["armed_attack_on(japan)"])
        kb.engine("e1").query(true, unknown, solve=True)  # and by the solver
    assert seen["solve"] > len(HOSTILE)
    assert (seen["add"], seen["ground"], seen["backend"]) == (0, 0, 0), "the program was added to"
    assert seen["foreign"] == [], "an assumption on an atom that is not a scenario fact"
    assert kb.compile("e1") == program
    assert kb.query("e1", scenario="partner_attacked") == before


def _statements(program: str) -> list[str]:
    """The statements clingo's own parser reads, string literals blanked, comments left out."""
    out: list[clingo.ast.AST] = []
    clingo.ast.parse_string(program, out.append)
    return [re.sub(r'"(?:[^"\\]|\\.)*"', '""', str(s)) for s in out if s.ast_type != clingo.ast.ASTType.Comment]


PAYLOADS = [
    '"). holds(x). violated(k) :- #true. %', "\n#show holds/1.\n:- #true.\n", "%* open block comment", "*%\n:- #true.",
    "#program base.", "#external relaxed.", "\r:- #true.", "\x0b:- #true.", "\x0c:- #true.", "\x85:- #true.",
    "\u2028:- #true.", "\x00 after a NUL", "日本語 é \u202e", "\\", '\\"', "a" * 10_000,
]


def with_strings(payload: str) -> str:
    """The mini rules with every string (titles, descriptions, cites, says, notes) set to `payload`."""
    return re.sub(r'"(?:[^"\\\n]|\\["\\n])*"', lambda _m: quote(payload), MINI_TEXT)


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: brief(p, 20))
def test_text_in_rule_files_reaches_the_program_only_as_text(
        payload: str, load_rules: Callable[[str], api.KnowledgeBase], mini: api.KnowledgeBase) -> None:
    hostile = load_rules(with_strings(payload))
    program = hostile.compile("e1")
    assert _statements(program) == _statements(mini.compile("e1"))
    assert hostile.engine("e1").ground.facts() == mini.engine("e1").ground.facts()
    answer, expected = hostile.query("e1", scenario="partner_attacked"), mini.query("e1", scenario="partner_attacked")
    assert [(a.label, a.verdict) for a in answer.actions] == [(a.label, a.verdict) for a in expected.actions]
    assert answer.description == payload  # handled exactly: the scenario's description comes back as written


# Names of accord's own predicates and of clingo's directives, used as names in a rule file: they
# are only ever arguments (`holds(relaxed)`), never predicates, so they change nothing.
ASP_NAMES = """module asp
sort actor { holds, relaxed }
sort dom { show, const, external, program, minimize, inf, sup, base }
fact violated(dom) "v"
fact possible "p"
define overridden "x": violated(show) and possible
action derived(dom) by holds "d"
clause fires { cite "c" holds may derived(X) when violated(X) says "s" }
clause applies { cite "c" holds must not derived(inf) when overridden says "s" }
edition conflict { title "t" in_force 2020-01-01 include asp }
"""


def test_names_that_look_like_the_programs_own_are_only_names(load_rules: Callable[[str], api.KnowledgeBase]) -> None:
    kb = load_rules(ASP_NAMES)
    result = kb.query("conflict", facts=["violated(show)", "possible", "violated(inf)"])
    verdicts = {a.label: a.verdict.value for a in result.actions}
    assert verdicts["holds derived(show)"] == "permitted"
    assert verdicts["holds derived(inf)"] == "forbidden"
    assert verdicts["holds derived(const)"] == "not permitted"


@pytest.mark.parametrize("scenario_fact", ['armed_attack_on("japan")', "armed_attack_on(japan). :- x",
                                           "armed_attack_on(日本)", "armed_attack_on(X)", "% x", "#show holds/1\n  x"])
def test_hostile_facts_in_a_scenario_file_are_diagnostics_with_positions(
        scenario_fact: str, diagnostics_of: Callable[[str], list[Any]]) -> None:
    text = MINI_TEXT.replace("  cabinet_decision\n  unknown", f"  cabinet_decision\n  {scenario_fact}\n  unknown")
    found = diagnostics_of(text)
    assert found and all(d.span is not None and d.span.line >= 48 for d in found), found


# ---- the command line -----------------------------------------------------------------------------



def _cli_runs(args: list[list[str]]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda a: run_cli(a, timeout=120), args))


# The API tests above take every hostile fact; the command line (slower: a process each) a sample.
ON_THE_COMMAND_LINE = (
    [("--fact", t) for t in HOSTILE[::2]] + [("--unknown", t) for t in HOSTILE[1::4]]
    + [("scenario", t) for t in HOSTILE[3::6]]
)


def test_the_command_line_refuses_a_hostile_fact_and_names_it() -> None:
    base = ["query", "-e", "e1", "-r", str(MINI)]
    args = [base + ([text] if option == "scenario" else [option, text]) for option, text in ON_THE_COMMAND_LINE]
    for (_option, text), run in zip(ON_THE_COMMAND_LINE, _cli_runs(args), strict=True):
        assert run.code == 2 and run.stdout == "", run.transcript()[:300]
        message = run.stderr.removeprefix("accord: ").removesuffix("\n")
        assert run.stderr.startswith("accord: ") and "\n" not in message, run.stderr[:300]
        assert_clear(message, text)


def test_a_batch_file_of_hostile_lines(tmp_path: Path) -> None:
    good = '{"id": "good", "scenario": "partner_attacked"}'
    path = tmp_path / "hostile.jsonl"
    path.write_bytes("\n".join([good, *BATCH_LINES, good]).encode("utf-8", "surrogatepass") + b"\n\xff\xfe{\n" +
                     good.encode() + b"\n")
    runs = _cli_runs([["batch", str(path), "-e", "e1", "-r", str(MINI), "-j", jobs] for jobs in ("1", "2")])
    assert runs[0].stdout == runs[1].stdout and runs[0].code == runs[1].code == 1
    lines = [json.loads(line, parse_constant=_no_constant) for line in runs[0].stdout.splitlines()]
    assert [d["line"] for d in lines] == list(range(1, len(BATCH_LINES) + 5))
    assert [d["id"] for d in lines if "error" not in d] == ["good", "good", "good"]
    assert all(len(d["error"]) < 400 for d in lines if "error" in d)
