"""The quality gate: a run passes when every threshold in thresholds.toml is met.

Format: ``[min]`` and ``[max]`` tables for the overall metrics, ``[kind.<kind>.min]`` and
``[language.<lang>.max]`` (etc.) for a breakdown. A metric without a value in the run (nothing it
applies to, or the LLM judge when no LLM is configured) is reported as skipped, not failed. An
unknown metric name is an error, so a misspelt threshold cannot silently pass.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from evals.errors import EvalError
from evals.results import MetricTable, Scores
from evals.scoring import RUN_METRICS

DEFAULT_THRESHOLDS = Path(__file__).with_name("thresholds.toml")
KNOWN_METRICS = frozenset({*RUN_METRICS, "n_invalid"})
Bound = Literal["min", "max"]


@dataclass(frozen=True)
class Threshold:
    scope: str  # "totaal", "soort:budget", "taal:en"
    metric: str
    bound: Bound
    limit: float


@dataclass(frozen=True)
class Check:
    """A threshold against the run's value; ``passed`` is None when the run has no value for it."""

    threshold: Threshold
    value: float | None

    @property
    def passed(self) -> bool | None:
        if self.value is None:
            return None
        t = self.threshold
        return self.value >= t.limit if t.bound == "min" else self.value <= t.limit


@dataclass(frozen=True)
class GateResult:
    checks: tuple[Check, ...]

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.passed is False)

    @property
    def skipped(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.passed is None)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> tuple[Threshold, ...]:
    """Thresholds from a TOML file; EvalError on a file that cannot be read or names unknown metrics."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EvalError(f"Drempelbestand {path} is niet te lezen: {exc}") from exc
    found = _bounds("totaal", data)
    for key, prefix in (("kind", "soort"), ("language", "taal")):
        for group, table in _table(data.get(key, {}), key).items():
            found += _bounds(f"{prefix}:{group}", _table(table, f"{key}.{group}"))
    if unknown := sorted({t.metric for t in found} - KNOWN_METRICS):
        raise EvalError(f"Onbekende metriek(en) in {path}: {', '.join(unknown)}")
    return tuple(found)


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EvalError(f"'{where}' in het drempelbestand moet een tabel zijn")
    return value


def _bounds(scope: str, data: dict[str, Any]) -> list[Threshold]:
    found: list[Threshold] = []
    for bound in ("min", "max"):
        for metric, limit in _table(data.get(bound, {}), f"{scope}.{bound}").items():
            if not isinstance(limit, int | float) or isinstance(limit, bool):
                raise EvalError(f"Drempel {scope}.{bound}.{metric} moet een getal zijn, niet {limit!r}")
            found.append(Threshold(scope, metric, bound, float(limit)))
    return found


def check_gate(metrics: MetricTable, thresholds: tuple[Threshold, ...]) -> GateResult:
    """Each threshold against the run's metrics in its scope."""
    return GateResult(tuple(Check(t, _scope(metrics, t.scope).get(t.metric)) for t in thresholds))


def _scope(metrics: MetricTable, scope: str) -> Scores:
    if scope == "totaal":
        return metrics.overall
    prefix, _, group = scope.partition(":")
    table = metrics.by_kind if prefix == "soort" else metrics.by_language
    return table.get(group, {})
