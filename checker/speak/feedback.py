"""Coaching feedback in a supervisor's voice: praise first, linked with "and", ≤3 fixes, one question."""
from __future__ import annotations

import re

from ..judge.criteria import Context, fill
from ..report import CriterionResult, Feedback, Issue
from ..rulebook import Criterion

NOUNS = {"goal": "goal", "note": "note", "assessment": "assessment", "objective": "objective", "plan": "plan"}


def _short(words: str, most: int = 60) -> str:
    """A quotation cut at a word boundary so praise stays one readable sentence."""
    return words if len(words) <= most else words[:most].rsplit(" ", 1)[0] + "…"


def noun(result: CriterionResult, criteria: dict[str, Criterion]) -> str:
    """What meeting a criterion gives a draft, as a noun phrase ("a measure anyone can check")."""
    crit = criteria.get(result.id)
    return (crit.noun if crit and crit.noun else f"the {result.name.lower()}")


# Words that carry nothing alone: a quotation ending on one ("support of", "Checked on") or made only
# of them is a fragment of the sentence that meets the criterion, not its evidence.
FUNCTION_WORDS = frozenset("""a an the of on in at to for with by from and or but as than that this these
those his her their its he she they it i we you is are was were be been will would can could has have
had do does did not no""".split())


def carries(evidence) -> bool:
    """Whether a piece of evidence says something on its own: two words or more, a content word
    among them, and not ending on a function word ("strong computer skills", not "support of")."""
    words = re.findall(r"[\w'’]+", evidence.text)
    if len(words) < 2 or words[-1].lower() in FUNCTION_WORDS:
        return False
    return any(w.lower() not in FUNCTION_WORDS for w in words)


def telling(result: CriterionResult):
    """The evidence praise quotes, among the pieces that carry the criterion: one with a number when
    there is one ("5 employers" over "find work": a count is what makes a goal measurable), else the
    first."""
    worth = [e for e in result.evidence if carries(e)] or result.evidence
    return next((e for e in worth if any(ch.isdigit() for ch in e.text)), worth[0])


def _praise(met: list[CriterionResult], kind: str, criteria: dict[str, Criterion]) -> str:
    if not met:
        return f"Thank you for putting this {NOUNS.get(kind, 'draft')} in writing; it gives us a place to start"
    shown: dict[str, CriterionResult] = {}  # quotation -> its criterion: two at most, never one quoted twice
    for m in met:
        if len(shown) < 2 and any(carries(e) for e in m.evidence):
            shown.setdefault(telling(m).text, m)
    if not shown:
        if met[0].evidence:  # only fragments to quote: name what it has, without quoting them
            return f"This {NOUNS.get(kind, 'draft')} already has {noun(met[0], criteria)}"
        return f"This {NOUNS.get(kind, 'draft')} already gets something right: {met[0].message.rstrip('.')}"
    parts = [f"{noun(m, criteria)} (“{_short(quote)}”)" for quote, m in shown.items()]
    return f"This {NOUNS.get(kind, 'draft')} already has " + " and ".join(parts)


def compose(results: list[CriterionResult], criteria: dict[str, Criterion], ctx: Context, kind: str,
            weights: dict[str, float], safety: list[Issue] | None = None) -> Feedback:
    """Feedback from criterion results, most important improvement first; a safety concern left
    unanswered comes before everything (`safety`: its issues)."""
    def weight(r: CriterionResult) -> float:
        return weights.get(r.id, criteria[r.id].weight)

    def priority(r: CriterionResult) -> tuple[int, float]:
        # As a supervisor sets them: judgements and labels in what was written come before what is
        # missing (a section can be added; a label stays in the record); spelling last of all.
        crit = criteria[r.id]
        first = crit.kind == "avoid" and crit.level != "info"
        return (0 if first else 2 if crit.level == "info" else 1, -weight(r))

    met = sorted((r for r in results if r.status == "met"), key=weight, reverse=True)
    todo = sorted((r for r in results if r.status in ("missing", "partial")), key=priority)
    improvements = [f"{r.message} {r.suggestion or ''}".strip() for r in todo]
    if safety:
        improvements.insert(0, safety[0].message)
    improvements = improvements[:3]
    praise = _praise(met, kind, criteria)
    if improvements:
        praise += ", and the next step is to make it complete."
    else:
        praise += ", and it meets every point on the checklist."
    asks = [r for r in results if r.status == "ask"]
    if safety:
        question = fill("What did you do about this, and who else knows?", ctx)
    elif asks:
        question = asks[0].message
    elif todo and criteria[todo[0].id].kind == "avoid":
        question = fill("What did you see or hear that you could write down instead?", ctx)
    elif todo:
        question = fill(f"What would it take to add {noun(todo[0], criteria)} here?", ctx)
    else:
        question = fill("What will you look for at the next contact to know this is working?", ctx)
    return Feedback(praise=praise, improvements=improvements, question=question)
