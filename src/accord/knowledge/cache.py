"""A cache of checked rule bases, so that a command does not parse and check unchanged rules again.

In: the source files of a rule base, as the loader read them. Out: the `ir.RuleBase` that this
very accord built from exactly those texts, or None. Entries are pickles in `$ACCORD_CACHE_DIR`,
else `$XDG_CACHE_HOME/accord`, else `~/.cache/accord`, keyed by a SHA-256 of the file names and
texts, the grammar, and the name, size and modification time of every module of the accord package
(an edited accord never reads an entry an older one wrote). `ACCORD_CACHE=0` turns the cache off;
rule bases smaller than `MIN_CHARS` are not cached. Only rule bases without errors are stored; a
problem reading or writing the cache is never an error (the rules are then simply built). Parsing
is most of a cold `accord query` (docs/performance.md); an entry loads in a few milliseconds.
Dataclass instances are stored as their constructor's arguments, which unpickles about twice as
fast as the field-by-field state that slotted dataclasses otherwise restore.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from accord.language import ir
from accord.language.grammar import grammar_text
from accord.language.source import SourceFile

KEEP = 32  # entries; the oldest beyond this are removed when one is written
MIN_CHARS = 16_000  # smaller rule bases parse in a few milliseconds: not worth an entry
_PACKAGE = Path(__file__).resolve().parent.parent  # the `accord` package


def enabled() -> bool:
    return os.environ.get("ACCORD_CACHE", "1") != "0"


def directory() -> Path:
    chosen = os.environ.get("ACCORD_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "accord"


@functools.cache
def _code_fingerprint() -> bytes:
    digest = hashlib.sha256(grammar_text().encode("utf-8"))
    for path in sorted(_PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.digest()


def key(sources: Sequence[SourceFile]) -> str:
    digest = hashlib.sha256(_code_fingerprint())
    for source in sources:
        for part in (source.name, source.text):
            data = part.encode("utf-8", errors="surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def _worth_it(sources: Sequence[SourceFile]) -> bool:
    return enabled() and sum(len(s.text) for s in sources) >= MIN_CHARS


def get(sources: Sequence[SourceFile]) -> ir.RuleBase | None:
    if not _worth_it(sources):
        return None
    path = directory() / f"{key(sources)}.pickle"
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
        os.utime(path)  # recently used: kept longest
    except Exception:  # a missing, partial or foreign entry: build instead
        return None
    return value if isinstance(value, ir.RuleBase) else None


def _arguments(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass is rebuilt from by calling it, or None: not a dataclass, or one whose
    constructor computes fields of its own (`SourceFile`) and so keeps the usual pickling."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    if any(not f.init or f.kw_only for f in fields):
        return None
    return tuple(f.name for f in fields)


class _Pickler(pickle.Pickler):
    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.arguments: dict[type, tuple[str, ...] | None] = {}

    def reducer_override(self, obj: object) -> Any:
        cls = type(obj)
        if cls not in self.arguments:
            self.arguments[cls] = _arguments(cls)
        names = self.arguments[cls]
        if names is None:
            return NotImplemented
        return cls, tuple(getattr(obj, name) for name in names)


def put(sources: Sequence[SourceFile], rule_base: ir.RuleBase) -> None:
    import tempfile  # imported here: reading an entry does without it

    if not _worth_it(sources):
        return
    temporary: str | None = None
    try:
        folder = directory()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            _Pickler(f).dump(rule_base)
        os.replace(temporary, folder / f"{key(sources)}.pickle")
        temporary = None
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # a read-only home, a full disk, a rule base that does not pickle: no cache
        pass
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
