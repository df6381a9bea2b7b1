"""API benchmark (``make bench-api``): /v1/chat throughput and latency, 8 clients, 1 and 2 workers.

Each run starts ``python -m kis serve`` on a free loopback port over the configured index, with its own
throw-away database and no rate limit, warms it up, then lets the clients ask for a fixed time.
The figures are printed as a table and saved as JSON beside the other benchmarks.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from kis.settings import Settings, get_settings
from rag.errors import StoreError

QUESTIONS = (
    "Wie zitten er in de Raad van advies?",
    "Wat kost project 3 polarisatie?",
    "Wat zijn de drie thema's van KIS?",
    "Hoe vaak komt de nieuwsbrief uit?",
    "Wat is de doelgroep?",
    "Hoeveel ontvangt Movisie in totaal in 2026?",
    "Wat doet de AI chatbot pilot van KIS?",
    "Wat doet KIS aan klimaatverandering?",
)


@dataclass(frozen=True)
class ChatBench:
    workers: int
    clients: int
    seconds: float
    requests: int
    errors: int
    throughput_rps: float
    p50_ms: float
    p95_ms: float
    mean_ms: float
    worker_rss_mb: float  # the largest worker after the load


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(
    settings: Settings, workers: int, workdir: Path, log_path: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "KIS_DATA_DIR": str(settings.data_dir.resolve()),
        "KIS_CORPUS_DIR": str(settings.corpus_dir.resolve()),
        "KIS_API_HOST": "127.0.0.1",
        "KIS_API_PORT": str(port),
        "KIS_API_WORKERS": str(workers),
        "KIS_RATE_LIMIT_PER_MINUTE": "0",
        "KIS_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}",
        "KIS_LOG_LEVEL": "WARNING",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "kis", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    ready = 0
    while ready < 2 * workers:  # several answers in a row: every worker has started
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise StoreError(
                f"De API startte niet voor de benchmark; zie {workdir / f'server-{workers}.log'}."
            )
        try:
            ready = ready + 1 if httpx.get(f"{url}/readyz", timeout=2).status_code == 200 else 0
        except httpx.TransportError:
            ready = 0
        time.sleep(0.1)
    return process, url


async def _client(
    http: httpx.AsyncClient, n: int, until: float, latencies: list[float], errors: list[int]
) -> None:
    i = n
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await http.post("/v1/chat", json={"question": QUESTIONS[i % len(QUESTIONS)]})
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append(time.perf_counter() - started)
        else:
            errors.append(1)
        i += 1


async def _load(url: str, clients: int, seconds: float, warmup: float) -> tuple[list[float], int, float]:
    async with httpx.AsyncClient(
        base_url=url, timeout=60, limits=httpx.Limits(max_connections=clients)
    ) as http:
        await asyncio.gather(
            *(_client(http, n, time.perf_counter() + warmup, [], []) for n in range(clients))
        )
        latencies: list[float] = []
        errors: list[int] = []
        started = time.perf_counter()
        await asyncio.gather(
            *(_client(http, n, started + seconds, latencies, errors) for n in range(clients))
        )
        return latencies, len(errors), time.perf_counter() - started


def _rss_mb(pid: int) -> float:
    """Resident memory of a process from /proc (Linux, where the benchmark runs); 0 when gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) / 1024


def _worker_rss_mb(pid: int) -> float:
    """One worker: the server process itself; several: its children (uvicorn's supervisor is small)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8").split()
    except OSError:
        children = []
    return max((_rss_mb(int(child)) for child in children), default=_rss_mb(pid))


def bench_chat(settings: Settings, workers: int, *, clients: int = 8, seconds: float = 20.0) -> ChatBench:
    """One server with ``workers`` processes under ``clients`` concurrent askers for ``seconds``."""
    log_path = settings.data_dir / "bench" / f"api-server-{workers}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kis-bench-api-") as tmp:
        process, url = _start(settings, workers, Path(tmp), log_path)
        try:
            latencies, errors, elapsed = asyncio.run(_load(url, clients, seconds, warmup=2.0))
            rss = _worker_rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(30)
    ms = sorted(x * 1000 for x in latencies) or [0.0]
    return ChatBench(
        workers=workers,
        clients=clients,
        seconds=round(elapsed, 1),
        requests=len(latencies),
        errors=errors,
        throughput_rps=round(len(latencies) / elapsed, 1),
        p50_ms=round(statistics.median(ms), 1),
        p95_ms=round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
        mean_ms=round(statistics.fmean(ms), 1),
        worker_rss_mb=round(rss, 1),
    )


def main() -> None:
    settings = get_settings()
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    results = [bench_chat(settings, workers, seconds=seconds) for workers in (1, 2)]
    headers: tuple[str, ...] = ("workers", "clients", "s", "verzoeken", "fouten", "verzoeken/s")
    headers += ("p50 ms", "p95 ms", "gem. ms", "RSS/worker MB")
    table = Table(*headers, title="API-benchmark: POST /v1/chat")
    for result in results:
        table.add_row(*(str(value) for value in asdict(result).values()))
    console = Console(width=110)  # the whole table, also when make pipes it
    console.print(table)
    path = settings.data_dir / "bench" / f"api-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    console.print(f"Bewaard in {path}")


if __name__ == "__main__":
    main()
