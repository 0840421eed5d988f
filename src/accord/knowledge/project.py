"""Several rule bases loaded together, each under a name of its own.

In: base specifications as the command line gives them (`PATH`, `NAME=PATH`, or a project file
`accord.toml`), then the names a command is asked about (scenarios, editions, actions, facts,
tests), each bare or qualified with its base (`nato.turkey_invaded`). Out: a `Project` of named
`KnowledgeBase`s, sorted by name, and for a question the bases it belongs to with the names
unqualified; or `AccordError` with a diagnostic (`unknown-base`, `ambiguous-name`, `other-base`,
`not-in-any-base`, `bad-project`) that says which base a name belongs to.

Bare paths make one base without a name, exactly as before: a `Project` of one unnamed base.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from accord.knowledge.base import KnowledgeBase, load
from accord.language.diagnostics import AccordError, Diagnostic, brief

PROJECT_FILE = "accord.toml"
_BASE_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_NAMED = re.compile(r"([a-z][a-z0-9_]*)=(.+)\Z", re.DOTALL)
_QUALIFIED = re.compile(r"([a-z][a-z0-9_]*)\.(.+)\Z", re.DOTALL)
_HEAD = re.compile(r"\s*([a-z][a-z0-9_]*)")
KINDS = ("scenario", "edition", "action", "fact", "test")


def _fail(diagnostic: Diagnostic) -> AccordError:
    return AccordError([diagnostic])


class Base:
    """One rule base of a project: its name ("" when it is the only one and has none) and paths.
    A plain class, not a dataclass: it is made on every command's path, and cheaply."""

    __slots__ = ("kb", "name", "paths")

    def __init__(self, name: str, paths: tuple[Path, ...], kb: KnowledgeBase) -> None:
        self.name, self.paths, self.kb = name, paths, kb


def read_project(path: Path) -> list[tuple[str, list[Path]]]:
    """The bases a project file lists: `[bases]` with `NAME = "PATH"` or `NAME = ["PATH", …]`,
    paths relative to the file's folder."""
    import tomllib  # imported here: a command without a project file never needs it

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise _fail(Diagnostic("bad-project", "BAD PROJECT FILE", f"I cannot read the project file `{path}`: {err}.",
                     hint='Write it as TOML: a table `[bases]` with a line `NAME = "PATH"` per rule base.')) from None
    bases = data.get("bases")
    if not isinstance(bases, dict) or not bases:
        raise _fail(Diagnostic("bad-project", "BAD PROJECT FILE", f"The project file `{path}` has no table `[bases]`.",
                     hint='Add `[bases]` with a line `NAME = "PATH"` per rule base.'))
    out = []
    for name, given in bases.items():
        listed = [given] if isinstance(given, str) else given
        if not isinstance(listed, list) or not listed or not all(isinstance(p, str) for p in listed):
            raise _fail(Diagnostic("bad-project", "BAD PROJECT FILE",
                         f"The base `{brief(str(name))}` in `{path}` is not a path or a list of paths.",
                         hint='Write `NAME = "PATH"` or `NAME = ["PATH", "PATH"]`.'))
        out.append((name, [path.parent / p for p in listed]))
    return out


def parse_specs(specs: Sequence[Path | str]) -> list[tuple[str, list[Path]]]:
    """The bases the command line names: bare paths together form one unnamed base; `NAME=PATH`
    adds PATH to the base NAME; a `.toml` file is a project file."""
    named: dict[str, list[Path]] = {}
    bare: list[Path] = []
    for spec in specs:
        text = str(spec)
        match = _NAMED.match(text)
        if text.endswith(".toml") and match is None:
            for name, paths in read_project(Path(text)):
                named.setdefault(name, []).extend(paths)
        elif match is not None:
            named.setdefault(match.group(1), []).append(Path(match.group(2)))
        else:
            bare.append(Path(text))
    if named and bare:
        raise _fail(Diagnostic("bad-project", "UNNAMED RULE BASE",
                     f"`{brief(bare[0].as_posix())}` has no name, but other rule bases do.",
                     hint=f"Name every rule base: `--rules NAME={brief(bare[0].as_posix())}`."))
    for name in named:
        if not _BASE_NAME.match(name):
            raise _fail(Diagnostic("bad-project", "BAD BASE NAME", f"`{brief(name)}` is not a name for a rule base.",
                         hint="A base name is lower-case snake case, such as `nato` or `us_japan`."))
    if not named:
        return [("", bare)]
    return sorted(named.items())


class Project:
    """Named rule bases, sorted by name; `single` when there is one without a name (the old way)."""

    def __init__(self, bases: Sequence[Base]) -> None:
        self.bases = tuple(sorted(bases, key=lambda b: b.name))
        self.single = len(self.bases) == 1 and not self.bases[0].name
        self._by_name = {b.name: b for b in self.bases}

    def split(self, text: str) -> tuple[str | None, str]:
        """A name and its qualifier: `nato.e1952` is (`nato`, `e1952`); a bare name has none."""
        match = _QUALIFIED.match(text)
        if self.single or match is None:
            return None, text
        if match.group(1) not in self._by_name:
            raise _fail(Diagnostic("unknown-base", "UNKNOWN RULE BASE",
                         f"`{brief(text)}` names the rule base `{brief(match.group(1))}`, which is not loaded.",
                         hint=f"Loaded bases: {', '.join(self._by_name)}."))
        return match.group(1), match.group(2)

    def targets(self, names: Sequence[tuple[str, str]]) -> list[tuple[Base, dict[tuple[str, str], str]]]:
        """The bases a question is about, each with the question's names unqualified. `names` are
        (kind, text) pairs. A name pins the question to the bases that know it (a qualified one, to
        its own); with no name that pins, the question goes to every base."""
        if self.single:
            return [(self.bases[0], {n: n[1] for n in names})]
        plain: dict[tuple[str, str], str] = {}
        pins: list[tuple[str, str, set[str]]] = []
        for kind, text in names:
            base, local = self.split(text)
            plain[(kind, text)] = local
            knowing = {b.name for b in self.bases if _knows(b.kb, kind, local)}
            if base is not None:
                if knowing and base not in knowing:
                    raise _fail(Diagnostic("other-base", "NAME OF ANOTHER RULE BASE",
                                 f"The {kind} `{brief(local)}` belongs to the rule base `{min(knowing)}`, "
                                 f"not `{base}`.", hint=f"Write `{min(knowing)}.{brief(local)}`."))
                knowing = {base}
            elif not knowing:
                if kind == "edition" and local[:1].isdigit():
                    continue  # a year or a date: each base answers with its own edition of it
                raise _fail(Diagnostic("not-in-any-base", f"UNKNOWN {kind.upper()}",
                             f"No loaded rule base has the {kind} `{brief(local)}`.",
                             hint=f"Loaded bases: {', '.join(self._by_name)}; `accord vocab` lists each one's names."))
            pins.append((kind, local, knowing))
        chosen = set(self._by_name)
        for kind, local, knowing in pins:
            if not chosen & knowing:
                k0, l0, b0 = next(p for p in pins if not p[2] & knowing)
                raise _fail(Diagnostic("other-base", "NAMES OF DIFFERENT RULE BASES",
                             f"The {k0} `{brief(l0)}` belongs to {_bases(b0)}, the {kind} `{brief(local)}` "
                             f"to {_bases(knowing)}.",
                             hint="Every name of one question comes from one rule base; qualify a name to pick "
                             "its base (`nato.e1952`)."))
            chosen &= knowing
        if len(chosen) > 1 and pins:
            kind, local, knowing = next(p for p in pins if len(p[2]) > 1)
            options = " or ".join(f"`{b}.{brief(local)}`" for b in sorted(knowing))
            raise _fail(Diagnostic("ambiguous-name", f"AMBIGUOUS {kind.upper()}",
                         f"The {kind} `{brief(local)}` is in several rule bases: {', '.join(sorted(knowing))}.",
                         hint=f"Qualify it with its base: {options}."))
        return [(b, plain) for b in self.bases if b.name in chosen]


def _bases(names: set[str]) -> str:
    return ("the rule base " if len(names) == 1 else "the rule bases ") + ", ".join(f"`{n}`" for n in sorted(names))


def _knows(kb: KnowledgeBase, kind: str, text: str) -> bool:
    rules = kb.rules
    if kind == "scenario":
        return text in rules.scenarios
    if kind == "edition":
        return text in rules.editions
    if kind == "test":
        return text in rules.tests
    head = _HEAD.match(text.split()[1] if kind == "action" and len(text.split()) > 1 else text)
    name = head.group(1) if head else ""
    return name in (rules.actions if kind == "action" else rules.facts)


def load_project(specs: Sequence[Path | str] | None) -> Project:
    """Load every base the specifications name; `AccordError` with every diagnostic of a base that
    fails, each file shown under its base's folder."""
    if not specs:
        return Project([Base("", (), load(None))])
    parsed = parse_specs(specs)
    return Project([Base(name, tuple(paths), load(paths)) for name, paths in parsed])
