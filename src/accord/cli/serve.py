"""The `accord serve` command: the JSON API and the scenario-builder page over HTTP.

In: the command line (loaded by `accord.cli` when the command runs):
the address to listen on (loopback by default), the rules (chosen here, at start-up, and never by
a request) and the limits. Out: a running server until interrupted (docs/serve.md); messages on
stderr. Exit codes: 0 when stopped, 2 a bad command line or an address that cannot be used,
3 rule files with errors, 7 the grounding guard.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import click

from accord.cli.common import EXIT_USAGE, diagnostics_option, fail, load_bases, rules_option, timeout_option

SERVE_TIMEOUT = 10.0  # seconds per solve of a request: a server answers or says so quickly


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: a free one, chosen by the system)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and without
    # it a response written in two parts waits for the client's delayed acknowledgement (~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as err:
        sock.close()
        fail(f"cannot listen on {host}:{port}: {err.strerror}.", EXIT_USAGE)
    return sock


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address exposes the server to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8321, show_default=True,
              help="Port to listen on (0: any free port).")
@timeout_option(SERVE_TIMEOUT, each="solve of a request")
@click.option("--max-body", type=click.IntRange(min=1024), default=1_048_576, show_default=True,
              help="Largest request body accepted, in bytes.")
@click.option("--max-batch", type=click.IntRange(min=1), default=1_000, show_default=True,
              help="Most scenarios in one batch request.")
@click.option("--access-log/--no-access-log", default=False, show_default=True, help="Log every request.")
@rules_option
@diagnostics_option
def serve(host: str, port: int, timeout: float | None, max_body: int, max_batch: int, access_log: bool,
          rules: tuple[Path, ...], diagnostics: str) -> None:
    """Serve the JSON API and the scenario-builder page (read-only) at http://HOST:PORT/."""
    import uvicorn

    from accord.server import Limits, create_app, create_project_app
    from accord.server.guard import LOOPBACK_HOSTS

    project = load_bases(rules, diagnostics)
    limits = Limits(timeout=timeout, max_body=max_body, max_batch=max_batch)
    loopback = is_loopback(host)
    hosts = LOOPBACK_HOSTS if loopback else None
    if project.single:
        application = create_app(project.bases[0].kb, limits, hosts=hosts)
    else:
        application = create_project_app([(b.name, b.kb) for b in project.bases], limits, hosts=hosts)
    sock = listen(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    if not loopback:
        sys.stderr.write(f"accord: warning: {host} is not a loopback address: anyone who can reach it can use "
                         "this server (read-only).\n")
    served = ", ".join(f"{b.name} ({len(b.kb.editions())} editions)" if b.name else f"{len(b.kb.editions())} editions"
                       for b in project.bases)
    sys.stderr.write(f"accord: serving {served} at http://{shown}:{bound}/ (Ctrl-C to stop)\n")
    sys.stderr.flush()
    # h11 may buffer a request head up to 64 KiB, so that a long URL reaches the guard (a JSON 414).
    config = uvicorn.Config(application, log_level="warning", access_log=access_log, server_header=False,
                            limit_concurrency=256, timeout_keep_alive=5, h11_max_incomplete_event_size=65_536)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
