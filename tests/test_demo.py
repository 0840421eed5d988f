"""`make demo` tells the news-report story under 1997, 2015 and 2016 rules, the same way every run."""

from __future__ import annotations

import os
import subprocess
import sys


def run_demo() -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "ACCORD_CACHE": "0"}
    return subprocess.run([sys.executable, "-m", "accord.cli.demo"], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_demo_tells_the_story_of_the_gap() -> None:
    done = run_demo()
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "news_2015_us_ship_attacked" in out
    row = next(line for line in out.splitlines() if line.startswith("sdf use_of_force(collective)"))
    assert row.split()[2:6] == ["no", "basis", "possibly", "forbidden"]  # 1997: no basis; 2015: see below
    # In 2015 the Guidelines contemplate it while the law gives no authority; from 2016 the law authorises it.
    assert "POSSIBLY FORBIDDEN OR CONTEMPLATED, NO STATUTE YET" in out
    assert "POSSIBLY FORBIDDEN OR LAWFUL ALLIANCE COOPERATION" in out
    assert "guidelines: in some completions contemplated" in out and "g2015.iv-d.sdf" in out
    assert "law: in some completions authorised, in others no authority (law2016.force" in out
    assert "When may the SDF use force" in out and "survival_threatened" in out
    assert "Traceback" not in done.stderr


def test_demo_is_deterministic() -> None:
    assert run_demo().stdout == run_demo().stdout
