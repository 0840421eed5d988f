"""The benchmark cases on accord itself: cold and warm queries, batches, diff, when, explain, scaling.

In: a knowledge base (the bundled rules, or a synthetic base from `synth.py`) and repetition
counts. Out: plain dicts of `Timing`s, counts and ratios, gathered by `run.py` into one table and
one JSON file. Everything is measured on this machine in one run; nothing here asserts a time.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import statistics
import subprocess
import time
from functools import partial
from pathlib import Path
from typing import Any

from baselines import change_list
from measure import BIN, compile_bytecode, once, once_cpu, process, repeat, timing
from raw_clingo import RawClingo, accord_answers, raw_answers

from accord.analyses.batch.lines import Evaluator, run
from accord.analyses.batch.parallel import write_parallel
from accord.analyses.engine import EditionEngine
from accord.api import KnowledgeBase, load
from accord.results.query import QueryResult
from accord.solve import GroundProgram

Row = dict[str, Any]


def fact_text(atom: tuple[str, tuple[str, ...]]) -> str:
    name, args = atom
    return f"{name}({', '.join(args)})" if args else name


def random_lines(engine: EditionEngine, count: int, seed: int, most_true: int = 6, most_unknown: int = 2) -> list[str]:
    """JSONL scenarios over an edition's fact space: a few true facts, sometimes a few unknown."""
    rng = random.Random(seed)
    space = [fact_text(a) for a in engine.fact_space]
    lines = []
    for i in range(count):
        k = rng.randint(1, min(most_true, len(space)))
        u = rng.choice([0, 0, 0, *list(range(1, most_unknown + 1))])
        chosen = rng.sample(space, min(len(space), k + u))
        lines.append(json.dumps({"id": i, "facts": chosen[u:], "unknown": chosen[:u]}))
    return lines


# ---- the bundled rules ------------------------------------------------------------------------


def cold_query(edition: str, scenario: str, runs: int) -> Row:
    """`accord query` as a user runs it: process start to output, against Python's own start."""
    compile_bytecode()
    command = [str(BIN / "accord"), "query", "--edition", edition, scenario]
    accord = process(command, runs)
    uncached = process(command, runs, env={"ACCORD_CACHE": "0"})
    python = process([str(BIN / "python"), "-c", "pass"], runs)
    imports = process([str(BIN / "python"), "-c", "import accord.cli"], runs)
    return {"accord_query": accord.json(), "accord_query_no_cache": uncached.json(), "python_start": python.json(),
            "import_cli": imports.json()}


def warm_queries(kb: KnowledgeBase, runs: int) -> Row:
    """Every named scenario in every edition, through the API, the edition already grounded."""
    samples: list[float] = []
    per_edition = {}
    for edition in kb.editions():
        kb.engine(edition.id)
        mine: list[float] = []
        for name in kb.rules.scenarios:
            kb.query(edition.id, scenario=name)
            for _ in range(runs):
                start = time.perf_counter()
                kb.query(edition.id, scenario=name)
                mine.append(time.perf_counter() - start)
        per_edition[edition.id] = timing(mine).json()
        samples += mine
    return {"all": timing(samples).json(), "per_edition": per_edition, "scenarios": len(kb.rules.scenarios)}


def batch(kb: KnowledgeBase, edition: str, count: int, reground: int, jobs: int = 2) -> Row:
    """Scenarios per second: one process (grounded once), `jobs` processes, and re-grounding per scenario."""
    engine = kb.engine(edition)
    lines = random_lines(engine, count, seed=7)
    evaluator = Evaluator(kb, edition)
    evaluator.warm()
    walls, cpus = [], []
    outcomes: list[Any] = []
    for _ in range(5):  # the whole batch, five times: the median wall time, and CPU time of this process
        cpu = time.process_time()
        wall, outcomes = once(lambda: list(run(evaluator, lines)))
        walls.append(wall)
        cpus.append(time.process_time() - cpu)
    elapsed = sorted(walls)[2]
    answered = sum(o.ok for o in outcomes)
    solver = Evaluator(kb, edition, direct=False)  # every line solved under assumptions, as before blocks
    solver.warm()
    solved, solved_outcomes = once(lambda: list(run(solver, lines)))
    same = [o.text for o in solved_outcomes] == [o.text for o in outcomes]
    # Written out, as `accord batch` does: one process, and `jobs` workers that write their own lines
    # (forked from this process, so they start with the evaluator its passes above warmed).
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        written, _ = once(lambda: [os.write(sink, (o.text + "\n").encode()) for o in run(evaluator, lines)])
        spread, _ = once(lambda: list(write_parallel(lambda: evaluator, lines, jobs, sink)))
    finally:
        os.close(sink)
    # The same scenarios, each on a program grounded afresh (what a one-shot solver call per
    # scenario costs): compile once, ground per scenario.
    text = engine.program_text

    def fresh(line: str) -> None:
        data = json.loads(line)
        engine.ground = GroundProgram(text)
        kb.query(edition, facts=data["facts"], unknown=data["unknown"])

    saved = engine.ground
    try:
        slow, _ = once(lambda: [fresh(line) for line in lines[:reground]])
    finally:
        engine.ground = saved
    one_core = count / elapsed
    return {
        "scenarios": count, "answered": answered,
        "per_second_one_process": one_core,
        "per_second_one_process_cpu": count / sorted(cpus)[2],
        "per_second_one_process_runs": [count / w for w in walls],
        "per_second_solving_each": count / solved,
        "solving_each_gives_the_same_lines": same,
        "per_second_one_process_written": count / written,
        f"per_second_{jobs}_processes": count / spread,
        "per_second_regrounding": reground / slow,
        "speedup_over_regrounding": one_core / (reground / slow),
        "impossible": sum('"possible":false' in o.text for o in outcomes),
    }


def diff_bundled(kb: KnowledgeBase, runs: int) -> Row:
    editions = [e.id for e in kb.editions()]
    first, last = editions[0], editions[-1]
    whole = repeat(lambda: kb.diff(first, last, witnesses=1), runs, warmup=0)
    result = kb.diff(first, last, witnesses=1)
    pairs = {}
    for a, b in itertools.pairwise(editions):
        pairs[f"{a}->{b}"] = repeat(lambda a=a, b=b: kb.diff(a, b, witnesses=1), runs, warmup=0).json()
    return {"first_to_last": whole.json(), "pair": f"{first}->{last}", "targets_changed": len(result.behaviour),
            "consecutive_pairs": pairs, "all_pairs_median_sum": sum(p["median"] for p in pairs.values())}


def when_explain(kb: KnowledgeBase, runs: int) -> Row:
    """`accord when` and `accord explain` on the newest edition, for the actions its tests name."""
    edition = kb.editions()[-1].id
    tests = [t for t in kb.rules.tests.values() if edition in t.editions][:5]
    cases = sorted({(f"{e.actor} {e.action}" + (f"({', '.join(e.args)})" if e.args else ""), t.scenario)
                    for t in tests for e in t.expectations[:2]})[:6]
    when_t = [repeat(lambda a=a: kb.when(a, edition), runs, warmup=1).median for a, _ in cases]
    explain_t = [repeat(lambda a=a, s=s: kb.explain(a, edition, scenario=s), runs, warmup=1).median
                 for a, s in cases]
    return {"edition": edition, "actions": [a for a, _ in cases],
            "when": timing(when_t).json() if when_t else None,
            "explain": timing(explain_t).json() if explain_t else None}


# ---- synthetic bases at growing sizes --------------------------------------------------------------


_FRESH_DIFF = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import baselines
from accord.api import load
kb = load(Path(sys.argv[1]))
peer, budget = sys.argv[2], float(sys.argv[4])
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
used = cpu()
if peer == "z3":
    wall, found, done = baselines.z3_diff(kb, "e_old", "e_new", None, budget)
else:
    wall, found = baselines.accord_changes(kb, "e_old", "e_new", None, None, None if peer == "auto" else int(peer))
    done = 1.0
print(json.dumps({"wall": wall, "cpu": cpu() - used, "done": done, "changes": baselines.change_list(found)}))
"""

_PEERS = (("auto", "one_per_core"), ("1", "one_process"), ("z3", "z3"))


def diffs_side_by_side(folder: Path, runs: int, budget: float, here: dict[Any, int] | None) -> Row:
    """`e_old` -> `e_new` of a synthetic base diffed by accord (one process per core, and one
    process) and by the fair z3 peer (`baselines.z3_diff`), each in a process of its own that has
    loaded the rules first (not timed), as a user of the API or of `accord diff` runs it; the three
    one after another, `runs` times, so that each z3 run has accord runs beside it. Out: wall and
    CPU time of each (every process the diff used), z3's time over accord's per round (its median
    is the ratio), and whether all found the same changes with the same witness sizes, the same as
    `here` too (the changes of the bench's own diff, change -> witness size)."""
    samples: dict[str, list[dict[str, Any]]] = {name: [] for _, name in _PEERS}
    for _ in range(runs):
        for peer, name in _PEERS:
            done = subprocess.run([str(BIN / "python"), "-c", _FRESH_DIFF, str(folder), peer,
                                   str(Path(__file__).parent), str(budget)],
                                  capture_output=True, text=True, check=True)
            samples[name].append(json.loads(done.stdout))
    answers = [run["changes"] for found in samples.values() for run in found]
    if here is not None:
        answers.append(change_list(here))
    z3_runs = samples["z3"]
    finished = all(run["done"] >= 1 for run in z3_runs)
    out: Row = {name: {"wall": timing([x["wall"] for x in found]).json(),
                       "cpu": timing([x["cpu"] for x in found]).json()} for name, found in samples.items()}
    out["z3"]["fraction_done"] = min(run["done"] for run in z3_runs)
    out["z3"]["extrapolated_s"] = statistics.median(run["wall"] / run["done"] for run in z3_runs if run["done"] > 0)
    out["z3_over_accord"] = [z["wall"] / max(z["done"], 1e-9) / a["wall"]
                             for z, a in zip(z3_runs, samples["one_per_core"], strict=True)]
    out["ratio"] = statistics.median(out["z3_over_accord"])
    out["changes"] = len(answers[0])
    out["same_answers"] = all(found == answers[0] for found in answers) if finished else None
    return out


def scaling(folder: Path, n: int, query_runs: int, with_diff: bool) -> tuple[Row, KnowledgeBase]:
    """Compile (read, parse, check; emit, ground), warm query and diff time of a synthetic base."""
    os.environ["ACCORD_CACHE"] = "0"  # compile means from the text: parse and check every time
    try:
        load_s, load_cpu, kb = once_cpu(lambda: load(folder))
    finally:
        del os.environ["ACCORD_CACHE"]
    load(folder)  # fills the rule-base cache
    cached_s, _ = once(lambda: load(folder))
    engine_s, engine_cpu, engine = once_cpu(lambda: kb.engine("e_new"))
    samples: list[float] = []
    cpu_samples: list[float] = []
    for name in sorted(kb.rules.scenarios):
        kb.query("e_new", scenario=name)
        runs = [once_cpu(lambda name=name: kb.query("e_new", scenario=name))[:2] for _ in range(query_runs)]
        samples.append(statistics.median(wall for wall, _ in runs))  # one sample per named scenario
        cpu_samples.append(statistics.median(cpu for _, cpu in runs))
    lines = random_lines(engine, 20, seed=3)
    for line in lines:
        data = json.loads(line)
        wall, cpu, _ = once_cpu(lambda data=data: kb.query("e_new", facts=data["facts"], unknown=data["unknown"]))
        samples.append(wall)
        cpu_samples.append(cpu)
    row: Row = {
        "clauses": len(kb.rules.clauses), "facts": len(kb.rules.facts), "actions": len(kb.rules.actions),
        "fact_instances": len(engine.fact_space), "action_instances": len(engine.action_space),
        "program_bytes": len(engine.program_text),
        "load_s": load_s, "ground_s": engine_s, "compile_s": load_s + engine_s, "load_cached_s": cached_s,
        "compile_cpu_s": load_cpu + engine_cpu,
        "query_warm": timing(samples).json(), "query_warm_cpu": timing(cpu_samples).json(),
    }
    if with_diff:
        diff_s, result = once(lambda: kb.diff("e_old", "e_new", witnesses=1))
        row["diff_s"] = diff_s
        row["diff_targets_changed"] = len(result.behaviour)
    return row, kb


Mixed = list[tuple[str | None, list[str], list[str]]]


def scenario_mix(kb: KnowledgeBase, edition: str, randoms: int, seed: int) -> Mixed:
    """The warm query's scenarios: every named one (sorted), then `randoms` random ones (a few true
    facts, sometimes unknown ones), as (name or None, true fact texts, unknown fact texts)."""
    engine = kb.engine(edition)
    out: Mixed = []
    for name in sorted(kb.rules.scenarios):
        s = kb.rules.scenarios[name]
        out.append((name, [fact_text(f) for f in s.true], [fact_text(f) for f in s.unknown]))
    for line in random_lines(engine, randoms, seed=seed):
        data = json.loads(line)
        out.append((None, data["facts"], data["unknown"]))
    return out


def raw_clingo(kb: KnowledgeBase, edition: str, randoms: int, runs: int, seed: int = 3) -> Row:
    """accord's warm query against clingo alone (`raw_clingo.RawClingo`) on the same printed program
    and the same scenarios, one solve each in the same mode, interleaved scenario by scenario; the
    answers of both compared; and a fresh engine's first query against a fresh control's."""
    engine = kb.engine(edition)
    mix = scenario_mix(kb, edition, randoms, seed)
    raw = RawClingo(engine.program_text)

    def clingo_texts(texts: list[str]) -> list[str]:
        return [t.replace(" ", "") for t in texts]

    def ask(name: str | None, true: list[str], unknown: list[str]) -> QueryResult:
        if name is not None:
            return kb.query(edition, scenario=name)
        return kb.query(edition, facts=true, unknown=unknown)

    same = True
    accord_s, clingo_s, alone_s = [], [], []
    for name, true, unknown in mix:
        ct, cu = clingo_texts(true), clingo_texts(unknown)
        same &= accord_answers(ask(name, true, unknown)) == raw_answers(raw.query(ct, cu))
        samples: tuple[list[float], list[float], list[float]] = ([], [], [])
        peers = (partial(ask, name, true, unknown), partial(raw.query, ct, cu), partial(raw.query, ct, cu, False))
        for _ in range(runs):
            for out, fn in zip(samples, peers, strict=True):
                start = time.perf_counter()
                fn()
                out.append(time.perf_counter() - start)
        accord_s.append(statistics.median(samples[0]))
        clingo_s.append(statistics.median(samples[1]))
        alone_s.append(statistics.median(samples[2]))
    first = mix[0]

    def accord_cold() -> None:
        fresh = EditionEngine(kb.rules, edition)
        scenario = kb.rules.scenarios[first[0]] if first[0] else None
        fresh.query(scenario.true if scenario else (), scenario.unknown if scenario else (), scenario=scenario)

    def clingo_cold() -> None:  # the fresh control's first solve pays clasp's preparation, as accord's does
        RawClingo(engine.program_text).query(clingo_texts(first[1]), clingo_texts(first[2]))

    cold_runs = max(3, runs // 2)
    cold_accord = repeat(accord_cold, cold_runs, warmup=1)
    cold_clingo = repeat(clingo_cold, cold_runs, warmup=1)
    return {
        "edition": edition, "scenarios": len(mix), "named": sum(n is not None for n, _, _ in mix),
        "with_unknown": sum(bool(u) for _, _, u in mix), "runs_per_scenario": runs,
        "same_answers": same,
        "warm_accord": timing(accord_s).json(), "warm_clingo": timing(clingo_s).json(),
        "warm_solver_alone": timing(alone_s).json(),
        "warm_ratio": sum(accord_s) / sum(clingo_s),
        "warm_ratio_solver_alone": sum(accord_s) / sum(alone_s),
        "warm_ratio_median": statistics.median(a / c for a, c in zip(accord_s, clingo_s, strict=True)),
        "cold_accord": cold_accord.json(), "cold_clingo": cold_clingo.json(),
        "cold_ratio": cold_accord.median / cold_clingo.median,
    }
