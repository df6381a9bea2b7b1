"""Running gold items through an answerer: each item in its own conversation, each failure recorded.

The answerer is any ``AnswerFn`` — the in-process pipeline or ``api_client.http_answer_fn`` — so the
harness measures both the same way. An exception from the answerer is the answerer's failure, not
the harness's: it is logged, recorded as that item's error, and the run goes on with the next item.
A gold file with problems stops the run before anything is asked, unless ``skip_invalid`` is set;
then the bad lines are left out and listed in the run (``invalid``) and its overall ``n_invalid``.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime

from evals.errors import GoldFileError
from evals.gold import GoldItem, GoldSet
from evals.results import MetricTable, RunResult, TurnResult
from evals.scoring import Judge, aggregate, error_turn, item_result, score_turn
from rag.errors import KisError
from rag.schema import Reply

log = logging.getLogger(__name__)

AnswerFn = Callable[[str, str | None], Reply]
Progress = Callable[[int, int, str], None]  # (done, total, item id)

JUDGE_SKIPPED = "LLM-beoordeling overgeslagen: geen LLM geconfigureerd."


def describe_issues(gold: GoldSet) -> str:
    """All problems of a gold file in one Dutch message, one per line."""
    lines = "\n".join(f"  {issue}" for issue in gold.issues)
    count = f"{len(gold.issues)} probleem" if len(gold.issues) == 1 else f"{len(gold.issues)} problemen"
    return f"{gold.path}: {count} in het gold-bestand:\n{lines}"


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def run_gold(
    gold: GoldSet,
    answer: AnswerFn,
    *,
    label: str = "",
    source: str = "in-process",
    corpus: str | None = None,
    judge: Judge | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> RunResult:
    """Ask every item, score every reply and aggregate; GoldFileError on an invalid file."""
    if gold.issues and not skip_invalid:
        raise GoldFileError(describe_issues(gold) + "\nHerstel het bestand of gebruik --skip-invalid.")
    started = datetime.now(UTC)
    results = []
    for done, item in enumerate(gold.items, start=1):
        turns = _ask(item, answer, corpus, judge)
        results.append(item_result(item, turns))
        if progress is not None:
            progress(done, len(gold.items), item.id)
    metrics = aggregate(results)
    invalid_lines = len({issue.line for issue in gold.issues})
    metrics = MetricTable(
        {**metrics.overall, "n_invalid": float(invalid_lines)}, metrics.by_kind, metrics.by_language
    )
    notes = [] if judge is not None else [JUDGE_SKIPPED]
    if invalid_lines:
        notes.append(f"{invalid_lines} ongeldige regel(s) in het gold-bestand overgeslagen (zie 'invalid').")
    return RunResult(
        run_id=new_run_id(started),
        label=label,
        started_at=started.isoformat(timespec="seconds"),
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        gold_path=gold.path,
        gold_sha256=gold.sha256,
        source=source,
        metrics=metrics,
        items=tuple(results),
        invalid=tuple(str(issue) for issue in gold.issues),
        notes=tuple(notes),
    )


def _ask(item: GoldItem, answer: AnswerFn, corpus: str | None, judge: Judge | None) -> list[TurnResult]:
    """The item's turns in one conversation; the first failure ends it."""
    conversation_id: str | None = None
    turns: list[TurnResult] = []
    for turn in item.turns:
        start = time.perf_counter()
        try:
            reply = answer(turn.question, conversation_id)
        except KisError as exc:
            turns.append(error_turn(turn, str(exc)))
            break
        except Exception as exc:  # the answerer's own bug: recorded against this item, not fatal
            log.exception("answerer failed on %s", item.id)
            turns.append(error_turn(turn, f"{type(exc).__name__}: {exc}"))
            break
        latency = time.perf_counter() - start
        turns.append(
            score_turn(turn, reply, language=item.language, latency_s=latency, corpus=corpus, judge=judge)
        )
        conversation_id = reply.conversation_id
    return turns
