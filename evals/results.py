"""The records of a run — per turn, per item, for the whole run — and their JSON form.

results.json is the one durable form: the report, the history database and ``compare`` all read
runs back through ``run_from_dict``, so a run can be compared long after the code that made it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Scores = dict[str, float | None]
Outcome = Literal["ok", "error"]


@dataclass(frozen=True)
class TurnResult:
    """One question asked, its reply in short, and its scores (None: not applicable)."""

    question: str
    expect_status: str
    status: str | None
    answer: str = ""
    latency_s: float | None = None
    scores: Scores = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    options_offered: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    expected: tuple[str, ...] = ()  # the gold turn's required strings, for drill-down
    citations: tuple[str, ...] = ()  # "[n] section: snippet" of each citation the reply gave


@dataclass(frozen=True)
class ItemResult:
    """A gold item's outcome: its turns and their mean scores; ``passed`` when every turn got the
    expected status and every required string."""

    id: str
    kind: str
    language: str
    question: str
    outcome: Outcome
    passed: bool
    scores: Scores
    turns: tuple[TurnResult, ...]
    error: str | None = None
    line: int = 0


@dataclass(frozen=True)
class MetricTable:
    """Aggregated metrics for the whole run and broken down per kind and per language."""

    overall: Scores
    by_kind: dict[str, Scores]
    by_language: dict[str, Scores]


@dataclass(frozen=True)
class RunResult:
    """A complete run: what was asked, of whom, and how it scored."""

    run_id: str
    label: str
    started_at: str
    finished_at: str
    gold_path: str
    gold_sha256: str
    source: str
    metrics: MetricTable
    items: tuple[ItemResult, ...]
    invalid: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def run_to_dict(run: RunResult) -> dict[str, Any]:
    return asdict(run)


def run_from_dict(data: dict[str, Any]) -> RunResult:
    """A run read back from results.json (or the history database)."""
    metrics = data["metrics"]
    items = tuple(
        ItemResult(
            **{k: v for k, v in item.items() if k != "turns"},
            turns=tuple(_turn(t) for t in item["turns"]),
        )
        for item in data["items"]
    )
    return RunResult(
        **{k: v for k, v in data.items() if k not in ("metrics", "items", "invalid", "notes")},
        metrics=MetricTable(metrics["overall"], metrics["by_kind"], metrics["by_language"]),
        items=items,
        invalid=tuple(data.get("invalid", ())),
        notes=tuple(data.get("notes", ())),
    )


def _turn(data: dict[str, Any]) -> TurnResult:
    lists = ("missing", "problems", "options_offered", "expected", "citations")
    fields: dict[str, Any] = {k: tuple(v) if k in lists else v for k, v in data.items()}
    return TurnResult(**fields)
