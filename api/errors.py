"""The one error shape of the API, and the translation of every failure into it.

``{"error": {"code": ..., "message": ..., "request_id": ...}}`` with a Dutch message. The KisError
tree is translated here once: InputError → 422, every other KisError → 503. Anything else is a bug,
answered with a bare 500 by ``api.middleware``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.logs import request_id_var
from rag.errors import InputError, KisError

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str


class ErrorResponse(BaseModel):
    """Documented in OpenAPI for every route."""

    error: ErrorBody


class ApiError(Exception):
    """An HTTP error with a code and a Dutch message, raised by routes and dependencies."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


# An absolute file path (not the path part of a URL): internal detail that stays in the logs.
_PATH = re.compile(r"(?<![\w.:/])/(?:[\w.@-]+/)*[\w.@-]+")


def public_message(exc: BaseException) -> str:
    """The error's Dutch message with file paths replaced, fit to show outside the server."""
    return _PATH.sub("…", str(exc))


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "request_id": request_id_var.get()}}
    return JSONResponse(body, status_code=status, headers=headers)


_STATUS_CODES = {
    400: ("bad_request", "Het verzoek is ongeldig."),
    401: ("unauthorized", "Niet geautoriseerd."),
    403: ("forbidden", "Geen toegang."),
    404: ("not_found", "Niet gevonden."),
    405: ("method_not_allowed", "Deze methode is hier niet toegestaan."),
    413: ("payload_too_large", "Het verzoek is te groot."),
    415: ("unsupported_media_type", "Dit inhoudstype wordt niet ondersteund."),
}

_PROBLEMS = {
    "missing": "ontbreekt",
    "string_too_long": "is te lang",
    "string_too_short": "is te kort",
    "literal_error": "heeft geen toegestane waarde",
    "enum": "heeft geen toegestane waarde",
    "greater_than_equal": "is te klein",
    "less_than_equal": "is te groot",
    "extra_forbidden": "is onbekend",
}


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def validation_message(errors: Sequence[Any]) -> tuple[str, str]:
    """A code and one Dutch sentence naming each bad field."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return "invalid_json", "De body is geen geldige JSON."
    if any(e.get("type") == "model_attributes_type" or e.get("loc") == ("body",) for e in errors):
        return "validation_error", "De body moet een JSON-object zijn."
    problems = [
        f"'{_field(e.get('loc', ()))}' {_PROBLEMS.get(e.get('type', ''), 'heeft een ongeldige waarde')}"
        for e in errors
    ]
    return "validation_error", "Ongeldig verzoek: " + "; ".join(dict.fromkeys(problems)) + "."


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    code, message = validation_message(exc.errors())
    return error_response(422, code, message)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _STATUS_CODES.get(
        exc.status_code, ("http_error", "Het verzoek kon niet worden verwerkt.")
    )
    return error_response(exc.status_code, code, message, exc.headers)


async def _kis(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, InputError):
        return error_response(422, "invalid_input", public_message(exc))
    log.warning("dienst niet beschikbaar: %s", exc, extra={"error_type": type(exc).__name__})
    return error_response(503, "unavailable", public_message(exc))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(KisError, _kis)
