"""A cache of checked rule bases, so that a command does not parse and check unchanged rules again.

In: the source files of a rule base, as the loader read them. Out: the `ir.RuleBase` that this
very accord built from exactly those texts, or None. Entries live in the folder of `cache_folder`
(used only when it is the user's own and nobody else may write to it), keyed by a SHA-256 of the
file names and texts, the grammar, and the name, size and modification time of every module of
the accord package (an edited accord never reads an entry an older one wrote). An entry is a
pickle behind an HMAC-SHA256 of its key and bytes under the user's secret key: an entry whose MAC
does not match is removed and never unpickled, so a planted or edited file can neither run code
nor change an answer. Even a verified entry is unpickled with only the classes of the rule base's
own modules allowed. `ACCORD_CACHE=0` turns the cache off; rule bases smaller than `MIN_CHARS`
are not cached. Only rule bases without errors are stored; a problem reading or writing the cache
is never an error (the rules are then simply built). Parsing is most of a cold `accord query`
(docs/performance.md); an entry loads in a few milliseconds. Dataclass instances are stored as
their constructor's arguments, which unpickles about twice as fast as the field-by-field state
that slotted dataclasses otherwise restore. docs/reliability.md says what the cache trusts.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import io
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from accord.knowledge import cache_folder
from accord.knowledge.cache_folder import ENTRY_SUFFIX, Folder
from accord.language import ir
from accord.language.grammar import grammar_text
from accord.language.source import SourceFile
from accord.util.text import for_terminal

MIN_CHARS = 16_000  # smaller rule bases parse in a few milliseconds: not worth an entry
MAGIC = b"accord-cache 2\n"  # the format: magic, then the MAC, then the pickle
_MAC_BYTES = hashlib.sha256().digest_size
_PACKAGE = Path(__file__).resolve().parent.parent  # the `accord` package
_ALLOWED = {  # the only classes an entry may name; any other global ends the load
    "accord.language.ast": None, "accord.language.ir": None, "accord.language.ir_authority": None,
    "accord.language.periods": None,
    "accord.language.source": None,
    "datetime": frozenset({"date"}),
}


def enabled() -> bool:
    return os.environ.get("ACCORD_CACHE", "1") != "0"


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


def _mac(secret: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(secret, MAGIC + name.encode("ascii") + b"\0" + payload, hashlib.sha256).digest()


class _Unpickler(pickle.Unpickler):
    """Refuses every global but the rule base's own classes (and `datetime.date`)."""

    def find_class(self, module: str, name: str) -> Any:
        if module not in _ALLOWED or "." in name or name.startswith("_"):
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a rule base")
        names = _ALLOWED[module]
        found = super().find_class(module, name)
        if not isinstance(found, type) or (names is None and found.__module__ != module) or (
                names is not None and name not in names):
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a rule base")
        return found


def _verified(folder: Folder, name: str, data: bytes) -> ir.RuleBase | None:
    secret = cache_folder.secret(folder, create=False)
    if secret is None or not data.startswith(MAGIC) or len(data) < len(MAGIC) + _MAC_BYTES:
        return None
    mac, payload = data[len(MAGIC):len(MAGIC) + _MAC_BYTES], data[len(MAGIC) + _MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(secret, name, payload)):
        return None
    try:
        value = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # cannot happen to an entry this accord wrote; a miss all the same
        return None
    return value if isinstance(value, ir.RuleBase) else None


def get(sources: Sequence[SourceFile]) -> ir.RuleBase | None:
    if not _worth_it(sources):
        return None
    name = key(sources) + ENTRY_SUFFIX
    with cache_folder.opened(create=False) as folder:
        if folder is None:
            return None
        try:
            data = cache_folder.read(folder, name, cache_folder.max_bytes())
        except OSError:
            return None
        if data is None:
            return None
        value = _verified(folder, name, data)
        if value is None:  # planted, edited, truncated or written under another key: gone
            cache_folder.remove(folder, name)
            cache_folder.tell(f"removed a cache entry in {for_terminal(str(folder.path))} that failed its "
                              "integrity check; the rules were built again")
        return value


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
    if not _worth_it(sources):
        return
    name = key(sources) + ENTRY_SUFFIX
    try:
        buffer = io.BytesIO()
        _Pickler(buffer).dump(rule_base)
        payload = buffer.getvalue()
        with cache_folder.opened(create=True) as folder:
            if folder is None or len(MAGIC) + _MAC_BYTES + len(payload) > cache_folder.max_bytes():
                return
            secret = cache_folder.secret(folder, create=True)
            if secret is None:
                return
            try:
                cache_folder.write(folder, name, MAGIC + _mac(secret, name, payload) + payload)
            finally:  # a full disk too: room is made for the next run
                cache_folder.prune(folder)
    except Exception:  # a read-only home, a full disk, a rule base that does not pickle: no cache
        pass
