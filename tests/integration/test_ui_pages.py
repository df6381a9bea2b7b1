"""Each page of the Streamlit app under AppTest, against a real API over the real corpus index.

The expected figures and options are read from the API itself, so these tests check that the UI
shows what the service says, not a copy of today's answers.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from kis.settings import Settings
from rag.answer.question import MAX_QUESTION_CHARS as API_LIMIT
from tests.api_server import ADMIN_KEY, ApiServer, admin_headers, free_port
from tests.llm_api import INVENTED, LlmApi, PassageModel
from tests.ui_support import isolated_api, run_eval
from ui.components import REPLACED, STOPPED, Answer, chip_label
from ui.format import euro, plain
from ui.views.budget import BAR_STEP
from ui.views.chat import MAX_QUESTION_CHARS, Ask, Flight

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


@pytest.fixture(scope="module")
def server(corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    running = isolated_api(corpus_index, tmp_path_factory.mktemp("api-ui")).start()
    yield running
    running.stop()


@pytest.fixture
def api_url(server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """The UI reads its API address from the one Settings, i.e. from KIS_ variables."""
    monkeypatch.setenv("KIS_UI_API_URL", server.url)
    monkeypatch.setenv("KIS_UI_TIMEOUT_SECONDS", "60")
    return server.url


@pytest.fixture
def http(server: ApiServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


def page(name: str) -> AppTest:
    return AppTest.from_string(f"from ui.views.{name} import render\nrender()", default_timeout=TIMEOUT)


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_app_opens_on_the_chat_page(api_url: str) -> None:
    at = AppTest.from_file(str(ROOT / "ui" / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Kennisassistent"]
    assert "Hoeveel budget heeft project 3?" in [b.label for b in at.button]
    assert at.chat_input[0].placeholder == "Stel je vraag over het werkplan of de kennispagina's…"


def test_a_question_over_the_limit_is_said_and_kept_not_sent(api_url: str) -> None:
    question = "Wat doet KIS tegen discriminatie op de arbeidsmarkt? " * 45  # 2.385 characters
    at = page("chat").run()
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    assert "2.385 tekens" in at.error[0].value and "2.000" in at.error[0].value
    assert at.text_area[0].value == question  # whole, to shorten
    assert not at.session_state["chat"].turns  # nothing sent


def test_the_ui_limit_is_the_api_limit() -> None:
    assert MAX_QUESTION_CHARS == API_LIMIT


def test_budget_question_streams_an_answer_with_source_cards_and_takes_feedback(
    api_url: str, http: httpx.Client
) -> None:
    total = next(r for r in http.get("/v1/budget", params={"project": 3}).json()["totals"])
    at = page("chat").run()
    at.chat_input[0].set_value("Hoeveel budget heeft project 3?").run()
    assert not at.exception
    state = at.session_state["chat"]
    (turn,) = state.turns
    assert turn.answer.status == "answered" and turn.answer.error is None
    assert euro(total["amount"]) in turn.answer.text
    texts = markdown(at)
    answer = next(t for t in texts if euro(total["amount"]) in t)
    prefix = turn.answer.message_id
    citations = turn.answer.citations
    assert f"(#bron-{prefix}-1)" in answer  # [1] links to its source
    heading = next(t for t in texts if t.endswith(f"**Bronnen ({len(citations)})**"))
    assert all(f'<span id="bron-{prefix}-{c["n"]}"></span>' in heading for c in citations)
    chips = at.get("popover")  # a chip a source, "[1] Werkplan 2026 › …", its card inside
    assert [c.proto.popover.label for c in chips] == [chip_label(c) for c in citations]
    assert chips[0].proto.popover.label.startswith("\\[1\\] ") and len(chips[0].proto.popover.label) < 80
    card = [m.value for m in chips[0].markdown]
    assert card[0].startswith("**Bron \\[1\\]: ") and any("<mark><strong>" in t for t in card)
    copied = next(c.value for c in at.code if c.value.startswith(turn.answer.text.strip()))
    assert "\nBronnen:\n[1] " in copied  # a pasted copy keeps its sources
    links = next(t for t in texts if t.startswith("[Lees het in het document](bronnen?document="))
    assert "[Open de bron op" in links  # the document in context here, and its origin
    assert state.conversation_id in state.conversations  # listed in the sidebar
    # one click on a thumb is stored at once; a comment may follow
    at.feedback(key=f"feedback-{prefix}-thumbs").set_value(0).run()
    assert at.session_state["chat"].turns[0].rated == "down"
    stored = http.get("/v1/feedback", headers=admin_headers()).json()
    assert any(f["message_id"] == prefix and f["rating"] == "down" and not f["comment"] for f in stored)
    at.text_area(key=f"feedback-{prefix}-comment").input("Mist de uren")
    at.button(key=f"FormSubmitter:feedback-{prefix}-Toelichting versturen").click().run()
    stored = http.get("/v1/feedback", headers=admin_headers()).json()
    mine = [f for f in stored if f["message_id"] == prefix]
    assert len(mine) == 1 and mine[0]["rating"] == "down" and mine[0]["comment"] == "Mist de uren"


def test_clarifying_options_are_buttons_and_a_click_answers(api_url: str, http: httpx.Client) -> None:
    question = "Wie zijn de partners?"
    direct = http.post("/v1/chat", json={"question": question}).json()
    assert direct["status"] == "clarify"
    labels = [o["label"] for o in direct["clarification"]["options"]]
    at = page("chat").run()
    at.chat_input[0].set_value(question).run()
    buttons = [b for b in at.button if b.label in labels]
    assert [b.label for b in buttons] == labels
    buttons[0].click().run()
    assert not at.exception
    turns = at.session_state["chat"].turns
    assert [t.answer.status for t in turns] == ["clarify", "answered"]
    assert turns[1].question == labels[0] and turns[1].answer.text
    assert turns[0].answer.conversation_id == turns[1].answer.conversation_id
    assert not [b for b in at.button if b.label in labels]  # options only on the open question


def test_new_conversation_and_reloading_one(api_url: str) -> None:
    at = page("chat").run()
    at.chat_input[0].set_value("Wie zitten er in de Raad van advies?").run()
    first = at.session_state["chat"].conversation_id
    answer = at.session_state["chat"].turns[0].answer.text
    at.button(key=next(b.key for b in at.button if b.label == "Nieuw gesprek")).click().run()
    assert at.session_state["chat"].turns == [] and at.session_state["chat"].conversation_id is None
    at.button(key=f"gesprek-{first}").click().run()
    state = at.session_state["chat"]
    assert state.conversation_id == first
    assert [t.question for t in state.turns] == ["Wie zitten er in de Raad van advies?"]
    assert state.turns[0].answer.text == answer and state.turns[0].answer.message_id


def test_a_reload_brings_back_the_open_and_recent_conversations_from_the_url(api_url: str) -> None:
    at = page("chat").run()
    at.chat_input[0].set_value("Wie zitten er in de Raad van advies?").run()
    first = at.session_state["chat"].conversation_id
    at.button(key=next(b.key for b in at.button if b.label == "Nieuw gesprek")).click().run()
    at.chat_input[0].set_value("Hoeveel budget heeft project 3?").run()
    second = at.session_state["chat"].conversation_id
    assert at.query_params["gesprek"] == second
    assert at.query_params["gesprekken"] == f"{first},{second}"

    reloaded = page("chat")  # a new browser session on the same URL
    reloaded.query_params.update({"gesprek": second, "gesprekken": f"{first},{second}"})
    reloaded.run()
    state = reloaded.session_state["chat"]
    assert state.conversation_id == second and [t.question for t in state.turns] == [
        "Hoeveel budget heeft project 3?"
    ]
    assert list(state.conversations) == [first, second]
    assert state.conversations[first] == "Wie zitten er in de Raad van advies?"  # listed by its question
    assert any(b.key == f"gesprek-{first}" for b in reloaded.button)


def test_a_question_cut_short_by_the_next_is_asked_again_first(api_url: str) -> None:
    """A new question reruns the page while an answer streams; the first is not lost."""
    at = page("chat").run()
    asked = Ask("Hoeveel budget heeft project 3?", "Hoeveel budget heeft project 3?")
    at.session_state["chat"].in_flight = Flight(asked, Answer(text="Project 3 heeft"))
    at.chat_input[0].set_value("En project 4?").run()
    state = at.session_state["chat"]
    assert [t.question for t in state.turns] == ["Hoeveel budget heeft project 3?", "En project 4?"]
    assert state.conversation_id and all(
        t.answer.conversation_id == state.conversation_id for t in state.turns
    )


def test_a_stopped_answer_stays_as_shown_and_the_conversation_goes_on(
    api_url: str, http: httpx.Client
) -> None:
    """Stoppen keeps the answer in flight as far as it was shown (the browser test clicks it)."""
    question = "Wie zitten er in de Raad van advies?"
    first = http.post("/v1/chat", json={"question": question}).json()
    shown = first["answer"][:30]
    at = page("chat").run()
    state = at.session_state["chat"]
    state.in_flight = Flight(
        Ask(question, question), Answer(text=shown, conversation_id=first["conversation_id"])
    )
    state.stop()  # what the button does, in the rerun its click starts
    at.chat_input[0].set_value("Wie is de voorzitter van de Raad van advies?").run()
    assert not at.exception
    turns = at.session_state["chat"].turns
    assert [t.question for t in turns] == [
        question,
        "Wie is de voorzitter van de Raad van advies?",
    ]  # not asked again
    assert (
        turns[0].answer.stopped and turns[0].answer.text == shown and STOPPED in [c.value for c in at.caption]
    )
    assert turns[1].answer.status == "answered"
    assert (
        at.session_state["chat"].conversation_id
        == turns[1].answer.conversation_id
        == first["conversation_id"]
    )
    assert "Stoppen" not in [b.label for b in at.button]  # only while an answer streams


def test_an_llm_answer_turned_down_is_shown_replaced_with_the_reason(
    corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = LlmApi(corpus_index, tmp_path_factory.mktemp("ui-llm"), PassageModel(invent=True)).start()
    try:
        monkeypatch.setenv("KIS_UI_API_URL", llm.url)
        at = page("chat").run()
        at.chat_input[0].set_value("Wie zitten er in de Raad van advies?").run()
        (turn,) = at.session_state["chat"].turns
        with llm.client() as client:
            stored = client.get(f"/v1/conversations/{turn.answer.conversation_id}").json()["turns"][0]
    finally:
        llm.stop()
    assert turn.answer.replaced == "unsupported" and INVENTED not in turn.answer.text
    assert turn.answer.text == stored["reply"]["answer"]
    assert REPLACED["unsupported"] in [c.value for c in at.caption]


def test_unreachable_api_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIS_UI_API_URL", f"http://127.0.0.1:{free_port()}")
    at = page("chat").run()
    at.chat_input[0].set_value("Wat doet KIS?").run()
    assert [e.value for e in at.error] and "niet bereikbaar" in at.error[0].value
    assert "Opnieuw proberen" in [b.label for b in at.button]
    budget = page("budget").run()
    assert "niet bereikbaar" in budget.error[0].value


def test_slow_api_gives_a_timeout_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that accepts the connection and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        held: list[socket.socket] = []
        accept = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
        accept.start()
        monkeypatch.setenv("KIS_UI_API_URL", f"http://127.0.0.1:{listener.getsockname()[1]}")
        monkeypatch.setenv("KIS_UI_TIMEOUT_SECONDS", "1")
        at = page("chat").run()
        at.chat_input[0].set_value("Wat doet KIS?").run()
        for connection in held:
            connection.close()
    assert "reageert niet binnen 1 seconden" in at.error[0].value


def _chart_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a chart draws: inline in its spec, or in the datasets Streamlit sends beside it."""
    if "datasets" in spec:
        return [row for rows in spec["datasets"].values() for row in rows]
    return list(spec.get("data", {}).get("values", []))


def _metric(at: AppTest) -> str:
    return str(at.metric[0].value)


def test_budget_page_filters_tables_findings_and_question(api_url: str, http: httpx.Client) -> None:
    everything = http.get("/v1/budget").json()
    programme = next(r for r in everything["totals"] if r["scope_kind"] == "programma")
    at = page("budget").run()
    assert not at.exception
    assert _metric(at) == euro(programme["amount"])
    assert at.subheader[3].value == f"Rekencontrole: {len(everything['findings'])} bevindingen"
    assert len(at.get("vega_lite_chart")) == 4
    rows = at.dataframe[1]  # a line without a rate or hours shows a dash there, not a grey "None"
    assert (
        rows.value["Tarief (€)"].isna().any()
        and rows.proto.placeholder == at.dataframe[0].proto.placeholder == "–"
    )
    at.radio[0].set_value("Project").run()
    at.selectbox[0].set_value(3).run()
    project = http.get("/v1/budget", params={"project": 3}).json()
    assert _metric(at) == euro(project["totals"][0]["amount"])
    lines = at.dataframe[1].value  # figures as numbers: they sort as numbers, not as text
    printed = [r["amount"] for r in project["rows"] if r["amount"] is not None]
    assert lines["Bedrag (€)"].dtype.kind in "if" and lines["Bedrag (€)"].dropna().tolist() == printed
    for chart in at.get("vega_lite_chart"):  # a bar's height is fixed, axes in Dutch notation
        spec = json.loads(chart.proto.spec)
        assert spec["height"] == {"step": BAR_STEP}, spec.get("height")
        bars = spec["layer"][0]["encoding"]  # the bars; their figures are written beside them
        assert "/,/g, '.'" in bars["x"]["axis"]["labelExpr"]
        labels = [row[bars["y"]["field"]] for row in _chart_rows(spec)]
        assert len(labels) == len(set(labels))  # one label a bar: none drawn on another's line
    at.selectbox[1].set_value("Movisie").run()
    movisie = http.get("/v1/budget", params={"project": 3, "organisation": "Movisie"}).json()
    assert _metric(at) == euro(movisie["totals"][0]["amount"])
    at.text_input[0].input("Hoeveel budget heeft project 3?")
    at.button[0].click().run()
    answer = at.session_state["budget_answer"]
    assert answer.status == "answered" and euro(project["totals"][0]["amount"]) in answer.text
    assert any(m.value.startswith('<span id="bron-begroting-') for m in at.markdown)


def test_sources_page_lists_documents_and_searches(api_url: str, http: httpx.Client) -> None:
    listing = http.get("/v1/documents").json()
    documents = listing["documents"]
    at = page("sources").run()
    assert not at.exception
    sites, table = (frame.value for frame in at.dataframe[:2])
    assert list(sites["Bron"]) == [s["name"] for s in listing["sources"]] == ["KIS-website"]
    assert list(sites["Laatst gecrawld"]) == ["nog niet"]  # this index was built without a crawl
    assert list(table["Titel"]) == [d["title"] for d in documents]
    assert list(table["Indexstatus"]) == [d["status"] for d in documents]
    at.text_input[0].input("polarisatie")
    at.number_input[0].set_value(3)
    at.selectbox[1].set_value(3)
    at.button[0].click().run()
    result = at.session_state["search_result"]
    direct = http.get("/v1/search", params={"q": "polarisatie", "k": 3, "project": 3}).json()
    assert [h["chunk_id"] for h in result["hits"]] == [h["chunk_id"] for h in direct["hits"]]
    assert any(m.value == "**3 passages voor “polarisatie”**" for m in at.markdown)


def _start_form(at: AppTest, key: str, limit: int, label: str) -> AppTest:
    next(box for box in at.selectbox if box.label == "Gold-bestand").select("werkplan.jsonl")
    next(box for box in at.text_input if box.label == "Label (optioneel)").input(label)
    at.number_input[0].set_value(limit)
    next(box for box in at.text_input if box.label == "Beheerderssleutel").input(key)
    return next(b for b in at.button if b.label == "Run starten").click().run()


def test_a_citation_opens_its_document_with_the_snippet_marked(api_url: str, http: httpx.Client) -> None:
    reply = http.post("/v1/chat", json={"question": "Wie zitten er in de Raad van advies?"}).json()
    cited = reply["citations"][0]
    at = page("sources")
    at.query_params.update({"document": cited["doc_id"], "start": cited["start"], "end": cited["end"]})
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "Document lezen"  # reached from a citation: the document first
    assert f"<mark><strong>{plain(cited['snippet'])}</strong></mark>" in " ".join(markdown(at))
    sections = next(b for b in at.selectbox if b.label == "Sectie")
    assert sections.options[sections.value] == cited["section"]


def test_a_not_found_answer_links_the_places_it_names(api_url: str) -> None:
    at = page("chat").run()
    at.chat_input[0].set_value("Hoeveel woont de burgemeester van Zwolle?").run()
    (turn,) = at.session_state["chat"].turns
    assert turn.answer.status == "not_found" and turn.answer.pointers
    links = next(m for m in markdown(at) if m.startswith("Lees verder: "))
    assert all(f"bronnen?passage={p['chunk_id']}".replace(":", "%3A") in links for p in turn.answer.pointers)


def test_evaluation_page_starts_a_run_and_shows_history(api_url: str, http: httpx.Client) -> None:
    at = page("evaluation").run()
    assert not at.exception
    start_runs = len(http.get("/v1/evals/runs").json())
    _start_form(at, "fout", 2, "ui-test")
    assert "beheerderssleutel" in at.error[0].value
    _start_form(at, ADMIN_KEY, 2, "ui-test")
    assert not at.exception
    result: dict[str, Any] = at.session_state["eval_job_result"]
    assert result["state"] == "done" and at.success[0].value == result["message"]
    run_eval(http, limit=3, label="tweede")
    at = page("evaluation").run()
    runs = http.get("/v1/evals/runs").json()
    assert len(runs) == start_runs + 2
    table = at.dataframe[0].value
    assert list(table["Run"]) == [r["run_id"] for r in runs]
    assert all(re.fullmatch(r"\d{1,2} [a-z]{3} \d{4} \d\d:\d\d", t) for t in table["Gestart"])  # one notation
    assert "geslaagd" in table.columns and "pass_rate" not in table.columns  # names a reader knows
    (chart,) = at.get("vega_lite_chart")  # metrics over the runs of one gold file, a point each
    spec = json.loads(chart.proto.spec)
    assert "werkplan.jsonl" in json.dumps(spec.get("title")) and spec["encoding"]["x"]["type"] == "ordinal"
    detail = http.get(f"/v1/evals/runs/{runs[0]['run_id']}").json()
    failures = detail["failures"]
    assert f"{len(failures)} van 3 items niet geslaagd; {len(failures)} getoond." in markdown(at)
    assert len(at.expander) == len(failures) + 1  # and the one that explains the metrics
    report = http.get(f"/v1/evals/runs/{runs[0]['run_id']}/report")
    assert report.headers["content-type"].startswith("text/html") and runs[0]["run_id"] in report.text
    assert at.get("download_button")
    compare = at.dataframe[1].value
    assert "items" in list(compare["Metriek"]) and set(compare["Achteruitgang"]) <= {"ja ⚠", "nee"}
    items_change = compare.loc[compare["Metriek"] == "items", "Verschil"].iloc[0]
    assert items_change == f"{runs[0]['n_items'] - runs[1]['n_items']:+d}"  # whole items, not "-302,000"
    if failures:  # filtered by kind: only that kind's failures are listed
        kinds = {i["id"]: i["kind"] for i in detail["run"]["items"]}
        kind = kinds[failures[0]]
        next(m for m in at.multiselect if m.label == "Soort").select(kind).run()
        assert len(at.expander) == sum(kinds[f] == kind for f in failures) + 1


def test_a_new_conversation_while_an_answer_streams_asks_nothing_again(
    api_url: str, http: httpx.Client
) -> None:
    """The answer cut short stays in its own conversation (the API keeps it), listed to return to."""
    question = "Wie zitten er in de Raad van advies?"
    first = http.post("/v1/chat", json={"question": question}).json()
    at = page("chat").run()
    at.session_state["chat"].in_flight = Flight(
        Ask(question, question), Answer(text="De Raad", conversation_id=first["conversation_id"])
    )
    next(b for b in at.button if b.label == "Nieuw gesprek").click().run()
    at.chat_input[0].set_value("Hoeveel budget heeft project 3?").run()
    state = at.session_state["chat"]
    assert not at.exception
    assert [t.question for t in state.turns] == ["Hoeveel budget heeft project 3?"]
    assert state.conversation_id != first["conversation_id"]
    assert state.conversations[first["conversation_id"]] == question
