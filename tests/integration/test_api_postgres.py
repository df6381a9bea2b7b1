"""The API on PostgreSQL (``KIS_TEST_DATABASE_URL``): migrations, parallel conversations, a restart.

Each run gets a database of its own, created next to the one the URL names and dropped afterwards,
so runs never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, make_url, text

from kis.settings import Settings
from tests.api_server import ApiServer, admin_headers, api_settings

URL = os.environ.get("KIS_TEST_DATABASE_URL")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not URL, reason="KIS_TEST_DATABASE_URL is niet gezet"),
]


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    assert URL is not None
    name = f"kis_api_{uuid.uuid4().hex[:12]}"
    admin = create_engine(URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def server(
    corpus_index: Settings, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    workdir = tmp_path_factory.mktemp("api-postgres")
    running = ApiServer(api_settings(corpus_index, workdir, database_url=database_url), workdir).start()
    yield running
    running.stop()


def test_schema_is_migrated(server: ApiServer, database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM api_alembic_version")).scalar() == "0002"
        tables = set(
            connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        )
    engine.dispose()
    assert {"conversations", "turns", "feedback", "ingest_jobs"} <= tables


def test_parallel_conversations_on_postgres(server: ApiServer) -> None:
    async def one(http: httpx.AsyncClient, gate: asyncio.Semaphore, n: int) -> None:
        asked = [f"Wat kost project {n % 14 + 1}?", f"En wat is de doelgroep daarvan? ({n})"]
        async with gate:
            cid = None
            for question in asked:
                response = await http.post("/v1/chat", json={"question": question, "conversation_id": cid})
                assert response.status_code == 200, response.text
                cid = response.json()["conversation_id"]
            turns = (await http.get(f"/v1/conversations/{cid}")).json()["turns"]
        assert [t["question"] for t in turns] == asked

    async def run() -> None:
        gate = asyncio.Semaphore(16)
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            await asyncio.gather(*(one(http, gate, n) for n in range(60)))

    asyncio.run(run())


def test_restart_keeps_data_on_postgres(server: ApiServer, tmp_path: Path) -> None:
    with server.client() as client:
        body = client.post("/v1/chat", json={"question": "Wie zitten er in de Raad van advies?"}).json()
        feedback = {"message_id": body["message_id"], "rating": "up"}
        assert client.post("/v1/feedback", json=feedback).status_code == 201
        before = client.get(f"/v1/conversations/{body['conversation_id']}").json()
    server.restart()
    with server.client() as client:
        assert client.get(f"/v1/conversations/{body['conversation_id']}").json() == before
        listed = client.get("/v1/feedback", headers=admin_headers()).json()
        assert [f["rating"] for f in listed if f["message_id"] == body["message_id"]] == ["up"]
