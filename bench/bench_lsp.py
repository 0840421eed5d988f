"""The language server's keystroke on the bundled rules: re-parse one file, re-check the folder.

In: the bundled rules folder and a repetition count. Out: median wall times (a `Row`) of one
keystroke in a large file (its text changed by one character, alternately making and mending a
typo) including the diagnostics in the protocol's form, and of a hover and a completion after it.
Run alone (`python bench/bench_lsp.py`) it prints them; `run.py` puts them in its table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from measure import repeat

from accord.lsp import features
from accord.lsp.convert import diagnostic
from accord.lsp.folder import RuleFolder

RULES = Path(__file__).resolve().parent.parent / "rules"
FILE = RULES / "law_2016.accord"
Row = dict[str, Any]


def keystroke(runs: int) -> Row:
    folder = RuleFolder(RULES)
    text = FILE.read_text(encoding="utf-8")
    typo = text.replace("any_force_2016\n", "any_force_201\n", 1)
    texts = [typo, text]
    count = [0]

    def type_one() -> None:
        count[0] += 1
        analysis = folder.update(FILE, texts[count[0] % 2])
        for found in analysis.diagnostics.values():
            [diagnostic(d, lambda _: None) for d in found]

    where = lsp.Position(line=text[: text.index("force_2016(F)")].count("\n"), character=10)
    return {
        "file": FILE.name, "file_chars": len(text), "files": len(folder.files),
        "keystroke": repeat(type_one, runs, warmup=2).json(),
        "hover": repeat(lambda: features.hover(folder, FILE, where), runs).json(),
        "completion": repeat(lambda: features.completion(folder, FILE, where), runs).json(),
    }


if __name__ == "__main__":
    row = keystroke(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
    for name in ("keystroke", "hover", "completion"):
        t = row[name]
        print(f"{name:<10} median {t['median'] * 1e3:6.1f} ms  (min {t['low'] * 1e3:.1f}, max {t['high'] * 1e3:.1f}, "
              f"{t['runs']} runs; {row['file']}, {row['files']} files)")
