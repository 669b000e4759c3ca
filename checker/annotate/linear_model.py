"""A fitted linear classifier exported as plain data (format casecoach-linear/1), run with numpy."""
from __future__ import annotations


class LinearModel:
    """A fitted linear classifier exported as plain data: vocabulary, coefficients, intercepts."""

    def __init__(self, data: dict):
        import numpy as np
        self.data = data
        self.classes: list[str] = data["classes"]
        self.index = {name: i for i, name in enumerate(data["vocab"])}
        coef = np.asarray(data["coef"], dtype=np.float64)  # (n_features, n_outputs)
        # One row of zeros after the features' rows, so every row of proba_many sums something.
        self.padded = np.vstack([coef, np.zeros((1, coef.shape[1]))])
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self.threshold = float(data.get("threshold", 0.5))

    def indices(self, feats: list[str]) -> list[int]:
        """The vocabulary positions of the known features, each once."""
        found = set(map(self.index.get, feats))  # map and set in C: called once per sentence
        found.discard(None)
        return sorted(found)

    def proba(self, feats: list[str], idx: list[int] | None = None):
        """Class probabilities for one feature list; `idx` may pass indices() already computed."""
        return self.proba_many([self.indices(feats) if idx is None else idx])[0]

    def proba_many(self, idx_lists: list[list[int]]):
        """Class probabilities for many items at once (rows), from their indices(): one numpy
        reduction for a whole note instead of one per sentence."""
        import numpy as np
        pad = len(self.padded) - 1
        flat, offsets = [], []
        for idx in idx_lists:
            offsets.append(len(flat))
            flat += idx or [pad]
        score = np.add.reduceat(self.padded[flat], offsets, axis=0) + self.intercept
        if len(self.classes) == 2:
            p = 1.0 / (1.0 + np.exp(-score[:, 0]))
            return np.column_stack([1.0 - p, p])
        e = np.exp(score - score.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, feats: list[str], idx: list[int] | None = None) -> str:
        """The most probable class."""
        return self.classes[int(self.proba(feats, idx).argmax())]
