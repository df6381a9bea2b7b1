"""End to end: a small gold file through a fake answerer, its reports, history, comparison and gate."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from evals.compare import compare_runs, comparison_markdown, is_regression
from evals.errors import EvalError, GoldFileError
from evals.gate import check_gate, load_thresholds
from evals.gold import parse_gold
from evals.history import History, load_run
from evals.report import write_reports
from evals.results import RunResult, run_from_dict, run_to_dict
from evals.runner import JUDGE_SKIPPED, run_gold
from tests.unit.test_evals_fakes import CORPUS, GOLD_ITEMS, fake_answer, gold_jsonl, worse_answer

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture
def good_run() -> RunResult:
    return run_gold(parse_gold(gold_jsonl(), CORPUS, "klein.jsonl"), fake_answer, label="goed", corpus=CORPUS)


def test_each_item_gets_its_known_outcome(good_run: RunResult) -> None:
    outcome = {i.id: (i.outcome, i.passed) for i in good_run.items}
    assert outcome == {
        "t-fact": ("ok", True),
        "t-budget": ("ok", True),
        "t-amb": ("ok", True),
        "t-oos": ("ok", True),
        "t-multi": ("ok", True),
        "t-wrong": ("ok", False),
        "t-crash": ("error", False),
    }
    crash = next(i for i in good_run.items if i.id == "t-crash")
    assert crash.error == "RuntimeError: kapot"


def test_run_metrics_overall_and_per_kind_and_language(good_run: RunResult) -> None:
    m = good_run.metrics
    assert m.overall["n_items"] == 7 and m.overall["n_errors"] == 1 and m.overall["n_invalid"] == 0
    assert m.overall["pass_rate"] == pytest.approx(5 / 7)
    # answered turns with must_contain: fact, budget, multi turn 2 right; wrong and crash 0 → 3/5
    assert m.overall["answer_correct"] == pytest.approx(3 / 5)
    assert m.overall["clarify_precision"] == 1.0 and m.overall["clarify_recall"] == 1.0
    # not_found replies: t-oos (right) and t-wrong (wrong)
    assert m.overall["refusal_precision"] == 0.5 and m.overall["refusal_recall"] == 1.0
    assert m.overall["option_coverage"] == 1.0
    assert m.by_kind["fact"]["recall_at_1"] == 0.0  # t-fact's passage is at rank 2, t-wrong has none
    assert m.by_kind["fact"]["recall_at_5"] == 0.5
    assert m.by_kind["fact"]["mrr_at_10"] == pytest.approx(0.25)
    assert m.by_kind["budget"]["citation_support"] == 1.0 and m.by_kind["budget"]["citation_validity"] == 1.0
    assert m.by_language["en"]["n_items"] == 1 and m.by_language["en"]["pass_rate"] == 0.0
    assert m.overall["latency_p95_s"] is not None
    assert m.overall["judge_score"] is None and JUDGE_SKIPPED in good_run.notes


def test_reports_are_written_and_self_contained(good_run: RunResult, tmp_path: Path) -> None:
    paths = write_reports(good_run, tmp_path / "out")
    assert run_from_dict(json.loads(paths["results.json"].read_text())) == good_run
    html = paths["report.html"].read_text()
    assert "<svg" in html and "t-crash" in html
    assert not EXTERNAL.search(html) and "<script" not in html and "<link" not in html
    summary = paths["summary.md"].read_text()
    assert "## Totaal" in summary and "| t-wrong | fact |" in summary and JUDGE_SKIPPED in summary


def test_history_records_runs_and_items(good_run: RunResult, tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    history.record(good_run, tmp_path / "out")
    [summary] = history.runs()
    assert (summary.run_id, summary.label, summary.n_items) == (good_run.run_id, "goed", 7)
    assert history.load("goed") == good_run
    assert history.load(good_run.run_id[:12]) == good_run
    with sqlite3.connect(history.path) as db:
        rows = db.execute(
            "SELECT item_id, passed FROM item_results WHERE run_id = ?", (good_run.run_id,)
        ).fetchall()
    assert len(rows) == 7 and ("t-wrong", 0) in rows


def test_compare_shows_a_regression(good_run: RunResult, tmp_path: Path) -> None:
    worse = run_gold(
        parse_gold(gold_jsonl(), CORPUS, "klein.jsonl"), worse_answer, label="slechter", corpus=CORPUS
    )
    c = compare_runs(good_run, worse)
    assert c.same_gold
    assert set(c.newly_failed) == {"t-budget", "t-multi"} and c.newly_passed == ()
    regressed = {(d.scope, d.metric) for d in c.regressions}
    assert {
        ("totaal", "answer_correct"),
        ("totaal", "pass_rate"),
        ("soort:budget", "citation_support"),
    } <= regressed
    assert "## Achteruitgang" in comparison_markdown(c)
    assert compare_runs(good_run, good_run).regressions == ()


def test_what_counts_as_a_regression() -> None:
    assert is_regression("answer_correct", 0.8, 0.7, 0.005) and not is_regression(
        "answer_correct", 0.8, 0.797, 0.005
    )
    assert is_regression("error_rate", 0.0, 0.1, 0.005)
    assert is_regression("latency_p95_s", 1.0, 1.5, 0.005)
    assert not is_regression("latency_p95_s", 0.03, 0.07, 0.005)  # 0.04 s slower: noise
    assert not is_regression("latency_p95_s", 1.0, 1.1, 0.005)  # 10 % slower
    assert not is_regression("n_items", 10, 5, 0.005)


def test_gate_passes_and_fails_on_thresholds(good_run: RunResult, tmp_path: Path) -> None:
    lenient = tmp_path / "lenient.toml"
    lenient.write_text(
        "[min]\npass_rate = 0.5\njudge_score = 0.5\n[max]\nerror_rate = 0.2\n"
        "[kind.budget.min]\nanswer_correct = 1.0\n"
    )
    result = check_gate(good_run.metrics, load_thresholds(lenient))
    assert result.passed and [c.threshold.metric for c in result.skipped] == ["judge_score"]

    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\nanswer_correct = 0.9\n[language.en.min]\npass_rate = 0.5\n")
    failed = check_gate(good_run.metrics, load_thresholds(strict))
    assert not failed.passed
    assert [(c.threshold.scope, c.threshold.metric) for c in failed.failures] == [
        ("totaal", "answer_correct"),
        ("taal:en", "pass_rate"),
    ]


def test_the_shipped_thresholds_load() -> None:
    assert any(t.metric == "recall_at_5" for t in load_thresholds())


def test_a_misspelt_threshold_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[min]\nrecal_at_5 = 0.5\n")
    with pytest.raises(EvalError, match="recal_at_5"):
        load_thresholds(path)


def test_an_invalid_gold_file_stops_the_run_unless_skipped() -> None:
    text = gold_jsonl([*GOLD_ITEMS[:2], {"id": "t-fact", "kind": "fact"}]) + "{kapot\n"
    gold = parse_gold(text, CORPUS, "fout.jsonl")
    with pytest.raises(GoldFileError, match=r"regel 3 \(t-fact\).*\n.*regel 4: geen geldige JSON"):
        run_gold(gold, fake_answer)
    run = run_gold(gold, fake_answer, skip_invalid=True)
    assert [i.id for i in run.items] == ["t-fact", "t-budget"]
    assert run.metrics.overall["n_invalid"] == 2 and len(run.invalid) == 6  # two lines, six problems


def test_a_judge_is_used_when_given() -> None:
    gold = parse_gold(gold_jsonl(GOLD_ITEMS[:2]), CORPUS)
    run = run_gold(gold, fake_answer, judge=lambda question, answer, reference: 0.75)
    assert run.metrics.overall["judge_score"] == 0.75 and JUDGE_SKIPPED not in run.notes


def test_load_run_reads_a_results_file(good_run: RunResult, tmp_path: Path) -> None:
    write_reports(good_run, tmp_path / "run")
    assert load_run(str(tmp_path / "run"), History(tmp_path / "h.sqlite3")) == good_run
    assert (
        run_to_dict(load_run(str(tmp_path / "run" / "results.json"), History(tmp_path / "h.sqlite3")))[
            "label"
        ]
        == "goed"
    )
