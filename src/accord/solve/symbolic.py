"""The atoms of one predicate in a grounded program, as text and program literal.

In: a grounded clingo control and a signature (name, arity). Out: `(text, literal)` per atom of that
signature, in clingo's order: the atom's text as `str` of its symbol gives it, and its program
literal, as `Control.symbolic_atoms.by_signature` gives them.

`signature_atoms` makes the C calls of that iteration directly (`accord.solve.binding`): a
grounded edition has one `holds/1` atom per fact instance, and each one read through the public API
costs several times its C calls. `public_signature_atoms` is the public way, used where the binding
is missing; the two give the same list.

`AtomLiterals` goes the other way: the literal of an atom given as an accord value (`Sym`), found
with the C calls `Control.symbolic_atoms[...]` makes, from the value's clingo symbol made in C
too (`handle`; clingo's symbols are the process's, so a value's handle is kept for the next
program). A diff asks this of ~160,000 atoms at 10,000 clauses, where building each `Symbol`
and looking it up through the public API cost ~25 us.
"""

from __future__ import annotations

import clingo

from accord.solve import binding
from accord.solve.binding import SymbolText, check, ffi, lib, raise_error
from accord.solve.core import DAY, Sym, to_symbol

_FUNCTIONS = (
    "clingo_control_symbolic_atoms", "clingo_signature_create", "clingo_symbolic_atoms_begin",
    "clingo_symbolic_atoms_is_valid", "clingo_symbolic_atoms_symbol", "clingo_symbolic_atoms_literal",
    "clingo_symbolic_atoms_next", *SymbolText.FUNCTIONS,
)


def public_signature_atoms(ctl: clingo.Control, name: str, arity: int) -> list[tuple[str, int]]:
    return [(str(atom.symbol), atom.literal) for atom in ctl.symbolic_atoms.by_signature(name, arity)]


def signature_atoms(ctl: clingo.Control, name: str, arity: int) -> list[tuple[str, int]]:
    rep = getattr(ctl, "_rep", None)
    if rep is None or not binding.has(*_FUNCTIONS):  # pragma: no cover - a clingo without the binding
        return public_signature_atoms(ctl, name, arity)
    atoms_cell = ffi.new("clingo_symbolic_atoms_t**")
    check(lib.clingo_control_symbolic_atoms(rep, atoms_cell))
    atoms = atoms_cell[0]
    signature = ffi.new("clingo_signature_t*")
    check(lib.clingo_signature_create(name.encode(), arity, True, signature))
    at = ffi.new("clingo_symbolic_atom_iterator_t*")
    check(lib.clingo_symbolic_atoms_begin(atoms, signature, at))
    valid, symbol, literal = ffi.new("bool*"), ffi.new("clingo_symbol_t*"), ffi.new("clingo_literal_t*")
    is_valid, symbol_of, literal_of, step = (
        lib.clingo_symbolic_atoms_is_valid, lib.clingo_symbolic_atoms_symbol,
        lib.clingo_symbolic_atoms_literal, lib.clingo_symbolic_atoms_next,
    )
    handles: list[int] = []
    literals: list[int] = []
    while True:
        position = at[0]
        if not is_valid(atoms, position, valid):
            raise_error()
        if not valid[0]:
            break
        if not (symbol_of(atoms, position, symbol) and literal_of(atoms, position, literal)
                and step(atoms, position, at)):
            raise_error()
        handles.append(symbol[0])
        literals.append(literal[0])
    return list(zip(SymbolText().texts(handles), literals, strict=True))


_FIND = ("clingo_control_symbolic_atoms", "clingo_symbolic_atoms_find", "clingo_symbolic_atoms_is_valid",
         "clingo_symbolic_atoms_literal", "clingo_symbol_create_function", "clingo_symbol_create_string",
         "clingo_symbol_create_number")
_HANDLES: dict[Sym, int] = {}  # each value's clingo symbol handle, as made so far
_MOST_HANDLES = 1_000_000  # kept at most; then the next ones are made afresh


def handle(value: Sym) -> int:
    """The handle of a value's clingo symbol (`to_symbol`'s), made with clingo's C functions."""
    found = _HANDLES.get(value)
    if found is None:
        out = ffi.new("clingo_symbol_t*")
        if value.quoted or DAY.match(value.name):  # a day of a date sort is a string, as `to_symbol`
            ok = lib.clingo_symbol_create_string(value.name.encode(), out)
        elif not value.args and value.name.isdigit() and len(value.name) < 10:  # an integer, as `to_symbol`
            lib.clingo_symbol_create_number(int(value.name), out)
            ok = True
        else:
            args = [handle(a) for a in value.args]
            array = ffi.new("clingo_symbol_t[]", args) if args else ffi.NULL
            ok = lib.clingo_symbol_create_function(value.name.encode(), array, len(args), True, out)
        if not ok:
            raise_error()
        found = int(out[0])
        if len(_HANDLES) >= _MOST_HANDLES:
            _HANDLES.clear()
        _HANDLES[value] = found
    return found


class AtomLiterals:
    """The program literal of an atom of a grounded control, given as a value; None when the control
    has no such atom (what `Control.symbolic_atoms[to_symbol(value)]` says)."""

    def __init__(self, ctl: clingo.Control) -> None:
        self._ctl = ctl
        rep = getattr(ctl, "_rep", None)
        self._fast = rep is not None and binding.has(*_FIND)
        if self._fast:
            cell = ffi.new("clingo_symbolic_atoms_t**")
            check(lib.clingo_control_symbolic_atoms(rep, cell))
            self._atoms = cell[0]
            self._at = ffi.new("clingo_symbolic_atom_iterator_t*")
            self._valid = ffi.new("bool*")
            self._literal = ffi.new("clingo_literal_t*")

    def __call__(self, atom: Sym) -> int | None:
        if not self._fast:  # pragma: no cover - a clingo without the binding
            return public_literal(self._ctl, atom)
        atoms, at = self._atoms, self._at
        if not (lib.clingo_symbolic_atoms_find(atoms, handle(atom), at)
                and lib.clingo_symbolic_atoms_is_valid(atoms, at[0], self._valid)):
            raise_error()
        if not self._valid[0]:
            return None
        if not lib.clingo_symbolic_atoms_literal(atoms, at[0], self._literal):
            raise_error()
        return int(self._literal[0])


def public_literal(ctl: clingo.Control, atom: Sym) -> int | None:
    found = ctl.symbolic_atoms[to_symbol(atom)]
    return None if found is None else found.literal
