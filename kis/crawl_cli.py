"""``kis crawl``: the crawler on the command line, with a progress bar and a summary table.

Mount with ``app.command("crawl")(crawl_command)``; standalone as ``crawl_app``. The crawl state and
snapshots live under ``<data_dir>/crawl`` unless ``--dir`` names another place.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.crawl.config import CrawlConfig
from ingest.crawl.crawler import STATE_NAME, CrawlSummary, crawl_sync
from kis.settings import Settings
from kis.wiring import CrawlOptions, crawl_config
from rag.errors import KisError

crawl_app = typer.Typer(help="Kennisgidsen en dossiers van KIS crawlen.")
err = Console(stderr=True)

_LABELS = {
    "fetched": "opgehaald",
    "changed": "nieuw of gewijzigd",
    "new": "waarvan nieuw",
    "unchanged": "ongewijzigd",
    "duplicates": "dubbel (één keer bewaard)",
    "skipped": "overgeslagen",
    "failed": "mislukt",
    "removed": "verwijderd",
}


def crawl_command(
    seed: Annotated[list[str] | None, typer.Option("--seed", help="Startpagina; vaker te geven.")] = None,
    sitemap: Annotated[list[str] | None, typer.Option("--sitemap", help="Sitemap of sitemap-index.")] = None,
    host: Annotated[
        list[str] | None,
        typer.Option("--host", help="Toegestane host (standaard: die van de startpagina's)."),
    ] = None,
    prefix: Annotated[
        list[str] | None, typer.Option("--prefix", help="Alleen pagina's onder dit pad.")
    ] = None,
    follow_only: Annotated[
        list[str] | None,
        typer.Option("--follow-only", help="Pad-regex van overzichtspagina's: links volgen, niet indexeren."),
    ] = None,
    max_pages: Annotated[int | None, typer.Option(help="Hoogstens zoveel URL's per crawl.")] = None,
    max_depth: Annotated[
        int | None, typer.Option(help="Hoogstens zoveel links ver vanaf start of sitemap.")
    ] = None,
    delay: Annotated[
        float | None, typer.Option(help="Minimaal aantal seconden tussen verzoeken aan één host.")
    ] = None,
    concurrency: Annotated[int | None, typer.Option(help="Gelijktijdige verzoeken.")] = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Map voor crawlstatus en snapshots.")
    ] = None,
) -> None:
    """Crawl (of hervat een afgebroken crawl) en toon wat er veranderde; daarna 'kis ingest'.
    Zonder startpagina of sitemap: de bronnen in corpus/sources.toml."""
    handler = RichHandler(console=err, show_path=False, show_time=False)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", handlers=[handler])
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes; the crawler reports the outcome
    settings = Settings()
    where = directory or settings.crawl_dir
    options = CrawlOptions(
        seeds=tuple(seed or ()),
        sitemaps=tuple(sitemap or ()),
        hosts=tuple(host or ()),
        prefixes=tuple(prefix or ()),
        follow_only=tuple(follow_only or ()),
        max_pages=max_pages,
        max_depth=max_depth,
        delay=delay,
        concurrency=concurrency,
    )
    try:
        summary = _run(crawl_config(settings, options), where)
    except KisError as exc:
        err.print(f"[bold red]Fout:[/] {exc}")
        raise typer.Exit(1) from exc
    _report(summary)


def _run(config: CrawlConfig, where: Path) -> CrawlSummary:
    columns = (TextColumn("Crawlen"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("crawl", total=None)

        def update(done: int, known: int) -> None:
            progress.update(task, completed=done, total=known)

        return crawl_sync(config, where / STATE_NAME, where, progress=update)


def _report(summary: CrawlSummary) -> None:
    title = f"Crawl {summary.run}{' (hervat)' if summary.resumed else ''} in {summary.seconds:.1f} s"
    table = Table(title=title)
    table.add_column("Uitkomst")
    table.add_column("Aantal", justify="right")
    for field, label in _LABELS.items():
        table.add_row(label, str(getattr(summary, field)))
    Console().print(table)
    if summary.changed or summary.removed:
        err.print("Voer 'kis ingest' uit om de index bij te werken.")


crawl_app.command("crawl")(crawl_command)
