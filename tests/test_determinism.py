"""Determinism: the same command gives byte-identical output (stdout, stderr and exit code) across
runs, hash seeds (PYTHONHASHSEED 0, 1, 12345) and the state of the rule-base cache.

Every main command runs on the bundled rules, in human and JSON output where it has both: first
with hash seed 0 and an empty cache folder (so the rules are parsed, then stored), then with seed 1
and that folder (the rules come from the cache), then with seed 12345 and the cache switched off.
Rule files with mistakes give the same diagnostics in every form; a batch gives the same lines with
one worker or two.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ACCORD, FIXTURES, MINI, cli_env

SEEDS = ("0", "1", "12345")
SCENARIO = "news_2015_us_ship_attacked"  # a bundled scenario with unknown facts: several readings
ACTION = ["sdf", "use_of_force(collective)"]

COMMANDS: dict[str, list[str]] = {
    "vocab": ["vocab", "-e", "e2016"],
    "query": ["query", SCENARIO, "-e", "e2016"],
    "query-all": ["query", SCENARIO, "--as-of", "2015-06-01", "--all", "--show-all"],
    "test": ["test"],
    "diff": ["diff", "e1997", "e2015", "--witnesses", "2"],
    "explain": ["explain", SCENARIO, *ACTION, "-e", "e2016"],
    "when": ["when", *ACTION, "-e", "e2016"],
}
SINGLE_FORMAT: dict[str, list[str]] = {
    "editions": ["editions", "--format", "json"],
    "coverage": ["coverage", "-e", "e2015"],
    "query-facts": ["query", "-e", "1997", "--fact", "armed_attack_on(japan)", "--unknown", "survival_threatened"],
    "compile": ["compile", "-e", "e2016"],
    "check": ["check", "--format", "json"],
    "check-mini": ["check", str(MINI)],
    "bad-human": ["check", "bad"],
    "bad-short": ["check", "bad", "--diagnostics", "short"],
    "bad-json": ["check", "bad", "--diagnostics", "json"],
    "unknown-fact": ["query", "-e", "e2016", "--fact", "armed_attack_on(japn)"],
    "impossible": ["query", "-e", "e2016", "--fact", "survival_threatened", "--format", "json"],
}


def all_command_lines(batch: Path) -> dict[str, list[str]]:
    lines = {name: args for name, args in SINGLE_FORMAT.items()}
    for name, args in COMMANDS.items():
        lines[f"{name}-human"] = args
        lines[f"{name}-json"] = [*args, "--format", "json"]
    lines["batch"] = ["batch", str(batch), "-e", "e2016"]
    lines["batch-jobs"] = ["batch", str(batch), "-e", "e2016", "--jobs", "2"]
    return lines


def run(args: list[str], seed: str, cache: dict[str, str]) -> tuple[int, bytes, bytes]:
    done = subprocess.run([str(ACCORD), *args], cwd=FIXTURES, env=cli_env(seed, cache), capture_output=True,
                          timeout=300, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, tuple[int, bytes, bytes]]]:
    """command name -> seed -> (exit code, stdout, stderr)."""
    if not ACCORD.exists():
        pytest.skip("the accord command is not installed next to the interpreter")
    folder = tmp_path_factory.mktemp("determinism")
    batch = folder / "scenarios.jsonl"
    batch.write_text("".join(json.dumps(line) + "\n" for line in [
        {"id": 1, "scenario": SCENARIO},
        {"id": "two", "facts": ["armed_attack_on(japan)"], "unknown": ["survival_threatened", "cabinet_decision"]},
        {"id": 3, "facts": ["no_such_fact"]},
        {"scenario": "news_2015_missile_defense_for_us"},
    ]), encoding="utf-8")
    lines = all_command_lines(batch)
    settings = {
        "0": {"ACCORD_CACHE_DIR": str(folder / "cache")},  # an empty cache: parsed, then stored
        "1": {"ACCORD_CACHE_DIR": str(folder / "cache")},  # the same cache, now warm
        "12345": {"ACCORD_CACHE": "0"},
    }
    results: dict[str, dict[str, tuple[int, bytes, bytes]]] = {name: {} for name in lines}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for seeds in (("0",), ("1", "12345")):  # the cold run first
            futures = {(name, seed): pool.submit(run, args, seed, settings[seed])
                       for name, args in lines.items() for seed in seeds}
            for (name, seed), future in futures.items():
                results[name][seed] = future.result()
    return results


def test_every_command_says_the_same_under_every_seed_and_cache(
        outputs: dict[str, dict[str, tuple[int, bytes, bytes]]]) -> None:
    differing = [name for name, by_seed in outputs.items() if len(set(by_seed.values())) != 1]
    assert not differing, f"output differs across hash seeds or cache states: {differing}"


def test_the_commands_did_their_work(outputs: dict[str, dict[str, tuple[int, bytes, bytes]]]) -> None:
    """Guards against comparing nothing: each command answered (or failed) as it should."""
    expected_codes = {"bad-human": 3, "bad-short": 3, "bad-json": 3, "unknown-fact": 2, "impossible": 4,
                      "batch": 1, "batch-jobs": 1}
    for name, by_seed in outputs.items():
        code, out, err = by_seed["0"]
        assert code == expected_codes.get(name, 0), (name, code, err[:500])
        assert b"Traceback" not in err, name
        assert out or err, name
        if name.endswith("-json") or name in ("check", "editions", "impossible"):
            json.loads(err if name == "bad-json" else out)


def test_a_batch_says_the_same_with_one_worker_or_two(
        outputs: dict[str, dict[str, tuple[int, bytes, bytes]]]) -> None:
    assert outputs["batch"]["0"] == outputs["batch-jobs"]["0"]
    assert len(outputs["batch"]["0"][1].splitlines()) == 4


def test_loading_twice_in_one_process_gives_the_same_program() -> None:
    from accord import api

    first, second = api.load(), api.load()
    for edition in first.editions():
        assert first.compile(edition.id) == second.compile(edition.id)
    again = [first.query("e2016", scenario=SCENARIO, readings_cap=50) for _ in range(2)]
    assert again[0] == again[1] == second.query("e2016", scenario=SCENARIO, readings_cap=50)
