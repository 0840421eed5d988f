"""A model's shown atoms as small integers, read with one call into clingo.

In: a clingo model, inside a solve. Out: the model's shown atoms as atom numbers (one per distinct
atom, counted from 0 in the order the reader first met them), and each number's clingo symbol, or its
text, on request.

clingo's `Model.symbols(shown=True)` works out a model's shown atoms twice (once to count them, once
to copy them) and wraps the copy in Python objects; at 10,000 clauses a query reads ~9,000 atoms a
model (docs/performance.md). `HandleReader` copies them once, into a buffer it keeps larger than
the largest model seen, as clingo's own integer handles, numbers those, and prints a number's text
from its handle; it needs the internals of clingo's Python module (its C functions and a model's
pointer: `accord.solve.binding`). `SymbolReader`, used where those are missing, takes the public
way and numbers the symbols itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any, Protocol

import clingo

from accord.solve import binding
from accord.solve.binding import SymbolText, check, ffi, lib, symbol_of

_SHOWN: int | None = getattr(lib, "clingo_show_type_shown", None)


class ShownReader(Protocol):
    def read(self, model: clingo.Model) -> Sequence[int]:
        """The numbers of the model's shown atoms."""

    def symbol(self, number: int) -> clingo.Symbol:
        """The atom of a number this reader gave."""

    def text(self, number: int) -> str:
        """The text of the atom of a number this reader gave (what `str` of its symbol gives)."""


class HandleReader:
    """clingo's own symbol handles, copied in one call into a buffer sized by the models seen, then
    numbered.

    The buffer starts zeroed and clingo fills a prefix of it; no atom's handle is zero (zero is
    `#inf`, which is never an atom, and accord shows atoms only), so the prefix ends at the first
    zero. Handles are large, scattered integers; the numbers are small and dense, which makes the
    sets and lookups of the caller several times faster.
    """

    def __init__(self) -> None:
        self._capacity = 1024
        self._numbers: dict[int, int] = {}
        self._handles: list[int] = []
        self._text = SymbolText()

    def read(self, model: clingo.Model) -> Sequence[int]:
        handles = self._handles_of(model)
        numbers = self._numbers
        try:
            return itemgetter(*handles)(numbers) if len(handles) > 1 else [numbers[h] for h in handles]
        except KeyError:  # atoms not met before: number them
            for handle in handles:
                if handle not in numbers:
                    numbers[handle] = len(self._handles)
                    self._handles.append(handle)
            return [numbers[handle] for handle in handles]

    def _handles_of(self, model: clingo.Model) -> list[int]:
        rep: Any = model._rep
        capacity = self._capacity
        buffer = ffi.new("clingo_symbol_t[]", capacity)
        if not lib.clingo_model_symbols(rep, _SHOWN, buffer, capacity):  # too small: size it and retry
            size = ffi.new("size_t*")
            check(lib.clingo_model_symbols_size(rep, _SHOWN, size))
            capacity = self._capacity = 2 * size[0] + 1024
            buffer = ffi.new("clingo_symbol_t[]", capacity)
            check(lib.clingo_model_symbols(rep, _SHOWN, buffer, capacity))
        low, high = 0, capacity  # the first zero: every entry before it is filled, every one after empty
        while low < high:
            middle = (low + high) // 2
            if buffer[middle]:
                low = middle + 1
            else:
                high = middle
        handles: list[int] = ffi.unpack(buffer, low)
        return handles

    def symbol(self, number: int) -> clingo.Symbol:
        return symbol_of(self._handles[number])

    def text(self, number: int) -> str:
        return self._text(self._handles[number])


class SymbolReader:
    """The public way: `Model.symbols`, each symbol numbered the first time it is seen."""

    def __init__(self) -> None:
        self._numbers: dict[clingo.Symbol, int] = {}
        self._symbols: list[clingo.Symbol] = []

    def read(self, model: clingo.Model) -> Sequence[int]:
        numbers = self._numbers
        out = []
        for symbol in model.symbols(shown=True):
            number = numbers.get(symbol)
            if number is None:
                number = numbers[symbol] = len(self._symbols)
                self._symbols.append(symbol)
            out.append(number)
        return out

    def symbol(self, number: int) -> clingo.Symbol:
        return self._symbols[number]

    def text(self, number: int) -> str:
        return str(self._symbols[number])


def reader() -> ShownReader:
    """The fastest reader this clingo allows."""
    if _SHOWN is None or not binding.has("clingo_model_symbols", "clingo_model_symbols_size",
                                         *SymbolText.FUNCTIONS):  # pragma: no cover
        return SymbolReader()
    return HandleReader()
