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
    assert row.split()[2:] == ["forbidden", "forbidden", "possibly", "permitted"]
    assert "overridden" in out and "g2015.iv-d.sdf" in out  # contemplated in 2015, blocked by the law
    assert "When may the SDF use force" in out and "survival_threatened" in out
    assert "Traceback" not in done.stderr


def test_demo_is_deterministic() -> None:
    assert run_demo().stdout == run_demo().stdout
