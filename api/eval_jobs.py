"""Evaluation runs started from the API: in-process, in a background thread, progress in a JSON file.

The run asks the app's loaded answerer, exactly as ``kis eval run`` does in-process, and is recorded
in the same history (``<data_dir>/evals/history.sqlite3``) with its reports under
``<data_dir>/evals/runs/<run id>``. Progress lives in ``<data_dir>/evals/jobs/<job id>.json`` so every
worker can report it; one run at a time, since runs compete with users for the answerer.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from api.config import ApiConfig
from api.errors import ApiError, public_message
from api.state import AppState
from evals.corpus import index_corpus_text
from evals.errors import EvalError
from evals.gold import GoldSet, load_gold
from evals.history import History
from evals.report import write_reports
from evals.runner import describe_issues, run_gold
from ingest.manifest import load_manifest
from rag.errors import ConfigError, KisError, StoreError

log = logging.getLogger(__name__)

GOLD_DIR = Path(__file__).resolve().parent.parent / "evals" / "gold"
STALE_AFTER = timedelta(minutes=10)  # a "running" job not updated this long died with its process
PROGRESS_EVERY = 0.5  # seconds between progress writes
_starting = threading.Lock()


@dataclass(frozen=True)
class EvalJob:
    id: str
    state: str
    gold: str
    label: str
    done: int
    total: int
    item: str
    message: str
    run_id: str | None
    created: datetime
    updated: datetime


def evals_dir(config: ApiConfig) -> Path:
    return config.data_dir / "evals"


def history(config: ApiConfig) -> History:
    return History(evals_dir(config) / "history.sqlite3")


def gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.jsonl"))


def gold_path(name: str) -> Path:
    """A gold file by its name in ``evals/gold``; only names listed there, never a path."""
    for path in gold_files():
        if path.name == name:
            return path
    raise ApiError(404, "gold_not_found", f"Gold-bestand '{name}' bestaat niet; zie GET /v1/evals/gold.")


def corpus_text(config: ApiConfig) -> str:
    """What gold evidence is checked against: the work plan as extracted (its tables as printed)
    and every document of the current index (crawled guides and dossiers included)."""
    texts = [
        (config.corpus_dir / doc.path).read_text(encoding="utf-8")
        for doc in load_manifest(config.corpus_dir)
        if doc.kind == "werkplan" and doc.path
    ]
    with contextlib.suppress(EvalError):  # no index yet: the work plan alone
        texts.append(index_corpus_text(config.index_dir))
    if not texts:
        raise ConfigError("Er is geen corpus om de gold-set tegen te controleren.")
    return "\n\n".join(texts)


class JobFiles:
    """Each job one JSON file, replaced whole on every write so readers never see half a file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, job_id: str) -> Path:
        return self.directory / f"{job_id}.json"

    def save(self, job: EvalJob) -> EvalJob:
        data = {**asdict(job), "created": job.created.isoformat(), "updated": job.updated.isoformat()}
        temporary = self._path(job.id).with_suffix(".tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self._path(job.id))
        except OSError as exc:  # a read-only or full data directory
            raise StoreError(
                f"De evaluatie kan niet worden vastgelegd ({exc.strerror or type(exc).__name__}): "
                "is de datamap beschrijfbaar en is er ruimte?"
            ) from exc
        return job

    def update(self, job: EvalJob, **changes: object) -> EvalJob:
        return self.save(replace(job, **changes, updated=datetime.now(UTC)))  # type: ignore[arg-type]

    def get(self, job_id: str) -> EvalJob | None:
        if not job_id.isalnum():
            return None
        try:
            data = json.loads(self._path(job_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return EvalJob(
            **{
                **data,
                "created": datetime.fromisoformat(data["created"]),
                "updated": datetime.fromisoformat(data["updated"]),
            }
        )

    def active(self) -> EvalJob | None:
        """A queued or running job that is still alive, in any worker."""
        if not self.directory.is_dir():
            return None
        for path in self.directory.glob("*.json"):
            job = self.get(path.stem)
            if job and job.state in ("queued", "running") and datetime.now(UTC) - job.updated < STALE_AFTER:
                return job
        return None


def job_files(config: ApiConfig) -> JobFiles:
    return JobFiles(evals_dir(config) / "jobs")


def load_checked_gold(config: ApiConfig, name: str, limit: int | None, skip_invalid: bool) -> GoldSet:
    """The gold set to run; a 422 listing its problems when it has any and they may not be skipped."""
    goldset = load_gold(gold_path(name), corpus_text(config))
    if goldset.issues and not skip_invalid:
        raise ApiError(422, "invalid_gold", describe_issues(goldset).replace(str(goldset.path), name))
    if limit:
        goldset = replace(goldset, items=goldset.items[:limit])
    return goldset


def start_eval(state: AppState, name: str, label: str, limit: int | None, skip_invalid: bool) -> EvalJob:
    """Check the gold file, queue a job and start its thread; 409 while another run is going."""
    state.holder.assistant  # noqa: B018 — a 503 now, rather than a failed job, when no index is loaded
    goldset = load_checked_gold(state.config, name, limit, skip_invalid)
    files = job_files(state.config)
    with _starting:
        if files.active() is not None:
            raise ApiError(409, "eval_running", "Er loopt al een evaluatie; wacht tot die klaar is.")
        now = datetime.now(UTC)
        job = files.save(
            EvalJob(
                id=secrets.token_hex(8),
                state="queued",
                gold=name,
                label=label,
                done=0,
                total=len(goldset.items),
                item="",
                message="In de wachtrij.",
                run_id=None,
                created=now,
                updated=now,
            )
        )
    context = contextvars.copy_context()  # the job's log lines carry the request id that started it
    thread = threading.Thread(
        target=context.run,
        args=(run_eval, state, job, goldset, skip_invalid),
        name=f"eval-{job.id[:8]}",
        daemon=True,
    )
    thread.start()
    return job


def run_eval(state: AppState, job: EvalJob, goldset: GoldSet, skip_invalid: bool) -> None:
    files = job_files(state.config)
    job = files.update(job, state="running", message="Bezig met vragen stellen en scoren.")
    last = 0.0

    def progress(done: int, total: int, item_id: str) -> None:
        nonlocal job, last
        if done >= total or time.monotonic() - last >= PROGRESS_EVERY:
            last = time.monotonic()
            job = files.update(job, done=done, total=total, item=item_id)

    log.info("evaluatie gestart", extra={"job": job.id, "gold": job.gold})
    try:
        assistant = state.holder.assistant
        result = run_gold(
            goldset,
            lambda question, conversation_id: assistant.answer(question, conversation_id),
            label=job.label,
            source="in-process (API)",
            corpus=corpus_text(state.config),
            skip_invalid=skip_invalid,
            progress=progress,
        )
        target = evals_dir(state.config) / "runs" / result.run_id
        write_reports(result, target)
        history(state.config).record(result, target)
    except (KisError, OSError) as exc:  # OSError: the reports cannot be written (read-only, full)
        log.warning("evaluatie mislukt: %s", exc, extra={"job": job.id})
        message = (
            public_message(exc)
            if isinstance(exc, KisError)
            else "De rapporten konden niet worden geschreven."
        )
        files.update(job, state="failed", message=message)
        return
    except Exception:  # a bug must not leave the job "running"; logged with its traceback
        log.exception("evaluatie mislukt door een interne fout", extra={"job": job.id})
        files.update(job, state="failed", message="Interne fout; zie de serverlogs.")
        return
    rate = result.metrics.overall.get("pass_rate")
    passed = "–" if rate is None else f"{rate:.0%}".replace(".", ",")
    files.update(
        job,
        state="done",
        run_id=result.run_id,
        done=len(result.items),
        total=len(result.items),
        message=f"Klaar: run {result.run_id}, {len(result.items)} items, {passed} geslaagd.",
    )
    log.info("evaluatie klaar", extra={"job": job.id, "run": result.run_id})
