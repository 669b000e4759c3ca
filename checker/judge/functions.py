"""Named check functions: the few criteria that patterns alone cannot express."""
from __future__ import annotations

import re

from spacy.tokens import Span

from .criteria import Context, make_issue, register
from ..rulebook import Criterion
from .spelling import slips


@register("program_outcome")
def program_outcome(crit: Criterion, ctx: Context):
    """Met when the goal names one of the profile's program outcomes; without a list, ask."""
    outcomes = ctx.profile.program_outcomes
    if not outcomes:
        return "ask", [], []
    text = ctx.doc.text.lower()
    for outcome in outcomes:
        m = re.search(r"\b" + re.escape(outcome.lower()) + r"\b", text)
        if m:
            span = ctx.doc.char_span(m.start(), m.end(), label="PROGRAM_OUTCOME", alignment_mode="expand")
            return "met", [span], []
    return "missing", [], []


@register("spelling_grammar")
def spelling_grammar(crit: Criterion, ctx: Context):
    """Offline spelling (with the domain vocabulary) and a few grammar slips; each is an issue."""
    vocabulary = ctx.rulebook.vocabulary | {w.lower() for w in ctx.profile.vocabulary}
    found = slips(ctx.doc, vocabulary)
    issues = [make_issue(crit, ctx, Span(ctx.doc, start, end, label="SPELLING"), reps)
              for start, end, reps in found]
    spans = [Span(ctx.doc, start, end, label="SPELLING") for start, end, _ in found]
    return ("met" if not found else "missing"), spans, issues
