"""Helpers for the UI and eval-route tests: an API over the session's index with a data dir of its own.

The corpus index is built once per session; each server here gets a fresh data dir that links to
that index, so eval runs, conversations and feedback of one module never show up in another.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from kis.settings import Settings
from tests.api_server import ROOT, ApiServer, admin_headers, api_settings, free_port


def isolated_api(corpus_index: Settings, workdir: Path, **overrides: Any) -> ApiServer:
    """An ApiServer (not started) whose data dir holds only a link to the session's index."""
    data_dir = workdir / "var"
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "index").symlink_to(corpus_index.index_dir.resolve(), target_is_directory=True)
    settings = api_settings(corpus_index, workdir, data_dir=data_dir, **overrides)
    return ApiServer(settings, workdir)


def wait_for_eval(client: httpx.Client, job_id: str, timeout: float = 300.0) -> dict[str, Any]:
    """Poll an eval job until it is done or failed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/evals/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise TimeoutError(f"evaluatie {job_id} niet klaar binnen {timeout} s")


def run_eval(client: httpx.Client, limit: int, label: str = "") -> dict[str, Any]:
    started = client.post(
        "/v1/evals/jobs",
        json={"gold": "werkplan.jsonl", "limit": limit, "label": label},
        headers=admin_headers(),
    )
    assert started.status_code == 202, started.text
    job = wait_for_eval(client, started.json()["id"])
    assert job["state"] == "done", job
    return job


class StreamlitServer:
    """``streamlit run ui/app.py`` on a free port, pointed at ``api_url``, as ``kis ui`` will run it."""

    def __init__(self, api_url: str, workdir: Path) -> None:
        self.port = free_port()
        self.api_url = api_url
        self.log_path = workdir / "streamlit.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> StreamlitServer:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIS_")}
        env.update(KIS_UI_API_URL=self.api_url, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        command = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"),
            "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--client.toolbarMode", "minimal", "--theme.primaryColor", "#1f4e79",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"streamlit stopte:\n{self.log_path.read_text(errors='replace')}")
                try:
                    if http.get(f"{self.url}/_stcore/health").status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"streamlit niet gereed binnen {timeout} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(15)
