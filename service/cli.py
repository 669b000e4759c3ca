"""`casecoach serve`: the web service on waitress, a production WSGI server for Linux and Windows."""
from __future__ import annotations

import logging

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; the default keeps the service on this machine.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Worker threads per process.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port (one per CPU core; needs fork, so Linux or macOS).")
@click.option("--profile", default="default", show_default=True, help="Profile used when a request names none.")
@click.option("--cors-origin", "cors_origins", multiple=True,
              help="Let pages from this origin call the API (repeatable; '*' for any). Off by default.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="The supervisors' store (made by casecoach batch) that the dashboard at /dashboard/ shows.")
def serve(host: str, port: int, threads: int, workers: int, profile: str, cors_origins: tuple[str, ...],
          db_path: str | None) -> None:
    """Run the caseworker page, the JSON API, the LanguageTool-compatible endpoint and, with --db,
    the supervisors' dashboard.

    Example: casecoach serve --port 8000 --threads 4 --workers 2 --db casecoach.db
    """
    import os

    from . import create_app, workers as processes
    if workers > 1 and not hasattr(os, "fork"):
        raise click.BadParameter("more than one worker needs fork(), which this system lacks", param_hint="--workers")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from checker.errors import CasecoachError
    from checker.batch.store import open_db
    config = {"PROFILE": profile, "CORS_ORIGINS": list(cors_origins)}
    if db_path:
        try:
            open_db(db_path, create=False).conn.close()  # a mistyped path fails here, not on a supervisor
        except CasecoachError as exc:
            raise click.BadParameter(str(exc), param_hint="--db") from None
        config["DB"] = db_path
    try:
        app = create_app(config)
    except CasecoachError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    try:
        sock = processes.bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    shown = f"[{host}]" if ":" in host else host
    bound = sock.getsockname()[1]
    click.echo(f"casecoach is serving on http://{shown}:{bound}/ (LanguageTool clients: http://{shown}:{bound}/v2/) "
               f"with {workers} process(es) x {threads} threads — Ctrl+C stops it")
    if app.config.get("DB"):
        click.echo(f"dashboard: http://{shown}:{bound}/dashboard/ on the store {app.config['DB']}")
    else:
        click.echo("dashboard: off (start with --db casecoach.db to show a store made by casecoach batch)")
    processes.serve(app, sock, threads, workers)
