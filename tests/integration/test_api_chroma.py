"""Chroma-server mode: a real ``chroma run`` on loopback goes away (503) and comes back (recovered)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kis.settings import Settings
from kis.wiring import ingest
from rag.embedders import Embedder
from tests.api_server import ApiServer, api_settings, free_port

CHROMA = shutil.which("chroma", path=str(Path(sys.executable).parent))
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMA is None, reason="de chroma-CLI ontbreekt")]


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert CHROMA is not None
        log = (self.path.parent / "chroma.log").open("ab")
        command = [CHROMA, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError("chroma start niet")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma", free_port())
    server.start()
    yield server
    server.stop()


def ask(client: httpx.Client) -> httpx.Response:
    return client.post("/v1/chat", json={"question": "Wie zitten er in de Raad van advies?"})


def test_chroma_server_away_gives_503_and_recovers(
    corpus_index: Settings, embedder: Embedder, chroma: ChromaServer, tmp_path: Path
) -> None:
    settings = api_settings(
        corpus_index, tmp_path, data_dir=tmp_path / "var", chroma_host="127.0.0.1", chroma_port=chroma.port
    )
    settings.index_dir.mkdir(parents=True)
    shutil.copy(corpus_index.index_dir / "embeddings.sqlite", settings.index_dir / "embeddings.sqlite")
    ingest(settings, embedder)
    server = ApiServer(settings, tmp_path).start()
    try:
        with server.client() as client:
            assert ask(client).status_code == 200
            chroma.stop()
            away = ask(client)
            assert away.status_code == 503 and away.json()["error"]["code"] == "unavailable"
            assert client.get("/readyz").json()["error"]["code"] == "not_ready"
            chroma.start()
            assert client.get("/readyz").status_code == 200
            assert ask(client).json()["status"] == "answered"
    finally:
        server.stop()
