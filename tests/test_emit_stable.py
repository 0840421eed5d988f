"""The printed programs of synthetic rule bases, held to digests recorded from an earlier build.

Emitting and printing were made faster without changing a byte of what they print: these digests
were taken before, from the programs of two seeded 300-clause bases (bench/synth.py), each edition
plain and traced, the whole diff program and the programs of a sliced diff. A change to the
encoding, or to the generator, is meant to change them: record them again, and say why.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from accord import api
from accord.asp import Program, print_program
from accord.diff_asp import diff_program, targets
from accord.diff_lines import Lines
from accord.diff_slice import components, slices
from accord.to_asp import to_asp, to_asp_traced

ROOT = Path(__file__).resolve().parent.parent

DIGESTS = {
    0: {
        "e_old": "b7efa97f9fe47f33b8fd8bdda1b3b60591f929d9d134f22c8a8d49be3e145150",
        "e_new": "3ba2e9b186a9cc13bfb314dce09a099cdf1253905186b21a502bea031d54aeb2",
        "e_old traced": "2bd31c299d3d82b505a1651e658df48a0aa79cce3b790c4ad0059939b51a57f5",
        "e_new traced": "cd696e7e591f85cf8a6f0b9535a3b1c19958c57cd778e4b5d3cdce7614adf513",
        "diff": "88d7c522c516bae0d10d0aa68d38ff27740945bab35c9896c0f2de62378c3434",
        "slices": "773cc1cdd611b6e67a0fb4b46edc152f8212093de065a83c2c15d81afaa9c910",
    },
    1: {
        "e_old": "425011571fa9e1dbfe10a94b3ddbb3ad486c3f2d5659a3f2cf1ea5a3bb534b8d",
        "e_new": "12282b34f3041682b9b502ca55c83804ee2cd5465bceded8bac623d77054b511",
        "e_old traced": "8056996d6b086f3de5895e716cc73fddcda9a218f1f8e272c09ae1caf3c97d3c",
        "e_new traced": "46cfd1789f771f4d28a6394ad3c027b362cacd5f1b92c05025337054bac36a9f",
        "diff": "4fb82ff4e4b7517fb8c8ad6f59c41233d4e8aade688bacded751aae4521b5cbd",
    },
}


def _synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)
    spec.loader.exec_module(module)
    return module


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _printed(program: Program) -> str:
    return _digest(print_program(program))


@pytest.mark.parametrize("seed", sorted(DIGESTS))
def test_printed_programs_are_unchanged(tmp_path: Path, seed: int) -> None:
    _synth().generate(tmp_path, 300, seed)
    kb = api.load(tmp_path)
    a, b = kb.rules.edition_view("e_old"), kb.rules.edition_view("e_new")
    found = {
        "e_old": _printed(to_asp(a)),
        "e_new": _printed(to_asp(b)),
        "e_old traced": _printed(to_asp_traced(a)[0]),
        "e_new traced": _printed(to_asp_traced(b)[0]),
        "diff": _printed(diff_program(a, b, targets(a, b))),
    }
    assert kb.compile("e_new") == print_program(to_asp(b))
    if "slices" in DIGESTS[seed]:
        pieces = slices(a, b, targets(a, b), components((a, b)), set())
        lines = Lines.of(a, b, pieces, ())
        found["slices"] = _digest("".join(lines.program(p, lines.space_of(p)) for p in pieces))
    assert found == DIGESTS[seed]
