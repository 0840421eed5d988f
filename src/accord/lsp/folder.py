"""A rule folder as the editor sees it: files on disk, some open with unsaved text.

In: a folder of `.accord` files, then the text of a file each time it changes. Out: after each
change, every file's diagnostics (the codes, messages and spans of `accord check`'s checks: syntax,
names, sorts, safety, cycles; not its solver searches) and the name index of every file.

Only the file that changed is parsed again; the others' syntax trees are kept, and name resolution
and checking (a few milliseconds for the bundled rules) run over all of them. While a file does not
parse, its last parsed tree stands in for it so that the other files are still checked; problems
found in that stale tree are not shown, since its positions no longer match the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from accord.knowledge.loader import load_sources
from accord.language import ast
from accord.language.check import check
from accord.language.diagnostics import Diagnostic, Sink
from accord.language.parse import parse
from accord.language.resolve import Declarations, resolve
from accord.language.source import SourceFile
from accord.lsp.index import Declared, FileIndex, Kind


@dataclass(slots=True)
class _File:
    path: Path
    source: SourceFile
    index: FileIndex | None  # from the last text that parsed
    parsed_now: bool  # whether the current text parsed
    problems: list[Diagnostic]  # syntax errors of the current text


@dataclass(slots=True)
class Analysis:
    """The outcome of checking the folder once."""

    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)  # by display name
    declarations: Declarations | None = None


class RuleFolder:
    """The files of one rule folder, their syntax trees, and the last analysis of them all."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, _File] = {}
        prefix = f"{root.name}/" if root.name else ""
        sink = Sink()
        for source in load_sources([root], sink):
            path = root / source.name.removeprefix(prefix)
            self._parse(source.name, path, source.text)
        self.analysis = self._analyse()

    def display_name(self, path: Path) -> str:
        relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        return f"{self.root.name}/{relative}" if self.root.name else relative

    def path_of(self, name: str) -> Path | None:
        file = self.files.get(name)
        return file.path if file is not None else None

    def update(self, path: Path, text: str) -> Analysis:
        """The file's new text: parse it again (it alone) and check the folder."""
        name = self.display_name(path)
        known = self.files.get(name)
        if known is None or known.source.text != text:
            self._parse(name, path, text)
            self.analysis = self._analyse()
        return self.analysis

    def source(self, path: Path) -> SourceFile | None:
        file = self.files.get(self.display_name(path))
        return file.source if file is not None else None

    def index(self, path: Path) -> FileIndex | None:
        file = self.files.get(self.display_name(path))
        return file.index if file is not None and file.parsed_now else None

    def indexes(self) -> list[FileIndex]:
        return [f.index for f in self.files.values() if f.index is not None]

    def declared(self, kind: Kind, name: str) -> Declared | None:
        for index in self.indexes():
            for d in index.declared:
                if d.kind is kind and d.name == name:
                    return d
        return None

    def _parse(self, name: str, path: Path, text: str) -> None:
        source = SourceFile(name, text)
        sink = Sink()
        module = parse(source, sink)
        previous = self.files.get(name)
        parsed = module is not None and not sink.has_errors
        index = FileIndex.of(module) if module is not None and parsed else previous.index if previous else None
        self.files[name] = _File(path, source, index, parsed, sink.sorted())

    def _analyse(self) -> Analysis:
        result = Analysis({name: list(f.problems) for name, f in sorted(self.files.items())})
        modules: list[ast.Module] = []
        stale: set[str] = set()
        for name, f in sorted(self.files.items()):
            if f.index is None:  # a file that never parsed: checking the rest would only mislead
                return result
            modules.append(f.index.module)
            if not f.parsed_now:
                stale.add(name)
        sink = Sink()
        result.declarations = resolve(modules, sink)
        check(result.declarations, sink)
        for d in sink.sorted():
            file = d.span.file if d.span is not None else None
            if file in result.diagnostics and file not in stale:
                result.diagnostics[file].append(d)
        return result
