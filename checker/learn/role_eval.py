"""Sentence-level evaluation: each role's and the opinion flag's P/R/F1, rules alone vs rules+model."""
from __future__ import annotations

from dataclasses import dataclass

from ..annotate.features import sentence_features
from ..annotate.sentence_views import ROLES, SentenceView, rule_role, unexcused_opinions, views
from ..annotate.linear_model import LinearModel


@dataclass
class Gold:
    """One labelled note sentence, located in its parsed note."""

    view: SentenceView
    role: str
    opinion: bool
    feats: list[str]
    weight: float = 1.0  # supervisor-review sentences count less than corpus labels
    group: str = ""  # the writer's team: cross-validation holds out whole teams, as the test split does


def base_nlp():
    """The rules pipeline without the learned component (features never depend on the model)."""
    from ..annotate.pipeline import build_nlp
    return build_nlp()


def parse(examples: list[dict]) -> list:
    """Parse each example's text once with the rules pipeline (never the learned component)."""
    nlp = base_nlp()
    disable = [n for n in nlp.pipe_names if n == "casecoach_sentence_roles"]
    return list(nlp.pipe((e["text"] for e in examples), disable=disable))


def gold_sentences(examples: list[dict], docs: list | None = None) -> list[Gold]:
    """Every labelled sentence of every note, as a view on the parsed note with its features."""
    docs = parse(examples) if docs is None else docs
    out = []
    for ex, doc in zip(examples, docs):
        if ex.get("kind") != "note" or not ex.get("sentences"):
            continue
        spans, labels, cursor = [], [], 0
        for sent in ex["sentences"]:
            start = ex["text"].find(sent["text"], cursor)
            if start < 0 or not sent["text"].strip():
                continue
            cursor = start + len(sent["text"])
            span = doc.char_span(start, cursor, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
                labels.append(sent)
        for view, sent in zip(views(doc, spans), labels):
            out.append(Gold(view, sent["role"], bool(sent["opinion"]), sentence_features(view),
                            group=team_of(ex)))
    return out


def team_of(ex: dict) -> str:
    """The cross-validation group: a written example's writer team (the source's letter), a
    published example's site (it has a url)."""
    source = str(ex.get("source", ""))
    return f"site:{source}" if ex.get("url") else source[:1]


def prf(gold: list[bool], pred: list[bool]) -> dict:
    """Precision, recall and F1 of the positive class."""
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"n": sum(gold), "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def predict(items: list[Gold], roles: LinearModel | None, opinion: LinearModel | None) -> tuple[list[str], list[bool]]:
    """Roles and opinion flags: the rules' where no model is given, else the model's (decided as
    the pipeline component decides them)."""
    from ..annotate.sentence_roles import model_opinions, model_roles
    if roles is None:
        pred_roles = [rule_role(g.view) for g in items]
    else:
        trusted = set(roles.data.get("model_roles", roles.classes))
        pred_roles = model_roles(roles, [g.view for g in items], [roles.indices(g.feats) for g in items], trusted)
    if opinion is None:
        pred_op = [bool(unexcused_opinions(g.view)) for g in items]
    else:
        pred_op = model_opinions(opinion, [opinion.indices(g.feats) for g in items])
    return pred_roles, pred_op


def compare(items: list[Gold], roles: LinearModel | None, opinion: LinearModel | None) -> dict:
    """Rows for rules alone and rules+model: each role, the opinion flag, and role accuracy."""
    result = {"sentences": len(items), "rows": []}
    for name, (r_model, o_model) in (("rules", (None, None)), ("rules+model", (roles, opinion))):
        pred_roles, pred_op = predict(items, r_model, o_model)
        for role in ROLES:
            row = prf([g.role == role for g in items], [p == role for p in pred_roles])
            result["rows"].append({"system": name, "label": role, **row})
        result["rows"].append({"system": name, "label": "OPINION",
                               **prf([g.opinion for g in items], pred_op)})
        acc = sum(g.role == p for g, p in zip(items, pred_roles)) / max(1, len(items))
        result[f"accuracy_{name}"] = round(acc, 3)
    return result


def table(result: dict) -> str:
    """Rules alone and rules+model side by side, one line per label."""
    rows = {(r["system"], r["label"]): r for r in result["rows"]}
    lines = [f"{'label':12} {'n':>5} | {'rules P':>7} {'R':>6} {'F1':>6} | {'+model P':>8} {'R':>6} {'F1':>6}"]
    for label in ROLES + ["OPINION"]:
        a, b = rows[("rules", label)], rows.get(("rules+model", label), rows[("rules", label)])
        lines.append(f"{label:12} {a['n']:>5} | {a['precision']:>7.3f} {a['recall']:>6.3f} {a['f1']:>6.3f} | "
                     f"{b['precision']:>8.3f} {b['recall']:>6.3f} {b['f1']:>6.3f}")
    lines.append(f"role accuracy over {result['sentences']} sentences: rules {result['accuracy_rules']:.3f}, "
                 f"rules+model {result['accuracy_rules+model']:.3f}")
    return "\n".join(lines)


def installed(filename: str, models: str | None) -> LinearModel | None:
    """The named model from a models folder (the packaged one when None), or None when absent."""
    from ..annotate.sentence_roles import artefact_exists, load_model
    return load_model(filename, models) if artefact_exists(filename, models) else None
