"""The ``kis`` command line on the real index: JSON replies, conversations, search, clear errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from kis.cli import app
from kis.settings import Settings
from tests.api_server import free_port
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def env(corpus_index: Settings) -> dict[str, str]:
    return {"KIS_DATA_DIR": str(corpus_index.data_dir), "KIS_CORPUS_DIR": str(corpus_index.corpus_dir)}


def kis(env: dict[str, str], *args: str) -> Any:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ask_json_is_the_reply_with_a_conversation_to_continue(env: dict[str, str]) -> None:
    first = kis(env, "ask", "Wat is het budget?", "--json")
    assert first["status"] == "clarify"
    assert first["conversation_id"] and first["message_id"]
    options = first["clarification"]["options"]
    assert len(options) >= 2
    chosen = next(o for o in options if o["label"].startswith("Onderdeel"))
    second = kis(
        env, "ask", "--json", "--conversation", first["conversation_id"], "--option", chosen["value"]
    )
    assert second["conversation_id"] == first["conversation_id"]
    assert second["status"] == "answered"
    assert second["citations"] and "€" in second["answer"]


def test_search_json_lists_ranked_passages_with_metadata(env: dict[str, str]) -> None:
    found = kis(env, "search", "uurtarief senior onderzoeker", "--json", "--k", "5", "--project", "3")
    passages = found["passages"]
    assert [p["rank"] for p in passages] == list(range(1, len(passages) + 1))
    assert passages and all(p["project"] == 3 for p in passages)


def test_empty_question_is_a_dutch_error_without_traceback(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "  "], env=env)
    assert result.exit_code == 1
    assert "De vraag is leeg" in result.output
    assert "Traceback" not in result.output


def test_ingest_if_missing_keeps_the_existing_index(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ingest", "--if-missing"], env=env)
    assert result.exit_code == 0, result.output
    assert "niets te doen" in result.output


def test_missing_index_is_named(tmp_path: Any) -> None:
    result = CliRunner().invoke(app, ["ask", "Wat is KIS?"], env={"KIS_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert "kis ingest" in result.output


def test_an_unwritable_data_directory_is_one_clear_line(tmp_path: Any) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map", encoding="utf-8")  # a data dir below a file cannot be written
    env = {"KIS_DATA_DIR": str(blocker / "var"), "KIS_CORPUS_DIR": str(CORPUS)}
    result = CliRunner().invoke(app, ["ingest"], env=env)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no uncaught error
    assert "Schrijven in de indexmap" in result.output and "beschrijfbaar" in result.output


def test_nothing_to_index_is_one_clear_line(tmp_path: Any) -> None:
    """A manifest of no documents and no crawl yet: a Dutch line that says what to do, no traceback."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.json").write_text('{"documents": []}', encoding="utf-8")
    env = {"KIS_DATA_DIR": str(tmp_path / "var"), "KIS_CORPUS_DIR": str(corpus)}
    result = CliRunner().invoke(app, ["ingest"], env=env)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no uncaught error
    assert "niets te indexeren" in result.output and "kis crawl" in result.output


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"{url} antwoordde niet binnen {seconds} s")


def _port_closed(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_serve_and_ui_take_host_and_port_and_sigterm_leaves_no_server(env: dict[str, str]) -> None:
    """Like uvicorn and streamlit themselves: ``--host``/``--port``; SIGTERM to ``kis ui`` stops
    Streamlit too (it takes the command's place), so the port is free afterwards."""
    kis_bin = str(Path(sys.executable).with_name("kis"))
    api_port, ui_port = free_port(), free_port()
    environment = {**os.environ, **env, "KIS_UI_API_URL": f"http://127.0.0.1:{api_port}"}
    api = subprocess.Popen(
        [kis_bin, "serve", "--host", "127.0.0.1", "--port", str(api_port)],
        env=environment,
        stderr=subprocess.PIPE,
    )
    ui = subprocess.Popen(
        [kis_bin, "ui", "--host", "127.0.0.1", "--port", str(ui_port)],
        env=environment,
        stderr=subprocess.PIPE,
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{api_port}/healthz", api).status_code == 200
        assert _wait_for(f"http://127.0.0.1:{ui_port}/_stcore/health", ui).text == "ok"
        for process in (ui, api):
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) is not None
        assert _port_closed(ui_port) and _port_closed(api_port)
    finally:
        for process in (ui, api):
            if process.poll() is None:
                process.kill()
