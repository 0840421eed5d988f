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
from accord.asp import Program, print_program
from accord.diff_asp import diff_program, targets
from accord.diff_lines import Lines
from accord.diff_slice import components, slices
from accord.to_asp import to_asp, to_asp_traced

DIGESTS = {
    0: {
        "e_old": "aad38b20d3592d812a3fa7865f0f42cad05c9b163fe7a901d2f35bc7e0792f9c",
        "e_new": "b3b253b5a3513f08e86309bfb1c46adf7715966abddf7f6bc6be885acb66d976",
        "e_old traced": "309e25d9c20106a114b90a10ed40712ad26703c57fb95056bb4525312157bee3",
        "e_new traced": "b129f83eaf22e07f97752168062f5ae5133da6a6c42e246dc13972bef45ac90d",
        "diff": "f9a412fb5e6747e5080e69516c6972d9a9a2252921ba8410dd4fa4b98f5dea3f",
        "slices": "e380635c047383bb51116221be27a92ed9b0b92400d72d52ab4ef652ed7f5a66",
    },
    1: {
        "e_old": "0e5e9fcb50feef409e746bdf30ec8f94fada25235f48473d1bc77b74c3263ced",
        "e_new": "971c4aab3f66e2c8da923ab9af9c0d05ad004d183b5359edd9986c85d7e90888",
        "e_old traced": "1731c56232cd8cb3c544f663327f3037f71bff8f4de06a07f6962f9282f63763",
        "e_new traced": "7b2eee74f9671a306f651045370e7bc51080528ca67146b2b5584eebc0da4728",
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
