"""The atoms of one predicate in a grounded program, as text and program literal.

In: a grounded clingo control and a signature (name, arity). Out: `(text, literal)` per atom of that
signature, in clingo's order: the atom's text as `str` of its symbol gives it, and its program
literal, as `Control.symbolic_atoms.by_signature` gives them.

`signature_atoms` makes the C calls of that iteration directly (`accord.solve.binding`): a
grounded edition has one `holds/1` atom per fact instance, and each one read through the public API
costs several times its C calls. `public_signature_atoms` is the public way, used where the binding
is missing; the two give the same list.
"""

from __future__ import annotations

import clingo

from accord.solve import binding
from accord.solve.binding import SymbolText, check, ffi, lib, raise_error

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
