"""Reading request parameters: strictly, with an error that says what is wrong in the user's terms.

In: the (name, value) pairs of a query string, and the names an endpoint takes. Out: typed values
(`one`, `many`, `integer`, `flag`), or `ApiError` with status 400 naming the parameter: an unknown
name (so that a misspelt `facts=` is not silently ignored), a repeated single value, a number out
of range. Nothing here knows rule bases; `accord.server.service` checks names against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accord.language.diagnostics import did_you_mean

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class ApiError(Exception):
    """A request the server will not answer; `status` is the HTTP status, the message says why."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Params:
    items: tuple[tuple[str, str], ...]

    @staticmethod
    def read(items: Iterable[tuple[str, str]], allowed: Sequence[str]) -> Params:
        """The pairs of a query string, checked against the names the endpoint takes."""
        pairs = tuple(items)
        for name, _ in pairs:
            if name not in allowed:
                close = did_you_mean(name, allowed)
                maybe = f" Maybe you want `{close[0]}`." if close else ""
                listed = ", ".join(allowed) if allowed else "none"
                raise ApiError(f"Unknown parameter `{_short(name)}`.{maybe} This endpoint takes: {listed}.")
        return Params(pairs)

    def many(self, name: str) -> tuple[str, ...]:
        return tuple(value for key, value in self.items if key == name)

    def one(self, name: str) -> str | None:
        values = self.many(name)
        if len(values) > 1:
            raise ApiError(f"Give `{name}` at most once.")
        return values[0] if values else None

    def required(self, name: str) -> str:
        value = self.one(name)
        if value is None or not value.strip():
            raise ApiError(f"The parameter `{name}` is required.")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        text = self.one(name)
        if text is None:
            return default
        try:
            value = int(text.strip())
        except ValueError:
            raise ApiError(f"`{name}` must be a whole number, not `{_short(text)}`.") from None
        if not low <= value <= high:
            raise ApiError(f"`{name}` must be between {low} and {high}; it is {value}.")
        return value

    def flag(self, name: str) -> bool:
        text = self.one(name)
        if text is None:
            return False
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ApiError(f"`{name}` must be true or false, not `{_short(text)}`.")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
