"""Fitting the sentence models and choosing their settings by cross-validation that holds out one
writer team per fold, as the test split holds out team d."""
from __future__ import annotations

SEED = 0
C_GRID = (0.3, 1.0, 3.0)
FOLDS = 8  # one team held out per fold, as the test split holds out team d


def vocabulary(feature_lists: list[list[str]], min_count: int = 2) -> list[str]:
    """Features seen in at least `min_count` training items, sorted for a deterministic artefact."""
    counts: dict[str, int] = {}
    for feats in feature_lists:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, n in counts.items() if n >= min_count)


def matrix(feature_lists: list[list[str]], vocab: list[str]):
    """A binary sparse matrix of the features in the vocabulary."""
    from scipy.sparse import csr_matrix
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, feats in enumerate(feature_lists):
        for c in sorted({index[f] for f in feats if f in index}):
            rows.append(r)
            cols.append(c)
    return csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(feature_lists), len(vocab)))


def fit(feature_lists: list[list[str]], labels: list, c: float, balanced: bool = False,
        weights: list[float] | None = None) -> dict:
    """Fit a (sample-weighted) logistic regression and export it as plain data (casecoach-linear/1)."""
    from sklearn.linear_model import LogisticRegression
    vocab = vocabulary(feature_lists)
    clf = LogisticRegression(C=c, max_iter=2000, tol=1e-3, random_state=SEED,
                             class_weight="balanced" if balanced else None)
    clf.fit(matrix(feature_lists, vocab), labels, sample_weight=weights)
    coef = clf.coef_.T.round(5).tolist()
    return {"format": "casecoach-linear/1", "classes": [str(k) for k in clf.classes_], "vocab": vocab,
            "coef": coef, "intercept": clf.intercept_.round(5).tolist(), "C": c}


def fit_roles(items, c: float) -> dict:
    """The role model on Gold items, each weighted by its `weight`."""
    return fit([g.feats for g in items], [g.role for g in items], c, weights=[g.weight for g in items])


def fit_opinion(items, c: float) -> dict:
    """The opinion model (balanced classes) on Gold items, each weighted by its `weight`."""
    return fit([g.feats for g in items], [int(g.opinion) for g in items], c, True, [g.weight for g in items])


fit_roles.label = lambda g: g.role
fit_opinion.label = lambda g: g.opinion


def folds(items, n_train: int) -> list[tuple[list[int], list[int]]]:
    """Leave-one-team-out folds (at most FOLDS, GroupKFold) over items; with under three teams, the
    one fold "first n_train items vs the rest" (train vs dev)."""
    import numpy as np
    from sklearn.model_selection import GroupKFold
    teams = sorted({g.group for g in items})
    if len(teams) < 3:
        return [(list(range(n_train)), list(range(n_train, len(items))))]
    split = GroupKFold(n_splits=min(FOLDS, len(teams))).split(np.zeros(len(items)), groups=[g.group for g in items])
    return [(list(tr), list(te)) for tr, te in split]


def _proba(data: dict, items):
    """Class probabilities (n_items x n_classes) of a fitted artefact on Gold items, as run time computes them."""
    from ..annotate.linear_model import LinearModel
    model = LinearModel(data)
    return model.proba_many([model.indices(g.feats) for g in items])


def _out_of_fold(items, extra, fold_list, fitter, c: float, predict) -> list:
    """Each item's prediction from the model fitted without its team (extra items in every fold)."""
    out = [None] * len(items)
    for tr, te in fold_list:
        train = [items[i] for i in tr] + extra
        if len({fitter.label(g) for g in train}) < 2:
            continue
        held = [items[i] for i in te]
        for i, value in zip(te, predict(fitter(train, c), held)):
            out[i] = value
    return out


def _role_predict(data: dict, held) -> list[str]:
    return [data["classes"][k] for k in _proba(data, held).argmax(axis=1)]


def _opinion_predict(data: dict, held) -> list[float]:
    return list(_proba(data, held)[:, 1])


def tune_roles(items, extra, fold_list) -> tuple[float, list[str], dict]:
    """C with the best out-of-fold macro-F1, the roles where the model beats the rules out of fold,
    and each role's out-of-fold F1."""
    from ..annotate.sentence_views import ROLES, rule_role
    from .role_eval import prf
    best = None
    for c in C_GRID:
        pred = _out_of_fold(items, extra, fold_list, fit_roles, c, _role_predict)
        kept = [(g, p) for g, p in zip(items, pred) if p is not None]
        rows = {role: prf([g.role == role for g, _ in kept], [p == role for _, p in kept]) for role in ROLES}
        rules = {role: prf([g.role == role for g, _ in kept], [rule_role(g.view) == role for g, _ in kept])
                 for role in ROLES}
        macro = sum(r["f1"] for r in rows.values()) / len(rows)
        if best is None or macro > best[0]:
            best = (macro, c, rows, rules)
    _, c, rows, rules = best
    trusted = sorted(role for role in ROLES if rows[role]["f1"] >= rules[role]["f1"])
    return c, trusted, {role: row["f1"] for role, row in rows.items()}


def tune_opinion(items, extra, fold_list) -> tuple[float, float, dict]:
    """C and probability threshold with the best pooled out-of-fold opinion F1."""
    from .role_eval import prf
    best = (-1.0, 1.0, 0.5, {})
    for c in C_GRID:
        probs = _out_of_fold(items, extra, fold_list, fit_opinion, c, _opinion_predict)
        kept = [(g.opinion, p) for g, p in zip(items, probs) if p is not None]
        for t in [x / 20 for x in range(4, 19)]:
            row = prf([g for g, _ in kept], [p >= t for _, p in kept])
            if row["f1"] > best[0]:
                best = (row["f1"], c, t, row)
    return best[1], best[2], best[3]
