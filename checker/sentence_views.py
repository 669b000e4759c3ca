"""The rules' view of each sentence of a note (cues, section, quotes, neighbours) and the rules-alone
role and opinion verdicts: the baseline the learned model is measured against, and its raw material."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from .excuses import excused
from .rulebook import load_rulebook

ROLES = ["STRENGTH", "OBSERVATION", "ASSESSMENT", "PLAN", "DATA", "OTHER"]
# Section headings that name a role outright; SUBJECTIVE is what the client said: an observation.
SECTION_ROLE = {"STRENGTH": "STRENGTH", "SUBJECTIVE": "OBSERVATION", "OBSERVATION": "OBSERVATION",
                "ASSESSMENT": "ASSESSMENT", "PLAN": "PLAN", "DATA": "DATA"}
# Rules-alone role from cues: first match in this order wins.
CUE_ROLE = [("PLAN", "PLAN"), ("ASSESS", "ASSESSMENT"), ("DATA", "DATA"), ("STRENGTH", "STRENGTH"),
            ("STRENGTH_SHOWN", "STRENGTH"), ("CONTACT", "OBSERVATION"), ("CLIENT_STEP", "OBSERVATION"),
            ("WORKER_STEP", "OBSERVATION"), ("REPORTED", "OBSERVATION")]
OPINION_CRITERION = "note.observations_not_opinions"


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
    quotes: list[tuple[int, int]] = field(default_factory=list)  # quoted stretches inside the sentence
    prev_role: str = "none"  # the rules' role of the neighbouring sentences: notes flow in sections
    next_role: str = "none"


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
        view.quotes = [(max(s, start), min(e, end)) for s, e in quotes if s < end and e > start]
        view.quoted = sum(e - s for s, e in view.quotes) / max(1, end - start)
        out.append(view)
    roles = [rule_role(v) for v in out]
    for i, view in enumerate(out):
        view.prev_role = roles[i - 1] if i else "none"
        view.next_role = roles[i + 1] if i + 1 < len(out) else "none"
    return out


def rule_role(view: SentenceView) -> str:
    """Rules alone: the section's role if any, else the first cue in priority order, else OTHER."""
    if view.section in SECTION_ROLE:
        return SECTION_ROLE[view.section]
    labels = {c.label_ for c in view.cues}
    return next((role for cue, role in CUE_ROLE if cue in labels), "OTHER")


@lru_cache(maxsize=1)
def opinion_excuses() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The cue labels that excuse an opinion cue anywhere in its sentence and before it: the opinion
    criterion's own `unless` and `unless_before`, so the rules-alone flag is what its avoid check flags."""
    spec = load_rulebook().criteria[OPINION_CRITERION].check
    return tuple(spec.get("unless", ())), tuple(spec.get("unless_before", ()))


def unexcused_opinions(view: SentenceView) -> list[Span]:
    """OPINION cues of the sentence that the opinion criterion's avoid check would flag."""
    anywhere, before = opinion_excuses()
    return [c for c in view.cues if c.label_ == "OPINION" and not excused(c, view.cues, view.quotes, anywhere, before)]
