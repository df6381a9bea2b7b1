"""``kis``: the command line. Builds Settings and the object graph; turns KisErrors into messages."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evals.cli import make_eval_app
from evals.runner import AnswerFn
from kis import wiring
from kis.crawl_cli import crawl_command
from kis.settings import Settings
from rag.errors import KisError, StoreError
from rag.schema import Reply
from ui.settings import UiSettings

if TYPE_CHECKING:
    from rag.budget.store import BudgetStore

app = typer.Typer(
    help="KIS Kennisassistent: inlezen, crawlen, vragen, begroting, API, UI, evaluatie.", no_args_is_help=True
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """Show a KisError as its message with a non-zero exit, never as a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KisError as exc:
            err.print(f"[bold red]Fout:[/] {exc}")
            raise typer.Exit(1) from exc

    return wrapper  # type: ignore[return-value]


def embed_progress(label: str) -> tuple[Progress, Callable[[int, int], None]]:
    progress = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    )
    task = progress.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


def _print_figures(title: str, result: Any) -> None:
    """A benchmark's figures (a dataclass) as a two-column table."""
    table = Table("meting", "waarde", title=title)
    for key, value in asdict(result).items():
        table.add_row(key, str(value))
    console.print(table)


@app.command()
@reports_errors
def ingest(
    if_missing: Annotated[bool, typer.Option(help="Alleen als er nog geen index is.")] = False,
) -> None:
    """Lees het corpus in en bouw de index (naast de oude; daarna gewisseld)."""
    settings = Settings()
    if if_missing and wiring.index_exists(settings):
        console.print(f"Index aanwezig in {settings.index_dir}; niets te doen.")
        return
    embedder = wiring.build_embedder(settings)
    progress, update = embed_progress("Embedden")
    with progress:
        report = wiring.ingest(settings, embedder, progress=update)
    if report.up_to_date:
        console.print(
            f"Index is actueel ({report.chunks} passages, build {report.build_id}); niets gewijzigd."
        )
    else:
        console.print(
            f"Index {report.build_id}: {report.chunks} passages, {report.embedded} nieuw ge-embed, "
            f"{report.seconds:.1f} s."
        )


def _print_reply(reply: Reply) -> None:
    """A reply for a person: the answer, the clarifying options, the sources, the hint."""
    console.print(reply.answer, highlight=False)
    if reply.clarification is not None:
        for number, option in enumerate(reply.clarification.options, start=1):
            console.print(f"  {number}. {option.label}", highlight=False)
    for citation in reply.citations:
        console.print(f"[dim][{citation.n}] {citation.title} › {citation.section}[/]", highlight=False)
    if reply.feedback:
        console.print(f"[italic]{reply.feedback}[/]", highlight=False)
    if reply.follow_ups:
        label = "Vervolgvragen" if reply.language == "nl" else "Follow-up questions"
        console.print(f"[dim]{label}: " + " · ".join(reply.follow_ups) + "[/]", highlight=False)


def _choice(reply: Reply | None, line: str) -> str | None:
    """The option a typed number picks from the pending clarification, if it is one."""
    if reply is None or reply.clarification is None or not line.isdigit():
        return None
    options = reply.clarification.options
    return options[int(line) - 1].value if 1 <= int(line) <= len(options) else None


@app.command()
@reports_errors
def ask(
    question: Annotated[str | None, typer.Argument(help="De vraag; zonder vraag start een gesprek.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Het volledige antwoord (Reply) als JSON.")] = False,
    conversation: Annotated[
        str | None, typer.Option(help="Gesprek voortzetten (id uit een eerder antwoord).")
    ] = None,
    option: Annotated[
        str | None, typer.Option(help="Keuze uit de openstaande verduidelijkingsvraag (de 'value').")
    ] = None,
) -> None:
    """Stel een vraag: antwoord met bronnen, een verduidelijkingsvraag, of 'niet gevonden'."""
    assistant = wiring.build_assistant(Settings())
    if question is not None or option is not None:
        reply = assistant.answer(question or "", conversation, option)
        if as_json:
            sys.stdout.write(json.dumps(asdict(reply), ensure_ascii=False, indent=2) + "\n")
        else:
            _print_reply(reply)
        return
    console.print("Stel uw vraag (een nummer kiest een optie; leeg of Ctrl-D stopt).")
    last: Reply | None = None
    while True:
        try:
            line = console.input("[bold]vraag>[/] ").strip()
        except EOFError:
            break
        if not line:
            break
        picked = _choice(last, line)
        last = assistant.answer("" if picked else line, conversation, picked)
        conversation = last.conversation_id
        _print_reply(last)


@app.command()
@reports_errors
def search(
    query: Annotated[str, typer.Argument(help="Zoekvraag.")],
    k: Annotated[int | None, typer.Option(help="Aantal passages.")] = None,
    project: Annotated[int | None, typer.Option(help="Alleen dit project (1–14).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
) -> None:
    """Alleen zoeken: de best passende passages met hun scores (hybride: dense + BM25)."""
    from rag.retrieval.retriever import Filters

    settings = Settings()
    retriever = wiring.build_retriever(settings)
    hits = retriever.search(query, k or settings.retrieval_k, filters=Filters(project=project))
    if as_json:
        rows = [
            {
                "rank": rank,
                "score": hit.score,
                "similarity": hit.similarity,
                "dense_rank": hit.dense_rank,
                "bm25_rank": hit.bm25_rank,
                **asdict(hit.chunk),
            }
            for rank, hit in enumerate(hits, start=1)
        ]
        sys.stdout.write(json.dumps({"query": query, "passages": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    for rank, hit in enumerate(hits, start=1):
        console.print(f"[bold]{rank}. {hit.chunk.section_path}[/] [dim]({hit.score:.4f})[/]")
        console.print(hit.chunk.text[:400] + ("…" if len(hit.chunk.text) > 400 else ""), highlight=False)


HostOption = Annotated[
    str | None, typer.Option("--host", help="Adres om op te luisteren (standaard uit de instellingen).")
]
PortOption = Annotated[
    int | None, typer.Option("--port", min=1, max=65535, help="Poort (standaard uit de instellingen).")
]


@app.command()
@reports_errors
def serve(host: HostOption = None, port: PortOption = None) -> None:
    """Start de API (uvicorn) op api_host:api_port met api_workers processen."""
    chosen = {"api_host": host, "api_port": port}
    wiring.serve(Settings().model_copy(update={k: v for k, v in chosen.items() if v is not None}))


@app.command()
def ui(host: HostOption = None, port: PortOption = None) -> None:
    """Start de Streamlit-interface op ui_host:ui_port; die praat met de API via HTTP.

    Streamlit takes this process's place (exec): a SIGTERM or Ctrl-C reaches it directly, so no
    server is left on the port."""
    settings = UiSettings()
    script = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port or settings.ui_port),
        "--server.address",
        host or settings.ui_host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--theme.primaryColor",
        "#1f4e79",  # dark blue: enough contrast on white (WCAG AA), unlike the default red
    ]
    sys.stdout.flush()
    os.execv(sys.executable, command)


db_app = typer.Typer(help="De database van gesprekken, feedback en taken.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
@reports_errors
def db_upgrade() -> None:
    """Breng de tabellen naar het nieuwste schema (Alembic)."""
    from api.main import upgrade_database

    upgrade_database(Settings().resolved_database_url)
    console.print("Database bijgewerkt.")


index_app = typer.Typer(help="De actieve index.", no_args_is_help=True)
app.add_typer(index_app, name="index")


@index_app.command("verify")
@reports_errors
def index_verify() -> None:
    """Controleer of de bestanden van de actieve index nog zijn zoals de build ze schreef."""
    index = wiring.open_index(Settings())  # opening checks the checksums, the format and the vectors
    console.print(f"Index {index.info.id}: {index.info.chunks} passages, bestanden ongeschonden.")


app.command("crawl")(crawl_command)


def _assistant_answer() -> AnswerFn:
    return wiring.build_assistant(Settings()).answer


app.add_typer(
    make_eval_app(
        _assistant_answer,
        lambda: Settings().data_dir,
        lambda: Settings().corpus_dir / "werkplan-2026.txt",
        index_dir=lambda: Settings().index_dir,
    ),
    name="eval",
)


bench_app = typer.Typer(help="Benchmarks; de cijfers worden ook als JSON bewaard.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("ingest")
@reports_errors
def bench_ingest_command() -> None:
    """Ingest vanaf nul, ongewijzigde her-ingest, passages/s en piekgeheugen."""
    from kis.bench.ingest import bench_ingest

    settings = Settings()
    result, path = bench_ingest(settings, settings.data_dir / "bench")
    _print_figures("Ingest-benchmark", result)
    console.print(f"Bewaard in {path}")


@bench_app.command("crawl")
@reports_errors
def bench_crawl_command(
    pages: Annotated[int, typer.Option(min=4, help="Aantal gegenereerde pagina's.")] = 5000,
    pdfs: Annotated[int, typer.Option(min=0, help="Aantal pdf-rapporten (20-80 pagina's), gelinkt.")] = 300,
    changed: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Deel van de pagina's dat voor de her-crawl wijzigt.")
    ] = 0.05,
    concurrency: Annotated[int, typer.Option(min=1, help="Gelijktijdige verzoeken van de crawler.")] = 4,
    hash_embedder: Annotated[
        bool, typer.Option(help="Een snelle hash-embedder: meet de pijplijn op schaal, niet het model.")
    ] = False,
) -> None:
    """Crawl en index een synthetische site met pdf's: doorvoer, waar de tijd heen gaat, embedder-
    verhouding, piek-RSS, her-crawl van 5 %, hervatten na een kill."""
    from kis.bench.crawl import bench_crawl, summary
    from kis.bench.embedding import HashEmbedder

    settings = Settings()
    result, path = bench_crawl(
        settings,
        settings.data_dir / "bench",
        HashEmbedder() if hash_embedder else wiring.build_embedder(settings),
        pages=pages,
        reports=pdfs,
        changed_fraction=changed,
        concurrency=concurrency,
        judge_ratio=not hash_embedder,
        note=lambda text: err.print(f"[dim]{text}[/]"),
    )
    console.print(f"[bold]Crawl-benchmark[/] ({pages} pagina's, {pdfs} pdf's, vertraging 0)")
    for line in summary(result):
        console.print(line, markup=False, highlight=False)
    console.print(f"Bewaard in {path}")


@bench_app.command("answer")
@reports_errors
def bench_answer_command(
    rounds: Annotated[int, typer.Option(min=1, help="Aantal gemeten rondes over alle vragen.")] = 3,
) -> None:
    """Warme antwoordtijd van answer() over de gold-vragen: p50/p95/p99 en piekgeheugen."""
    from evals.cli import DEFAULT_GOLD
    from evals.gold import load_gold
    from kis.bench.answer import bench_answer, save_bench

    settings = Settings()
    questions = [item.question for item in load_gold(DEFAULT_GOLD, None).items]
    result = bench_answer(_assistant_answer(), questions, rounds)
    _print_figures(f"Antwoord-benchmark ({len(questions)} vragen × {rounds})", result)
    console.print(f"Bewaard in {save_bench(result, settings.data_dir / 'bench')}")


@bench_app.command("retrieval")
@reports_errors
def bench_retrieval_command(
    gold: Annotated[Path, typer.Option(help="Gold-bestand met evidence.")] = Path(
        "../shared/evals/dev.jsonl"
    ),
) -> None:
    """Recall@5 en MRR@10: dense, BM25, hybride, het antwoordpad en het naïeve recept (1000/200-tekens,
    cosinus)."""
    from evals.gold import load_gold
    from kis.bench.retrieval import bench_retrieval, save_scores

    settings = Settings()
    raw = (settings.corpus_dir / "werkplan-2026.txt").read_text(encoding="utf-8")
    assistant = wiring.build_assistant(settings)
    scores = bench_retrieval(assistant.retriever, raw, load_gold(gold, raw), assistant.answer)
    table = Table("methode", "vragen", "recall@5", "MRR@10", title=f"Retrieval op {gold.name}")
    for row in scores:
        table.add_row(row.method, str(row.questions), f"{row.recall_at_5:.3f}", f"{row.mrr_at_10:.3f}")
    console.print(table)
    console.print(f"Bewaard in {save_scores(scores, settings.data_dir / 'bench')}")


budget_app = typer.Typer(
    help="De begroting uit het werkplan: tabellen en rekencontrole.", no_args_is_help=True
)
app.add_typer(budget_app, name="budget")


def _budget_store() -> BudgetStore:
    from rag.budget.store import BudgetStore
    from rag.store.index import current_build

    settings = Settings()
    build = current_build(settings.index_dir)
    if build is None:
        raise StoreError(f"Er is nog geen index in {settings.index_dir}: voer eerst 'kis ingest' uit.")
    return BudgetStore(build.budget)


@budget_app.command("show")
@reports_errors
def budget_show(
    project: Annotated[int | None, typer.Option(help="Projectnummer (1–14).")] = None,
    onderdeel: Annotated[str | None, typer.Option(help="Onderdeel A–E.")] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisatie", help="Movisie of Verwey-Jonker Instituut.")
    ] = None,
) -> None:
    """Toon begrotingsregels als tabel."""
    from rag.language.numbers import format_euro

    store = _budget_store()
    scope_kind, scope = (
        ("project", str(project))
        if project
        else ("onderdeel", onderdeel.upper())
        if onderdeel
        else (None, None)
    )
    rows = store.rows(scope_kind=scope_kind, scope=scope, organisation=organisation)
    table = Table(
        "scope", "organisatie", "rol", "uurtarief", "uren", "bedrag", "regel", title="Begroting 2026"
    )
    for row in rows:
        table.add_row(
            f"{row.scope_kind} {row.scope}",
            row.organisation or "",
            row.role or row.row_kind,
            format_euro(row.rate) if row.rate is not None else "",
            f"{row.hours:,}".replace(",", ".") if row.hours else "",
            format_euro(row.amount) if row.amount is not None else "",
            str(row.line),
        )
    console.print(table)


@budget_app.command("audit")
@reports_errors
def budget_audit() -> None:
    """Toon de rekenkundige inconsistenties in de begrotingstabellen."""
    findings = _budget_store().findings()
    table = Table("scope", "regel", "bevinding", title=f"Rekencontrole: {len(findings)} bevindingen")
    for finding in findings:
        table.add_row(f"{finding.scope_kind} {finding.scope}", str(finding.line), finding.message)
    console.print(table)
