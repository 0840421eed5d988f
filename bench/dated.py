"""The benchmark cases of law in time: queries on a date, a scenario's whole timeline, diff --across.

In: the bundled knowledge base, a synthetic dated base from `synth.generate_dated` (1,000 dated
versions over 200 change points), and repetition counts. Out: plain dicts of `Timing`s, rates and
ratios for `run.py`. Every day of a segment shares one engine, so a warm query on a date costs
what a warm query of an edition costs; these cases measure that, and what a whole timeline costs.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from cases import random_lines
from measure import once, repeat, timing

from accord.analyses.batch.lines import Evaluator, run
from accord.analyses.diff.across import diff_across
from accord.analyses.timeline import scenario_timeline, segments
from accord.api import KnowledgeBase, load

Row = dict[str, Any]


def _days(kb: KnowledgeBase) -> list[dt.date]:
    """One day inside each segment of the timeline (the day after it starts)."""
    return [day + dt.timedelta(days=1) for day in segments(kb)]


def warm_at_dates(kb: KnowledgeBase, runs: int) -> Row:
    """Every named scenario on a day of every segment, against the same on the named editions."""
    def median_over(chosen: list[str]) -> list[float]:
        samples = []
        for edition in chosen:
            for name in kb.rules.scenarios:
                kb.query(edition, scenario=name)
                for _ in range(runs):
                    start = time.perf_counter()
                    kb.query(edition, scenario=name)
                    samples.append(time.perf_counter() - start)
        return samples

    by_date = timing(median_over([d.isoformat() for d in _days(kb)]))
    by_edition = timing(median_over([e.id for e in kb.editions()]))
    return {"at_a_date": by_date.json(), "edition": by_edition.json(), "segments": len(segments(kb)),
            "ratio": by_date.median / by_edition.median}


def batch_at_date(kb: KnowledgeBase, day: str, count: int) -> Row:
    edition = kb.edition(day).id
    evaluator = Evaluator(kb, edition)
    evaluator.warm()
    lines = random_lines(kb.engine(edition), count, seed=11)
    walls = [once(lambda: list(run(evaluator, lines)))[0] for _ in range(3)]
    return {"date": day, "segment": edition, "scenarios": count, "per_second": count / sorted(walls)[1]}


def timelines(kb: KnowledgeBase, runs: int) -> Row:
    """Every named scenario's whole timeline, warm (each segment's engine already built)."""
    cold_s, _ = once(lambda: [scenario_timeline(kb, name) for name in kb.rules.scenarios])
    samples = []
    for name in kb.rules.scenarios:
        for _ in range(runs):
            start = time.perf_counter()
            scenario_timeline(kb, name)
            samples.append(time.perf_counter() - start)
    return {"warm": timing(samples).json(), "first_pass_all_scenarios_s": cold_s, "scenarios": len(kb.rules.scenarios)}


def across(kb: KnowledgeBase, runs: int) -> Row:
    first = segments(kb)[0]
    last = segments(kb)[-1] + dt.timedelta(days=1)
    plain = repeat(lambda: diff_across(kb, first, last, witnesses=0), runs, warmup=0)
    witnessed = repeat(lambda: diff_across(kb, first, last, witnesses=1), runs, warmup=0)
    steps = diff_across(kb, first, last, witnesses=0).steps
    return {"range": f"{first}..{last}", "change_points": len(steps), "no_witnesses": plain.json(),
            "one_witness": witnessed.json()}


def synthetic(folder: Path, runs: int) -> Row:
    """The synthetic dated base: loading and checking, one cold and warm query on a date, a timeline."""
    load_s, kb = once(lambda: load(folder))
    days = _days(kb)
    middle = days[len(days) // 2].isoformat()
    cold_s, _ = once(lambda: kb.query(middle, scenario="s"))
    warm = repeat(lambda: kb.query(middle, scenario="s"), runs * 10)
    first_timeline_s, result = once(lambda: scenario_timeline(kb, "s"))
    warm_timeline = repeat(lambda: scenario_timeline(kb, "s"), runs, warmup=0)
    return {
        "versions": sum(len(v) for v in kb.rules.clause_versions.values()),
        "change_points": len(kb.rules.change_points()),
        "load_s": load_s, "cold_query_at_a_date_s": cold_s, "warm_query_at_a_date": warm.json(),
        "timeline_first_s": first_timeline_s, "timeline_warm": warm_timeline.json(),
        "timeline_actions": len(result.actions),
    }
