"""The outermost layer of every request: its id, its access-log line, its metrics, the last-resort 500.

Pure ASGI rather than ``BaseHTTPMiddleware`` so streamed responses pass through untouched. An
exception nothing else handled is logged here with its traceback and answered with the plain error
shape, so no stack trace or internal path ever reaches a client.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from api.logs import request_id_var
from api.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("api.access")

REQUEST_ID_HEADER = "X-Request-ID"
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CLIENT_CLOSED = 499  # nginx's code for a client that went away before the response ended


class RequestContextMiddleware:
    """``prefixes`` maps a route object's id to the prefix it was mounted under (``/v1``): a route
    knows only its own path, and the label must be the whole template to keep metrics readable."""

    def __init__(self, app: ASGIApp, prefixes: dict[int, str]) -> None:
        self.app = app
        self.prefixes = prefixes

    def _route(self, scope: Scope) -> str:
        """The route template ("/v1/conversations/{conversation_id}"): low-cardinality metric labels."""
        route = scope.get("route")
        if route is None:
            return "unmatched"
        return self.prefixes.get(id(route), "") + str(getattr(route, "path", ""))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        request_id = incoming if _CLIENT_ID.match(incoming) else uuid.uuid4().hex
        request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            status = CLIENT_CLOSED
        except Exception:
            log.exception("onverwachte fout")
            if not response_started:
                message = "Er ging iets mis aan onze kant. Probeer het later opnieuw."
                await error_response(500, "internal", message)(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        method, route = scope["method"], self._route(scope)
        REQUESTS.labels(method, route, str(status)).inc()
        REQUEST_SECONDS.labels(method, route).observe(seconds)
        client = scope.get("client")
        log.info(
            "%s %s %s",
            method,
            scope["path"],
            status,
            extra={
                "method": method,
                "path": scope["path"],
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "client": client[0] if client else None,
            },
        )


class BodyLimitMiddleware:
    """413 for a body over ``max_bytes``: at once when Content-Length says so, else while it streams in.

    Raised from ``receive`` as an HTTPException, which FastAPI passes on to the error handlers, so
    the answer has the usual error shape.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await error_response(413, "payload_too_large", self.message)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413)
            return message

        await self.app(scope, counting_receive, send)

    @property
    def message(self) -> str:
        return f"Het verzoek is te groot (maximaal {self.max_bytes} bytes)."
