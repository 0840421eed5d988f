"""The printed programs of synthetic rule bases, held to digests recorded from an earlier build.

Emitting and printing were made faster without changing a byte of what they print: these digests
were taken from the printer before that change, from the programs of two seeded 300-clause bases
(bench/synth.py), each edition plain and traced, the whole diff program and the programs of a
sliced diff. A change to the encoding, or to the generator, is meant to change them: record them
again, and say why.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import synth_module

from accord import api
from accord.analyses.diff.lines import Lines
from accord.analyses.diff.program import diff_program, targets
from accord.analyses.diff.slice import components, slices
from accord.compile.asp import Program, print_program
from accord.compile.to_asp import to_asp
from accord.compile.traced_asp import to_asp_traced

DIGESTS = {
    0: {
        "e_old": "fc294ddf806d8cf4774e08a40cfc2513dbb8a4e624e00bfd0b16f50d390e65c4",
        "e_new": "b364ff1fb5b3e77725a9d9f01ff59992c76d8f88cb8e1740ff2082b2bc329879",
        "e_old traced": "8e34b4f0c8632f36fbde9543ff888c9fa99aafdebc0fc3ffb5b48156fa5afaf9",
        "e_new traced": "1426b071cbe3270b9f9963898e616b0440dfbb415ac44446215d3271ba7453f3",
        "diff": "f9a412fb5e6747e5080e69516c6972d9a9a2252921ba8410dd4fa4b98f5dea3f",
        # recorded again when B's side of a slice took from A only the definitions B's own rules use
        "slices": "409dc53dbeeebab242c69f5fe8ff9201f98534dd0f264ba3b57e98c52a76ab48",
    },
    1: {
        "e_old": "c1bef3d53e0f0ca70febc35a233ba23806d2d217c5680a481ebbd6046692a316",
        "e_new": "d06e292db23c351523cf4861cfb203caca9bfbe4b2baebe95aa80863e47ce50d",
        "e_old traced": "e85da74ecce26097db065cb7b25242f58c996684d9d0e5d1260d410a22965366",
        "e_new traced": "c0bbefe9aebf41580f0488a921d69ca201e8aee44f35ab940c814b9795e92367",
        "diff": "dc4b58b8d60f00578b24956e66836ee143236432b71eb9e016ead9997dc0ebe4",
    },
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _printed(program: Program) -> str:
    return _digest(print_program(program))


@pytest.mark.parametrize("seed", sorted(DIGESTS))
def test_printed_programs_are_unchanged(tmp_path: Path, seed: int) -> None:
    synth_module().generate(tmp_path, 300, seed)
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
