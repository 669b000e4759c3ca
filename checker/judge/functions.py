"""Named check functions: the few criteria that patterns alone cannot express."""
from __future__ import annotations

import re

from spacy.tokens import Span

from .criteria import Context, make_issue, register
from ..annotate.tokens import doc_text
from ..rulebook import Criterion
from .spelling import slips


@register("program_outcome")
def program_outcome(crit: Criterion, ctx: Context):
    """Met when the goal names one of the profile's program outcomes; without a list, ask."""
    outcomes = ctx.profile.program_outcomes
    if not outcomes:
        return "ask", [], []
    text = doc_text(ctx.doc).lower()
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
    spans = [Span(ctx.doc, start, end, label="SPELLING") for start, end, _ in found]
    issues = [make_issue(crit, ctx, span, reps) for span, (_, _, reps) in zip(spans, found)]
    return ("met" if not found else "missing"), spans, issues


def _char_span(ctx: Context, start: int, end: int, label: str) -> Span:
    return ctx.doc.char_span(start, end, label=label, alignment_mode="expand")


def _sentence_of(ctx: Context, span: Span) -> tuple[int, int]:
    return ctx.sentences().of(span.start)


@register("end_state")
def end_state(crit: Criterion, ctx: Context):
    """Met when an end state is stated (a condition or behaviour that will hold: "will keep the home
    free of hazards", "the child will be safe"); partial when only services are (a class, an
    assessment, a treatment to attend: 004, services are activities that lead to an end state)."""
    ends = ctx.cues("END_STATE")
    if ends:
        return "met", ends[:2], []
    services = ctx.cues("SERVICE_ONLY")
    if services:
        return "partial", services[:2], []
    return "missing", [], []


def _goal_spans(ctx: Context, missing_in) -> list[Span]:
    """The goal statements of the plan's parts for which `missing_in(part)` holds."""
    return [_char_span(ctx, *goal.goal, label="GOAL") for goal, part in zip(ctx.layout.goals, ctx.parts)
            if missing_in(part)]


def _met(part, cid: str) -> bool:
    try:
        return part.criterion(cid).status == "met"
    except KeyError:  # the profile leaves the criterion out: nothing to hold the goal to
        return True


@register("every_goal")
def every_goal(crit: Criterion, ctx: Context):
    """Every goal of the plan, judged with its own steps, meets `all` of the goal criteria named
    (or `any` of them); the goals that fall short are the evidence. Partial when some do."""
    if not ctx.parts:
        return "missing", [], []
    needed, either = crit.check.get("all", []), crit.check.get("any", [])
    lacking = _goal_spans(ctx, lambda p: not (all(_met(p, c) for c in needed) and
                                              (not either or any(_met(p, c) for c in either))))
    if not lacking:
        return "met", [], []
    return ("missing" if len(lacking) == len(ctx.parts) else "partial"), lacking, []


@register("long_term_goal")
def long_term_goal(crit: Criterion, ctx: Context):
    """Met when the plan has long-term goals (a section or a line the layout reads as one)."""
    if ctx.layout and ctx.layout.long_term:
        return "met", [_char_span(ctx, *ctx.layout.long_term[0], label="LONG_TERM")], []
    return "missing", [], []


# Words that say a child is placed out of home, and a youth's age of 16 or more (002 "Special plan
# components": visitation and a concurrent plan with a placement; a TILP for youth 16 and older).
PLACED = re.compile(r"\b(?:foster|placement|placed|removed|removal|kinship|relative care|group home|"
                    r"residential|out[- ]of[- ]home|in care|congregate)\b", re.I)
YOUTH_16 = re.compile(r"\b(?:1[6-9]|20)(?:[- ]year[- ]old|\s*(?:yrs?|years)\b|\))|\bage (?:1[6-9]|20)\b|"
                      r"\b(?:tilp|aging out|ages out|age out|emancipat\w*|appla)\b", re.I)


@register("out_of_home_component")
def out_of_home_component(crit: Criterion, ctx: Context):
    """A case-plan component owed only in some cases: met when its cue is there; missing when the
    case plainly calls for it (a placement, a youth of 16 or more); otherwise a question."""
    found = ctx.cues(crit.check["cue"])
    if found:
        return "met", found[:1], []
    needed = PLACED if crit.check["when"] == "placed" else YOUTH_16
    needed_too = crit.check["when"] != "youth_16" or PLACED.search(doc_text(ctx.doc))
    if needed.search(doc_text(ctx.doc)) and needed_too:
        return "missing", [], []
    return "ask", [], []
