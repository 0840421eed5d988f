"""The server's outer guard: limits checked before any endpoint runs, and safe response headers.

In: every HTTP request (an ASGI middleware around the app). Out: the request passed on, or a JSON
error `{"error": …}` at once: 414 for a path and query string longer than `Limits.max_url`, 413
for a body larger than `Limits.max_body` (by its Content-Length, or counted as it arrives when it
is sent in chunks), 400 for a Host header the server does not answer to (with a loopback address,
only `127.0.0.1`, `localhost` and `[::1]`: a web page elsewhere cannot reach the server through a
DNS name it controls). Every response carries a strict Content-Security-Policy (only the server's
own scripts, styles and data: the page fetches nothing from anywhere else), `nosniff`, no
referrer, and may not be framed.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.server.params import ApiError
from accord.server.service import Limits

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
HEADERS = (
    (b"content-security-policy", CSP.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


def host_name(header: str) -> str:
    """The host of a Host header, without the port: `127.0.0.1:8321` → `127.0.0.1`, `[::1]:80` → `::1`."""
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


class Guard:
    def __init__(self, app: ASGIApp, limits: Limits, hosts: frozenset[str] | None = None) -> None:
        self.app = app
        self.limits = limits
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if url > self.limits.max_url:
            await _error(send, 414, f"The URL has {url} characters; the server reads at most {self.limits.max_url}.")
            return
        if self.hosts is not None and host_name(headers.get("host", "")).lower() not in self.hosts:
            await _error(send, 400, "This server answers only requests addressed to "
                                    f"{', '.join(sorted(self.hosts))}.")
            return
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limits.max_body):
            await _error(send, 413, f"The body is larger than the server accepts ({self.limits.max_body} bytes).")
            return
        received = 0
        started = False
        too_large = f"The body is larger than the server accepts ({self.limits.max_body} bytes)."

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limits.max_body:  # the app's ApiError handler answers 413
                    raise ApiError(too_large, 413)
            return message

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        try:
            await self.app(scope, counted, secured)
        except ApiError as err:  # raised while reading outside an endpoint
            if started:
                raise
            await _error(send, err.status, err.message)


async def _error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii")), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
