"""The supervisor commands: casecoach batch, casecoach report, casecoach token."""
from __future__ import annotations

import sys
import time

import click

from .main import fail
from ..rulebook import KINDS
from ..errors import CasecoachError
from ..batch.run import Options

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
@click.option("--kind", type=click.Choice(["auto", *KINDS]), default="auto", show_default=True,
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
    from ..batch import run_batch
    opts = Options(columns={f: columns[f"{f}_column"] for f in COLUMN_FIELDS}, profile=profile, kind=kind,
                   store_text=store_text, processes=processes, batch_size=batch_size,
                   commit_every=commit_every)
    warn = lambda message: click.echo(f"warning: {message}", err=True)  # noqa: E731
    info = lambda message: click.echo(f"columns: {message}", err=True)  # noqa: E731
    try:
        if sys.stderr.isatty():
            result = _with_progress(files, db_path, opts, warn, info)
        else:
            result = run_batch(list(files), db_path, opts, warn=warn, info=info)
    except CasecoachError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot read {exc.filename or 'the input'}: {exc.strerror or exc}")
    _print_summary(result)


@click.command("spark-batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, help="Folder for the Parquet output: OUT/documents and OUT/findings.")
@click.option("--db", "db_path", help="Also load the result into this SQLite store (for the dashboard and reports).")
@click.option("--master", help="Spark master, e.g. local[2] (default: spark-submit's, else every local core).")
@_column_options
@click.option("--kind", type=click.Choice(["auto", *KINDS]), default="auto", show_default=True,
              help="The kind of every document without a kind column.")
@click.option("--profile", default="default", show_default=True, help="Agency profile (rules/profiles).")
@click.option("--store-text", is_flag=True, help="Also keep each document's text in the output.")
def spark_batch(inputs, out_dir, db_path, master, kind, profile, store_text, **columns) -> None:
    """Score INPUT... (CSV, JSONL or Parquet; local paths or any URI Spark reads) on Apache Spark.

    The output has exactly the store's documents and findings columns; re-running scores only what
    is new or changed. Needs pip install "casecoach[spark]" and Java 17.

    Example: casecoach spark-batch notes.csv --out scored/ --db casecoach.db --master "local[2]"
    """
    from ..batch.spark import spark_batch as run
    opts = Options(columns={f: columns[f"{f}_column"] for f in COLUMN_FIELDS}, profile=profile, kind=kind,
                   store_text=store_text)
    warn = lambda message: click.echo(f"warning: {message}", err=True)  # noqa: E731
    try:
        result = run(list(inputs), out_dir, opts, db_path=db_path, master=master, warn=warn)
    except CasecoachError as exc:
        fail(str(exc))
    click.echo(f"documents scored now: {result['scored']}, malformed rows skipped: {result['malformed']}"
               + (f", refused by the store: {result['refused']}" if "refused" in result else ""))
    click.echo(f"wrote {out_dir}/documents and {out_dir}/findings" + (f"; loaded into {db_path}" if db_path else ""))


def _with_progress(files, db_path, opts, warn, info) -> dict:
    """Run with a progress bar (rate and ETA) on the terminal."""
    from ..batch import run_batch
    from ..batch.readers import count_lines
    total = sum(count_lines(f) for f in files)
    started = time.monotonic()
    bar = click.progressbar(length=total, label="scoring", show_eta=True, show_pos=True, file=sys.stderr)
    bar.item_show_func = lambda _: f"{bar.pos / max(time.monotonic() - started, 1e-6):.0f} docs/s"
    with bar:
        return run_batch(list(files), db_path, opts, warn=warn, tick=bar.update, info=info)


def _print_summary(result: dict) -> None:
    mean = "n/a" if result["mean_score"] is None else f"{result['mean_score']:.2f}"
    click.echo(f"documents: {result['documents']} (scored now {result['scored']}, already done "
               f"{result['skipped']}, malformed rows skipped {result['malformed']})")
    click.echo(f"mean score: {mean}")
    missed = ", ".join(f"{m['criterion']} ({m['missing']})" for m in result["most_missed"]) or "none"
    click.echo(f"most missed: {missed}")


@click.command()
@click.option("--db", "db_path", default="casecoach.db", show_default=True, help="The SQLite store.")
@click.option("--worker", required=True, help="The worker the report is for.")
@click.option("--program", help="Only this program's documents.")
@click.option("--out", default="report.html", show_default=True, help="The HTML file to write.")
@click.option("--csv", "csv_path", help="Also export this worker's documents and findings as CSV here.")
def report(db_path, worker, program, out, csv_path) -> None:
    """Write a printable one-worker coaching report (HTML), and optionally a CSV export.

    Example: casecoach report --db casecoach.db --worker "J. Rivera" --out rivera.html
    """
    from ..speak.coaching_report import export_csv, render_report
    db = _store(db_path)
    html = render_report(db, worker, program)
    if html is None:
        fail(f"no documents for worker '{worker}'" + (f" in program '{program}'" if program else ""))
    _write(out, html)
    click.echo(f"wrote {out}")
    if csv_path:
        import io
        buffer = io.StringIO()
        export_csv(db, buffer, worker=worker, programs=[program] if program else None)
        _write(csv_path, buffer.getvalue())
        click.echo(f"wrote {csv_path}")


def _store(db_path: str):
    """The existing store at db_path, or a one-line error."""
    from ..batch.store import open_db
    try:
        return open_db(db_path, create=False)
    except CasecoachError as exc:
        fail(str(exc))


def _write(path: str, text: str) -> None:
    """Write a whole output file, or a one-line error (an unwritable path is the user's to fix)."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")


@click.group()
def token() -> None:
    """Dashboard tokens: each sees only its own programs' documents.

    Example: casecoach token create --db casecoach.db --name "Supervisor A" --program SOAR
    """


@token.command("create")
@click.option("--db", "db_path", default="casecoach.db", show_default=True, help="The SQLite store (must exist).")
@click.option("--name", required=True, help="Who the token is for (creating it again replaces it).")
@click.option("--program", "programs", multiple=True, required=True, help="A program it may see (repeatable).")
@click.option("--new-program", is_flag=True, help="Allow programs that have no documents in the store yet.")
def token_create(db_path, name, programs, new_program) -> None:
    """Create a token and print it once; only its hash is stored.

    Example: casecoach token create --name "Supervisor A" --program SOAR --program Youth
    """
    from ..batch.store import create_token, known_programs
    db = _store(db_path)
    known = known_programs(db)
    unknown = sorted(set(programs) - set(known))
    if unknown and not new_program:
        fail(f"no documents for program(s) {', '.join(unknown)} in {db_path}; the programs are: "
             f"{', '.join(known) or '(none yet)'}. Check the spelling, or pass --new-program")
    try:
        click.echo(create_token(db, name, list(programs)))
    except CasecoachError as exc:
        fail(str(exc))


@token.command("list")
@click.option("--db", "db_path", default="casecoach.db", show_default=True, help="The SQLite store.")
def token_list(db_path) -> None:
    """Every token's name, programs and creation date (the tokens themselves are never stored)."""
    from ..batch.store import list_tokens
    for row in list_tokens(_store(db_path)):
        click.echo(f"{row['name']}\t{', '.join(row['programs'])}\t{row['created']}")


@token.command("revoke")
@click.option("--db", "db_path", default="casecoach.db", show_default=True, help="The SQLite store.")
@click.option("--name", required=True, help="Whose token to revoke.")
def token_revoke(db_path, name) -> None:
    """Revoke a token at once: its holder is signed out on the next request.

    Example: casecoach token revoke --name "Supervisor A"
    """
    from ..batch.store import revoke_token
    if not revoke_token(_store(db_path), name):
        fail(f"no token named '{name}'")
    click.echo(f"revoked the token of {name}")
