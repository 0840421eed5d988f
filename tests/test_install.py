"""The wheel, installed into a fresh virtual environment, works from any folder with its bundled rules.

Builds the wheel (`pip wheel . --no-deps`), installs it with its dependencies into a new venv in a
temporary folder, and runs the installed `accord` from a folder that is not the repository. Part of
the normal `pytest` run; it takes a while (about half a minute to a minute, mostly pip).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli_env

REPO = Path(__file__).resolve().parents[1]
BUNDLED = sorted((REPO / "rules").glob("**/*.accord"))

pytestmark = pytest.mark.install


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None,
         timeout: float = 900, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
        input=stdin,
    )


def _pip_env() -> dict[str, str]:
    """This environment (pip's index settings included) without the repository's own venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_USER")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv with the freshly built wheel installed."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    built = _run([sys.executable, "-m", "pip", "wheel", REPO, "--no-deps", "-w", wheels], cwd=base, env=_pip_env())
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("accord-*.whl")
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", venv], cwd=base, env=_pip_env())
    assert made.returncode == 0, made.stdout + made.stderr
    bin_dir = venv / "bin"
    done = _run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=base, env=_pip_env())
    assert done.returncode == 0, done.stdout + done.stderr
    return bin_dir


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder far from the repository, with no rule files in it."""
    return tmp_path_factory.mktemp("elsewhere")


def accord(installed: Path, elsewhere: Path, *args: str) -> subprocess.CompletedProcess[str]:
    run = _run([installed / "accord", *args], cwd=elsewhere, env=cli_env(), timeout=600)
    assert "Traceback" not in run.stderr, run.stderr
    return run


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, elsewhere: Path) -> None:
    code = "import accord, accord.language.grammar as g; print(accord.__file__); print(g.grammar_text()[:2])"
    run = _run([installed / "python", "-c", code], cwd=elsewhere, env=cli_env())
    assert run.returncode == 0, run.stderr
    location = Path(run.stdout.splitlines()[0]).resolve()
    assert installed.parent.resolve() in location.parents
    assert REPO not in location.parents


def test_the_grammar_travels_with_the_wheel(installed: Path, elsewhere: Path) -> None:
    code = "import accord.language.grammar as g; from pathlib import Path; print(g._PACKAGE / '_data' / 'grammar')"
    run = _run([installed / "python", "-c", code], cwd=elsewhere, env=cli_env())
    assert (Path(run.stdout.strip()) / "accord.lark").is_file()


def test_editions_of_the_bundled_rules(installed: Path, elsewhere: Path) -> None:
    run = accord(installed, elsewhere, "editions")
    if not BUNDLED:
        _assert_no_rules(run)
        return
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].split()[:3] == ["edition", "in", "force"]
    data = json.loads(accord(installed, elsewhere, "editions", "--format", "json").stdout)
    assert data and all({"id", "title", "in_force"} <= set(e) for e in data)


def test_check_of_the_bundled_rules(installed: Path, elsewhere: Path) -> None:
    run = accord(installed, elsewhere, "check")
    if not BUNDLED:
        _assert_no_rules(run)
        return
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("ok: ")


def test_query_of_a_bundled_scenario(installed: Path, elsewhere: Path) -> None:
    if not BUNDLED:
        pytest.skip("rules/ holds no .accord files yet: nothing to query")
    editions = json.loads(accord(installed, elsewhere, "editions", "--format", "json").stdout)
    # A scenario and an edition its authors paired in a test (the first test that names an edition,
    # not only dates, and expects a status), else the first scenario and the newest edition.
    pick = (
        "import accord\n"
        "kb = accord.load()\n"
        "names = {e.id for e in kb.editions()}\n"
        "tests = [t for t in sorted(kb.rules.tests.values(), key=lambda t: t.name)\n"
        "         if t.expectations and t.editions and t.editions[0] in names]\n"
        "if tests:\n"
        "    print(tests[0].scenario, tests[0].editions[0])\n"
        "else:\n"
        "    print(sorted(kb.rules.scenarios)[0], kb.editions()[-1].id)\n"
    )
    picked = _run([installed / "python", "-c", pick], cwd=elsewhere, env=cli_env())
    assert picked.returncode == 0, picked.stderr
    scenario, edition = picked.stdout.split()
    assert edition in {e["id"] for e in editions}
    run = accord(installed, elsewhere, "query", scenario, "-e", edition, "--format", "json")
    assert run.returncode in (0, 4), run.stderr  # 4: the scenario is impossible in that edition
    result = json.loads(run.stdout)
    assert result["scenario"] == scenario
    assert result["edition"]["id"] == edition
    human = accord(installed, elsewhere, "query", scenario, "-e", edition)
    assert human.returncode == run.returncode
    assert human.stdout.startswith(f"Edition {edition}: ")


def _assert_no_rules(run: subprocess.CompletedProcess[str]) -> None:
    """Without bundled rules the wheel carries no rules folder: a clear message, exit 3."""
    assert run.returncode == 3, run.stdout + run.stderr
    assert "error[no-rules]" in run.stderr and "carries no bundled rules" in run.stderr


@pytest.fixture(scope="module")
def picked(installed: Path, elsewhere: Path) -> tuple[str, str, str, str]:
    """A scenario, an edition, an actor and an action that the bundled rules' first test pairs (the
    first that names an edition, not only dates, and expects a status)."""
    if not BUNDLED:
        pytest.skip("rules/ holds no .accord files yet: nothing to query")
    pick = (
        "import accord\n"
        "kb = accord.load()\n"
        "names = {e.id for e in kb.editions()}\n"
        "t = [t for t in sorted(kb.rules.tests.values(), key=lambda t: t.name)\n"
        "     if t.expectations and t.editions and t.editions[0] in names][0]\n"
        "e = t.expectations[0]\n"
        "print(t.scenario, t.editions[0], e.actor, e.action + ('(' + ','.join(e.args) + ')' if e.args else ''))\n"
    )
    run = _run([installed / "python", "-c", pick], cwd=elsewhere, env=cli_env())
    assert run.returncode == 0, run.stderr
    scenario, edition, actor, action = run.stdout.split()
    return scenario, edition, actor, action


@pytest.mark.parametrize("command", ["vocab", "compile", "test", "coverage", "explain", "when", "diff", "batch"])
def test_the_main_commands_run_from_another_folder(
        installed: Path, elsewhere: Path, picked: tuple[str, str, str, str], command: str) -> None:
    scenario, edition, actor, action = picked
    args = {
        "vocab": ["vocab", "-e", edition, "--format", "json"],
        "compile": ["compile", "-e", edition],
        "test": ["test", "--format", "json"],
        "coverage": ["coverage", "-e", edition, "--format", "json"],
        "explain": ["explain", scenario, actor, action, "-e", edition, "--format", "json"],
        "when": ["when", actor, action, "-e", edition, "--format", "json", "--timeout", "60"],
        "diff": ["diff", edition, edition, "--format", "json"],
        "batch": ["batch", "-", "-e", edition],
    }[command]
    run = _run([installed / "accord", *args], cwd=elsewhere, env=cli_env(), timeout=600,
               stdin=json.dumps({"scenario": scenario}) + "\n")
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode in (0, 1, 4, 6), run.stdout[-2000:] + run.stderr  # 1: findings; 4 impossible; 6 cap
    assert run.stdout.strip(), run.stderr
    if command == "compile":
        assert f"accord edition {edition}" in run.stdout
    else:
        json.loads(run.stdout.splitlines()[0] if command == "batch" else run.stdout)
