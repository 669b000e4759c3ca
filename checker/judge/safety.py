"""Safety words are never silent: a note or an assessment that records a risk to someone's safety
(thoughts of suicide, harm to others, abuse, a weapon) and says nothing of what was done about it
gets an issue, and its coaching speaks of it first."""
from __future__ import annotations

from spacy.tokens import Span

from ..report import Issue
from .criteria import Context

KINDS = ("note", "assessment")
DENIALS = frozenset(["denies", "denied", "deny", "no", "not", "without", "never", "nor", "negative"])
RULE = "safety"
MESSAGE = ("“{text}” speaks of a risk to someone's safety: write what you did about it today — the risk "
           "assessment, the safety plan, who you told — as your agency's protocol asks.")


def _denied(span: Span) -> bool:
    """Preceded closely by a denial ("denies suicidal ideation", "no thoughts of self-harm")."""
    doc = span.doc
    return any(t.lower_ in DENIALS for t in doc[max(0, span.start - 3):span.start])


def safety_issues(ctx: Context, kind: str) -> list[Issue]:
    """An issue for each safety word not denied, unless the draft records a safety action."""
    if kind not in KINDS or ctx.cues("SAFETY_ACTION"):
        return []
    said = [s for s in ctx.cues("SAFETY") if not _denied(s)]
    return [Issue(RULE, s.start_char, s.end_char, s.text, "error", MESSAGE.format(text=s.text)) for s in said]
