"""`casecoach train`: fit the sentence-role, opinion and kind models on the corpus, export them as JSON."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .cli import fail
from .corpus import read_corpus
from .errors import CasecoachError

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


def _macro_f1(result: dict, system: str) -> float:
    rows = [r for r in result["rows"] if r["system"] == system and r["label"] != "OPINION"]
    return sum(r["f1"] for r in rows) / len(rows)


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
    from .linear_model import LinearModel
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
    from .sentence_views import ROLES, rule_role
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


def _write(out: Path, artefacts: dict[str, dict]) -> dict[str, str]:
    """Write each artefact as compact JSON and the manifest of their SHA-256 fingerprints."""
    from .sentence_roles import MANIFEST, sha256
    hashes = {}
    for name, data in artefacts.items():
        raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
        (out / name).write_bytes(raw)
        hashes[name] = sha256(raw)
    (out / MANIFEST).write_text(json.dumps({"files": hashes}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return hashes


def fit_sentences(items: dict, extra, final_fit: str) -> dict:
    """Tune by grouped cross-validation over train+dev (train alone with final_fit="train"), report
    the tuned models fitted on train and measured on dev, then fit on train (+dev) plus any reviews."""
    from .linear_model import LinearModel
    from .role_eval import compare
    role_extra, op_extra = (extra.roles, extra.opinion) if extra else ([], [])
    dev = items["dev"] if final_fit == "train+dev" else []
    pool = items["train"] + dev
    fold_list = folds(pool, len(items["train"])) if dev else folds(pool, len(pool) * 3 // 4)
    c_roles, trusted, cv_roles = tune_roles(pool, role_extra, fold_list)
    c_op, threshold, cv_opinion = tune_opinion(pool, op_extra, fold_list)
    dev_roles = LinearModel(fit_roles(items["train"] + role_extra, c_roles) | {"model_roles": trusted})
    dev_opinion = LinearModel(fit_opinion(items["train"] + op_extra, c_op) | {"threshold": threshold})
    dev_report = compare(items["dev"], dev_roles, dev_opinion) if items["dev"] else None
    roles = fit_roles(pool + role_extra, c_roles) | {"model_roles": trusted}
    opinion = fit_opinion(pool + op_extra, c_op) | {"threshold": threshold}
    cv = {"folds": len(fold_list), "roles": cv_roles, "opinion": cv_opinion["f1"] if cv_opinion else 0.0}
    return {"roles": roles, "opinion": opinion, "dev": dev_report,
            "params": {"C_roles": c_roles, "C_opinion": c_op, "threshold": threshold, "trusted": trusted, "cv": cv}}


def _test_report(items: dict, fitted: dict) -> dict | None:
    from .linear_model import LinearModel
    from .role_eval import compare
    if not items["test"]:
        return None
    return compare(items["test"], LinearModel(fitted["roles"]), LinearModel(fitted["opinion"]))


def _check_enough(split: dict[str, list[dict]], final_fit: str) -> None:
    """The fit data must hold both kinds, two sentence roles and both opinion values."""
    fit_docs = split["train"] + (split["dev"] if final_fit == "train+dev" else [])
    sentences = [s for ex in fit_docs for s in ex.get("sentences") or []]
    if (len({ex["kind"] for ex in fit_docs}) < 2 or len({s["role"] for s in sentences}) < 2
            or len({s["opinion"] for s in sentences}) < 2):
        raise CasecoachError(f"too little to learn from in {final_fit}: it needs goals and notes, and note sentences "
                             "labelled with at least two roles and with opinion both true and false")


def run(corpus: Path, out: Path, reviews: str | None = None, final_fit: str = "train+dev",
        review_weight: float = 0.5) -> str:
    """Tune on dev, fit on train+dev (or train), evaluate on test, write artefacts and the model card."""
    from .linear_model import LinearModel
    from .kind_model import fit_kind, kind_accuracy
    from .review_signal import review_signal, summary
    from .model_card import card
    from .role_eval import gold_sentences, parse
    split = read_corpus(corpus)
    _check_enough(split, final_fit)
    extra = review_signal(reviews, split, review_weight) if reviews else None
    try:
        out.mkdir(parents=True, exist_ok=True)  # before the fitting, so a bad --out fails at once
    except OSError as exc:
        raise CasecoachError(f"cannot create {out}: {exc.strerror or exc}") from None
    docs = {name: parse(exs) for name, exs in split.items()}
    items = {name: gold_sentences(split[name], docs[name]) for name in split}
    fitted = fit_sentences(items, extra, final_fit)
    # The same tuning and fit without the reviews, so the card can show what they changed on test.
    used = extra is not None and (extra.roles or extra.opinion)
    before = _test_report(items, fit_sentences(items, None, final_fit)) if used else None
    fit_docs = split["train"] + (split["dev"] if final_fit == "train+dev" else [])
    kind = fit_kind(fit_docs, docs["train"] + (docs["dev"] if final_fit == "train+dev" else []))
    hashes = _write(out, {"roles.json": fitted["roles"], "opinion.json": fitted["opinion"], "kind.json": kind})
    kind_acc = {name: kind_accuracy(LinearModel(kind), docs[name], split[name]) for name in ("dev", "test") if split[name]}
    params = fitted["params"] | {"fit": final_fit, "reviews": extra.stats if extra else None, "before": before}
    text = card(split, items, fitted["dev"], _test_report(items, fitted), kind_acc, hashes, params,
                LinearModel(fitted["roles"]), LinearModel(fitted["opinion"]))
    (out / "README.md").write_text(text, encoding="utf-8")
    lines = [summary(extra.stats)] if extra else []
    return "\n".join(lines + [f"wrote {', '.join(sorted(hashes))}, README.md to {out}"])


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
    try:
        summary = run(Path(corpus_dir), Path(out), reviews, final_fit, review_weight)
    except CasecoachError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}")
    click.echo(summary)
