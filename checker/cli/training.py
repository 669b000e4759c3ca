"""`casecoach train` and `casecoach eval-roles`: the commands over the learning side."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import CasecoachError
from .main import fail


@click.command()
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True,
              type=click.Path(exists=True, file_okay=False), help="Corpus folder (raw/ and split files).")
@click.option("--out", default="models", show_default=True, type=click.Path(file_okay=False),
              help="Where the artefacts and the model card go.")
@click.option("--reviews", type=click.Path(exists=True, dir_okay=False),
              help="Supervisor review store (SQLite) to add as weighted training signal.")
@click.option("--review-weight", type=click.FloatRange(0, 10, min_open=True), default=0.5, show_default=True,
              help="Weight of a review sentence relative to a corpus sentence (1.0).")
@click.option("--fit", "final_fit", type=click.Choice(["train+dev", "train"]), default="train+dev",
              show_default=True, help="Data for the shipped fit; 'train' keeps dev unseen for rule tuning.")
def train(corpus_dir: str, out: str, reviews: str | None, review_weight: float, final_fit: str) -> None:
    """Train the sentence-role, opinion and kind models and write them with a model card.

    Example: casecoach train --corpus corpus/ --out models/ --reviews casecoach.db
    """
    from ..learn.train import run
    try:
        summary = run(Path(corpus_dir), Path(out), reviews, final_fit, review_weight)
    except CasecoachError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}")
    click.echo(summary)


@click.command(name="eval-roles")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--models", type=click.Path(file_okay=False), help="Models folder (default: the packaged one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def eval_roles(file: str, models: str | None, as_json: bool) -> None:
    """Per-role and opinion-flag P/R/F1 on labelled note sentences: rules alone vs rules+model.

    Example: casecoach eval-roles corpus/test.jsonl
    """
    from ..learn.evaluate import read_examples
    from ..learn.role_eval import compare, gold_sentences, installed, table
    try:
        items = gold_sentences(read_examples(file, ("kind", "text")))
    except CasecoachError as exc:
        fail(str(exc))
    if not items:
        fail(f"{file}: no labelled note sentences (notes with 'sentences')")
    result = compare(items, installed("roles.json", models), installed("opinion.json", models))
    click.echo(json.dumps(result, indent=2) if as_json else table(result))
