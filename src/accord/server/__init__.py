"""`accord serve`: the HTTP server, its JSON API and the scenario-builder page.

In: a loaded `KnowledgeBase`. Out: `create_app`, an ASGI app (Starlette) to run with uvicorn; see
docs/serve.md. Modules: `app` (routes), `service` (the analyses, as JSON), `params` (reading
requests), `guard` (limits and headers), `openapi` and `schema` (the OpenAPI document), `themes`
(the builder's facts); the page is in `static/`, plain HTML, CSS and JavaScript.
"""

from accord.server.app import create_app, create_project_app
from accord.server.service import Limits

__all__ = ["Limits", "create_app", "create_project_app"]
