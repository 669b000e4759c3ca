"""The sentence-role component: one role per sentence and an opinion probability, from models/."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import RuleError
from .features import sentence_features
from .sentence_views import rule_role, views
from .linear_model import LinearModel
from ..resources import models_root
from .tokens import token_table

MANIFEST = "manifest.json"
ROLES_FILE = "roles.json"
OPINION_FILE = "opinion.json"


def sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes (the artefact fingerprint kept in models/manifest.json)."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=16)
def artefact_exists(filename: str, root: str | None = None) -> bool:
    """True when the models directory lists and holds the artefact."""
    folder = models_root(root)
    manifest = folder / MANIFEST
    if not manifest.is_file() or not (folder / filename).is_file():
        return False
    return filename in json.loads(manifest.read_text(encoding="utf-8")).get("files", {})


@lru_cache(maxsize=16)
def load_model(filename: str, root: str | None = None) -> LinearModel:
    """Load one artefact after checking its SHA-256 against the manifest; refuse on mismatch."""
    folder = models_root(root)
    try:
        expected = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"][filename]
        raw = (folder / filename).read_bytes()
    except (OSError, KeyError, ValueError):
        raise RuleError(f"model {filename}: missing from the models directory or its manifest") from None
    if sha256(raw) != expected:
        raise RuleError(f"model {filename}: SHA-256 does not match the manifest; retrain or restore it")
    data = json.loads(raw.decode("utf-8"))
    if data.get("format") != "casecoach-linear/1":
        raise RuleError(f"model {filename}: unknown format")
    return LinearModel(data)


def model_roles(model: LinearModel, sentences: list, idx: list[list[int]], trusted: set[str]) -> list[str]:
    """Each sentence's role: the model's when it is one the model is trusted with, else the rules'."""
    if not sentences:
        return []
    predicted = [model.classes[k] for k in model.proba_many(idx).argmax(axis=1).tolist()]
    return [p if p in trusted else view.rule or rule_role(view) for view, p in zip(sentences, predicted)]


def model_opinions(model: LinearModel, idx: list[list[int]]) -> list[bool]:
    """Whether each sentence's opinion probability reaches the model's threshold."""
    return (model.proba_many(idx)[:, 1] >= model.threshold).tolist() if idx else []


@Language.factory("casecoach_sentence_roles", default_config={"models": None})
def make_sentence_roles(nlp: Language, name: str, models: str | None):
    """Sentence roles and opinion sentences from the trained linear models in models/."""
    return SentenceRoles(models)


class SentenceRoles:
    """Writes doc.spans["roles"] (one span per sentence) and doc.spans["opinion"] (opinion sentences)."""

    def __init__(self, models: str | None = None):
        self.roles = load_model(ROLES_FILE, models)
        self.opinion = load_model(OPINION_FILE, models) if artefact_exists(OPINION_FILE, models) else None
        # Roles where the model did not beat the rules on dev keep the rules' answer.
        self.model_roles = set(self.roles.data.get("model_roles", self.roles.classes))
        # Both models are usually fitted on one vocabulary: then features are looked up once.
        self.shared_vocab = self.opinion is not None and self.opinion.data["vocab"] == self.roles.data["vocab"]

    def __call__(self, doc: Doc) -> Doc:
        alpha = token_table(doc).is_alpha
        sentences = [v for v in views(doc) if any(alpha[v.span.start:v.span.end])]
        feats = [sentence_features(v) for v in sentences]
        idx = [self.roles.indices(f) for f in feats]
        labels = model_roles(self.roles, sentences, idx, self.model_roles)
        doc.spans["roles"] = [Span(doc, v.span.start, v.span.end, label=label) for v, label in zip(sentences, labels)]
        flags = []
        if self.opinion is not None:
            flags = model_opinions(self.opinion, idx if self.shared_vocab else [self.opinion.indices(f) for f in feats])
        doc.spans["opinion"] = [Span(doc, v.span.start, v.span.end, label="OPINION")
                                for v, flag in zip(sentences, flags) if flag]
        return doc
