"""Reading rule files from disk.

In: paths to `.accord` files or folders of them. Out: `SourceFile`s with stable display names
(relative to the folder given, never absolute), sorted by name, and diagnostics for paths that do
not exist, cannot be read, or are not UTF-8 text.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from accord.language.diagnostics import Sink
from accord.language.source import SourceFile, Span

SUFFIX = ".accord"
MAX_FILE_BYTES = 4 * 1024 * 1024


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def load_sources(paths: Iterable[Path], sink: Sink) -> list[SourceFile]:
    files: dict[str, SourceFile] = {}
    read: set[Path] = set()
    names: set[str] = set()

    def add(path: Path, name: str) -> None:
        # The same file given twice (`rules rules/a.accord`) is read once; two different files with
        # the same display name (`a/rules b/rules`) keep their paths as given, so neither is lost.
        real = path.resolve()
        if real in read:
            return
        read.add(real)
        name = name if name not in names else path.as_posix()
        names.add(name)
        _read(path, name, files, sink)

    for given in paths:
        try:  # a path can fail to be looked at at all (a name too long for the file system)
            if given.is_dir():
                found = sorted(p for p in given.rglob(f"*{SUFFIX}") if p.is_file())
                # `.` has no name of its own: its files are shown relative to it (never as `/x.accord`).
                folder = "" if given.name in ("", ".") else given.name
                if not found:
                    _problem(sink, "no-rules", "NO RULE FILES",
                             f"The folder `{folder or given.as_posix()}` holds no `{SUFFIX}` files.",
                             "Point accord at a folder of rule files, or at a file.")
                for path in found:
                    relative = _display(path, given)
                    add(path, f"{folder}/{relative}" if folder else relative)
            elif given.is_file():
                add(given, given.name)
            elif given.exists():
                _problem(sink, "unreadable-file", "CANNOT READ FILE",
                         f"`{given}` is neither a file nor a folder.",
                         "Give a rule file or a folder of them.")
            else:
                _problem(sink, "no-such-file", "NO SUCH FILE", f"I cannot find `{given}`.",
                         "Check the path; give a rule file or a folder of them.")
        except OSError as err:
            _problem(sink, "unreadable-file", "CANNOT READ FILE", f"I cannot read `{given}`: {err.strerror}.",
                     "Check the path; give a rule file or a folder of them.")
    return [files[k] for k in sorted(files)]


def _problem(sink: Sink, code: str, title: str, message: str, hint: str) -> None:
    sink.error(code, title, message, None, hint)


def _read(path: Path, name: str, files: dict[str, SourceFile], sink: Sink) -> None:
    try:
        data = path.read_bytes()
    except OSError as err:
        _problem(sink, "unreadable-file", "CANNOT READ FILE", f"I cannot read `{name}`: {err.strerror}.",
                 "Check the file's permissions.")
        return
    if len(data) > MAX_FILE_BYTES:
        _problem(sink, "file-too-large", "FILE TOO LARGE",
                 f"`{name}` has {len(data)} bytes; a rule file may have at most {MAX_FILE_BYTES}.",
                 "Split it into several modules.")
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        source = SourceFile(name, data[: err.start].decode("utf-8", errors="replace"))
        sink.error("invalid-utf8", "NOT UTF-8 TEXT",
                   f"`{name}` is not valid UTF-8 text (byte {err.start}).",
                   Span(source, len(source.text), len(source.text)),
                   "Save the file as UTF-8.")
        return
    files[name] = SourceFile(name, text.removeprefix("\ufeff"))
