"""``kis eval`` as the lead mounts it: a fake answer factory, a temp data dir, the real commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from evals.cli import make_eval_app
from evals.history import History
from evals.runner import AnswerFn
from tests.unit.test_evals_api import free_port
from tests.unit.test_evals_fakes import CORPUS, fake_answer, gold_jsonl, worse_answer
from tests.unit.test_evals_run import EXTERNAL

runner = CliRunner()


def text(result: Result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    corpus = tmp_path / "werkplan.txt"
    corpus.write_text(CORPUS, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_jsonl(), encoding="utf-8")
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("[min]\npass_rate = 0.5\n", encoding="utf-8")
    strict = tmp_path / "strict.toml"
    strict.write_text("[min]\npass_rate = 0.9\n", encoding="utf-8")
    return {"corpus": corpus, "gold": gold, "data": tmp_path / "var", "lenient": lenient, "strict": strict}


def test_run_list_compare_and_gate(files: dict[str, Path]) -> None:
    made: list[str] = []
    answerers = iter([fake_answer, worse_answer])

    def factory() -> AnswerFn:
        made.append("answerer")
        return next(answerers)

    app = make_eval_app(factory, lambda: files["data"], files["corpus"])
    assert made == []  # nothing is built until a run needs it

    first = runner.invoke(app, ["run", "--gold", str(files["gold"]), "--label", "eerste"])
    assert first.exit_code == 0, first.output
    [run_dir] = (files["data"] / "evals" / "runs").iterdir()
    assert {p.name for p in run_dir.iterdir()} == {"results.json", "summary.md", "report.html"}
    assert not EXTERNAL.search((run_dir / "report.html").read_text())
    assert json.loads((run_dir / "results.json").read_text())["label"] == "eerste"

    second = runner.invoke(
        app,
        [
            "run",
            "--gold",
            str(files["gold"]),
            "--label",
            "tweede",
            "--gate",
            "--thresholds",
            str(files["strict"]),
        ],
    )
    assert second.exit_code == 1, second.output
    assert "NIET GEHAALD" in text(second)
    assert made == ["answerer", "answerer"]

    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0 and "eerste" in text(listed) and "tweede" in text(listed)
    assert [r.label for r in History(files["data"] / "evals" / "history.sqlite3").runs()] == [
        "tweede",
        "eerste",
    ]

    markdown = files["data"] / "vergelijking.md"
    compared = runner.invoke(
        app, ["compare", "eerste", "tweede", "--markdown", str(markdown), "--fail-on-regression"]
    )
    assert compared.exit_code == 1
    assert "answer_correct" in text(compared) and "t-budget" in text(compared)
    assert "## Nu mislukt (2)" in markdown.read_text()

    assert runner.invoke(app, ["gate", "eerste", "--thresholds", str(files["lenient"])]).exit_code == 0
    assert runner.invoke(app, ["gate", "--thresholds", str(files["strict"])]).exit_code == 1


def test_run_refuses_an_invalid_gold_file_unless_told_to_skip(files: dict[str, Path]) -> None:
    bad = files["gold"].parent / "bad.jsonl"
    bad.write_text(gold_jsonl() + '{"id": "x", "kind": "nonsense"}\n', encoding="utf-8")
    app = make_eval_app(lambda: fake_answer, files["data"], files["corpus"])

    refused = runner.invoke(app, ["run", "--gold", str(bad)])
    assert refused.exit_code == 2
    assert "regel 8 (x): onbekende kind 'nonsense'" in text(refused) and "Run niet gestart" in text(refused)

    skipped = runner.invoke(app, ["run", "--gold", str(bad), "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output

    validated = runner.invoke(app, ["validate", "--gold", str(bad)])
    assert validated.exit_code == 1 and "regel 8 (x)" in text(validated)
    assert runner.invoke(app, ["validate", "--gold", str(files["gold"])]).exit_code == 0


def test_errors_are_messages_not_tracebacks(files: dict[str, Path]) -> None:
    app = make_eval_app(lambda: fake_answer, files["data"], files["corpus"].parent / "ontbreekt.txt")
    result = runner.invoke(app, ["run", "--gold", str(files["gold"])])
    assert result.exit_code == 1 and "Fout:" in text(result) and "niet te lezen" in text(result)
    missing = runner.invoke(
        make_eval_app(lambda: fake_answer, files["data"], files["corpus"]), ["gate", "nergens"]
    )
    assert missing.exit_code == 1 and "Geen run gevonden" in text(missing)


def test_run_against_an_unreachable_api_records_errors(files: dict[str, Path]) -> None:
    app = make_eval_app(
        lambda: pytest.fail("in-process answerer niet verwacht"), files["data"], files["corpus"]
    )
    result = runner.invoke(
        app, ["run", "--gold", str(files["gold"]), "--api", f"http://127.0.0.1:{free_port()}"]
    )
    assert result.exit_code == 0, result.output
    [run_dir] = (files["data"] / "evals" / "runs").iterdir()
    items = json.loads((run_dir / "results.json").read_text())["items"]
    assert all(i["outcome"] == "error" and "API onbereikbaar" in i["error"] for i in items)


def test_a_missing_gold_file_and_markup_in_messages(files: dict[str, Path]) -> None:
    app = make_eval_app(lambda: fake_answer, files["data"], files["corpus"])
    missing = runner.invoke(app, ["validate", "--gold", str(files["gold"].parent / "weg.jsonl")])
    assert missing.exit_code == 1 and "niet te lezen" in text(missing)
    bracketed = files["gold"].parent / "haken.jsonl"
    bracketed.write_text('{"id": "[b]x[/b]", "kind": "fact"}\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", "--gold", str(bracketed)])
    assert result.exit_code == 1 and "([b]x[/b])" in text(result)
