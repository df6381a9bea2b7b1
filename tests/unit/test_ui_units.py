"""The UI's helpers without servers: Dutch notation, safe Markdown, the SSE parser, failure messages."""

from __future__ import annotations

import httpx
import pytest

from ui.client import ApiClient, ApiProblem, parse_sse
from ui.format import contacts_line, euro, highlighted, link_citations, number, percent, plain


def test_dutch_notation() -> None:
    assert euro(121461) == "€ 121.461"
    assert euro(2927296) == "€ 2.927.296"
    assert euro(-500) == "-€ 500"
    assert euro(None) == number(None) == "–"
    assert number(2165) == "2.165"
    assert number(0.8254, 2) == "0,83"
    assert percent(0.825) == "82,5%"


def test_corpus_text_stays_literal_and_citations_link_to_cards() -> None:
    assert plain("a *b*  _c_\n$5 [x] <b>") == r"a \*b\* \_c\_ \$5 \[x\] &lt;b&gt;"
    assert link_citations("€ 121.461 [1] en [12].", "m") == (
        r"€ 121.461 [\[1\]](#bron-m-1) en [\[12\]](#bron-m-12)."
    )
    assert link_citations("€ 121.461 [1].", "m", linked=False) == r"€ 121.461 \[1\]."  # no sources yet
    # what a crawled page says stays text: no remote image, no link, no autolink; lists stay lists
    quoted = link_citations("- Zie ![x](http://elders.example/x.png) en <b>dit</b> [2]\n1. a *b* [3]", "m")
    assert quoted == (
        r"- Zie \!\[x\]\(http\://elders.example/x.png\) en &lt;b&gt;dit&lt;/b&gt; [\[2\]](#bron-m-2)"
        "\n"
        r"1. a \*b\* [\[3\]](#bron-m-3)"
    )
    assert plain("zie https://elders.example") == r"zie https\://elders.example"
    assert highlighted("voor de tekst na", 5, 13) == "…voor <mark><strong>de tekst</strong></mark> na…"
    assert highlighted("x" * 1000 + "kern" + "y" * 1000, 1000, 1004, around=3) == (
        "…xxx <mark><strong>kern</strong></mark> yyy…"
    )


def test_a_pages_contact_people_read_as_one_literal_line() -> None:
    people = [
        {"name": "Anna de Wit", "role": "adviseur *wonen*", "email": "a.dewit@example.nl", "phone": ""},
        {"name": "Bram Kok", "role": "", "email": "", "phone": ""},
    ]
    assert contacts_line(people) == r"Anna de Wit (adviseur \*wonen\*, a.dewit@example.nl); Bram Kok"


def test_sse_parser_skips_pings_and_joins_data_lines() -> None:
    lines = [
        "event: status",
        'data: {"status": "bezig"}',
        "",
        ": ping",
        "",
        "event: delta",
        'data: {"text":',
        'data: "Hoi"}',
        "",
    ]
    events = list(parse_sse(iter(lines)))
    assert [(e.event, e.data) for e in events] == [
        ("status", {"status": "bezig"}),
        ("delta", {"text": "Hoi"}),
    ]


def _client(handler: httpx.MockTransport) -> ApiClient:
    return ApiClient("http://api.test", 2.0, transport=handler)


def test_failures_become_dutch_messages() -> None:
    def error(request: httpx.Request) -> httpx.Response:
        body = {"error": {"code": "source_not_found", "message": "Deze bron staat niet (meer) in de index."}}
        return httpx.Response(404, json=body)

    with pytest.raises(ApiProblem) as caught:
        _client(httpx.MockTransport(error)).source("x")
    assert (caught.value.message, caught.value.code, caught.value.status) == (
        "Deze bron staat niet (meer) in de index.",
        "source_not_found",
        404,
    )

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("geweigerd")

    with pytest.raises(ApiProblem, match="niet bereikbaar"):
        _client(httpx.MockTransport(down)).budget()

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("te traag")

    with pytest.raises(ApiProblem, match="reageert niet binnen 2 seconden"):
        list(_client(httpx.MockTransport(slow)).chat_stream("Vraag?"))

    def stream_error(request: httpx.Request) -> httpx.Response:
        data = '{"code": "unavailable", "message": "De kennisbank is nu niet beschikbaar."}'
        text = f"event: error\ndata: {data}\n\n"
        return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})

    with pytest.raises(ApiProblem, match="De kennisbank is nu niet beschikbaar"):
        list(_client(httpx.MockTransport(stream_error)).chat_stream("Vraag?"))
