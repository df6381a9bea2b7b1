"""``kis``: the command line. Builds Settings and the object graph; turns KisErrors into messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rag.errors import KisError, StoreError
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.budget_store import BudgetStore

app = typer.Typer(help="KIS Kennisassistent: ingest, vragen, begroting.", no_args_is_help=True)
console = Console()
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


@app.command()
@reports_errors
def ingest(
    if_missing: Annotated[bool, typer.Option(help="Alleen als er nog geen index is.")] = False,
) -> None:
    """Lees het corpus in en bouw de index (naast de oude; daarna gewisseld)."""
    from ingest.pipeline import index_exists
    from ingest.pipeline import ingest as run_ingest
    from rag.embedders import make_embedder

    settings = Settings()
    if if_missing and index_exists(settings):
        console.print(f"Index aanwezig in {settings.index_dir}; niets te doen.")
        return
    embedder = make_embedder(settings.embedder, url=settings.embed_url, api_key=settings.embed_api_key)
    progress, update = embed_progress("Embedden")
    with progress:
        report = run_ingest(settings, embedder, progress=update)
    if report.up_to_date:
        console.print(
            f"Index is actueel ({report.chunks} passages, build {report.build_id}); niets gewijzigd."
        )
    else:
        console.print(
            f"Index {report.build_id}: {report.chunks} passages, {report.embedded} nieuw ge-embed, "
            f"{report.seconds:.1f} s."
        )


@app.command()
@reports_errors
def ask(
    question: Annotated[str | None, typer.Argument(help="De vraag; zonder vraag start een gesprek.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
    k: Annotated[int | None, typer.Option(help="Aantal passages.")] = None,
) -> None:
    """Zoek de best passende passages bij een vraag."""
    from rag.embedders import make_embedder
    from rag.index import Index
    from rag.retrieve import Retriever

    settings = Settings()
    index = Index.open(settings.index_dir, chroma_host=settings.chroma_host, chroma_port=settings.chroma_port)
    embedder = make_embedder(settings.embedder, url=settings.embed_url, api_key=settings.embed_api_key)
    retriever = Retriever(index, embedder, candidate_k=settings.candidate_k, rrf_k=settings.rrf_k)

    def one(q: str) -> None:
        hits = retriever.search(q, k or settings.retrieval_k)
        if as_json:
            rows = [
                {
                    "rank": r,
                    "score": h.score,
                    "similarity": h.similarity,
                    "dense_rank": h.dense_rank,
                    "bm25_rank": h.bm25_rank,
                    **asdict(h.chunk),
                }
                for r, h in enumerate(hits, start=1)
            ]
            sys.stdout.write(
                json.dumps({"question": q, "passages": rows}, ensure_ascii=False, indent=2) + "\n"
            )
            return
        for rank, hit in enumerate(hits, start=1):
            console.print(f"[bold]{rank}. {hit.chunk.section_path}[/] [dim]({hit.score:.4f})[/]")
            console.print(hit.chunk.text[:400] + ("…" if len(hit.chunk.text) > 400 else ""), highlight=False)

    if question is not None:
        one(question)
        return
    console.print("Stel uw vraag (leeg of Ctrl-D om te stoppen).")
    while True:
        try:
            line = console.input("[bold]vraag>[/] ").strip()
        except EOFError:
            break
        if not line:
            break
        one(line)


bench_app = typer.Typer(help="Benchmarks; de cijfers worden ook als JSON bewaard.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("ingest")
@reports_errors
def bench_ingest_command() -> None:
    """Ingest vanaf nul, ongewijzigde her-ingest, passages/s en piekgeheugen."""
    from ingest.bench import bench_ingest

    settings = Settings()
    result, path = bench_ingest(settings, settings.data_dir / "bench")
    table = Table("meting", "waarde", title="Ingest-benchmark")
    for key, value in asdict(result).items():
        table.add_row(key, str(value))
    console.print(table)
    console.print(f"Bewaard in {path}")


budget_app = typer.Typer(
    help="De begroting uit het werkplan: tabellen en rekencontrole.", no_args_is_help=True
)
app.add_typer(budget_app, name="budget")


def _budget_store() -> BudgetStore:
    from rag.budget_store import BudgetStore
    from rag.index import current_build

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
    from rag.numbers import format_euro

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
