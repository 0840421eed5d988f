"""A model's shown atoms as small integers, read with one call into clingo.

In: a clingo model, inside a solve. Out: the model's shown atoms as atom numbers (one per distinct
atom, counted from 0 in the order the reader first met them), and each number's clingo symbol on
request.

clingo's `Model.symbols(shown=True)` works out a model's shown atoms twice (once to count them, once
to copy them) and wraps the copy in Python objects; at 10,000 clauses a query reads ~9,000 atoms a
model (docs/performance.md). `HandleReader` copies them once, into a buffer it keeps larger than
the largest model seen, as clingo's own integer handles, and numbers those; it needs the internals of
clingo's Python module (its C functions and a model's pointer). `SymbolReader`, used where those
are missing, takes the public way and numbers the symbols itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, Protocol, cast

import clingo
import clingo._internal as _internal

_ffi: Any = getattr(_internal, "_ffi", None)  # clingo's own C binding (cffi)
_lib: Any = getattr(_internal, "_lib", None)
_SHOWN: int | None = getattr(_lib, "clingo_show_type_shown", None)
_check: Any = getattr(_internal, "_handle_error", None)  # raises clingo's own error for a failed call
# A symbol from its handle: clingo's own constructor, which its Python module leaves untyped.
_symbol = cast(Callable[[int], clingo.Symbol], clingo.Symbol)


class ShownReader(Protocol):
    def read(self, model: clingo.Model) -> Sequence[int]:
        """The numbers of the model's shown atoms."""

    def symbol(self, number: int) -> clingo.Symbol:
        """The atom of a number this reader gave."""


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
        buffer = _ffi.new("clingo_symbol_t[]", capacity)
        if not _lib.clingo_model_symbols(rep, _SHOWN, buffer, capacity):  # too small: size it and retry
            size = _ffi.new("size_t*")
            _check(_lib.clingo_model_symbols_size(rep, _SHOWN, size))
            capacity = self._capacity = 2 * size[0] + 1024
            buffer = _ffi.new("clingo_symbol_t[]", capacity)
            _check(_lib.clingo_model_symbols(rep, _SHOWN, buffer, capacity))
        low, high = 0, capacity  # the first zero: every entry before it is filled, every one after empty
        while low < high:
            middle = (low + high) // 2
            if buffer[middle]:
                low = middle + 1
            else:
                high = middle
        handles: list[int] = _ffi.unpack(buffer, low)
        return handles

    def symbol(self, number: int) -> clingo.Symbol:
        return _symbol(self._handles[number])


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


def reader() -> ShownReader:
    """The fastest reader this clingo allows."""
    wanted = ("clingo_model_symbols", "clingo_model_symbols_size")
    if _SHOWN is None or _check is None or not all(hasattr(_lib, name) for name in wanted):  # pragma: no cover
        return SymbolReader()
    return HandleReader()
