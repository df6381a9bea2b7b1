"""Two runs side by side: which metrics moved, which items started or stopped passing.

A metric regresses when run B is worse than run A by more than the tolerance: lower for quality
rates, higher for error counts and rates, and for latency both more than ``LATENCY_SLACK`` (20 %) and
more than ``LATENCY_MIN_DELTA_S`` (0.1 s) slower, so timing noise on fast replies is not flagged.
Runs over different gold files are still compared, with a warning, since their items differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from evals.report import fmt
from evals.results import RunResult, Scores

LOWER_IS_BETTER = frozenset({"n_errors", "n_invalid", "error_rate", "latency_p50_s", "latency_p95_s"})
NEUTRAL = frozenset({"n_items"})
LATENCY_SLACK = 1.2
LATENCY_MIN_DELTA_S = 0.1


@dataclass(frozen=True)
class Delta:
    """One metric in one scope (``overall``, ``soort:budget``, ``taal:en``) in both runs."""

    scope: str
    metric: str
    a: float | None
    b: float | None
    regression: bool

    @property
    def change(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a


@dataclass(frozen=True)
class Comparison:
    """The deltas of two runs and the items whose pass/fail changed."""

    a: str
    b: str
    same_gold: bool
    deltas: tuple[Delta, ...]
    newly_failed: tuple[str, ...]
    newly_passed: tuple[str, ...]

    @property
    def regressions(self) -> tuple[Delta, ...]:
        return tuple(d for d in self.deltas if d.regression)


def is_regression(metric: str, a: float | None, b: float | None, tolerance: float) -> bool:
    """Whether going from ``a`` to ``b`` is worse beyond the tolerance (rule in the module docstring)."""
    if a is None or b is None or metric in NEUTRAL:
        return False
    if metric.startswith("latency_"):
        return b > a * LATENCY_SLACK and b - a > max(tolerance, LATENCY_MIN_DELTA_S)
    return b - a > tolerance if metric in LOWER_IS_BETTER else a - b > tolerance


def compare_runs(a: RunResult, b: RunResult, tolerance: float = 0.005) -> Comparison:
    """Compare run ``a`` (before) with run ``b`` (after)."""
    scopes: list[tuple[str, Scores, Scores]] = [("totaal", a.metrics.overall, b.metrics.overall)]
    for prefix, left, right in (
        ("soort", a.metrics.by_kind, b.metrics.by_kind),
        ("taal", a.metrics.by_language, b.metrics.by_language),
    ):
        scopes += [(f"{prefix}:{g}", left[g], right[g]) for g in sorted(set(left) & set(right))]
    deltas = [
        Delta(scope, m, before.get(m), after.get(m), is_regression(m, before.get(m), after.get(m), tolerance))
        for scope, before, after in scopes
        for m in dict.fromkeys([*before, *after])
    ]
    passed_a = {i.id: i.passed for i in a.items}
    passed_b = {i.id: i.passed for i in b.items}
    common = [i for i in passed_b if i in passed_a]
    return Comparison(
        a=a.run_id,
        b=b.run_id,
        same_gold=a.gold_sha256 == b.gold_sha256,
        deltas=tuple(deltas),
        newly_failed=tuple(i for i in common if passed_a[i] and not passed_b[i]),
        newly_passed=tuple(i for i in common if not passed_a[i] and passed_b[i]),
    )


def comparison_markdown(c: Comparison) -> str:
    """The comparison as Markdown: warnings, overall metrics, regressions and changed items."""
    lines = [f"# Vergelijking {c.a} → {c.b}", ""]
    if not c.same_gold:
        lines += ["**Let op:** de runs gebruiken verschillende gold-bestanden.", ""]
    lines += ["| metriek | A | B | verschil |", "|---|---|---|---|"]
    lines += [_row(d) for d in c.deltas if d.scope == "totaal"]
    lines += ["", f"## Achteruitgang ({len(c.regressions)})", ""]
    lines += [f"- {d.scope} {d.metric}: {fmt(d.metric, d.a)} → {fmt(d.metric, d.b)}" for d in c.regressions]
    lines += ["", f"## Nu mislukt ({len(c.newly_failed)})", "", ", ".join(c.newly_failed) or "–"]
    lines += ["", f"## Nu geslaagd ({len(c.newly_passed)})", "", ", ".join(c.newly_passed) or "–"]
    return "\n".join(lines) + "\n"


def _row(d: Delta) -> str:
    change = "–" if d.change is None else f"{d.change:+.3f}"
    flag = " ⚠" if d.regression else ""
    return f"| {d.metric} | {fmt(d.metric, d.a)} | {fmt(d.metric, d.b)} | {change}{flag} |"
