"""A real API server for integration tests: ``python -m kis serve`` in a subprocess on a free loopback port.

Settings travel the way they do in production, as ``KIS_`` environment variables; the process runs
in its own directory so no ``.env`` of the developer leaks in. Its JSON log lines are kept in a file
so tests can look at them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from kis.settings import Settings
from ui.client import parse_sse

ROOT = Path(__file__).resolve().parent.parent
ADMIN_KEY = "test-beheer-sleutel"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def settings_env(settings: Settings) -> dict[str, str]:
    """``KIS_*`` variables that rebuild ``settings`` in another process."""
    env: dict[str, str] = {}
    for name in type(settings).model_fields:
        value: Any = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, list):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        env[f"KIS_{name.upper()}"] = str(value)
    return env


class ApiServer:
    """Start, stop and restart one server; ``client()`` talks to it."""

    def __init__(self, settings: Settings, workdir: Path) -> None:
        self.settings = settings.model_copy(update={"api_host": "127.0.0.1", "api_port": free_port()})
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.api_port}"

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def start(self, *, wait_ready: bool = True, timeout: float = 90.0) -> ApiServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}
        env.update(settings_env(self.settings), PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kis", "serve"],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait("/readyz" if wait_ready else "/healthz", timeout)
        return self

    def _wait(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=2.0) as client:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    code = self.process.returncode
                    raise RuntimeError(f"API-server stopte (code {code}):\n{self.log_tail()}")
                try:
                    if client.get(path).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"API-server niet gereed binnen {timeout} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, as a process manager would: uvicorn shuts down gracefully."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def log_records(self) -> Iterator[dict[str, Any]]:
        for line in self.log_path.read_text(encoding="utf-8").splitlines():
            if line.startswith("{"):
                yield json.loads(line)


def api_settings(base: Settings, workdir: Path, **overrides: Any) -> Settings:
    """``base`` (an ingested index) with a database of its own and the test admin key."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{workdir / 'api.sqlite'}",
        "admin_api_key": SecretStr(ADMIN_KEY),
        "rate_limit_per_minute": 0,
        "index_check_seconds": 1.0,
        **overrides,
    }
    return base.model_copy(update=values)


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_KEY}"}


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str, Any]]:
    """(event, data) pairs of a Server-Sent Events stream, read by the UI's own parser."""
    return ((e.event, e.data) for e in parse_sse(lines))
