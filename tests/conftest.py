"""Shared fixtures: rule text in a temporary folder, the mini rule base, the CLI in a subprocess, goldens.

Golden files live under tests/golden/. Run `pytest --update-goldens` (or set ACCORD_UPDATE_GOLDENS=1)
to rewrite them from the current output instead of comparing; review the diff before keeping it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from accord import api
from accord.language.diagnostics import AccordError, Diagnostic

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
MINI = FIXTURES / "mini"
ACCORD = Path(sys.executable).parent / "accord"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the golden files under tests/golden/ instead of comparing with them.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "install: builds the wheel and installs it in a fresh venv (slow; part of the normal run)"
    )


def updating_goldens(config: pytest.Config) -> bool:
    return bool(config.getoption("--update-goldens")) or os.environ.get("ACCORD_UPDATE_GOLDENS") == "1"


# ---- rule text in a temporary folder ------------------------------------------------------------


RuleFiles = str | Mapping[str, str | bytes]


def _write(folder: Path, files: RuleFiles) -> Path:
    """Write one rule text (as `rules.accord`) or several named files; return what to load."""
    if isinstance(files, str):
        path = folder / "rules.accord"
        path.write_text(files, encoding="utf-8")
        return path
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def write_rules(tmp_path: Path) -> Callable[[RuleFiles], Path]:
    """`write_rules(text)` -> path of `rules.accord`; `write_rules({"a.accord": ...})` -> the folder."""
    counter = iter(range(1_000_000))

    def write(files: RuleFiles) -> Path:
        folder = tmp_path / f"rules{next(counter)}"
        folder.mkdir()
        return _write(folder, files)

    return write


@pytest.fixture
def load_rules(write_rules: Callable[[RuleFiles], Path]) -> Callable[[RuleFiles], api.KnowledgeBase]:
    """Write rule text and load it; a rule base with mistakes fails the test with its diagnostics."""

    def load(files: RuleFiles) -> api.KnowledgeBase:
        path = write_rules(files)
        try:
            return api.load(path)
        except AccordError as err:
            shown = "\n".join(f"{d.code}: {d.message}" for d in err.diagnostics)
            pytest.fail(f"the rules should load, but:\n{shown}")

    return load


@pytest.fixture
def diagnostics_of(write_rules: Callable[[RuleFiles], Path]) -> Callable[[RuleFiles], list[Diagnostic]]:
    """Write rule text and load it; return its diagnostics, sorted (empty when it loads)."""

    def run(files: RuleFiles) -> list[Diagnostic]:
        path = write_rules(files)
        try:
            api.load(path)
        except AccordError as err:
            return err.diagnostics
        return []

    return run


@pytest.fixture(scope="session")
def mini() -> api.KnowledgeBase:
    """The mini fixture, loaded once (its editions are grounded once and shared)."""
    return api.load(MINI)


# ---- the command line in a subprocess ----------------------------------------------------------


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def transcript(self) -> str:
        """A stable, reviewable record of one command: the command, its exit code and its output."""
        shown = " ".join(_shell_word(a) for a in self.args)
        return f"$ accord {shown}\n--- exit code: {self.code}\n" + _part("stdout", self.stdout) + _part(
            "stderr", self.stderr
        )


def _part(title: str, text: str) -> str:
    end = "" if not text or text.endswith("\n") else "\n(no newline at end)\n"
    return f"--- {title}\n{text}{end}"


def _shell_word(word: str) -> str:
    safe = all(ch.isalnum() or ch in "-_./=:,@" for ch in word) and word != ""
    return word if safe else "'" + word.replace("'", "'\\''") + "'"


def cli_env(hash_seed: str = "0", extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A small, fixed environment: no colour, a fixed width, UTF-8, a chosen hash seed."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "COLUMNS": "80",
        "LINES": "25",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "PYTHONHASHSEED": hash_seed,
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if "TMPDIR" in os.environ:
        env["TMPDIR"] = os.environ["TMPDIR"]
    env.update(extra or {})
    return env


def run_cli(
    args: Sequence[str],
    cwd: Path = FIXTURES,
    hash_seed: str = "0",
    stdin: bytes = b"",
    timeout: float = 120,
    executable: Path = ACCORD,
) -> Run:
    """Run `accord ARGS` in a subprocess; output decoded as UTF-8 (undecodable bytes fail loudly)."""
    done = subprocess.run(
        [str(executable), *args],
        cwd=cwd,
        env=cli_env(hash_seed),
        input=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Run(tuple(args), done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


@pytest.fixture(scope="session")
def cli() -> Callable[..., Run]:
    if not ACCORD.exists():
        pytest.skip(f"the accord command is not installed next to {sys.executable}")
    return run_cli


# ---- golden files --------------------------------------------------------------------------------


def check_transcript(run: Run, code: int, path: Path, config: pytest.Config) -> None:
    """One command's exit code, no traceback, its JSON parsed when it asked for JSON, and its
    transcript compared with the golden file at `path` (rewritten with --update-goldens)."""
    assert run.code == code, run.transcript()
    assert "Traceback" not in run.stderr
    if "json" in run.args:
        json.loads(run.stdout)
    actual = run.transcript()
    if updating_goldens(config):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != actual:
            path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}; run pytest --update-goldens"
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path.name} (pytest --update-goldens)"



@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """`golden("cli/editions.txt", text)`: compare byte for byte, or rewrite with --update-goldens."""
    update = updating_goldens(request.config)

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        data = actual.encode("utf-8")
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"no golden file {path.relative_to(TESTS)}; run pytest --update-goldens to create it")
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, f"output differs from {path.relative_to(TESTS)} (pytest --update-goldens)"

    return check


def synth_module() -> ModuleType:
    """The benchmark's seeded generator of synthetic rule bases (bench/synth.py), loaded once."""
    known = sys.modules.get("synth")
    if known is not None:
        return known
    spec = importlib.util.spec_from_file_location("synth", TESTS.parent / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module
    spec.loader.exec_module(module)
    return module
