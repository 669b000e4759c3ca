"""When a flagged cue is excused: one rule for the avoid check and for the rules-alone opinion flag."""
from __future__ import annotations

from typing import Iterable

from spacy.tokens import Span


def excused(span: Span, sentence_cues: Iterable[Span], quotes: Iterable[tuple[int, int]],
            anywhere: Iterable[str], before: Iterable[str]) -> bool:
    """True when the span lies inside quotes (the client's own words), its sentence holds a cue
    labelled in `anywhere` (a hedge backed by behaviour), or a cue labelled in `before` opens earlier
    in the sentence (someone else's account: "Mother reported that ...").

    sentence_cues: the cue spans inside the span's sentence; quotes: (start, end) token stretches.
    """
    if any(s <= span.start and span.end <= e for s, e in quotes):
        return True
    anywhere, before = set(anywhere), set(before)
    return any(c.label_ in anywhere or c.label_ in before and c.start < span.start for c in sentence_cues)
