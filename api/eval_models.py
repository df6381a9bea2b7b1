"""Bodies of ``/v1/evals``: the run records of ``evals.results`` as they are, plus list and job shapes.

A run is served in its results.json form (the dataclasses of ``evals.results``), so the dashboard
sees exactly what ``kis eval`` wrote and nothing is copied here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.models import Strict, UtcDatetime
from evals.results import RunResult


class EvalRunSummary(BaseModel):
    run_id: str
    label: str
    started_at: str
    source: str
    gold_file: str = Field(description="Naam van het gold-bestand van de run.")
    n_items: int
    pass_rate: float | None
    metrics: dict[str, float | None] = Field(description="De totaalmetrieken van de run.")


class EvalRunOut(BaseModel):
    run: RunResult
    failures: list[str] = Field(description="Ids van de items die niet slaagden, in volgorde.")


class DeltaOut(BaseModel):
    scope: str
    metric: str
    a: float | None
    b: float | None
    change: float | None
    regression: bool


class ComparisonOut(BaseModel):
    a: str
    b: str
    same_gold: bool
    deltas: list[DeltaOut]
    newly_failed: list[str]
    newly_passed: list[str]


class GoldFileOut(BaseModel):
    name: str
    items: int = Field(description="Aantal geldige items.")
    issues: list[str] = Field(description="Problemen in het bestand, met regelnummer.")


class EvalJobRequest(Strict):
    gold: str = Field(max_length=200, description="Naam van een gold-bestand uit GET /v1/evals/gold.")
    label: str = Field("", max_length=100, description="Naam van deze run, bv. 'baseline'.")
    limit: int | None = Field(None, ge=1, le=10_000, description="Alleen de eerste N items.")
    skip_invalid: bool = Field(False, description="Sla ongeldige gold-regels over i.p.v. te weigeren.")


class EvalJobOut(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    gold: str
    label: str
    done: int
    total: int
    item: str = Field(description="Het laatst beantwoorde item.")
    message: str
    run_id: str | None
    created: UtcDatetime
    updated: UtcDatetime
