"""The API over time: restarts keep data, conversations expire, a re-ingest swaps the index live."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from kis.settings import Settings
from tests.api_server import ApiServer, admin_headers, api_settings
from tests.conftest import CORPUS, copy_corpus

pytestmark = pytest.mark.slow


def chat(client: httpx.Client, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/chat", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_restart_keeps_conversations_and_feedback(corpus_index: Settings, tmp_path: Path) -> None:
    server = ApiServer(api_settings(corpus_index, tmp_path), tmp_path).start()
    try:
        with server.client() as client:
            first = chat(client, "Wat kost project 3 polarisatie?")
            cid = first["conversation_id"]
            chat(client, "En wat is de doelgroep van dat project?", conversation_id=cid)
            rated = {"message_id": first["message_id"], "rating": "down", "comment": "te kort"}
            assert client.post("/v1/feedback", json=rated).status_code == 201
            before = client.get(f"/v1/conversations/{cid}").json()
        server.restart()
        with server.client() as client:
            assert client.get(f"/v1/conversations/{cid}").json() == before
            feedback = client.get("/v1/feedback", headers=admin_headers()).json()
            assert [(f["message_id"], f["comment"]) for f in feedback] == [(first["message_id"], "te kort")]
            third = chat(client, "Wat zijn de resultaten daarvan?", conversation_id=cid)
            turns = client.get(f"/v1/conversations/{cid}").json()["turns"]
            assert [t["position"] for t in turns] == [0, 1, 2] and turns[-1]["id"] == third["message_id"]
    finally:
        server.stop()


def test_idle_conversations_expire(corpus_index: Settings, tmp_path: Path) -> None:
    settings = api_settings(corpus_index, tmp_path, conversation_ttl_hours=2 / 3600, index_check_seconds=0.5)
    server = ApiServer(settings, tmp_path).start()
    try:
        with server.client() as client:
            cid = chat(client, "Wat zijn de drie thema's van KIS?")["conversation_id"]
            assert client.get(f"/v1/conversations/{cid}").status_code == 200
            time.sleep(3)
            assert client.get(f"/v1/conversations/{cid}").json()["error"]["code"] == "conversation_not_found"
            late = client.post("/v1/chat", json={"question": "En daarna?", "conversation_id": cid})
            assert late.status_code == 404
            other = chat(client, "Wie zitten er in de Raad van advies?")["conversation_id"]
            time.sleep(3)  # never read again: the housekeeping loop deletes it
        with sqlite3.connect(tmp_path / "api.sqlite") as db:
            assert db.execute("SELECT count(*) FROM conversations WHERE id = ?", (other,)).fetchone() == (0,)
    finally:
        server.stop()


def changed_corpus(target: Path) -> Path:
    text = (CORPUS / "werkplan-2026.txt").read_text(encoding="utf-8")
    marker = "De Raad van advies bestaat uit"
    assert marker in text
    return copy_corpus(
        target, text.replace(marker, f"De Raad van advies spreekt ook over zeppelinvaart. {marker}", 1)
    )


def zeppelin_hits(client: httpx.Client) -> list[dict[str, Any]]:
    hits: list[dict[str, Any]] = client.get("/v1/search", params={"q": "zeppelinvaart", "k": 3}).json()[
        "hits"
    ]
    return [h for h in hits if "zeppelinvaart" in h["text"]]


def test_reingest_in_the_background_then_every_worker_swaps(corpus_index: Settings, tmp_path: Path) -> None:
    """Two workers: the one that runs the job reloads at once, the other on its next index check."""
    data_dir = tmp_path / "var"
    shutil.copytree(
        corpus_index.index_dir, data_dir / "index"
    )  # with the embedding cache: only changes embed
    settings = api_settings(
        corpus_index,
        tmp_path,
        data_dir=data_dir,
        corpus_dir=changed_corpus(tmp_path / "corpus"),
        api_workers=2,
    )
    server = ApiServer(settings, tmp_path).start()
    try:
        with server.client() as client:
            old_build = client.get("/readyz").json()["build"]
            assert zeppelin_hits(client) == []
            assert client.post("/v1/admin/ingest").status_code == 401
            started = client.post("/v1/admin/ingest", headers=admin_headers())
            assert started.status_code == 202, started.text
            job_path = f"/v1/admin/ingest/{started.json()['id']}"
            busy = client.post("/v1/admin/ingest", headers=admin_headers())
            assert busy.status_code == 409 and busy.json()["error"]["code"] == "ingest_running"
            served = 0
            deadline = time.monotonic() + 180
            while (job := client.get(job_path, headers=admin_headers()).json())["state"] in (
                "queued",
                "running",
            ):
                assert time.monotonic() < deadline, job
                assert chat(client, "Wie zitten er in de Raad van advies?")["status"] == "answered"
                served += 1
            assert job["state"] == "done", job
            assert job["build_id"] != old_build and served > 0
            time.sleep(3 * settings.index_check_seconds)
            assert {client.get("/readyz").json()["build"] for _ in range(20)} == {job["build_id"]}
            assert zeppelin_hits(client)
            assert client.get("/v1/documents").json()["build"]["id"] == job["build_id"]
            again = client.post("/v1/admin/ingest", headers=admin_headers()).json()
            while (job := client.get(f"/v1/admin/ingest/{again['id']}", headers=admin_headers()).json())[
                "state"
            ] in ("queued", "running"):
                time.sleep(0.2)
            assert job["state"] == "done" and "al actueel" in job["message"]
    finally:
        server.stop()


def test_an_unreadable_new_build_is_never_swapped_in_and_readiness_says_why(
    corpus_index: Settings, tmp_path: Path
) -> None:
    """A build whose vectors cannot be opened (Chroma raises its own InternalError) marks the service
    not ready with the reason while the loaded build keeps answering; the background loop survives
    and, once the pointer is back, the service is ready again."""
    index = tmp_path / "var" / "index"
    shutil.copytree(corpus_index.index_dir, index)
    good = (index / "current").read_text(encoding="utf-8").strip()
    shutil.copytree(index / "builds" / good, index / "builds" / "kapot")
    (index / "builds" / "kapot" / "chroma" / "chroma.sqlite3").write_bytes(b"geen database" * 8)
    settings = api_settings(corpus_index.model_copy(update={"data_dir": tmp_path / "var"}), tmp_path)
    server = ApiServer(settings, tmp_path).start()
    try:
        with server.client() as client:
            (index / "current").write_text("kapot", encoding="utf-8")
            deadline = time.monotonic() + 30
            while (ready := client.get("/readyz")).status_code == 200 and time.monotonic() < deadline:
                time.sleep(0.3)
            assert ready.status_code == 503 and "Chroma" in ready.json()["error"]["message"]
            assert chat(client, "Wat kost project 3?")["status"] == "answered"  # the old build serves
            (index / "current").write_text(good, encoding="utf-8")
            deadline = time.monotonic() + 30
            while (ready := client.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.3)
            assert ready.status_code == 200 and ready.json()["build"] == good
    finally:
        server.stop()
    assert "Traceback" not in server.log_path.read_text(encoding="utf-8")  # one clear line, no trace


def test_a_database_file_deleted_while_running_makes_the_service_not_ready(
    corpus_index: Settings, tmp_path: Path
) -> None:
    server = ApiServer(api_settings(corpus_index, tmp_path), tmp_path).start()
    try:
        with server.client() as client:
            assert client.get("/readyz").status_code == 200
            (tmp_path / "api.sqlite").unlink()  # what is stored from now on would be lost on restart
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert "verwijderd of vervangen" in ready.json()["error"]["message"]
    finally:
        server.stop()


def test_a_build_file_changed_while_serving_makes_the_service_not_ready(
    corpus_index: Settings, tmp_path: Path
) -> None:
    """The loaded build's files are checked against their checksums on every readiness probe."""
    index = tmp_path / "var" / "index"
    shutil.copytree(corpus_index.index_dir, index)
    build = index / "builds" / (index / "current").read_text(encoding="utf-8").strip()
    settings = api_settings(corpus_index.model_copy(update={"data_dir": tmp_path / "var"}), tmp_path)
    server = ApiServer(settings, tmp_path).start()
    try:
        with server.client() as client:
            assert client.get("/readyz").status_code == 200
            with (build / "chunks.jsonl").open("a", encoding="utf-8") as chunks:
                chunks.write("\n")
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert "chunks.jsonl" in ready.json()["error"]["message"]
    finally:
        server.stop()
    assert "Traceback" not in server.log_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"]])
def test_a_corrupt_database_at_start_is_one_clear_line(tmp_path: Path, command: list[str]) -> None:
    from typer.testing import CliRunner

    from kis.cli import app

    database = tmp_path / "api.sqlite"
    database.write_bytes(b"geen database " * 64)
    env = {"KIS_DATA_DIR": str(tmp_path / "var"), "KIS_DATABASE_URL": f"sqlite:///{database}"}
    result = CliRunner().invoke(app, command, env=env)
    assert result.exit_code == 1
    assert "onbruikbaar (file is not a database)" in result.output and "KIS_DATABASE_URL" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 3
    assert database.read_bytes() == b"geen database " * 64  # nothing of it lost or overwritten


def test_at_start_the_newest_build_that_opens_serves_and_readiness_says_why(
    corpus_index: Settings, tmp_path: Path
) -> None:
    """The active build is broken when the service starts: the previous finished build answers,
    /readyz is 503 naming both, and once the active build is repaired it is loaded and ready."""
    index = tmp_path / "var" / "index"
    shutil.copytree(corpus_index.index_dir, index)
    good = (index / "current").read_text(encoding="utf-8").strip()
    broken = index / "builds" / "kapot"
    shutil.copytree(index / "builds" / good, broken)
    chunks = (broken / "chunks.jsonl").read_bytes()
    (broken / "chunks.jsonl").write_bytes(chunks + b"\n")  # no longer as the build wrote it
    (index / "current").write_text("kapot", encoding="utf-8")
    settings = api_settings(corpus_index.model_copy(update={"data_dir": tmp_path / "var"}), tmp_path)
    server = ApiServer(settings, tmp_path).start(wait_ready=False)
    try:
        with server.client() as client:
            deadline = time.monotonic() + 60
            while "vorige build" not in client.get("/readyz").text and time.monotonic() < deadline:
                time.sleep(0.3)
            ready = client.get("/readyz")
            assert ready.status_code == 503
            message = ready.json()["error"]["message"]
            assert "kapot" in message and f"vorige build {good}" in message
            assert chat(client, "Wat kost project 3?")["status"] == "answered"
            (broken / "chunks.jsonl").write_bytes(chunks)
            deadline = time.monotonic() + 30
            while (ready := client.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.3)
            assert ready.status_code == 200  # the repaired active build is loaded (a copy: same id)
    finally:
        server.stop()
    assert "Traceback" not in server.log_path.read_text(encoding="utf-8")
