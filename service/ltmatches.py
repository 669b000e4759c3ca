"""A casecoach Report as LanguageTool matches: issues in place, missing criteria anchored where they belong."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from checker.report import Report
from checker.rulebook import Rulebook

from .annotated import Annotated

CONTEXT_CHARS = 40
SENTENCE_CHARS = 600  # the longest sentence in the corpora is 513 characters
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n\s*")
GOAL_VERB = re.compile(r"\b(?:will|to)\s+([A-Za-z][A-Za-z'-]*)")
SPELLING = "note.spelling_grammar"
CATEGORIES = {"goal": ("CASECOACH_GOAL", "Service-plan goal"), "note": ("CASECOACH_NOTE", "Progress note"),
              SPELLING: ("TYPOS", "Possible Typo")}


@dataclass
class Finding:
    """One match before it is laid out: a span of the checked text and what to say about it."""

    rule: str
    start: int
    end: int
    message: str
    short: str
    replacements: list[str]
    hint: bool = False


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, split at end punctuation followed by space and at line breaks."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


class SentenceSpans:
    """The text's sentences, found by offset."""

    def __init__(self, text: str) -> None:
        self.spans = sentences(text)
        self.starts = [a for a, _ in self.spans]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding `start` (else start..end), cut to SENTENCE_CHARS around `start`
        when longer: each match repeats its sentence, and a 50,000-character sentence with
        thousands of matches made a response of hundreds of megabytes."""
        k = bisect_right(self.starts, start) - 1
        a, b = self.spans[k] if k >= 0 and start < self.spans[k][1] else (start, end)
        if b - a > SENTENCE_CHARS:
            a = max(a, min(start - SENTENCE_CHARS // 2, b - SENTENCE_CHARS))
            b = a + SENTENCE_CHARS
        return a, b


WORD = re.compile(r"[\w'’-]+")


def _verb(report: Report, text: str) -> tuple[int, int] | None:
    """The goal's main verb ("will improve" -> "improve"), if it has one."""
    for result in report.criteria:
        for ev in result.evidence:
            if ev.label in ("ACTION", "VAGUE_ACTION"):
                verb = GOAL_VERB.match(text, ev.start, ev.end)
                return (verb.start(1), verb.end(1)) if verb else (ev.start, ev.end)
    m = GOAL_VERB.search(text)
    return (m.start(1), m.end(1)) if m else None


def _last_word(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The last word of the text: where a next step, a deadline or an assessment is added."""
    a, b = spans[-1]
    words = list(WORD.finditer(text, a, b))
    return (words[-1].start(), words[-1].end()) if words else (a, b)


def anchor(where: str, report: Report, text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The span a missing criterion is marked on, by the criterion's `anchor`: the goal's verb or
    subject (its first word), or the text's first sentence or last word (`spans`: its sentences)."""
    if where == "end":
        return _last_word(text, spans)
    if report.kind == "goal" and where == "verb":
        verb = _verb(report, text)
        if verb:
            return verb
    if report.kind == "goal" and where == "subject":
        first = WORD.search(text)
        if first:
            return first.start(), first.end()
    return spans[0]


# A suggested wording with a part to fill in ("(say what happened)", "[date]", "…") is guidance for
# the writer, not text an editor should paste in: it goes in the message.
GUIDANCE = re.compile(r"[()\[\]…]|\.\.\.")


def split_replacements(replacements: list[str]) -> tuple[list[str], list[str]]:
    """(real replacements, guidance wordings)."""
    real = [r for r in replacements if not GUIDANCE.search(r)]
    return real, [r for r in replacements if GUIDANCE.search(r)]


def findings(report: Report, text: str, rulebook: Rulebook, spans: SentenceSpans) -> list[Finding]:
    """Every issue, plus every missing or partial requirement (and 'ask' questions as hints), each
    missing one marked where its fix belongs (`spans`: the text's sentences, found once a request)."""
    out = []
    for i in report.issues:
        real, guidance = split_replacements(list(i.replacements))
        message = i.message + ("".join(f" Try: “{g}”." for g in guidance[:2]) if guidance else "")
        out.append(Finding(i.rule, i.start, i.end, message, _name(rulebook, i.rule), real))
    for result in report.criteria:
        crit = rulebook.criteria.get(result.id)
        if crit is None or crit.kind == "avoid" or result.status == "met":
            continue
        message = " ".join(s for s in (result.message, result.suggestion) if s)
        if result.status == "partial" and result.evidence:
            start, end = result.evidence[0].start, result.evidence[0].end
        else:
            start, end = anchor(crit.anchor, report, text, spans.spans)
        out.append(Finding(result.id, start, end, message, result.name, [], hint=result.status == "ask"))
    for part in report.parts:  # a plan's goals, each marked inside its own lines
        alone = " " * part.start + text[part.start:part.end] + " " * (len(text) - part.end)
        out += findings(part, alone, rulebook, SentenceSpans(alone))
    return sorted(out, key=lambda f: (f.start, f.end))


def _name(rulebook: Rulebook, cid: str) -> str:
    crit = rulebook.criteria.get(cid)
    return crit.name if crit else cid


class Utf16:
    """Python string offsets to UTF-16 code units, as LanguageTool's Java server counts them."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []

    def __call__(self, offset: int) -> int:
        """The UTF-16 offset of a character offset."""
        if not self.astral:
            return offset
        from bisect import bisect_left
        return offset + bisect_left(self.astral, offset)


def to_match(f: Finding, ann: Annotated, report_kind: str, rulebook: Rulebook, spans: SentenceSpans,
             u16: Utf16) -> dict:
    """One LanguageTool v2 match, offsets in UTF-16 code units of the original (markup included) text."""
    start, end = ann.to_original(f.start, f.end)
    text = ann.original
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    prefix, suffix = ("..." if left else ""), ("..." if right < len(text) else "")
    context = prefix + text[left:right] + suffix
    ctx_u16 = Utf16(context)
    ctx_offset = ctx_u16(len(prefix) + start - left)
    s_start, s_end = spans.around(f.start, f.end)
    crit = rulebook.criteria.get(f.rule)
    category = CATEGORIES.get(f.rule) or CATEGORIES.get(crit.doc_kind if crit else report_kind) \
        or ("CASECOACH", "casecoach")
    spelling = f.rule == SPELLING
    return {
        "message": f.message, "shortMessage": f.short,
        "replacements": [{"value": r} for r in f.replacements],
        "offset": u16(start), "length": u16(end) - u16(start),
        "context": {"text": context, "offset": ctx_offset,
                    "length": ctx_u16(len(prefix) + end - left) - ctx_offset},
        "sentence": ann.plain[s_start:s_end],
        "type": {"typeName": "UnknownWord" if spelling else ("Hint" if f.hint else "Other")},
        "rule": {"id": f.rule, "description": crit.name if crit else f.short,
                 "issueType": "misspelling" if spelling else "style",
                 "category": {"id": category[0], "name": category[1]}},
        "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
    }
