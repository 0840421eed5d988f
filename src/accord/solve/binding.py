"""clingo's own C binding, reached through its Python module, for the reads accord makes in bulk.

In: clingo symbol handles (the integers clingo's C API names symbols by). Out: the binding's handles
(`ffi`, `lib`, `check`, `raise_error`; None where this clingo's Python module does not expose them),
whether the functions a reader needs are there (`has`), and symbols' texts from their handles
(`SymbolText`).

clingo's Python module calls its C library through cffi, and wraps every call in Python plumbing of
its own: a fresh output cell per call, a Symbol object per handle, two calls and a fresh buffer per
text. Where accord reads hundreds of atoms or more at a time, that plumbing costs several times the
C calls themselves; the readers built on this module make the same C calls
without it, and fall back on the public API where the binding is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NoReturn, cast

import clingo
import clingo._internal as _internal

ffi: Any = getattr(_internal, "_ffi", None)  # clingo's own C binding (cffi)
lib: Any = getattr(_internal, "_lib", None)
check: Any = getattr(_internal, "_handle_error", None)  # raises clingo's own error for a failed call
# A symbol from its handle: clingo's own constructor, which its Python module leaves untyped.
symbol_of = cast(Callable[[int], clingo.Symbol], clingo.Symbol)


def raise_error() -> NoReturn:
    """Raise clingo's own error for the C call that just failed."""
    check(False)
    raise AssertionError("clingo reported no error")  # pragma: no cover - check raises for a failed call


def has(*functions: str) -> bool:
    """Whether the binding is there with every one of these C functions."""
    return ffi is not None and check is not None and lib is not None and all(hasattr(lib, f) for f in functions)


class SymbolText:
    """The texts of symbols, given by their handles: clingo's own printing (what `str` of the symbol
    gives), into a buffer kept for the next one and grown when a text does not fit."""

    FUNCTIONS = ("clingo_symbol_to_string_size", "clingo_symbol_to_string")

    def __init__(self) -> None:
        self._size = ffi.new("size_t*")
        self._capacity = 256
        self._buffer = ffi.new("char[]", self._capacity)

    def __call__(self, handle: int) -> str:
        return self.texts((handle,))[0]

    def texts(self, handles: Iterable[int]) -> list[str]:
        size, buffer, capacity = self._size, self._buffer, self._capacity
        size_of, write, string = lib.clingo_symbol_to_string_size, lib.clingo_symbol_to_string, ffi.string
        out = []
        for handle in handles:
            if not size_of(handle, size):
                raise_error()
            if size[0] > capacity:
                capacity = self._capacity = 2 * size[0]
                buffer = self._buffer = ffi.new("char[]", capacity)
            if not write(handle, buffer, size[0]):
                raise_error()
            out.append(string(buffer).decode())
        return out
