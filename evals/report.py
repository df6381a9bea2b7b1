"""A run written out three ways: results.json for tools, summary.md for reviews, report.html for people.

report.html is self-contained — inline CSS and SVG, no scripts, fonts or links to fetch — so it opens
the same from a CI artefact, a mail attachment or a machine without network.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from evals.plots import bar_chart, grouped_bar_chart, histogram
from evals.results import ItemResult, RunResult, Scores, run_to_dict

# What each metric means, shown beside it in the reports.
METRIC_LABELS = {
    "n_items": "aantal items",
    "n_errors": "items met een fout",
    "n_invalid": "ongeldige gold-regels (overgeslagen)",
    "error_rate": "aandeel items met een fout",
    "pass_rate": "aandeel items helemaal goed",
    "status_ok": "juiste status (antwoord / verduidelijking / niet gevonden)",
    "recall_at_1": "evidence recall@1",
    "recall_at_5": "evidence recall@5",
    "recall_at_10": "evidence recall@10",
    "mrr_at_10": "MRR@10",
    "ndcg_at_10": "nDCG@10",
    "answer_correct": "antwoord bevat alle must_contain",
    "citation_support": "een bron ondersteunt het antwoord",
    "citation_validity": "alle [n] kloppen en fragmenten staan in hun passage",
    "option_coverage": "dekking van de verwachte opties",
    "language_ok": "antwoord in de taal van de vraag",
    "hygiene_ok": "leesbaar: geen kop als zin, losse verwijzing, dubbele zin of afgebroken woord",
    "judge_score": "LLM-beoordeling",
    "clarify_precision": "precisie verduidelijkingsvragen",
    "clarify_recall": "recall verduidelijkingsvragen",
    "refusal_precision": "precisie 'niet gevonden'",
    "refusal_recall": "recall 'niet gevonden'",
    "latency_p50_s": "latentie p50 (s)",
    "latency_p95_s": "latentie p95 (s)",
}
BREAKDOWN_COLUMNS = (
    "n_items",
    "pass_rate",
    "status_ok",
    "answer_correct",
    "recall_at_5",
    "mrr_at_10",
    "ndcg_at_10",
    "citation_support",
    "citation_validity",
    "hygiene_ok",
    "option_coverage",
    "latency_p95_s",
)
CHART_SERIES = ("pass_rate", "answer_correct", "recall_at_5", "citation_support")
MAX_FAILURES = 40


def write_reports(run: RunResult, out_dir: Path) -> dict[str, Path]:
    """results.json, summary.md and report.html in ``out_dir``; returns their paths by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / name for name in ("results.json", "summary.md", "report.html")}
    payload = json.dumps(run_to_dict(run), ensure_ascii=False, indent=2)
    paths["results.json"].write_text(payload, encoding="utf-8")
    paths["summary.md"].write_text(summary_markdown(run), encoding="utf-8")
    paths["report.html"].write_text(report_html(run), encoding="utf-8")
    return paths


def fmt(name: str, value: float | None) -> str:
    """A metric value as shown: counts whole, latencies in seconds, rates with two decimals."""
    if value is None:
        return "–"
    if name.startswith("n_"):
        return str(int(value))
    return f"{value:.2f} s" if name.endswith("_s") else f"{value:.2f}"


def failure_reason(item: ItemResult) -> str:
    """Why an item did not pass, in one line."""
    if item.error:
        return f"fout: {item.error}"
    reasons = []
    for n, turn in enumerate(item.turns, start=1):
        prefix = f"beurt {n}: " if len(item.turns) > 1 else ""
        if turn.status != turn.expect_status:
            reasons.append(f"{prefix}status {turn.status} i.p.v. {turn.expect_status}")
        elif turn.missing:
            reasons.append(f"{prefix}mist {', '.join(turn.missing)}")
    return "; ".join(reasons) or "–"


def summary_markdown(run: RunResult) -> str:
    lines = [f"# Evaluatie {run.label or run.run_id}", "", *_facts(run, markdown=True), "", "## Totaal", ""]
    lines += ["| metriek | betekenis | waarde |", "|---|---|---|"]
    lines += [f"| {k} | {METRIC_LABELS.get(k, k)} | {fmt(k, v)} |" for k, v in run.metrics.overall.items()]
    for title, table in (("Per soort", run.metrics.by_kind), ("Per taal", run.metrics.by_language)):
        lines += ["", f"## {title}", "", "| | " + " | ".join(BREAKDOWN_COLUMNS) + " |"]
        lines.append("|---" * (len(BREAKDOWN_COLUMNS) + 1) + "|")
        lines += [
            f"| {g} | " + " | ".join(fmt(c, s.get(c)) for c in BREAKDOWN_COLUMNS) + " |"
            for g, s in table.items()
        ]
    failed = [i for i in run.items if not i.passed]
    lines += ["", f"## Niet geslaagd ({len(failed)})", ""]
    if failed:
        lines += ["| id | soort | vraag | reden |", "|---|---|---|---|"]
        lines += [
            f"| {i.id} | {i.kind} | {_md(i.question)} | {_md(failure_reason(i))} |"
            for i in failed[:MAX_FAILURES]
        ]
        if len(failed) > MAX_FAILURES:
            lines.append(f"\n… en nog {len(failed) - MAX_FAILURES}; zie results.json.")
    if run.invalid or run.notes:
        lines += ["", "## Opmerkingen", ""] + [f"- {n}" for n in (*run.notes, *run.invalid)]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _facts(run: RunResult, *, markdown: bool) -> list[str]:
    facts = [
        ("Run", run.run_id),
        ("Label", run.label or "–"),
        ("Gestart", run.started_at),
        ("Bron", run.source),
        ("Gold-bestand", f"{run.gold_path} (sha256 {run.gold_sha256[:12]})"),
    ]
    if markdown:
        return [f"- **{k}:** {v}" for k, v in facts]
    return [f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts]


def report_html(run: RunResult) -> str:
    m = run.metrics
    latencies = [t.latency_s for i in run.items for t in i.turns if t.latency_s is not None]
    charts = [
        bar_chart("Totaal (0–1)", {k: v for k, v in m.overall.items() if _is_rate(k)}),
        grouped_bar_chart("Per soort", m.by_kind, CHART_SERIES),
        grouped_bar_chart("Per taal", m.by_language, CHART_SERIES),
        histogram("Latentie per beurt", latencies),
    ]
    body = [
        f"<h1>Evaluatie {escape(run.label or run.run_id)}</h1>",
        "<table>" + "".join(_facts(run, markdown=False)) + "</table>",
        '<div class="charts">' + "".join(f"<figure>{c}</figure>" for c in charts) + "</div>",
        "<h2>Totaal</h2>",
        _table(
            ["metriek", "betekenis", "waarde"],
            [[k, METRIC_LABELS.get(k, k), fmt(k, v)] for k, v in m.overall.items()],
        ),
        "<h2>Per soort</h2>",
        _breakdown(m.by_kind),
        "<h2>Per taal</h2>",
        _breakdown(m.by_language),
        "<h2>Items</h2>",
        _table(["id", "soort", "taal", "vraag", "geslaagd", "reden"], [_item_row(i) for i in run.items]),
    ]
    if run.notes or run.invalid:
        body += (
            ["<h2>Opmerkingen</h2><ul>"]
            + [f"<li>{escape(n)}</li>" for n in (*run.notes, *run.invalid)]
            + ["</ul>"]
        )
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>Evaluatie {escape(run.run_id)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _is_rate(name: str) -> bool:
    return not name.startswith("n_") and not name.endswith("_s")


def _item_row(item: ItemResult) -> list[str]:
    reason = "" if item.passed else failure_reason(item)
    return [item.id, item.kind, item.language, item.question, "ja" if item.passed else "nee", reason]


def _breakdown(table: dict[str, Scores]) -> str:
    rows = [[group, *(fmt(c, s.get(c)) for c in BREAKDOWN_COLUMNS)] for group, s in table.items()]
    return _table(["", *BREAKDOWN_COLUMNS], rows)


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body { font-family: sans-serif; margin: 2em; color: #1a202c; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
th, td { border: 1px solid #cbd5e0; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #edf2f7; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
figure { margin: 0; }
"""
