"""The casecoach command line: check a draft, evaluate against labelled examples, run the demo."""
from __future__ import annotations

import json
import sys
from importlib import import_module

import click

from ..engine import check as check_text
from ..errors import CasecoachError
from ..speak.render import render_report
from ..resources import sample_drafts
from ..rulebook import KINDS

KIND = click.Choice(["auto", *KINDS])


def fail(message: str) -> None:
    """Print the error on stderr and exit 2, the exit code of bad input."""
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        with open(source, "rb") as fh:
            return fh.read()
    except OSError as exc:
        fail(f"cannot read {source}: {exc.strerror}")


class LazyGroup(click.Group):
    """A command group that imports a command's module only when that command is asked for: the
    service, batch and training commands pull in Flask, SQLite and scikit-learn, which `check`
    does not need."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, loaded or not."""
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command, importing its module on first use."""
        if name in self.lazy and name not in self.commands:
            module, attr = self.lazy[name].split(":")
            self.add_command(getattr(import_module(module), attr), name)
        return super().get_command(ctx, name)


LAZY_COMMANDS = {"batch": "checker.cli.batch:batch", "report": "checker.cli.batch:report",
                 "token": "checker.cli.batch:token", "spark-batch": "checker.cli.batch:spark_batch",
                 "serve": "service.cli:serve",
                 "train": "checker.cli.training:train", "eval-roles": "checker.cli.training:eval_roles"}


@click.group(cls=LazyGroup, lazy=LAZY_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casecoach")
def main() -> None:
    """casecoach: coaching feedback on service-plan goals and progress notes, on this machine."""


@main.command()
@click.argument("file", default="-")
@click.option("--kind", type=KIND, default="auto", show_default=True, help="What the draft is.")
@click.option("--profile", default="default", show_default=True, help="Agency profile (rules/profiles).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON report instead of the checklist.")
@click.option("--fail-under", type=click.FloatRange(0, 1), help="Exit 1 when the score is below this.")
def check(file: str, kind: str, profile: str, as_json: bool, fail_under: float | None) -> None:
    """Check one draft from FILE (or - for standard input).

    Example: casecoach check goal.txt --kind goal --fail-under 0.7
    """
    data = _read(file)
    try:
        report = check_text(data, kind=kind, profile=profile)
    except CasecoachError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_report(data.decode("utf-8"), report, color=sys.stdout.isatty()))
    if fail_under is not None and report.score < fail_under:
        sys.exit(1)


@main.command(name="eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--profile", default="default", show_default=True, help="Agency profile.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def eval_command(file: str, profile: str, as_json: bool) -> None:
    """Per-criterion precision, recall, F1 and Cohen's kappa against labelled JSONL examples.

    Example: casecoach eval corpus/test.jsonl
    """
    from ..learn.evaluate import evaluate, read_examples, table
    try:
        result = evaluate(read_examples(file), profile=profile)
    except CasecoachError as exc:
        fail(str(exc))
    click.echo(json.dumps(result, indent=2) if as_json else table(result))


@main.command()
@click.option("--profile", default="default", show_default=True, help="Agency profile.")
def demo(profile: str) -> None:
    """Check the shipped sample of each kind (goal, note, plan, assessment, objective) and print the feedback.

    Example: casecoach demo
    """
    for kind, text in sample_drafts().items():
        report = check_text(text, kind=kind, profile=profile)
        click.echo(f"=== sample {kind} ===")
        click.echo(render_report(text, report, color=sys.stdout.isatty()))
        click.echo()
