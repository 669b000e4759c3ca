"""Agreement of the engine with labelled examples: per-criterion precision, recall, F1 and kappa."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..engine import check_many
from ..errors import CasecoachError


@dataclass
class Score:
    """Agreement on one criterion, both classes (met / not met) weighed equally."""

    criterion: str
    n: int
    gold_met: int
    precision: float
    recall: float
    f1: float
    kappa: float


def read_examples(path: str | Path, required: tuple[str, ...] = ("text", "labels"),
                  allow_empty: bool = False) -> list[dict]:
    """Labelled examples from a JSONL file, each an object with the required fields; a file that is
    unreadable, not UTF-8, or has a bad line is an error naming the file (and the line)."""
    examples = []
    try:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    raise CasecoachError(f"{path}:{number}: not valid JSON") from None
                if not isinstance(item, dict) or any(f not in item for f in required):
                    raise CasecoachError(f"{path}:{number}: needs {', '.join(repr(f) for f in required)}")
                examples.append(item)
    except UnicodeDecodeError:
        raise CasecoachError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CasecoachError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not examples and not allow_empty:
        raise CasecoachError(f"{path}: no examples")
    return examples


def _binary(gold: list[bool], pred: list[bool]) -> tuple[float, float, float, float]:
    n = len(gold)
    precisions, recalls, f1s = [], [], []
    for cls in (True, False):
        tp = sum(g == cls and p == cls for g, p in zip(gold, pred))
        fp = sum(g != cls and p == cls for g, p in zip(gold, pred))
        fn = sum(g == cls and p != cls for g, p in zip(gold, pred))
        p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
        r = tp / (tp + fn) if tp + fn else (1.0 if not fp else 0.0)
        precisions.append(p)
        recalls.append(r)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    observed = sum(g == p for g, p in zip(gold, pred)) / n
    g1, p1 = sum(gold) / n, sum(pred) / n
    expected = g1 * p1 + (1 - g1) * (1 - p1)
    kappa = (observed - expected) / (1 - expected) if expected < 1 else 1.0
    return sum(precisions) / 2, sum(recalls) / 2, sum(f1s) / 2, kappa


def evaluate(examples: list[dict], profile: str = "default") -> dict:
    """Score every labelled criterion, judging each example as its labelled kind; plus kind accuracy."""
    pairs: dict[str, tuple[list[bool], list[bool]]] = {}
    by_kind: dict[str, list[dict]] = {}
    for ex in examples:
        by_kind.setdefault(ex["kind"], []).append(ex)
    for kind, group in by_kind.items():
        for ex, report in zip(group, check_many([e["text"] for e in group], kind=kind, profile=profile)):
            _add_pairs(pairs, ex, report)
    detected_reports = list(check_many([e["text"] for e in examples], profile=profile))
    detected = [r.kind for r in detected_reports]
    scores = [_score(cid, *pairs[cid]) for cid in sorted(pairs)]
    kind_acc = sum(d == e["kind"] for d, e in zip(detected, examples)) / len(examples)
    return {"examples": len(examples), "kind_accuracy": round(kind_acc, 3),
            "criteria": [asdict(s) for s in scores], "detected": _as_detected(examples, detected_reports, pairs),
            "sentence_roles": sentence_roles(examples)}


def _score(cid: str, gold: list[bool], pred: list[bool]) -> Score:
    p, r, f1, kappa = _binary(gold, pred)
    return Score(cid, len(gold), sum(gold), round(p, 3), round(r, 3), round(f1, 3), round(kappa, 3))


def _add_pairs(pairs: dict, ex: dict, report, counted=None) -> None:
    """Add one example's labelled criteria to pairs (gold met, predicted met): those its report holds,
    or those in `counted`, where a criterion the report lacks counts as not met. Asked ones are left out."""
    status = {c.id: c.status for c in report.criteria}
    for cid, label in ex["labels"].items():
        if cid in (status if counted is None else counted) and status.get(cid) != "ask":
            gold, pred = pairs.setdefault(cid, ([], []))
            gold.append(label == "met")
            pred.append(status.get(cid) == "met")


def _as_detected(examples: list[dict], reports: list, judged: dict) -> dict:
    """The same criteria as a user sees them, each text checked as the kind casecoach detects: a
    criterion the detected kind's report does not hold counts as not met. Mean kappa per kind."""
    pairs: dict[str, tuple[list[bool], list[bool]]] = {}
    for ex, report in zip(examples, reports):
        _add_pairs(pairs, ex, report, judged)
    by_kind: dict[str, list[float]] = {}
    for cid in sorted(pairs):
        by_kind.setdefault(cid.split(".")[0], []).append(_score(cid, *pairs[cid]).kappa)
    return {kind: {"criteria": len(k), "mean_kappa": round(sum(k) / len(k), 3)} for kind, k in by_kind.items()}


def sentence_roles(examples: list[dict]) -> dict | None:
    """Each sentence role's and the opinion flag's P/R/F1, rules alone beside rules plus the
    installed models, over the labelled note sentences (None when the examples have none)."""
    from .role_eval import compare, gold_sentences
    from ..annotate.sentence_roles import OPINION_FILE, ROLES_FILE, artefact_exists, load_model
    items = gold_sentences(examples)
    if not items:
        return None
    roles, opinion = (load_model(f) if artefact_exists(f) else None for f in (ROLES_FILE, OPINION_FILE))
    return compare(items, roles, opinion)


def table(result: dict) -> str:
    """The evaluation as a fixed-width text table."""
    lines = [f"{'criterion':34} {'n':>5} {'met':>5} {'P':>6} {'R':>6} {'F1':>6} {'kappa':>6}"]
    for s in result["criteria"]:
        lines.append(f"{s['criterion']:34} {s['n']:>5} {s['gold_met']:>5} {s['precision']:>6.3f} "
                     f"{s['recall']:>6.3f} {s['f1']:>6.3f} {s['kappa']:>6.3f}")
    lines.append(f"kind detection accuracy: {result['kind_accuracy']:.3f} over {result['examples']} examples")
    if result.get("detected"):
        lines.append("each text checked as the kind detected (a criterion its report lacks counts as not met), "
                     "mean kappa: " + ", ".join(f"{kind} {v['mean_kappa']:.3f} ({v['criteria']} criteria)"
                                                for kind, v in result["detected"].items()))
    if result.get("sentence_roles"):
        from .role_eval import table as roles_table
        lines += ["", "sentence roles and the opinion flag, rules alone | rules + model:", roles_table(result["sentence_roles"])]
    return "\n".join(lines)
