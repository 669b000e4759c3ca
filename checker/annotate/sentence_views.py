"""The rules' view of each sentence of a note (cues, section, quotes, neighbours) and the rules-alone
role and opinion verdicts: the baseline the learned model is measured against, and its raw material."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span

from .excuses import Excuses
from .intervals import any_between
from ..rulebook import load_rulebook

ROLES = ["STRENGTH", "OBSERVATION", "ASSESSMENT", "PLAN", "DATA", "OTHER"]
# Section headings that name a role outright; SUBJECTIVE is what the client said: an observation.
SECTION_ROLE = {"STRENGTH": "STRENGTH", "SUBJECTIVE": "OBSERVATION", "OBSERVATION": "OBSERVATION",
                "ASSESSMENT": "ASSESSMENT", "PLAN": "PLAN", "DATA": "DATA"}
# Rules-alone role from cues: first match in this order wins.
CUE_ROLE = [("PLAN", "PLAN"), ("ASSESS", "ASSESSMENT"), ("DATA", "DATA"), ("STRENGTH", "STRENGTH"),
            ("STRENGTH_SHOWN", "STRENGTH"), ("CONTACT", "OBSERVATION"), ("CLIENT_STEP", "OBSERVATION"),
            ("WORKER_STEP", "OBSERVATION"), ("REPORTED", "OBSERVATION")]
OPINION_CRITERION = "note.observations_not_opinions"


@dataclass(slots=True)
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
    rule: str = ""  # the rules' role of this sentence (rule_role), once views() has set it


def views(doc: Doc, spans: list[Span] | None = None) -> list[SentenceView]:
    """One view per sentence (or per given span), with its cues, section and quoted share."""
    spans = list(doc.sents) if spans is None else spans
    cues = sorted(doc.spans["cues"], key=lambda s: s.start) if "cues" in doc.spans else []
    cue_starts = [c.start for c in cues]
    cue_ends = [c.end for c in cues]
    sections = [(s.start, s.end, s.label_) for s in doc.spans["sections"]] if "sections" in doc.spans else []
    headings = sorted(h.start for h in doc.spans["headings"]) if "headings" in doc.spans else []
    quotes = [(q.start, q.end) for q in doc.spans["quotes"]] if "quotes" in doc.spans else []
    # Sections (one heading to the next) and quotes (one regex match after another) come in text
    # order and do not cross, so their starts and ends both rise: each sentence bisects them.
    section_starts, quote_starts, quote_ends = [s for s, _, _ in sections], [s for s, _ in quotes], [e for _, e in quotes]
    out, count = [], len(spans)
    for i, sent in enumerate(spans):
        start, end = sent.start, sent.end
        lo, hi = bisect_left(cue_starts, start), bisect_left(cue_starts, end)
        inside = [(max(s, start), min(e, end)) for s, e in
                  quotes[bisect_right(quote_ends, start):bisect_left(quote_starts, end)]] if quotes else []
        # Built in one go, and only what a sentence holds looked up: a text of short lines has one
        # sentence every two characters.
        out.append(SentenceView(
            sent, i, count, cues=[cues[k] for k in range(lo, hi) if cue_ends[k] <= end] if lo < hi else [],
            section=_section(sections, section_starts, start, end) if sections else None,
            heading=any_between(headings, start, end) if headings else False,
            quoted=sum(e - s for s, e in inside) / max(1, end - start) if inside else 0.0, quotes=inside))
    roles = [rule_role(v) for v in out]
    for i, view in enumerate(out):
        view.rule = roles[i]
        view.prev_role = roles[i - 1] if i else "none"
        view.next_role = roles[i + 1] if i + 1 < len(out) else "none"
    return out


def _section(sections: list[tuple[int, int, str]], starts: list[int], start: int, end: int) -> str | None:
    """The label of the first section holding the sentence's start or starting inside it."""
    k = bisect_right(starts, start) - 1  # the one section that may hold the start
    if k >= 0 and start < sections[k][1]:
        return sections[k][2]
    k += 1  # the first section starting after the sentence's start
    return sections[k][2] if k < len(sections) and sections[k][0] < end else None


def rule_role(view: SentenceView) -> str:
    """Rules alone: the section's role if any, else the first cue in priority order, else OTHER."""
    if view.section in SECTION_ROLE:
        return SECTION_ROLE[view.section]
    if not view.cues:
        return "OTHER"
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
    opinions = [c for c in view.cues if c.label_ == "OPINION"]
    if not opinions:
        return []
    excuses = Excuses(view.cues, view.quotes, *opinion_excuses())
    sentence = (view.span.start, view.span.end)
    return [c for c in opinions if not excuses.excused(c, sentence)]
