"""Sentence and document features from the annotated Doc, shared by training and run time."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .tokens import sentence_starts, token_table

ROLES = ["STRENGTH", "OBSERVATION", "ASSESSMENT", "PLAN", "DATA", "OTHER"]
# Section headings that name a role outright; SUBJECTIVE is what the client said: an observation.
SECTION_ROLE = {"STRENGTH": "STRENGTH", "SUBJECTIVE": "OBSERVATION", "OBSERVATION": "OBSERVATION",
                "ASSESSMENT": "ASSESSMENT", "PLAN": "PLAN", "DATA": "DATA"}
# Rules-alone role from cues: first match in this order wins.
CUE_ROLE = [("PLAN", "PLAN"), ("ASSESS", "ASSESSMENT"), ("DATA", "DATA"), ("STRENGTH", "STRENGTH"),
            ("STRENGTH_SHOWN", "STRENGTH"), ("CONTACT", "OBSERVATION"), ("CLIENT_STEP", "OBSERVATION"),
            ("WORKER_STEP", "OBSERVATION"), ("REPORTED", "OBSERVATION")]
EXCUSE_ANYWHERE = ("BACKED",)
EXCUSE_BEFORE = ("REPORTED",)


@dataclass
class SentenceView:
    """What the rules annotated inside one sentence: the raw material of features and baselines."""

    span: Span
    index: int
    count: int
    cues: list[Span] = field(default_factory=list)
    section: str | None = None
    heading: bool = False
    quoted: float = 0.0


def views(doc: Doc, spans: list[Span] | None = None) -> list[SentenceView]:
    """One view per sentence (or per given span), with its cues, section and quoted share."""
    spans = list(doc.sents) if spans is None else spans
    cues = sorted(doc.spans["cues"], key=lambda s: s.start) if "cues" in doc.spans else []
    cue_starts = [c.start for c in cues]
    cue_ends = [c.end for c in cues]
    sections = [(s.start, s.end, s.label_) for s in doc.spans["sections"]] if "sections" in doc.spans else []
    headings = [h.start for h in doc.spans["headings"]] if "headings" in doc.spans else []
    quotes = [(q.start, q.end) for q in doc.spans["quotes"]] if "quotes" in doc.spans else []
    out = []
    for i, sent in enumerate(spans):
        start, end = sent.start, sent.end
        view = SentenceView(sent, i, len(spans))
        view.cues = [cues[k] for k in range(bisect_left(cue_starts, start), bisect_left(cue_starts, end))
                     if cue_ends[k] <= end]
        view.section = next((label for s, e, label in sections if s <= start < e or start <= s < end), None)
        view.heading = any(start <= h < end for h in headings)
        inside = sum(max(0, min(e, end) - max(s, start)) for s, e in quotes)
        view.quoted = inside / max(1, end - start)
        out.append(view)
    return out


def rule_role(view: SentenceView) -> str:
    """Rules alone: the section's role if any, else the first cue in priority order, else OTHER."""
    if view.section in SECTION_ROLE:
        return SECTION_ROLE[view.section]
    labels = {c.label_ for c in view.cues}
    return next((role for cue, role in CUE_ROLE if cue in labels), "OTHER")


def unexcused_opinions(view: SentenceView, anywhere=EXCUSE_ANYWHERE, before=EXCUSE_BEFORE) -> list[Span]:
    """OPINION cues of the sentence that check_avoid would flag (not quoted, reported or backed)."""
    doc = view.span.doc
    quotes = doc.spans["quotes"] if "quotes" in doc.spans else []
    if any(c.label_ in anywhere for c in view.cues):
        return []
    out = []
    for cue in view.cues:
        if cue.label_ != "OPINION":
            continue
        if any(q.start <= cue.start and cue.end <= q.end for q in quotes):
            continue
        if any(c.label_ in before and c.start < cue.start for c in view.cues):
            continue
        out.append(cue)
    return out


def _words(doc: Doc, start: int, end: int) -> list[str]:
    """Lowercased word forms of tokens start..end; numbers collapse to a shape so dates and counts
    generalise."""
    t = token_table(doc)
    out = []
    for i in range(start, end):
        if t.is_space[i]:
            continue
        text = t.text[i]
        if not text.isalpha() and any(ch.isdigit() for ch in text):
            out.append("<num>" if t.like_num[i] else "<code>")
        else:
            out.append(t.lower[i])
    return out


def sentence_features(view: SentenceView) -> list[str]:
    """Binary feature names for one sentence: words, bigrams, cues, section, position, speech flags."""
    words = _words(view.span.doc, view.span.start, view.span.end)
    feats = [f"w={w}" for w in words]
    feats += [f"b={a}_{b}" for a, b in zip(["<s>"] + words, words + ["</s>"])]
    feats += [f"first={words[0]}" if words else "empty"]
    for cue in view.cues:
        feats += [f"cue={cue.label_}", f"cueid={cue.id_}"]
    feats.append(f"sec={view.section or 'none'}")
    feats.append(f"rule={rule_role(view)}")
    if view.heading:
        feats.append("heading")
    if unexcused_opinions(view):
        feats.append("rule_opinion")
    feats.append("quoted=all" if view.quoted > 0.6 else "quoted=some" if view.quoted > 0 else "quoted=none")
    feats.append("pos=first" if view.index == 0 else "pos=last" if view.index == view.count - 1 else "pos=mid")
    feats.append(f"len={min(len(words) // 5, 6)}")
    return feats


def doc_features(doc: Doc, cues: list[Span] | None = None) -> list[str]:
    """Binary feature names for a whole document (kind detection): words, cues, headings, shape."""
    words = _words(doc, 0, len(doc))
    feats = [f"w={w}" for w in set(words)]
    feats += [f"b={a}_{b}" for a, b in set(zip(words, words[1:]))]
    cues = cues if cues is not None else list(doc.spans["cues"]) if "cues" in doc.spans else []
    feats += [f"cue={c.label_}" for c in cues]
    feats += [f"head={h.label_}" for h in doc.spans["headings"]] if "headings" in doc.spans else []
    starts = sentence_starts(doc)
    feats.append(f"nsents={min(sum(starts) + (0 if not starts or starts[0] else 1), 8)}")
    first_end = next((i for i in range(1, len(starts)) if starts[i]), len(starts))
    if starts:
        feats += [f"first:{w}" for w in _words(doc, 0, first_end)[:3]]
    return feats


class LinearModel:
    """A fitted linear classifier exported as plain data: vocabulary, coefficients, intercepts."""

    def __init__(self, data: dict):
        import numpy as np
        self.data = data
        self.classes: list[str] = data["classes"]
        self.index = {name: i for i, name in enumerate(data["vocab"])}
        self.coef = np.asarray(data["coef"], dtype=np.float64)  # (n_features, n_outputs)
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self.threshold = float(data.get("threshold", 0.5))

    def indices(self, feats: list[str]) -> list[int]:
        """The vocabulary positions of the known features, each once."""
        index = self.index
        return sorted({index[f] for f in feats if f in index})

    def proba(self, feats: list[str], idx: list[int] | None = None):
        """Class probabilities for one feature list (sigmoid for two classes, softmax otherwise);
        `idx` may pass indices() already computed on the same vocabulary."""
        import numpy as np
        idx = self.indices(feats) if idx is None else idx
        score = self.intercept + (self.coef[idx].sum(axis=0) if idx else 0.0)
        if len(self.classes) == 2:
            p = 1.0 / (1.0 + np.exp(-score[0]))
            return np.array([1.0 - p, p])
        e = np.exp(score - score.max())
        return e / e.sum()

    def predict(self, feats: list[str], idx: list[int] | None = None) -> str:
        """The most probable class."""
        return self.classes[int(self.proba(feats, idx).argmax())]
