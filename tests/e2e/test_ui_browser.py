"""The app in a real browser: Debian's headless Chromium driven by Playwright, against real servers.

The API and ``streamlit run`` run as subprocesses on free ports. The expected amount and options are
read from the API first, so the test checks what the service says, not a copy of today's answers.
The stop button is tried against an API whose LLM is a fake chat model the test holds after its
first words (``tests/llm_api.py``), so the answer is caught streaming without waiting on a clock.
Screenshots and the measured times go to ``artifacts/ui-browser/``; times are recorded, not asserted.
Without Chromium or Playwright the test is skipped, unless KIS_TEST_BROWSER=1 (CI) makes it fail.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from kis.settings import Settings
from tests.api_server import ApiServer
from tests.llm_api import Gate, LlmApi, PassageModel
from tests.ui_support import StreamlitServer, isolated_api
from ui.format import euro

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "ui-browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 90_000
AXE = ROOT / "tests" / "fixtures" / "axe" / "axe.min.js"
SERIOUS = ("serious", "critical")


def _accessibility_problems(page: Any, name: str, found: dict[str, Any]) -> list[str]:
    """axe-core's WCAG 2.1 A/AA checks on the page as shown; its serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    violations = [v for v in result["violations"] if v["impact"] in SERIOUS]
    found[name] = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in violations
    ]
    return [f"{name}: {v['id']} ({v['impact']}) {v['help']}" for v in violations]


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright voor Python is niet geïnstalleerd (pip install -e '.[dev]')."
    if not CHROMIUM.is_file():
        return f"Chromium ontbreekt op {CHROMIUM} (apt-get install chromium)."
    return None


def _need_browser() -> None:
    if reason := _browser_missing():
        if os.environ.get("KIS_TEST_BROWSER") == "1":
            pytest.fail(f"KIS_TEST_BROWSER=1 maar {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def servers(
    corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ApiServer, StreamlitServer]]:
    _need_browser()
    workdir = tmp_path_factory.mktemp("ui-browser")
    api = isolated_api(corpus_index, workdir).start()
    ui = StreamlitServer(api.url, workdir)
    try:
        ui.start()
        yield api, ui
    finally:
        ui.stop()
        api.stop()


def _now(page: Any) -> float:
    """Milliseconds since the page's navigation started, by the browser's own clock."""
    return float(page.evaluate("performance.now()"))


def _before_citation(answer: str) -> str:
    """The answer's first words up to its first [n] marker, as the browser shows them."""
    return re.split(r"\s*\[\d+\]", answer.strip(), maxsplit=1)[0].splitlines()[0][:60].strip()


def test_ask_a_budget_question_then_answer_a_clarifying_question(
    servers: tuple[ApiServer, StreamlitServer],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    api, ui = servers
    with api.client() as http:
        total = http.get("/v1/budget", params={"project": 3}).json()["totals"][0]
        amount = euro(total["amount"])
        ambiguous = "Wie zijn de partners?"
        clarify = http.post("/v1/chat", json={"question": ambiguous}).json()
        assert clarify["status"] == "clarify", "de vraag moet een verduidelijkingsvraag opleveren"
        option = clarify["clarification"]["options"][0]
        chosen = http.post(
            "/v1/chat",
            json={"question": "", "option": option["value"], "conversation_id": clarify["conversation_id"]},
        ).json()
        assert chosen["status"] == "answered"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1200}, locale="nl-NL")
            hosts: set[str] = set()  # every host the page asks anything of, the favicon included
            page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
            page.goto(ui.url, wait_until="domcontentloaded")
            chat_input = page.get_by_placeholder("Stel je vraag over het werkplan of de kennispagina's…")
            expect(chat_input).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_role("button", name="Hoeveel budget heeft project 3?")).to_be_visible()
            timings["page_load_ms"] = _now(page)
            page.screenshot(path=str(ARTIFACTS / "01-eerste-bezoek.png"), full_page=True)

            asked = _now(page)
            chat_input.fill("Hoeveel budget heeft project 3?")
            chat_input.press("Enter")
            messages = page.get_by_test_id("stChatMessage")
            expect(messages.filter(has_text=amount).last).to_be_visible(timeout=WAIT_MS)
            timings["first_answer_ms"] = _now(page) - asked
            announced = page.locator('[aria-label="Antwoord van de assistent"][aria-live="polite"]')
            expect(announced.first).to_be_attached()  # a screen reader hears the answer arrive
            chip = page.get_by_role("button", name=re.compile(r"^\[1\] \S")).first  # "[1] Werkplan 2026 › …"
            expect(chip).to_be_visible(timeout=WAIT_MS)
            timings["first_answer_with_sources_ms"] = _now(page) - asked
            card = page.get_by_text("Bron [1]:").first
            expect(card).to_be_hidden()  # the full card waits to be asked for
            link = page.locator('a[href*="#bron-"]').first
            target = (link.get_attribute("href") or "").split("#", 1)[1]
            # [1] leads to its source's anchor, which the page may draw a moment after the mark
            expect(page.locator(f"[id='{target}']")).to_have_count(1, timeout=WAIT_MS)
            chip.focus()  # by keyboard: the chip opens its card, Escape closes it
            page.keyboard.press("Enter")
            expect(card).to_be_visible(timeout=WAIT_MS)
            expect(page.locator("mark").first).to_be_visible()
            expect(page.get_by_role("link", name=re.compile("Open de bron op")).first).to_be_visible()
            audit: dict[str, Any] = {}
            problems = _accessibility_problems(page, "chat-bronkaart", audit)
            page.screenshot(path=str(ARTIFACTS / "02-begrotingsantwoord.png"), full_page=True)
            page.keyboard.press("Escape")
            expect(card).to_be_hidden()

            page.get_by_role("button", name="Nieuw gesprek").click()
            expect(messages).to_have_count(0, timeout=WAIT_MS)
            chat_input.fill(ambiguous)
            chat_input.press("Enter")
            labels = [o["label"] for o in clarify["clarification"]["options"]]
            for label in labels:
                expect(page.get_by_role("button", name=label, exact=True)).to_be_visible(timeout=WAIT_MS)
            page.screenshot(path=str(ARTIFACTS / "03-verduidelijkingsvraag.png"), full_page=True)

            clicked = _now(page)
            page.get_by_role("button", name=option["label"], exact=True).click()
            expect(messages).to_have_count(4, timeout=WAIT_MS)
            expect(messages.last).to_contain_text(_before_citation(chosen["answer"]), timeout=WAIT_MS)
            expect(page.get_by_role("button", name=labels[0], exact=True)).to_have_count(0)
            timings["option_answer_ms"] = _now(page) - clicked
            page.screenshot(path=str(ARTIFACTS / "04-antwoord-na-keuze.png"), full_page=True)

            page.reload(wait_until="domcontentloaded")  # the URL names the conversation: it comes back
            expect(messages).to_have_count(4, timeout=WAIT_MS)
            expect(page.get_by_role("button", name=re.compile("Wie zijn de partners")).first).to_be_visible()

            page.get_by_role("button", name="Nieuw gesprek").click()
            expect(messages).to_have_count(0, timeout=WAIT_MS)
            for question in ("Hoeveel budget heeft project 3?", "En project 4?"):  # the second at once
                chat_input.fill(question)
                chat_input.press("Enter")
            expect(messages).to_have_count(4, timeout=WAIT_MS)
            expect(messages.nth(0)).to_contain_text("Hoeveel budget heeft project 3?")
            expect(messages.nth(1)).to_contain_text(amount, timeout=WAIT_MS)
            expect(messages.nth(2)).to_contain_text("En project 4?")

            problems += _accessibility_problems(page, "chat", audit)
            for n, (path, heading) in enumerate(
                [("begroting", "Begroting 2026"), ("evaluatie", "Evaluatie"), ("bronnen", "Bronnen")], start=5
            ):
                page.goto(f"{ui.url}/{path}", wait_until="domcontentloaded")
                expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=WAIT_MS)
                page.wait_for_load_state("networkidle")
                problems += _accessibility_problems(page, path, audit)
                if path == "begroting":
                    expect(page.get_by_text(euro(_programme_total(api))).first).to_be_visible(timeout=WAIT_MS)
                page.screenshot(path=str(ARTIFACTS / f"0{n}-{path}.png"), full_page=True)
                if path == "begroting":  # the charts, further down the page
                    page.get_by_role("heading", name="Grafieken").scroll_into_view_if_needed()
                    page.wait_for_timeout(1000)
                    page.screenshot(path=str(ARTIFACTS / f"0{n}-{path}-grafieken.png"))
            page.set_viewport_size({"width": 390, "height": 844})  # a phone
            for path in ("", "begroting", "evaluatie", "bronnen"):
                page.goto(f"{ui.url}/{path}", wait_until="domcontentloaded")
                page.wait_for_load_state("networkidle")
                if not path:  # a new conversation is at hand on a phone too, not behind the sidebar
                    expect(page.get_by_role("button", name="Nieuw gesprek")).to_be_visible(timeout=WAIT_MS)
                page.screenshot(path=str(ARTIFACTS / f"telefoon-{path or 'chat'}.png"), full_page=True)
            # no request to any host but the service's own (a favicon from a font host tells a
            # third party about every visit, and offline it fails)
            assert hosts <= {"127.0.0.1", "localhost", ""}, sorted(hosts)
            (ARTIFACTS / "axe.json").write_text(
                json.dumps(audit, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            assert not problems, problems
            assert page.evaluate("document.documentElement.lang") == "nl"
        finally:
            browser.close()
    timings = {k: round(v) for k, v in timings.items()}
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")
    print(f"\nbrowser-tijden (ms): {timings}; schermafdrukken in {ARTIFACTS}")


def _programme_total(api: ApiServer) -> int:
    totals = httpx.get(f"{api.url}/v1/budget", timeout=30).json()["totals"]
    return int(next(r for r in totals if r["scope_kind"] == "programma")["amount"])


@pytest.fixture(scope="module")
def llm_servers(
    corpus_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[PassageModel, LlmApi, StreamlitServer]]:
    _need_browser()
    workdir = tmp_path_factory.mktemp("ui-browser-llm")
    model = PassageModel()
    api = LlmApi(corpus_index, workdir, model).start()
    ui = StreamlitServer(api.url, workdir)
    try:
        ui.start()
        yield model, api, ui
    finally:
        ui.stop()
        api.stop()


def test_stop_an_answer_while_it_streams_and_go_on(
    llm_servers: tuple[PassageModel, LlmApi, StreamlitServer],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    model, api, ui = llm_servers
    model.gate = Gate()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
            page.goto(ui.url, wait_until="domcontentloaded")
            chat_input = page.get_by_placeholder("Stel je vraag over het werkplan of de kennispagina's…")
            expect(chat_input).to_be_visible(timeout=WAIT_MS)
            chat_input.fill("Wie zitten er in de Raad van advies?")
            chat_input.press("Enter")
            messages = page.get_by_test_id("stChatMessage")
            stop = page.get_by_role("button", name="Stoppen")
            expect(stop).to_be_visible(timeout=WAIT_MS)
            expect(messages.nth(1)).to_contain_text("▌", timeout=WAIT_MS)  # words shown, the model held
            assert model.gate.held.is_set() and not model.gate.timed_out
            answer = messages.nth(1).get_by_test_id("stMarkdownContainer").first  # its text, no avatar
            shown = answer.inner_text().split("▌")[0].strip()
            assert len(shown.split()) == model.first_words, shown
            page.screenshot(path=str(ARTIFACTS / "10-antwoord-streamt.png"), full_page=True)

            stop.click()
            expect(messages.nth(1)).to_contain_text("Gestopt", timeout=WAIT_MS)
            expect(messages.nth(1)).to_contain_text(shown)
            expect(stop).to_have_count(0)
            page.screenshot(path=str(ARTIFACTS / "11-antwoord-gestopt.png"), full_page=True)
            conversation = parse_qs(urlsplit(page.url).query)["gesprek"][0]  # the stopped turn's, in the URL

            model.gate.open()  # the API finishes the stopped turn; the conversation goes on after it
            chat_input.fill("Wie is de voorzitter van de Raad van advies?")
            chat_input.press("Enter")
            expect(messages).to_have_count(4, timeout=WAIT_MS)  # the stopped question not asked again
            expect(page.get_by_role("button", name=re.compile(r"^\[1\] \S")).first).to_be_visible(
                timeout=WAIT_MS
            )
            expect(messages.nth(1)).to_contain_text("Gestopt")
            assert answer.inner_text().strip() == shown  # kept as shown, not the turn the API finished
            assert parse_qs(urlsplit(page.url).query)["gesprek"][0] == conversation
            with api.client() as http:
                turns = http.get(f"/v1/conversations/{conversation}").json()["turns"]
            assert [t["question"] for t in turns] == [
                "Wie zitten er in de Raad van advies?",
                "Wie is de voorzitter van de Raad van advies?",
            ]
            audit: dict[str, Any] = {}
            problems = _accessibility_problems(page, "chat-gestopt", audit)
            page.screenshot(path=str(ARTIFACTS / "12-verder-na-stoppen.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})  # a phone, on the conversation's URL
            page.reload(wait_until="domcontentloaded")
            expect(messages).to_have_count(4, timeout=WAIT_MS)
            page.wait_for_load_state("networkidle")
            page.get_by_role("button", name=re.compile(r"^\[1\] \S")).first.click()
            expect(page.get_by_text("Bron [1]:").first).to_be_visible(timeout=WAIT_MS)
            page.screenshot(path=str(ARTIFACTS / "telefoon-chat-bronkaart.png"))
            (ARTIFACTS / "axe-gestopt.json").write_text(
                json.dumps(audit, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            assert not problems, problems
        finally:
            browser.close()
