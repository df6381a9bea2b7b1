"""API benchmark (``make bench-api``): /v1/chat throughput and latency, 8 clients, 1 and 2 workers;
and what long questions cost others (``make bench-cost``): the p95 of a short budget question
while 19 clients ask short questions, and while half of them ask questions of the maximal length.

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
PROBE = "Wat kost project 3?"  # a short budget question, whose latency the cost benchmark watches
MAX_QUESTION = 2000


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


def long_question(n: int) -> str:
    """A question of the maximal length, different for each ``n``, of questions that are no budget
    questions: they go through retrieval, where length costs."""
    prose = [q for q in QUESTIONS if "kost" not in q and "ontvangt" not in q]
    words = " ".join(prose[(n + k) % len(prose)].rstrip("?") for k in range(200))
    return words[: MAX_QUESTION - 1] + "?"


async def _client(
    http: httpx.AsyncClient,
    n: int,
    until: float,
    latencies: list[float],
    errors: list[int],
    questions: tuple[str, ...] = QUESTIONS,
) -> None:
    i = n
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            response = await http.post("/v1/chat", json={"question": questions[i % len(questions)]})
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


@dataclass(frozen=True)
class CostBench:
    clients: int
    seconds: float
    probe_p95_short_ms: float  # the probe's p95 while the other clients ask short questions
    probe_p95_long_ms: float  # … while half of them ask questions of the maximal length
    ratio: float


async def _probed(url: str, clients: int, seconds: float, long_share: float) -> list[float]:
    """The probe's latencies while ``clients - 1`` others ask; ``long_share`` of them long questions."""
    longs = round((clients - 1) * long_share)
    async with httpx.AsyncClient(
        base_url=url, timeout=60, limits=httpx.Limits(max_connections=clients)
    ) as http:
        probe: list[float] = []
        until = time.perf_counter() + seconds
        others = [
            _client(http, n, until, [], [], (long_question(n),) if n < longs else QUESTIONS)
            for n in range(clients - 1)
        ]
        await asyncio.gather(_client(http, 0, until, probe, [], (PROBE,)), *others)
        return probe


def bench_cost(settings: Settings, *, clients: int = 20, seconds: float = 20.0) -> CostBench:
    """The probe's p95 under a load of short questions, then under one half of maximal length."""
    log_path = settings.data_dir / "bench" / "api-server-cost.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kis-bench-cost-") as tmp:
        process, url = _start(settings, 1, Path(tmp), log_path)
        try:
            asyncio.run(_load(url, clients, 2.0, warmup=2.0))
            short = asyncio.run(_probed(url, clients, seconds, 0.0))
            long = asyncio.run(_probed(url, clients, seconds, 0.5))
        finally:
            process.terminate()
            process.wait(30)

    def p95(values: list[float]) -> float:
        ms = sorted(x * 1000 for x in values) or [0.0]
        return round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1)

    base, loaded = p95(short), p95(long)
    return CostBench(clients, seconds, base, loaded, round(loaded / base, 2) if base else 0.0)


def cost_main(settings: Settings, seconds: float) -> None:
    result = bench_cost(settings, seconds=seconds)
    table = Table(*asdict(result), title="Kosten van lange vragen: p95 van een korte begrotingsvraag")
    table.add_row(*(str(value) for value in asdict(result).values()))
    console = Console(width=110)
    console.print(table)
    path = settings.data_dir / "bench" / f"cost-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    console.print(f"Bewaard in {path}")


def main() -> None:
    settings = get_settings()
    if sys.argv[1:2] == ["cost"]:
        cost_main(settings, float(sys.argv[2]) if len(sys.argv) > 2 else 20.0)
        return
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
