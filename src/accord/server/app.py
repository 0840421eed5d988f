"""The HTTP application: `create_app(kb)` builds the Starlette app that `accord serve` runs
(`create_project_app` for several rule bases, each under `/bases/NAME/`).

In: a loaded `KnowledgeBase`, the `Limits`, and the Host names to answer (None: any). Out: an ASGI
app with the page at `/` (static files of `accord/server/static`, served by the app itself: the
page fetches nothing from anywhere else) and the JSON API under `/api` (docs/serve.md; the OpenAPI
document at `/api/openapi.json`). Only GET and HEAD, and POST for batch, which changes nothing: the
server is read-only. Every error is JSON, `{"error": …}`, with a 4xx status for bad input.

Requests are read here (strictly: an unknown parameter is an error) and answered by a `Service`
in worker threads, so a slow analysis never holds up the others; explanations, `when` and diffs
share a small number of threads (`Limits.heavy_jobs`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from accord.knowledge.base import KnowledgeBase
from accord.server.guard import Guard
from accord.server.openapi import PARAMETERS, document
from accord.server.params import ApiError, Params
from accord.server.service import Limits, Service
from accord.server.themes import themes

STATIC = Path(__file__).resolve().parent / "static"
JSON = "application/json"
Handler = Callable[[Request], Awaitable[Response]]


class _Threads:
    """Run blocking work in a thread; costly work in a bounded number of them."""

    def __init__(self, heavy: int) -> None:
        self._heavy_tokens = heavy
        self._heavy: anyio.CapacityLimiter | None = None  # made inside the event loop

    async def run(self, work: Callable[[], bytes], heavy: bool = False) -> bytes:
        limiter = None
        if heavy:
            if self._heavy is None:
                self._heavy = anyio.CapacityLimiter(self._heavy_tokens)
            limiter = self._heavy
        return await anyio.to_thread.run_sync(work, limiter=limiter)


def _params(request: Request) -> Params:
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))  # under a base's prefix too
    return Params.read(request.query_params.multi_items(), PARAMETERS[path])


def _json(body: bytes) -> Response:
    return Response(body, media_type=JSON)


def _examples(kb: KnowledgeBase) -> dict[str, str | None]:
    editions = kb.editions()
    latest = editions[-1] if editions else None
    view = kb.rules.edition_view(latest.id) if latest else None
    action = next(iter(view.actions.values()), None) if view else None
    facts = [g.fact for t in themes(kb.rules) for g in t.facts]
    label = None
    if action is not None and not action.params:
        label = f"{action.actors[0]} {action.name}"
    elif action is not None:
        members = [kb.rules.sorts[s].members[0] for s in action.params]
        label = f"{action.actors[0]} {action.name}({', '.join(members)})"
    return {
        "edition": latest.id if latest else None,
        "scenario": next(iter(sorted(kb.rules.scenarios)), None),
        "fact": facts[0] if facts else None,
        "action": label,
        "a": editions[0].id if editions else None,
        "b": latest.id if latest else None,
    }


def create_app(kb: KnowledgeBase, limits: Limits | None = None, *, hosts: frozenset[str] | None = None,
               warm: bool = True) -> ASGIApp:
    """The server's app over `kb`. With `warm`, every edition is compiled and grounded now."""
    chosen = limits or Limits()
    return Guard(_base_app(kb, chosen, warm), chosen, hosts)


def create_project_app(bases: Sequence[tuple[str, KnowledgeBase]], limits: Limits | None = None, *,
                       hosts: frozenset[str] | None = None, warm: bool = True) -> ASGIApp:
    """The server's app over several named rule bases: each base's page and API under
    `/bases/NAME/`, the list of bases at `/api/bases`, and a page of links at `/`."""
    chosen = limits or Limits()
    listed = json.dumps({"bases": [{"name": name, "editions": len(kb.editions()), "url": f"/bases/{name}/"}
                                   for name, kb in bases]}, ensure_ascii=False).encode("utf-8")
    links = "".join(f'<li><a href="/bases/{name}/">{name}</a> ({len(kb.editions())} editions)</li>'
                    for name, kb in bases)
    page = f'<!doctype html><meta charset="utf-8"><title>accord</title><h1>Rule bases</h1><ul>{links}</ul>\n'

    async def index(request: Request) -> Response:
        return HTMLResponse(page)

    async def listing(request: Request) -> Response:
        Params.read(request.query_params.multi_items(), ())
        return _json(listed)

    async def slash(request: Request) -> Response:
        return RedirectResponse(f"{request.url.path}/", status_code=308)

    routes: list[BaseRoute] = [Route("/", index), Route("/api/bases", listing)]
    for name, kb in bases:
        routes += [Route(f"/bases/{name}", slash), Mount(f"/bases/{name}", _base_app(kb, chosen, warm))]
    handlers = {ApiError: _api_error, HTTPException: _http_error, Exception: _internal_error}
    return Guard(Starlette(routes=routes, exception_handlers=handlers), chosen, hosts)


def _base_app(kb: KnowledgeBase, chosen: Limits, warm: bool) -> ASGIApp:
    """The page and the API of one rule base, without the guard."""
    service = Service(kb, chosen)
    if warm:
        service.warm()
    threads = _Threads(chosen.heavy_jobs)
    openapi = json.dumps(document(chosen, _examples(kb)), ensure_ascii=False).encode("utf-8")

    def listing(body: Callable[[Params], bytes]) -> Handler:
        async def handle(request: Request) -> Response:
            return _json(body(_params(request)))
        return handle

    async def query(request: Request) -> Response:
        p = _params(request)
        edition = service.choose(p.one("edition"), p.one("as_of"))
        cap = p.integer("cap", 100, 1, chosen.max_readings)
        work = partial(service.query, edition, scenario=p.one("scenario"), facts=p.many("fact"),
                       unknown=p.many("unknown"), readings_cap=cap if p.flag("all") else None)
        return _json(await threads.run(work))

    async def explain(request: Request) -> Response:
        p = _params(request)
        action = p.required("action")
        edition = service.choose(p.one("edition"), p.one("as_of"))
        work = partial(service.explain, edition, action, scenario=p.one("scenario"), facts=p.many("fact"),
                       unknown=p.many("unknown"), changes=p.integer("changes", 5, 0, chosen.max_changes))
        return _json(await threads.run(work, heavy=True))

    async def when(request: Request) -> Response:
        p = _params(request)
        action = p.required("action")
        edition = service.choose(p.one("edition"), p.one("as_of"))
        work = partial(service.when, edition, action, p.integer("cap", 20, 1, chosen.max_when))
        return _json(await threads.run(work, heavy=True))

    async def timeline(request: Request) -> Response:
        p = _params(request)
        work = partial(service.timeline, scenario=p.one("scenario"), facts=p.many("fact"), unknown=p.many("unknown"))
        return _json(await threads.run(work, heavy=True))

    async def diff(request: Request) -> Response:
        p = _params(request)
        work = partial(service.diff, p.required("a"), p.required("b"), actions=p.many("action"),
                       actors=p.many("actor"), given=p.many("given"),
                       witnesses=p.integer("witnesses", 1, 0, chosen.max_witnesses))
        return _json(await threads.run(work, heavy=True))

    async def changelog(request: Request) -> Response:
        p = _params(request)
        work = partial(service.changelog, p.required("a"), p.required("b"), actions=p.many("action"),
                       actors=p.many("actor"), given=p.many("given"))
        return _json(await threads.run(work, heavy=True))

    async def batch(request: Request) -> Response:
        p = _params(request)
        edition = service.choose(p.one("edition"), p.one("as_of"))
        lines = service.batch(edition, await request.body())
        return StreamingResponse(lines, media_type="application/x-ndjson")

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    routes = [
        Route("/", index),
        Route("/api/editions", listing(lambda p: service.editions())),
        Route("/api/vocabulary", listing(lambda p: service.vocabulary(p.one("edition")))),
        Route("/api/scenarios", listing(lambda p: service.scenarios_json)),
        Route("/api/themes", listing(lambda p: service.themes_json)),
        Route("/api/query", query),
        Route("/api/explain", explain),
        Route("/api/when", when),
        Route("/api/diff", diff),
        Route("/api/changelog", changelog),
        Route("/api/timeline", timeline),
        Route("/api/batch", batch, methods=["POST"]),
        Route("/api/openapi.json", listing(lambda p: openapi)),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers = {ApiError: _api_error, HTTPException: _http_error, Exception: _internal_error}
    return Starlette(routes=routes, exception_handlers=handlers)


async def _api_error(request: Request, err: Exception) -> Response:
    assert isinstance(err, ApiError)
    return JSONResponse({"error": err.message}, status_code=err.status)


async def _http_error(request: Request, err: Exception) -> Response:
    assert isinstance(err, HTTPException)
    if err.status_code == 404:
        message = f"There is nothing at `{request.url.path}`. The API is under /api (see /api/openapi.json)."
    elif err.status_code == 405:
        message = f"{request.method} is not allowed at `{request.url.path}`: the server is read-only."
    else:
        message = str(err.detail)
    return JSONResponse({"error": message}, status_code=err.status_code, headers=err.headers)


async def _internal_error(request: Request, err: Exception) -> Response:
    return JSONResponse({"error": f"internal error: {type(err).__name__} (please report it)"}, status_code=500)
