"""Several rule bases at once: the bundled U.S.-Japan rules and examples/nato, each under its name.

CLI transcripts (golden, under tests/golden/bases/) of every command with both bases, the errors of
names that belong to another base or to several, and unit tests of `knowledge.project` and of the
server's listing of bases.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, Run

from accord.knowledge.project import Project, load_project, parse_specs, read_project
from accord.language.diagnostics import AccordError
from accord.server import create_project_app

with warnings.catch_warnings():  # starlette's test client names an alias that anyio deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

Cli = Callable[..., Run]
Golden = Callable[[str, str], None]
ROOT = FIXTURES.parent.parent
BOTH = ("-r", "usjapan=../../rules", "-r", "nato=../../examples/nato")
PROJECT = ("-r", "project/accord.toml")

TRANSCRIPTS: dict[str, tuple[tuple[str, ...], int]] = {
    "check": (("check", "--no-semantic", *BOTH), 0),
    "check_project": (("check", "--no-semantic", *PROJECT), 0),
    "editions_json": (("editions", *PROJECT, "--format", "json"), 0),
    "query_pinned_by_scenario": (("query", "-e", "e1952", "turkey_invaded", *BOTH), 0),
    "query_as_of_per_base": (("query", "--as-of", "1953-01-01", "nato.turkey_invaded", *BOTH), 0),
    "query_qualified": (("query", "-e", "nato.e1955", "--fact", "nato.armed_attack_on(west_germany)",
                              "--fact", "attack_place(europe)", "--fact", "attack_target(territory)", *BOTH), 0),
    "explain": (("explain", "-e", "e1952", "us_ship_mediterranean", "france",
                 "assist(armed_force, united_states)", "--changes", "1", *BOTH), 0),
    "when": (("when", "-e", "nato.e1952", "norway", "consult(turkey)", *BOTH), 0),
    "timeline": (("timeline", *BOTH), 0),
    "timeline_scenario": (("timeline", "nato.turkey_invaded", "france assist(armed_force, turkey)", *BOTH), 0),
    "test_named": (("test", "--name", "nato.turkey_after_the_protocol", *BOTH), 0),
    "coverage": (("coverage", "--missing", *PROJECT), 0),
    "diff_editions_of_one_base": (("diff", "nato.e1949", "nato.e1952", "--limit", "2", *BOTH), 0),
    # mistakes: each a diagnostic with a code and a hint, exit code 2
    "error_other_base": (("query", "-e", "e2016", "turkey_invaded", *BOTH), 2),
    "error_qualified_with_the_wrong_base": (("query", "--as-of", "2016-04-01", "usjapan.turkey_invaded", *BOTH), 2),
    "error_ambiguous_fact": (("query", "--as-of", "2016-04-01", "--fact", "armed_attack_on(japan)", *BOTH), 2),
    "error_unknown_base": (("query", "-e", "e1952", "natoo.turkey_invaded", *BOTH), 2),
    "error_not_in_any_base": (("query", "-e", "e1952", "turkey_invade", *BOTH), 2),
    "error_action_of_another_base": (("when", "-e", "e2016", "france", "assist(armed_force, turkey)", *BOTH), 2),
    "error_diff_across_bases": (("diff", "e1949", "e2016", *BOTH), 2),
    "error_unnamed_base": (("check", "-r", "usjapan=../../rules", "-r", "mini"), 2),
    "error_bad_project": (("check", "-r", "project/bad.toml"), 2),
    "error_batch_needs_one_base": (("batch", "-", "--as-of", "1960-01-01", *BOTH), 2),
}


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_transcript(cli: Cli, golden: Golden, name: str) -> None:
    args, code = TRANSCRIPTS[name]
    run = cli(list(args))
    assert run.code == code, run.transcript()
    assert "Traceback" not in run.stderr
    if "json" in args:
        assert [b["base"] for b in json.loads(run.stdout)["bases"]]
    if code == 2 and name != "error_batch_needs_one_base":
        assert "error[" in run.stderr and "Hint:" in run.stderr, run.transcript()
    golden(f"bases/{name}.txt", run.transcript())


# ---- the project: specifications and names --------------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project([f"usjapan={ROOT / 'rules'}", f"nato={ROOT / 'examples' / 'nato'}"])


def test_bare_paths_are_one_unnamed_base() -> None:
    assert parse_specs(["a", "b.accord"]) == [("", [Path("a"), Path("b.accord")])]
    assert load_project(None).single


def test_named_specs_join_by_name_and_sort() -> None:
    assert parse_specs(["z=a", "b=c", "z=d"]) == [("b", [Path("c")]), ("z", [Path("a"), Path("d")])]


def test_project_file_paths_are_relative_to_it() -> None:
    listed = read_project(FIXTURES / "project" / "accord.toml")
    assert [n for n, _ in listed] == ["usjapan", "nato"]
    assert listed[1][1] == [FIXTURES / "project" / "../../../examples/nato"]


PROJECTS = FIXTURES / "project"


@pytest.mark.parametrize("specs", [["usjapan=rules", "mini"], [str(PROJECTS / "badname.toml")],
                                   [str(PROJECTS / "bad.toml")], [str(PROJECTS / "missing.toml")]])
def test_bad_specifications(specs: list[str]) -> None:
    with pytest.raises(AccordError) as err:
        parse_specs(specs)
    assert [d.code for d in err.value.diagnostics] == ["bad-project"]


def test_bases_are_sorted_by_name(project: Project) -> None:
    assert [b.name for b in project.bases] == ["nato", "usjapan"]
    assert not project.single


def test_a_name_pins_its_base(project: Project) -> None:
    [(base, plain)] = project.targets([("scenario", "turkey_invaded"), ("edition", "1952")])
    assert base.name == "nato" and plain[("edition", "1952")] == "1952"
    [(base, plain)] = project.targets([("edition", "usjapan.e2016"), ("fact", "armed_attack_on(japan)")])
    assert base.name == "usjapan" and plain[("edition", "usjapan.e2016")] == "e2016"


def test_no_pinning_name_asks_every_base(project: Project) -> None:
    assert [b.name for b, _ in project.targets([("edition", "2016-04-01")])] == ["nato", "usjapan"]
    assert [b.name for b, _ in project.targets([])] == ["nato", "usjapan"]


@pytest.mark.parametrize(("names", "code"), [
    ([("scenario", "turkey_invaded"), ("edition", "e2016")], "other-base"),
    ([("scenario", "usjapan.turkey_invaded")], "other-base"),
    ([("fact", "armed_attack_on(japan)")], "ambiguous-name"),
    ([("scenario", "nope.turkey_invaded")], "unknown-base"),
    ([("test", "no_such_test")], "not-in-any-base"),
    ([("action", "each_party assist(armed_force, turkey)"), ("edition", "usjapan.e2016")], "other-base"),
])
def test_names_that_do_not_pick_one_base(project: Project, names: list[tuple[str, str]], code: str) -> None:
    with pytest.raises(AccordError) as err:
        project.targets(names)
    [diagnostic] = err.value.diagnostics
    assert diagnostic.code == code and diagnostic.hint


# ---- the server -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(project: Project) -> Iterator[TestClient]:
    app = create_project_app([(b.name, b.kb) for b in project.bases], warm=False)
    with TestClient(app) as c:
        yield c


def test_the_server_lists_its_bases(client: TestClient) -> None:
    listed = client.get("/api/bases").json()["bases"]
    assert [(b["name"], b["url"]) for b in listed] == [("nato", "/bases/nato/"), ("usjapan", "/bases/usjapan/")]
    assert "/bases/nato/" in client.get("/").text


def test_each_base_answers_under_its_prefix(client: TestClient) -> None:
    nato = client.get("/bases/nato/api/query", params={"edition": "e1952", "scenario": "turkey_invaded"})
    assert nato.status_code == 200 and nato.json()["edition"]["id"] == "e1952"
    wrong = client.get("/bases/usjapan/api/query", params={"edition": "e1952", "scenario": "turkey_invaded"})
    assert wrong.status_code == 400 and "e1952" in wrong.json()["error"]
    assert client.get("/bases/nato", follow_redirects=False).status_code == 308
    assert client.get("/bases/nato/").status_code == 200
    assert client.get("/api/bases", params={"x": "1"}).status_code == 400
