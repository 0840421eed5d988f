"""The `accord lsp` command: the language server for editors.

In: no arguments; the Language Server Protocol on stdin. Out: the protocol on stdout, until the
editor ends the session (exit code 0). See docs/editor.md for setting up an editor.
"""

from __future__ import annotations

import click


@click.command()
def lsp() -> None:
    """Run the language server for editors, over stdin and stdout."""
    from accord.lsp.server import serve  # imported here: no other command needs pygls

    serve()
