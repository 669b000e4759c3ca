"""The document-kind model: goal, note, and any kind the corpus labels later (classes come from data)."""
from __future__ import annotations

from spacy.tokens import Doc

from .features import LinearModel, doc_features

KIND_FILE = "kind.json"


def _docs(examples: list[dict]):
    from .pipeline import build_nlp
    nlp = build_nlp()
    disable = [n for n in nlp.pipe_names if n == "casecoach_sentence_roles"]
    return nlp.pipe((e["text"] for e in examples), disable=disable)


def fit_kind(examples: list[dict], c: float = 1.0) -> dict:
    """Fit the kind classifier on labelled examples of every kind present."""
    from .train import fit
    feats = [doc_features(doc) for doc in _docs(examples)]
    return fit(feats, [e["kind"] for e in examples], c)


def kind_accuracy(model: LinearModel, examples: list[dict]) -> float:
    """Share of examples whose kind the model names correctly."""
    hits = sum(_predict(model, doc) == e["kind"] for e, doc in zip(examples, _docs(examples)))
    return round(hits / max(1, len(examples)), 3)


def _predict(model: LinearModel, doc: Doc) -> str:
    return model.predict(doc_features(doc))


def predict_kind(doc: Doc, root: str | None = None) -> str | None:
    """The kind the trained model names, or None when no kind model is installed."""
    from .sentence_roles import artefact_exists, load_model
    if not artefact_exists(KIND_FILE, root):
        return None
    return _predict(load_model(KIND_FILE, root), doc)
