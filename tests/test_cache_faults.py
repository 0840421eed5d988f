"""Faults while the cache is written or read: the next run answers right and leaves no stray file.

A writer killed with SIGKILL half-way through an entry, an entry cut short, an entry of random
bytes, a full disk; and the pruning that keeps the folder bounded (part files of killed runs, the
number of entries, the size cap).
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINI

from accord.knowledge import cache, cache_folder, pipeline
from accord.knowledge.loader import load_sources
from accord.language import ir
from accord.language.diagnostics import Sink


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("ACCORD_CACHE_DIR", str(path))
    monkeypatch.delenv("ACCORD_CACHE", raising=False)
    monkeypatch.delenv("ACCORD_CACHE_MAX_MB", raising=False)
    monkeypatch.setattr(cache, "MIN_CHARS", 0)
    monkeypatch.setattr(cache_folder, "_warned", False)
    return path


@pytest.fixture(scope="module")
def truth() -> ir.RuleBase:
    os.environ["ACCORD_CACHE"] = "0"
    try:
        return pipeline.build([MINI])
    finally:
        del os.environ["ACCORD_CACHE"]


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _settled(folder: Path) -> None:
    """The folder holds the key and one entry, and nothing else; that entry is read without parsing."""
    names = _names(folder)
    assert len(names) == 2 and cache_folder.SECRET in names, names
    assert next(n for n in names if n != cache_folder.SECRET).endswith(cache_folder.ENTRY_SUFFIX)


_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from accord.knowledge import cache, pipeline
cache.MIN_CHARS = 0
real_write = os.write
def stalled(fd, data):
    if len(data) < 1000:  # the key: written in full
        return real_write(fd, data)
    real_write(fd, bytes(data[: len(data) // 2]))
    Path(sys.argv[2]).write_text("half")
    time.sleep(600)
os.write = stalled
pipeline.build([Path(sys.argv[1])])
"""


def test_a_writer_killed_mid_entry(folder: Path, tmp_path: Path, truth: ir.RuleBase) -> None:
    ready = tmp_path / "ready"
    env = {**os.environ, "ACCORD_CACHE_DIR": str(folder)}
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(MINI), str(ready)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ready.exists(), "the writer never got half-way"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert any(n.endswith(".part") for n in _names(folder))  # what a killed run leaves
    assert not any(n.endswith(cache_folder.ENTRY_SUFFIX) for n in _names(folder))
    assert pipeline.build([MINI]) == truth
    _settled(folder)  # the killed writer's part file is gone at once: its process has ended
    assert cache.get(load_sources([MINI], Sink())) == truth  # and the entry written then is good


def _entry(folder: Path) -> Path:
    (entry,) = folder.glob("*" + cache_folder.ENTRY_SUFFIX)
    return entry


@pytest.mark.parametrize("damage", ["truncated", "empty", "random", "magic only"])
def test_a_damaged_entry_is_rebuilt(folder: Path, truth: ir.RuleBase, damage: str) -> None:
    pipeline.build([MINI])
    entry = _entry(folder)
    data = entry.read_bytes()
    entry.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "random": os.urandom(len(data)),
                       "magic only": cache.MAGIC}[damage])
    assert pipeline.build([MINI]) == truth
    assert entry.read_bytes() == data
    _settled(folder)


def test_a_full_disk(folder: Path, truth: ir.RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if len(data) < 1000:
            return real_write(fd, data)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    assert pipeline.build([MINI]) == truth
    assert _names(folder) == [cache_folder.SECRET]  # no entry, no part file
    monkeypatch.setattr(os, "write", real_write)
    assert pipeline.build([MINI]) == truth
    _settled(folder)


def test_part_files_are_pruned_when_stale_or_orphaned_and_kept_while_a_writer_lives(
        folder: Path, truth: ir.RuleBase) -> None:
    pipeline.build([MINI])
    alive = folder / f"x.entry.{os.getppid()}.0123456789abcdef.part"  # a writer that still runs
    stale = folder / f"y.entry.{os.getppid()}.fedcba9876543210.part"
    foreign = folder / "z.part"  # no writer named: pruned when stale only
    for part in (alive, stale, foreign):
        part.write_bytes(b"half an entry")
    old = time.time() - cache_folder.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    _entry(folder).unlink()
    assert pipeline.build([MINI]) == truth
    assert alive.exists() and foreign.exists() and not stale.exists()


def test_the_number_of_entries_is_capped(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_folder, "KEEP", 2)
    text = (MINI / "mini.accord").read_text(encoding="utf-8")
    for i in range(4):
        rules = tmp_path / f"rules{i}"
        rules.mkdir()
        (rules / "mini.accord").write_text(text.replace("Example edition", f"Edition {i}"), encoding="utf-8")
        pipeline.build([rules])
        time.sleep(0.01)
    assert len(list(folder.glob("*" + cache_folder.ENTRY_SUFFIX))) == 2


def test_the_size_cap(folder: Path, truth: ir.RuleBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_CACHE_MAX_MB", "0")
    assert pipeline.build([MINI]) == truth
    assert not list(folder.glob("*" + cache_folder.ENTRY_SUFFIX))
    monkeypatch.setenv("ACCORD_CACHE_MAX_MB", "many")  # not a number: the default cap
    assert cache_folder.max_bytes() == cache_folder.DEFAULT_MAX_MB * 1024 * 1024
