"""``kis eval``: run the gold set, compare runs, apply the quality gate, list the history.

The app is built by ``make_eval_app`` from what the caller's entry point knows — how to make the
in-process answerer, where data and the corpus live — so nothing here reads settings or the
environment, and the answerer (index, models) is only built when a run needs it. Paths may be given
as callables to defer building the caller's settings until a command runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evals.api_client import http_answer_fn
from evals.compare import compare_runs, comparison_markdown
from evals.corpus import INDEX_CORPUS, file_corpus_text, index_corpus_text
from evals.errors import EvalError
from evals.gate import DEFAULT_THRESHOLDS, GateResult, check_gate, load_thresholds
from evals.gold import GoldSet, load_gold
from evals.history import History, load_run
from evals.report import fmt, write_reports
from evals.results import RunResult
from evals.runner import AnswerFn, describe_issues, run_gold
from evals.scoring import Judge
from rag.errors import KisError

DEFAULT_GOLD = Path(__file__).with_name("gold") / "werkplan.jsonl"
PathSource = Path | Callable[[], Path]
API_TIMEOUT_S = 120.0
CORPUS_HELP = (
    "Waar de evidence moet staan: een tekstbestand, of 'index' voor alle documenten in de huidige "
    "index (gecrawlde kennisgidsen en dossiers); standaard het werkplan."
)
CONSOLE_COLUMNS = (
    "n_items",
    "pass_rate",
    "status_ok",
    "answer_correct",
    "recall_at_5",
    "citation_support",
    "latency_p95_s",
)

console = Console()
err = Console(stderr=True)


def make_eval_app(
    answer_factory: Callable[[], AnswerFn],
    data_dir: PathSource,
    corpus_path: PathSource,
    *,
    judge_factory: Callable[[], Judge] | None = None,
    index_dir: PathSource | None = None,
) -> typer.Typer:
    """The ``eval`` command group. ``answer_factory`` is called once per in-process run;
    runs go to ``<data_dir>/evals/runs/<run id>`` and the history to ``<data_dir>/evals/history.sqlite3``.
    Evidence is checked against ``corpus_path``, another file (``--corpus FILE``) or, with
    ``--corpus index``, the documents of the index in ``index_dir`` (crawled guides and dossiers)."""
    app = typer.Typer(
        help="Evaluatie tegen de gold-set: run, vergelijk, drempels, geschiedenis.", no_args_is_help=True
    )

    def evals_dir() -> Path:
        return _path(data_dir) / "evals"

    def history() -> History:
        return History(evals_dir() / "history.sqlite3")

    def corpus_text(choice: str | None) -> str:
        if choice != INDEX_CORPUS:
            return file_corpus_text(Path(choice) if choice else _path(corpus_path))
        if index_dir is None:
            raise EvalError("'--corpus index' kan hier niet: er is geen indexmap bekend.")
        return index_corpus_text(_path(index_dir))

    @app.command()
    def run(
        gold: Annotated[Path, typer.Option(help="Gold-bestand (JSONL).")] = DEFAULT_GOLD,
        api: Annotated[
            str | None, typer.Option(help="Vraag een draaiende API (basis-URL) i.p.v. in-process.")
        ] = None,
        out: Annotated[
            Path | None, typer.Option(help="Uitvoermap; standaard <data>/evals/runs/<run-id>.")
        ] = None,
        label: Annotated[str, typer.Option(help="Naam van deze run, bv. 'baseline'.")] = "",
        skip_invalid: Annotated[
            bool, typer.Option(help="Sla ongeldige gold-regels over i.p.v. te stoppen.")
        ] = False,
        limit: Annotated[int | None, typer.Option(min=1, help="Alleen de eerste N items.")] = None,
        gate: Annotated[
            bool, typer.Option(help="Pas daarna de drempels toe; exit 1 als die niet gehaald worden.")
        ] = False,
        thresholds: Annotated[Path, typer.Option(help="Drempelbestand (TOML).")] = DEFAULT_THRESHOLDS,
        corpus: Annotated[str | None, typer.Option(help=CORPUS_HELP)] = None,
    ) -> None:
        """Stel alle gold-vragen, scoor de antwoorden en schrijf results.json, summary.md en report.html."""
        with _reports_errors():
            evidence_corpus = corpus_text(corpus)
            goldset = load_gold(gold, evidence_corpus)
            if goldset.issues:
                err.print(f"[yellow]{escape(describe_issues(goldset))}[/]")
                if not skip_invalid:
                    err.print("[bold red]Run niet gestart.[/] Herstel het bestand of gebruik --skip-invalid.")
                    raise typer.Exit(2)
            if limit:
                goldset = replace(goldset, items=goldset.items[:limit])
            judge = judge_factory() if judge_factory else None
            if api:
                with httpx.Client(timeout=API_TIMEOUT_S) as client:
                    answer = http_answer_fn(api, client=client)
                    result = _with_progress(goldset, answer, label, api, evidence_corpus, judge, skip_invalid)
            else:
                result = _with_progress(
                    goldset, answer_factory(), label, "in-process", evidence_corpus, judge, skip_invalid
                )
            target = out or evals_dir() / "runs" / result.run_id
            paths = write_reports(result, target)
            history().record(result, target)
            _print_run(result)
            console.print(f"Rapport: {paths['report.html']}\nSamenvatting: {paths['summary.md']}")
            if gate and not _print_gate(check_gate(result.metrics, load_thresholds(thresholds))):
                raise typer.Exit(1)

    @app.command()
    def validate(
        gold: Annotated[Path, typer.Option(help="Gold-bestand (JSONL).")] = DEFAULT_GOLD,
        corpus: Annotated[str | None, typer.Option(help=CORPUS_HELP)] = None,
    ) -> None:
        """Controleer een gold-bestand (velden, soorten, ids, evidence) zonder iets te vragen."""
        with _reports_errors():
            goldset = load_gold(gold, corpus_text(corpus))
            table = Table(
                "soort", "nl", "en", "totaal", title=f"{gold.name}: {len(goldset.items)} geldige items"
            )
            for kind in sorted({i.kind for i in goldset.items}):
                langs = [
                    sum(i.kind == kind and i.language == lang for i in goldset.items) for lang in ("nl", "en")
                ]
                table.add_row(kind, str(langs[0]), str(langs[1]), str(sum(langs)))
            console.print(table)
            if goldset.issues:
                err.print(f"[bold red]{escape(describe_issues(goldset))}[/]")
                raise typer.Exit(1)
            console.print("[green]Geen problemen gevonden.[/]")

    @app.command()
    def compare(
        run_a: Annotated[
            str, typer.Argument(help="Run A (voor): id, label, 'vorige' of pad naar results.json.")
        ],
        run_b: Annotated[str, typer.Argument(help="Run B (na): id, label, 'laatste' of pad.")] = "laatste",
        markdown: Annotated[
            Path | None, typer.Option(help="Schrijf de vergelijking ook als Markdown.")
        ] = None,
        fail_on_regression: Annotated[bool, typer.Option(help="Exit 1 bij achteruitgang.")] = False,
    ) -> None:
        """Vergelijk twee runs: metrieken, achteruitgang en items die nu wel of niet slagen."""
        with _reports_errors():
            c = compare_runs(load_run(run_a, history()), load_run(run_b, history()))
            if not c.same_gold:
                err.print("[yellow]Let op: de runs gebruiken verschillende gold-bestanden.[/]")
            table = Table("scope", "metriek", "A", "B", "verschil", title=f"{c.a} → {c.b}")
            for d in c.deltas:
                if d.scope == "totaal" or d.regression:
                    change = "–" if d.change is None else f"{d.change:+.3f}"
                    style = "red" if d.regression else None
                    table.add_row(
                        d.scope, d.metric, fmt(d.metric, d.a), fmt(d.metric, d.b), change, style=style
                    )
            console.print(table)
            console.print(f"Nu mislukt: {', '.join(c.newly_failed) or '–'}")
            console.print(f"Nu geslaagd: {', '.join(c.newly_passed) or '–'}")
            if markdown:
                markdown.write_text(comparison_markdown(c), encoding="utf-8")
            if fail_on_regression and c.regressions:
                raise typer.Exit(1)

    @app.command("gate")
    def gate_command(
        run_ref: Annotated[str, typer.Argument(help="Run: id, label, 'laatste' of pad.")] = "laatste",
        thresholds: Annotated[Path, typer.Option(help="Drempelbestand (TOML).")] = DEFAULT_THRESHOLDS,
    ) -> None:
        """Toets een run aan de drempels; exit 1 als een drempel niet gehaald wordt."""
        with _reports_errors():
            result = load_run(run_ref, history())
            if not _print_gate(check_gate(result.metrics, load_thresholds(thresholds))):
                raise typer.Exit(1)

    @app.command("list")
    def list_runs(limit: Annotated[int, typer.Option(min=1, help="Hoeveel runs.")] = 20) -> None:
        """Toon de vastgelegde runs, nieuwste eerst."""
        with _reports_errors():
            table = Table("run", "label", "gestart", "bron", "items", "geslaagd")
            for r in history().runs(limit):
                table.add_row(
                    r.run_id, r.label, r.started_at, r.source, str(r.n_items), fmt("pass_rate", r.pass_rate)
                )
            console.print(table)

    return app


def _path(source: PathSource) -> Path:
    return source if isinstance(source, Path) else source()


@contextmanager
def _reports_errors() -> Iterator[None]:
    """A KisError becomes its message and exit code 1, never a traceback."""
    try:
        yield
    except KisError as exc:
        err.print(f"[bold red]Fout:[/] {escape(str(exc))}")
        raise typer.Exit(1) from exc


def _with_progress(
    gold: GoldSet,
    answer: AnswerFn,
    label: str,
    source: str,
    corpus: str,
    judge: Judge | None,
    skip_invalid: bool,
) -> RunResult:
    columns = (
        TextColumn("Evalueren"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("", total=len(gold.items))

        def update(done: int, total: int, item_id: str) -> None:
            progress.update(task, completed=done, total=total, description=item_id)

        return run_gold(
            gold,
            answer,
            label=label,
            source=source,
            corpus=corpus,
            judge=judge,
            skip_invalid=skip_invalid,
            progress=update,
        )


def _print_run(run: RunResult) -> None:
    """The headline metrics per group; the full tables are in summary.md and report.html."""
    table = Table("", *CONSOLE_COLUMNS, title=f"Run {run.run_id} {run.label}".strip())
    rows = {
        "totaal": run.metrics.overall,
        **run.metrics.by_kind,
        **{f"taal:{k}": v for k, v in run.metrics.by_language.items()},
    }
    for group, scores in rows.items():
        table.add_row(group, *(fmt(c, scores.get(c)) for c in CONSOLE_COLUMNS))
    console.print(table)
    for note in run.notes:
        console.print(f"[dim]{escape(note)}[/]")


def _print_gate(result: GateResult) -> bool:
    table = Table("scope", "metriek", "grens", "waarde", "oordeel", title="Drempels")
    for check in result.checks:
        t = check.threshold
        verdict = {True: "[green]ok[/]", False: "[red]NIET GEHAALD[/]", None: "[dim]overgeslagen[/]"}[
            check.passed
        ]
        table.add_row(
            t.scope,
            t.metric,
            f"{'≥' if t.bound == 'min' else '≤'} {t.limit:g}",
            fmt(t.metric, check.value),
            verdict,
        )
    console.print(table)
    if result.passed:
        console.print(f"[green]Drempels gehaald[/] ({len(result.skipped)} overgeslagen).")
    else:
        err.print(f"[bold red]{len(result.failures)} drempel(s) niet gehaald.[/]")
    return result.passed
