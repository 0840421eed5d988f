"""The cache's folder, opened only when it can be trusted, and the file operations done inside it.

In: the folder named by `$ACCORD_CACHE_DIR`, else `$XDG_CACHE_HOME/accord`, else `~/.cache/accord`.
Out: a `Folder` (an open directory descriptor that every later operation goes through, so the
folder cannot be swapped after it was checked), or None with one line on stderr, once per process,
when the folder belongs to another user or others may write to it. Inside a folder: the per-user
secret key (`secret`, 32 random bytes, mode 0600), reading a file without following a symlink,
writing one atomically through a `*.part` file, and pruning (stale `*.part` files of killed runs,
entries past `KEEP` or past the size cap). docs/reliability.md says what this trusts and why.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from accord.util.text import for_terminal

KEEP = 32  # entries; the oldest beyond this are removed when one is written
DEFAULT_MAX_MB = 256  # the folder's size cap in MiB; $ACCORD_CACHE_MAX_MB overrides it
STALE_SECONDS = 300  # a `*.part` file this old is left over from a run that was killed
SECRET = "secret"
SECRET_BYTES = 32
ENTRY_SUFFIX = ".entry"
_LEGACY_SUFFIX = ".pickle"  # entries of earlier versions: never read, removed when pruning
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # O_NONBLOCK: a planted FIFO never blocks
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC

_warned = False


def directory() -> Path:
    chosen = os.environ.get("ACCORD_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "accord"


def max_bytes() -> int:
    """The size cap of the folder, in bytes: `$ACCORD_CACHE_MAX_MB` MiB if it is a whole number."""
    text = os.environ.get("ACCORD_CACHE_MAX_MB", "")
    megabytes = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else DEFAULT_MAX_MB
    return megabytes * 1024 * 1024


def warn(path: Path, why: str) -> None:
    """One line on stderr, the first time in this process that the cache cannot be used."""
    tell(f"not using the cache in {for_terminal(str(path))}: {why}; the rules are built without it")


def tell(what: str) -> None:
    """A warning about the cache on one line of stderr; only the first one in a process is shown."""
    global _warned
    if _warned:
        return
    _warned = True
    sys.stderr.write(f"accord: warning: {what} (docs/reliability.md).\n")


@dataclass(frozen=True, slots=True)
class Folder:
    """The cache folder, open and checked: names below are relative to `fd`."""

    fd: int
    path: Path


def _untrusted(info: os.stat_result) -> str | None:
    if info.st_uid != os.geteuid():
        return "it belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "others may write to it (chmod go-w it)"
    return None


@contextmanager
def opened(create: bool) -> Iterator[Folder | None]:
    """The cache folder, if it can be trusted; created (mode 0700) first when `create`.
    A folder that cannot be created or opened is simply no cache, without a word."""
    path = directory()
    try:
        if create:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (OSError, ValueError):
        yield None
        return
    try:
        why = _untrusted(os.fstat(fd))
        if why is not None:
            warn(path, why)
        yield None if why is not None else Folder(fd, path)
    finally:
        os.close(fd)


def read(folder: Folder, name: str, limit: int) -> bytes | None:
    """The bytes of a regular file of this user's, at most `limit` of them, or None (missing).
    Anything else under that name (a symlink, a FIFO, a foreign or oversized file) is removed."""
    try:
        fd = os.open(name, _READ, dir_fd=folder.fd)
    except FileNotFoundError:
        return None
    except OSError:  # ELOOP: a symlink, never followed
        remove(folder, name)
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > limit:
            remove(folder, name)
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        os.utime(fd)  # recently used: kept longest
        return b"".join(chunks)
    finally:
        os.close(fd)


def remove(folder: Folder, name: str) -> None:
    with suppress(OSError):
        os.unlink(name, dir_fd=folder.fd)


def _part_name(stem: str) -> str:
    return f"{stem}.{os.getpid()}.{secrets.token_hex(8)}.part"


def write(folder: Folder, name: str, data: bytes) -> None:
    """Write `name` atomically: its bytes go to a new `*.part` file (never a symlink, mode 0600),
    which then replaces it. On any failure (a full disk) the part file is removed and OSError raised."""
    part = _part_name(name)
    fd = os.open(part, _CREATE, 0o600, dir_fd=folder.fd)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(part, name, src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
    except BaseException:
        remove(folder, part)
        raise


def secret(folder: Folder, create: bool) -> bytes | None:
    """The user's secret key for this folder; made (with O_EXCL, mode 0600) when missing and
    `create`. A key file that is not a private regular file of this user's is refused (None)."""
    try:
        fd = os.open(SECRET, _READ, dir_fd=folder.fd)
    except FileNotFoundError:
        return _new_secret(folder) if create else None
    except OSError:
        warn(folder.path, f"its key file `{SECRET}` is a symlink")
        return None
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid()
                or info.st_mode & 0o077 or info.st_size != SECRET_BYTES):
            warn(folder.path, f"its key file `{SECRET}` is not a private file of yours (mode 0600)")
            return None
        key = os.read(fd, SECRET_BYTES + 1)
    finally:
        os.close(fd)
    return key if len(key) == SECRET_BYTES else None


def _new_secret(folder: Folder) -> bytes | None:
    """Write a complete key to a part file, then link it into place: a link fails if a key is there
    already, so of two runs creating one at once, both use the one that was linked first."""
    part = _part_name(SECRET)
    key = secrets.token_bytes(SECRET_BYTES)
    try:
        fd = os.open(part, _CREATE, 0o600, dir_fd=folder.fd)
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            os.write(fd, key)
        finally:
            os.close(fd)
        os.link(part, SECRET, src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
    except FileExistsError:
        return secret(folder, create=False)
    except OSError:
        return None
    finally:
        remove(folder, part)
    return key


def _writer_gone(name: str) -> bool:
    """Whether the process that wrote a part file (its id is in the name) has ended."""
    pieces = name.split(".")
    if len(pieces) < 4 or not pieces[-3].isdigit():
        return False
    pid = int(pieces[-3])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, another user's (cannot be: the folder is ours) or not ours to signal
        return False
    return False


def prune(folder: Folder) -> None:
    """Remove part files of killed runs, entries of earlier versions, anything that is not a
    regular file, and the least recently used entries past `KEEP` or past the size cap."""
    now = time.time()
    entries: list[tuple[int, str, int]] = []
    for name in os.listdir(folder.fd):
        try:
            info = os.stat(name, dir_fd=folder.fd, follow_symlinks=False)
        except OSError:
            continue
        if name.endswith(".part"):
            if now - info.st_mtime > STALE_SECONDS or _writer_gone(name):
                remove(folder, name)
        elif name.endswith(_LEGACY_SUFFIX) or (name.endswith(ENTRY_SUFFIX) and not stat.S_ISREG(info.st_mode)):
            remove(folder, name)
        elif name.endswith(ENTRY_SUFFIX):
            entries.append((info.st_mtime_ns, name, info.st_size))
    entries.sort(reverse=True)
    room = max_bytes()
    for count, (_, name, size) in enumerate(entries):
        room -= size
        if count >= KEEP or room < 0:
            remove(folder, name)
