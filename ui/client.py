"""The UI's only door to the service: typed HTTP calls to the API, failures as Dutch messages.

The UI never imports the answerer, so it can run on another machine; everything it shows comes
through here. Every failure becomes an ``ApiProblem`` whose message can be shown to the user as is:
an unreachable API, a timeout, or the API's own error message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from ui.settings import UiSettings

Json = dict[str, Any]
CONNECT_TIMEOUT_S = 5.0


class ApiProblem(Exception):
    """A failed call, with a Dutch message fit to show; ``code`` is the API's error code if any."""

    def __init__(self, message: str, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True)
class StreamEvent:
    """One Server-Sent Event of ``/v1/chat/stream``: its name and its JSON data."""

    event: str
    data: Json


def _unreachable(url: str) -> ApiProblem:
    return ApiProblem(
        f"De kennisassistent is nu niet bereikbaar ({url}). Controleer of de API draait en probeer "
        "het over een paar minuten opnieuw.",
        code="unreachable",
    )


def _too_slow(seconds: float) -> ApiProblem:
    return ApiProblem(
        f"De kennisassistent reageert niet binnen {seconds:g} seconden. Probeer het opnieuw of stel "
        "een kortere vraag.",
        code="timeout",
    )


def _problem(response: httpx.Response) -> ApiProblem:
    """The API's own Dutch message from its error body, or a general one."""
    try:
        body = response.json()
        error = body["error"]
        return ApiProblem(str(error["message"]), str(error.get("code", "")), response.status_code)
    except (ValueError, KeyError, TypeError):
        return ApiProblem(
            f"De kennisassistent gaf een onverwachte fout (HTTP {response.status_code}).",
            status=response.status_code,
        )


def parse_sse(lines: Iterator[str]) -> Iterator[StreamEvent]:
    """Server-Sent Events from text lines; comment lines (keep-alive pings) are skipped."""
    event, data = "message", list[str]()
    for line in lines:
        if not line:
            if data:
                yield StreamEvent(event, json.loads("\n".join(data)))
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data.append(line.removeprefix("data:").strip())
    if data:
        yield StreamEvent(event, json.loads("\n".join(data)))


class ApiClient:
    """The ``/v1`` API at ``base_url``; ``timeout_s`` bounds every call, a whole stream included."""

    def __init__(self, base_url: str, timeout_s: float, transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout_s, connect=min(CONNECT_TIMEOUT_S, timeout_s)),
            transport=transport,
        )

    @classmethod
    def from_settings(cls, settings: UiSettings | None = None) -> ApiClient:
        settings = settings or UiSettings()
        return cls(settings.api_base_url, settings.ui_timeout_seconds)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        return response.json() if response.content else None

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise _too_slow(self.timeout_s) from exc
        except httpx.TransportError as exc:
            raise _unreachable(self.base_url) from exc
        if response.status_code >= 400:
            raise _problem(response)
        return response

    # Chat, conversations, feedback, sources

    def chat_stream(
        self, question: str, conversation_id: str | None = None, option: str | None = None
    ) -> Iterator[StreamEvent]:
        """The events of one streamed turn; an ``error`` event is raised as an ApiProblem."""
        body: Json = {"question": question, "conversation_id": conversation_id}
        if option is not None:
            body["option"] = option
        deadline = time.monotonic() + self.timeout_s
        try:
            with self._http.stream("POST", "/v1/chat/stream", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise _problem(response)
                for event in parse_sse(response.iter_lines()):
                    if event.event == "error":
                        raise ApiProblem(str(event.data.get("message", "")), str(event.data.get("code", "")))
                    yield event
                    if time.monotonic() > deadline:  # pings keep the socket busy; the turn is too slow
                        raise _too_slow(self.timeout_s)
        except httpx.TimeoutException as exc:
            raise _too_slow(self.timeout_s) from exc
        except httpx.TransportError as exc:
            raise _unreachable(self.base_url) from exc

    def conversation(self, conversation_id: str) -> Json:
        result: Json = self._request("GET", f"/v1/conversations/{conversation_id}")
        return result

    def feedback(self, message_id: str, rating: str, comment: str | None = None) -> Json:
        body = {"message_id": message_id, "rating": rating, "comment": comment or None}
        result: Json = self._request("POST", "/v1/feedback", json=body)
        return result

    def source(
        self, chunk_id: str, start: int | None = None, end: int | None = None, context_chars: int = 500
    ) -> Json:
        params: Json = {"context_chars": context_chars}
        if start is not None and end is not None:
            params |= {"start": start, "end": end}
        result: Json = self._request("GET", f"/v1/sources/{chunk_id}", params=params)
        return result

    # Budget, documents, search

    def budget(
        self, project: int | None = None, onderdeel: str | None = None, organisation: str | None = None
    ) -> Json:
        params = {
            k: v
            for k, v in {"project": project, "onderdeel": onderdeel, "organisation": organisation}.items()
            if v is not None
        }
        result: Json = self._request("GET", "/v1/budget", params=params)
        return result

    def document(
        self, doc_id: str, start: int | None = None, end: int | None = None, section: int | None = None
    ) -> Json:
        """A document to read: its facts, sections and one section's text, ``start:end`` marked."""
        params: Json = {"start": start, "end": end} if start is not None and end is not None else {}
        if section is not None:
            params["section"] = section
        result: Json = self._request("GET", f"/v1/documents/{doc_id}", params=params)
        return result

    def documents(self) -> Json:
        result: Json = self._request("GET", "/v1/documents")
        return result

    def search(
        self, q: str, k: int | None = None, kind: str | None = None, project: int | None = None
    ) -> Json:
        given = {"q": q, "k": k, "kind": kind, "project": project}
        params = {name: value for name, value in given.items() if value is not None}
        result: Json = self._request("GET", "/v1/search", params=params)
        return result

    # Evaluation

    def eval_runs(self, limit: int = 50) -> list[Json]:
        result: list[Json] = self._request("GET", "/v1/evals/runs", params={"limit": limit})
        return result

    def eval_run(self, run_ref: str) -> Json:
        result: Json = self._request("GET", f"/v1/evals/runs/{run_ref}")
        return result

    def eval_report(self, run_ref: str) -> str:
        """The run's HTML report, as ``kis eval run`` writes it."""
        return self._send("GET", f"/v1/evals/runs/{run_ref}/report").text

    def eval_compare(self, run_a: str, run_b: str) -> Json:
        result: Json = self._request("GET", "/v1/evals/compare", params={"a": run_a, "b": run_b})
        return result

    def gold_files(self) -> list[Json]:
        result: list[Json] = self._request("GET", "/v1/evals/gold")
        return result

    def start_eval(self, gold: str, admin_key: str, label: str = "", limit: int | None = None) -> Json:
        body: Json = {"gold": gold, "label": label, "limit": limit}
        headers = {"Authorization": f"Bearer {admin_key}"}
        result: Json = self._request("POST", "/v1/evals/jobs", json=body, headers=headers)
        return result

    def eval_job(self, job_id: str) -> Json:
        result: Json = self._request("GET", f"/v1/evals/jobs/{job_id}")
        return result
