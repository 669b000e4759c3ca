"""The document-kind model: goal, note, and any kind the corpus labels later (classes come from data)."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from .features import doc_features
from .linear_model import LinearModel

KIND_FILE = "kind.json"


def fit_kind(examples: list[dict], docs: list[Doc], c: float = 1.0) -> dict:
    """Fit the kind classifier on parsed, labelled examples of every kind present."""
    from .fitting import fit
    return fit([doc_features(doc) for doc in docs], [e["kind"] for e in examples], c)


def kind_accuracy(model: LinearModel, docs: list[Doc], examples: list[dict]) -> float:
    """Share of examples whose kind the model names correctly."""
    hits = sum(_predict(model, doc) == e["kind"] for e, doc in zip(examples, docs))
    return round(hits / max(1, len(examples)), 3)


def _predict(model: LinearModel, doc: Doc, cues: list[Span] | None = None) -> str:
    return model.predict(doc_features(doc, cues))


def predict_kind(doc: Doc, root: str | None = None, cues: list[Span] | None = None) -> str | None:
    """The kind the trained model names, or None when no kind model is installed."""
    from .sentence_roles import artefact_exists, load_model
    if not artefact_exists(KIND_FILE, root):
        return None
    return _predict(load_model(KIND_FILE, root), doc, cues)
