"""The supervisor commands: casecoach batch, casecoach report, casecoach token."""
from __future__ import annotations

import sys
import time

import click

from ..cli import fail
from ..errors import CasecoachError

COLUMN_FIELDS = ("text", "id", "worker", "program", "client", "date", "kind", "contact_date")


def _column_options(command):
    for field in reversed(COLUMN_FIELDS):
        name = field.replace("_", "-")
        command = click.option(f"--{name}-column", f"{field}_column", metavar="NAME",
                               help=f"The column holding the {field.replace('_', ' ')} (default: auto-detected).")(command)
    return command


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--db", "db_path", default="casecoach.db", show_default=True, help="The SQLite store.")
@_column_options
@click.option("--kind", type=click.Choice(["auto", "goal", "note"]), default="auto", show_default=True,
              help="The kind of every document without a kind column.")
@click.option("--profile", default="default", show_default=True, help="Agency profile (rules/profiles).")
@click.option("--store-text", is_flag=True, help="Also store each document's text (off: scores and findings only).")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=64, show_default=True, help="Texts per nlp.pipe batch.")
@click.option("--commit-every", type=click.IntRange(1, 100_000), default=500, show_default=True,
              help="Documents per committed transaction (what an interruption can lose).")
def batch(files, db_path, kind, profile, store_text, processes, batch_size, commit_every, **columns) -> None:
    """Score FILE... (CSV, JSONL or .xlsx exports) into the store; re-running skips what is done.

    Example: casecoach batch notes.csv --db casecoach.db --worker-column "Case Manager"
    """
    from . import Options, run_batch
    opts = Options(columns={f: columns[f"{f}_column"] for f in COLUMN_FIELDS}, profile=profile, kind=kind,
                   store_text=store_text, processes=processes, batch_size=batch_size,
                   commit_every=commit_every)
    warn = lambda message: click.echo(f"warning: {message}", err=True)  # noqa: E731
    try:
        if sys.stderr.isatty():
            result = _with_progress(files, db_path, opts, warn)
        else:
            result = run_batch(list(files), db_path, opts, warn=warn)
    except CasecoachError as exc:
        fail(str(exc))
    _print_summary(result)


def _with_progress(files, db_path, opts, warn) -> dict:
    """Run with a progress bar (rate and ETA) on the terminal."""
    from . import run_batch
    from .readers import count_lines
    total = sum(count_lines(f) for f in files)
    started = time.monotonic()
    bar = click.progressbar(length=total, label="scoring", show_eta=True, show_pos=True, file=sys.stderr)
    bar.item_show_func = lambda _: f"{bar.pos / max(time.monotonic() - started, 1e-6):.0f} docs/s"
    with bar:
        return run_batch(list(files), db_path, opts, warn=warn, tick=bar.update)


def _print_summary(result: dict) -> None:
    mean = "n/a" if result["mean_score"] is None else f"{result['mean_score']:.2f}"
    click.echo(f"documents: {result['documents']} (scored now {result['scored']}, already done "
               f"{result['skipped']}, malformed rows skipped {result['malformed']})")
    click.echo(f"mean score: {mean}")
    missed = ", ".join(f"{m['criterion']} ({m['missing']})" for m in result["most_missed"]) or "none"
    click.echo(f"most missed: {missed}")


@click.command()
@click.option("--db", "db_path", default="casecoach.db", show_default=True, type=click.Path(exists=True))
@click.option("--worker", required=True, help="The worker the report is for.")
@click.option("--program", help="Only this program's documents.")
@click.option("--out", default="report.html", show_default=True, help="The HTML file to write.")
@click.option("--csv", "csv_path", help="Also export this worker's documents and findings as CSV here.")
def report(db_path, worker, program, out, csv_path) -> None:
    """Write a printable one-worker coaching report (HTML), and optionally a CSV export.

    Example: casecoach report --db casecoach.db --worker "J. Rivera" --out rivera.html
    """
    from ..coaching_report import export_csv, render_report
    from ..store import open_db
    db = open_db(db_path)
    html = render_report(db, worker, program)
    if html is None:
        fail(f"no documents for worker '{worker}'" + (f" in program '{program}'" if program else ""))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(html)
    click.echo(f"wrote {out}")
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as fh:
            export_csv(db, fh, worker=worker, programs=[program] if program else None)
        click.echo(f"wrote {csv_path}")


@click.group()
def token() -> None:
    """Dashboard tokens: each sees only its own programs' documents.

    Example: casecoach token create --db casecoach.db --name "Supervisor A" --program SOAR
    """


@token.command("create")
@click.option("--db", "db_path", default="casecoach.db", show_default=True, help="The SQLite store.")
@click.option("--name", required=True, help="Who the token is for (creating it again replaces it).")
@click.option("--program", "programs", multiple=True, required=True, help="A program it may see (repeatable).")
def token_create(db_path, name, programs) -> None:
    """Create a token and print it once; only its hash is stored.

    Example: casecoach token create --name "Supervisor A" --program SOAR --program Youth
    """
    from ..store import create_token, open_db
    click.echo(create_token(open_db(db_path), name, list(programs)))
