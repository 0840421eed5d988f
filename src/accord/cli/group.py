"""A click command group that imports a command's module only when that command runs.

In: a table of command name -> (module, attribute, summary), the summary being the first sentence
of the command's help. Out: a `click.Group` that lists every command with its summary in `--help`,
suggests close names for a mistyped command, and imports a command's module on first lookup, so a
command pays only for the modules it uses. tests/test_cli_lazy.py holds each summary equal to the
real command's help and checks that every entry resolves.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

Entry = tuple[str, str, str]  # module, attribute, summary


class LazyGroup(click.Group):
    """A group whose commands are named in a table and imported when first looked up."""

    def __init__(self, *args: Any, lazy: Mapping[str, Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy or cmd_name in self.commands:
            return super().get_command(ctx, cmd_name)
        module, attribute, _ = self.lazy[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        self.add_command(command, cmd_name)
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                          list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as err:
            # click suggests close names among the commands already loaded; suggest among them all.
            raise click.exceptions.NoSuchCommand(err.command_name, possibilities=self.list_commands(ctx),
                                                 ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `--help`, from the table: no command module is imported."""
        names = [name for name in self.list_commands(ctx) if not self._hidden(name)]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self.summary(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def summary(self, name: str, limit: int) -> str:
        """A command's one-line help as click shortens it to `limit` characters."""
        if name in self.commands:
            return self.commands[name].get_short_help_str(limit)
        return click.Command(name, help=self.lazy[name][2]).get_short_help_str(limit)

    def _hidden(self, name: str) -> bool:
        return name in self.commands and self.commands[name].hidden
