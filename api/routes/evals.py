"""``/v1/evals``: the evaluation history for the dashboard, and runs started in the background.

Reading is open like the rest of the API's read routes; starting a run needs the admin key, since
a run keeps the answerer busy. Runs are found as ``kis eval`` finds them: the history database and
run directories under ``<data_dir>/evals/``, gold files in ``evals/gold/``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.config import ApiConfig
from api.deps import AdminDep, ConfigDep, StateDep
from api.errors import ApiError, ErrorResponse
from api.eval_jobs import EvalJob, corpus_text, gold_files, history, job_files, start_eval
from api.eval_models import (
    ComparisonOut,
    DeltaOut,
    EvalJobOut,
    EvalJobRequest,
    EvalRunOut,
    EvalRunSummary,
    GoldFileOut,
)
from evals.compare import compare_runs
from evals.errors import RunNotFoundError
from evals.gold import load_gold
from evals.report import report_html
from evals.results import RunResult

ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}
router = APIRouter(prefix="/evals", tags=["evaluatie"], responses=ERRORS)


def _run(config: ApiConfig, ref: str) -> RunResult:
    try:
        return history(config).load(ref)
    except RunNotFoundError as exc:
        raise ApiError(404, "run_not_found", str(exc)) from exc


def _job(job: EvalJob) -> EvalJobOut:
    return EvalJobOut.model_validate(job, from_attributes=True)


@router.get("/runs", response_model=list[EvalRunSummary])
def runs(
    config: ConfigDep, limit: Annotated[int, Query(ge=1, le=500, description="Hoeveel runs.")] = 50
) -> list[EvalRunSummary]:
    """De vastgelegde evaluatieruns, nieuwste eerst, met hun totaalmetrieken."""
    store = history(config)
    listed = []
    for summary in store.runs(limit):
        run = store.load(summary.run_id)
        listed.append(
            EvalRunSummary(
                run_id=run.run_id,
                label=run.label,
                started_at=run.started_at,
                source=run.source,
                gold_file=Path(run.gold_path).name,
                n_items=len(run.items),
                pass_rate=summary.pass_rate,
                metrics=run.metrics.overall,
            )
        )
    return listed


@router.get("/runs/{run_ref}", response_model=EvalRunOut)
def run(run_ref: str, config: ConfigDep) -> EvalRunOut:
    """Eén run met al zijn items (id, id-begin, label, 'laatste' of 'vorige')."""
    result = _run(config, run_ref)
    shown = replace(result, gold_path=Path(result.gold_path).name)  # no server path leaves the API
    return EvalRunOut(run=shown, failures=[item.id for item in result.items if not item.passed])


# an error is JSON like everywhere else, though the report itself is HTML
_JSON_ERRORS = {code: {**spec, "content": {"application/json": {}}} for code, spec in ERRORS.items()}


@router.get(
    "/runs/{run_ref}/report",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **_JSON_ERRORS},
)
def report(run_ref: str, config: ConfigDep) -> HTMLResponse:
    """Het HTML-rapport van een run (zoals 'kis eval run' het schrijft), om te lezen of te bewaren."""
    result = _run(config, run_ref)
    return HTMLResponse(report_html(replace(result, gold_path=Path(result.gold_path).name)))


@router.get("/compare", response_model=ComparisonOut)
def compare(
    config: ConfigDep,
    a: Annotated[str, Query(max_length=100, description="Run A (voor).")] = "vorige",
    b: Annotated[str, Query(max_length=100, description="Run B (na).")] = "laatste",
) -> ComparisonOut:
    """Twee runs naast elkaar: metrieken, achteruitgang, items die nu wel of niet slagen."""
    c = compare_runs(_run(config, a), _run(config, b))
    return ComparisonOut(
        a=c.a,
        b=c.b,
        same_gold=c.same_gold,
        deltas=[
            DeltaOut(scope=d.scope, metric=d.metric, a=d.a, b=d.b, change=d.change, regression=d.regression)
            for d in c.deltas
        ],
        newly_failed=list(c.newly_failed),
        newly_passed=list(c.newly_passed),
    )


@router.get("/gold", response_model=list[GoldFileOut], responses={503: {"model": ErrorResponse}})
def gold(config: ConfigDep) -> list[GoldFileOut]:
    """De gold-bestanden waarop een run kan worden gestart, met hun aantal geldige items."""
    corpus = corpus_text(config)
    listed = []
    for path in gold_files():
        goldset = load_gold(path, corpus)
        listed.append(
            GoldFileOut(
                name=path.name,
                items=len(goldset.items),
                issues=[str(issue).replace(str(path), path.name) for issue in goldset.issues],
            )
        )
    return listed


@router.post(
    "/jobs",
    response_model=EvalJobOut,
    status_code=202,
    dependencies=[AdminDep],
    responses={
        401: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        409: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
async def start(body: EvalJobRequest, state: StateDep) -> EvalJobOut:
    """Start een evaluatierun op een gold-bestand (beheerderssleutel); volg hem met GET /jobs/{id}."""
    job = await run_in_threadpool(start_eval, state, body.gold, body.label, body.limit, body.skip_invalid)
    return _job(job)


@router.get("/jobs/{job_id}", response_model=EvalJobOut)
def job(job_id: str, config: ConfigDep) -> EvalJobOut:
    """Voortgang van een gestarte evaluatierun."""
    found = job_files(config).get(job_id)
    if found is None:
        raise ApiError(404, "job_not_found", "Deze evaluatierun is onbekend.")
    return _job(found)
