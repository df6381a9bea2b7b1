"""Faults of the data directory meet a clear error, not a traceback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from api.eval_jobs import EvalJob, JobFiles
from rag.errors import StoreError


def test_an_eval_job_that_cannot_be_recorded_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "evals"
    blocker.write_text("geen map", encoding="utf-8")
    now = datetime.now(UTC)
    job = EvalJob("abc", "queued", "werkplan.jsonl", "", 0, 1, "", "", None, now, now)
    with pytest.raises(StoreError, match="beschrijfbaar"):
        JobFiles(blocker / "jobs").save(job)
