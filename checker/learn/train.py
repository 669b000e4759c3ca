"""Training: fit the sentence-role, opinion and kind models on the corpus, export them as JSON."""
from __future__ import annotations

import json
from pathlib import Path

from .corpus import read_corpus
from ..errors import CasecoachError
from .fitting import fit_opinion, fit_roles, folds, tune_opinion, tune_roles


def _write(out: Path, artefacts: dict[str, dict]) -> dict[str, str]:
    """Write each artefact as compact JSON and the manifest of their SHA-256 fingerprints."""
    from ..annotate.sentence_roles import MANIFEST, sha256
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
    from ..annotate.linear_model import LinearModel
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
    from ..annotate.linear_model import LinearModel
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
    from ..annotate.linear_model import LinearModel
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
