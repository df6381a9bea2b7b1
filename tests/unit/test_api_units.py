"""The API's small pure parts, without a server: rate buckets, error messages, SSE framing."""

from __future__ import annotations

import pytest

from api.errors import public_message, validation_message
from api.ratelimit import TokenBuckets
from api.routes.chat import sse
from rag.errors import StoreError
from tests.api_server import sse_events


def test_token_bucket_allows_a_burst_then_says_how_long_to_wait() -> None:
    buckets = TokenBuckets(per_minute=3)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = buckets.take("a")
    assert 19 < wait <= 20  # one token per 20 s
    assert buckets.take("b") == 0.0


def test_public_messages_hide_file_paths_but_keep_urls() -> None:
    exc = StoreError(
        "Index /srv/kis/var/index/builds/x/chunks.jsonl is beschadigd; zie https://www.kis.nl/a/b"
    )
    assert public_message(exc) == "Index … is beschadigd; zie https://www.kis.nl/a/b"


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        ([{"type": "json_invalid", "loc": ("body", 3)}], ("invalid_json", "De body is geen geldige JSON.")),
        (
            [{"type": "missing", "loc": ("body", "question")}],
            ("validation_error", "Ongeldig verzoek: 'question' ontbreekt."),
        ),
        (
            [
                {"type": "string_type", "loc": ("query", "q")},
                {"type": "extra_forbidden", "loc": ("body", "x")},
            ],
            ("validation_error", "Ongeldig verzoek: 'q' heeft een ongeldige waarde; 'x' is onbekend."),
        ),
    ],
)
def test_validation_errors_become_one_dutch_sentence(
    errors: list[dict[str, object]], expected: tuple[str, str]
) -> None:
    assert validation_message(errors) == expected


def test_sse_frames_parse_back() -> None:
    stream = sse("delta", {"text": "regel één\nregel twee"}) + ": ping\n\n" + sse("done", {"ok": True})
    assert list(sse_events(iter(stream.split("\n")))) == [
        ("delta", {"text": "regel één\nregel twee"}),
        ("done", {"ok": True}),
    ]
