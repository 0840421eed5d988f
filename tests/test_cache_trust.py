"""What the cache trusts: planted, tampered and foreign entries never run code nor change an answer.

Each attack plants a file where the next run looks for its entry: a pickle that would create a
file when unpickled, or a real entry edited to change a clause's text. In the user's own folder the
entry is a miss (removed, rebuilt); in a folder others may write to, or another user's, the cache
is not used at all and the user is told once, on stderr.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import subprocess
from pathlib import Path

import pytest
from conftest import ACCORD, FIXTURES, MINI, cli_env

from accord.knowledge import cache, cache_folder, pipeline
from accord.knowledge.loader import load_sources
from accord.language import ir
from accord.language.diagnostics import Sink
from accord.language.grammar import bundled_rules_dir


class _Planted:
    """Unpickled, it would create the file `marker` (the harmless stand-in for any command)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(path))
    monkeypatch.delenv("ACCORD_CACHE", raising=False)
    monkeypatch.delenv("ACCORD_CACHE_MAX_MB", raising=False)
    monkeypatch.setattr(cache, "MIN_CHARS", 0)
    monkeypatch.setattr(cache_folder, "_warned", False)
    return path


def _entry_name() -> str:
    return cache.key(load_sources([MINI], Sink())) + cache_folder.ENTRY_SUFFIX


def _fresh() -> ir.RuleBase:
    os.environ["ACCORD_CACHE"] = "0"
    try:
        return pipeline.build([MINI])
    finally:
        del os.environ["ACCORD_CACHE"]


def _secret(folder: Path) -> bytes:
    return (folder / cache_folder.SECRET).read_bytes()


def _signed(folder: Path, name: str, payload: bytes) -> bytes:
    mac = hmac.new(_secret(folder), cache.MAGIC + name.encode() + b"\0" + payload, hashlib.sha256).digest()
    return cache.MAGIC + mac + payload


def _plant(folder: Path, marker: Path, mode: int) -> list[Path]:
    """A malicious pickle under every name the cache might read: bare, behind the magic with a
    wrong MAC, and as an entry of the earlier format."""
    folder.mkdir(parents=True, exist_ok=True)
    bomb = pickle.dumps(_Planted(marker))
    name = _entry_name()
    (folder / name).write_bytes(cache.MAGIC + b"\0" * 32 + bomb)
    (folder / name.replace(cache_folder.ENTRY_SUFFIX, ".pickle")).write_bytes(bomb)
    os.chmod(folder, mode)
    return [folder / name]


def test_a_planted_entry_in_the_users_own_folder_runs_nothing(folder: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    _plant(folder, marker, 0o700)
    assert pipeline.build([MINI]) == _fresh()
    assert not marker.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "removed a cache entry in " in err and "failed its integrity check" in err
    assert not list(folder.glob("*.pickle"))  # the earlier format is pruned, never read
    assert pipeline.build([MINI]) == _fresh()  # and the rebuilt entry is good
    assert not marker.exists()


def test_a_planted_entry_with_a_valid_mac_still_names_no_foreign_class(folder: Path, tmp_path: Path) -> None:
    """If the key ever leaked, the unpickler still refuses everything but the rule base's classes."""
    pipeline.build([MINI])
    marker = tmp_path / "pwned"
    name = _entry_name()
    (folder / name).write_bytes(_signed(folder, name, pickle.dumps(_Planted(marker))))
    assert cache.get(load_sources([MINI], Sink())) is None
    assert not marker.exists()
    assert not (folder / name).exists()


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o770])
def test_a_folder_others_may_write_to_is_not_used_and_the_user_is_told_once(
        folder: Path, tmp_path: Path, mode: int, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    (entry,) = _plant(folder, marker, mode)
    planted = entry.read_bytes()
    for _ in range(3):
        assert pipeline.build([MINI]) == _fresh()
    assert not marker.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("accord: warning: not using the cache in ")
    assert "others may write to it" in err
    assert entry.read_bytes() == planted  # not touched: the folder is not ours to tidy
    assert sorted(p.name for p in folder.iterdir()) == sorted([entry.name, entry.stem + ".pickle"])


def test_another_users_folder_is_not_used(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    _plant(folder, marker, 0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(folder).st_uid + 1)
    assert pipeline.build([MINI]) == _fresh()
    assert not marker.exists()
    assert "it belongs to another user" in capsys.readouterr().err


def test_a_tampered_entry_is_a_miss_and_is_removed(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipeline.build([MINI])
    entry = folder / _entry_name()
    data = entry.read_bytes()
    says = b"The SDF may protect U.S. assets."
    assert says in data
    entry.write_bytes(data.replace(says, b"The SDF may do anything at all"))
    rebuilt = pipeline.build([MINI])
    assert rebuilt.clauses["g.assets"].says == "The SDF may protect U.S. assets."
    assert rebuilt == _fresh()
    assert entry.read_bytes() == data  # the entry written again is the true one
    assert capsys.readouterr().err.count("failed its integrity check") == 1


def test_an_entry_moved_to_another_key_is_a_miss(folder: Path, tmp_path: Path) -> None:
    """The MAC covers the entry's name: a true entry of other rules cannot stand in for these."""
    other = tmp_path / "other"
    other.mkdir()
    text = (MINI / "mini.accord").read_text(encoding="utf-8")
    (other / "mini.accord").write_text(text.replace("Example edition", "Another edition"), encoding="utf-8")
    pipeline.build([other])
    (moved,) = folder.glob("*.entry")
    os.replace(moved, folder / _entry_name())
    assert pipeline.build([MINI]) == _fresh()


def test_a_symlinked_entry_is_never_followed(folder: Path, tmp_path: Path) -> None:
    pipeline.build([MINI])
    entry = folder / _entry_name()
    target = tmp_path / "elsewhere"
    os.replace(entry, target)
    entry.symlink_to(target)
    assert pipeline.build([MINI]) == _fresh()
    assert not entry.is_symlink() and entry.is_file()  # replaced by a real entry
    assert target.exists()  # what the link pointed to is left alone


def test_a_key_file_that_is_not_private_turns_the_cache_off(folder: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    pipeline.build([MINI])
    os.chmod(folder / cache_folder.SECRET, 0o644)
    assert pipeline.build([MINI]) == _fresh()
    assert pipeline.build([MINI]) == _fresh()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "key file `secret` is not a private file of yours" in err


def test_the_folder_and_key_are_private(folder: Path) -> None:
    pipeline.build([MINI])
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / cache_folder.SECRET).stat().st_mode & 0o777 == 0o600
    assert len(_secret(folder)) == cache_folder.SECRET_BYTES
    assert sorted(p.suffix for p in folder.iterdir()) == ["", ".entry"]


def test_the_cache_off_reads_nothing(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "pwned"
    _plant(folder, marker, 0o777)
    monkeypatch.setenv("ACCORD_CACHE", "0")
    assert pipeline.build([MINI]).clauses
    assert not marker.exists()
    assert capsys.readouterr().err == ""


def test_a_planted_entry_for_the_bundled_rules_from_the_command_line(tmp_path: Path) -> None:
    """The attack as found: a pickle in a shared folder, then `accord query`."""
    if not ACCORD.exists():
        pytest.skip("the accord command is not installed")
    shared = tmp_path / "shared"
    marker = tmp_path / "pwned"
    shared.mkdir()
    sources = load_sources([bundled_rules_dir()], Sink())
    bomb = pickle.dumps(_Planted(marker))
    (shared / (cache.key(sources) + cache_folder.ENTRY_SUFFIX)).write_bytes(cache.MAGIC + b"\0" * 32 + bomb)
    (shared / (cache.key(sources) + ".pickle")).write_bytes(bomb)
    os.chmod(shared, 0o1777)
    args = [str(ACCORD), "query", "--edition", "e2016", "news_2015_us_ship_attacked"]

    def run(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=FIXTURES, env=cli_env(extra=extra), capture_output=True, text=True,
                              timeout=120, check=False)

    attacked = run({"ACCORD_CACHE_DIR": str(shared)})
    clean = run({"ACCORD_CACHE": "0"})
    assert not marker.exists()
    assert (attacked.returncode, attacked.stdout) == (clean.returncode, clean.stdout) == (0, clean.stdout)
    assert attacked.stderr.count("\n") == 1 and "others may write to it" in attacked.stderr
