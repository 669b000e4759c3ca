"""Fitting and measuring the document-kind model: goal, note, and any kind the corpus labels later
(classes come from data). The run-time prediction is checker.judge.kind.predict_kind."""
from __future__ import annotations

from spacy.tokens import Doc

from ..annotate.features import doc_features
from ..annotate.linear_model import LinearModel
from .fitting import fit


def fit_kind(examples: list[dict], docs: list[Doc], c: float = 1.0) -> dict:
    """Fit the kind classifier on parsed, labelled examples of every kind present."""
    return fit([doc_features(doc) for doc in docs], [e["kind"] for e in examples], c)


def kind_accuracy(model: LinearModel, docs: list[Doc], examples: list[dict]) -> float:
    """Share of examples whose kind the model names correctly."""
    hits = sum(model.predict(doc_features(doc)) == e["kind"] for e, doc in zip(examples, docs))
    return round(hits / max(1, len(examples)), 3)
