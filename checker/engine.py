"""checker.check: one draft in, one Report out (and check_many for batches through nlp.pipe)."""
from __future__ import annotations

import multiprocessing
import os
from bisect import bisect_left, bisect_right
from collections import deque
from itertools import islice, repeat
from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Span

from .judge import functions  # noqa: F401  (registers the named check functions)
from .errors import (EmptyTextError, TextEncodingError, TextTooLongError, UnknownKindError,
                     UnknownProfileError)
from .speak.feedback import compose
from .judge.criteria import OBJECT, Context, judge
from .judge.kind import detect_kind
from .judge.safety import safety_issues
from .annotate.pipeline import build_nlp
from .annotate.plan_parts import PlanLayout, plan_layout
from .report import Report
from .annotate.tokens import doc_text, token_table
from .rulebook import KINDS, Profile, Rulebook, load_rulebook

PRONOUNS = set(OBJECT)  # the subject pronouns whose object and possessive forms messages use
FIRST_PERSON = {"i", "we", "you"}
LINK_WORDS = {"and", "or", "but", "then", "so", "also"}
MODALS = {"will", "shall", "'ll", "must", "to", "going", "agrees", "plans", "wants", "needs"}
DEFAULT_MAX_CHARS = 50_000
# Blank means only whitespace, by Python's definition or by JSON Schema's (ECMAScript \s, which adds the
# byte-order mark), so a draft the API's schema accepts is never refused as empty, and the reverse.
BLANK_CHARS = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + "\ufeff"


def is_blank(text: str) -> bool:
    """True when the text holds nothing but whitespace (see BLANK_CHARS)."""
    return not text.strip(BLANK_CHARS)


def _text(text: str | bytes, limit: int) -> str:
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise TextEncodingError("the input is not UTF-8 text") from None
    if not isinstance(text, str):
        raise EmptyTextError(f"expected text, got {type(text).__name__}")
    if "\x00" in text:
        raise TextEncodingError("the input contains NUL bytes: it looks like a binary file, not text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (U+D800-U+DFFF), as JSON's "\ud800" can send
        raise TextEncodingError("the text contains a lone surrogate code point (U+D800 to U+DFFF), "
                                "which is not a character: it cannot be encoded as UTF-8") from None
    if is_blank(text):
        raise EmptyTextError("the text is empty")
    if len(text) > limit:
        raise TextTooLongError(f"the text is {len(text):,} characters; the limit is {limit:,}")
    return text


def _profile(rulebook: Rulebook, name: str) -> Profile:
    if name not in rulebook.profiles:
        raise UnknownProfileError(f"unknown profile '{name}'; choose one of: {', '.join(sorted(rulebook.profiles))}")
    return rulebook.profiles[name]


def max_chars(profile: Profile) -> int:
    """The text length limit: $CASECOACH_MAX_CHARS, else the profile's, else 50,000."""
    return int(os.environ.get("CASECOACH_MAX_CHARS") or profile.settings.get("max_chars", DEFAULT_MAX_CHARS))


CLIENT_WORDS = {"client", "youth", "participant", "mother", "father", "parent", "parents", "student",
                "tenant", "resident", "consumer", "member", "guardian", "caregiver", "family"}


def _client(doc: Doc, cues: list[Span]) -> str:
    """Who a note is about: the first client word or step-taker named, else "the client"."""
    for span in cues:
        if span.label_ == "CLIENT_STEP" and span[0].is_title and span[0].lower_ not in ("she", "he", "they"):
            if span[0].lower_ in CLIENT_WORDS:  # "Client submitted…": a role, said "the client"
                return f"the {span[0].lower_}"
            return span[0].text if span[0].lower_ not in ("ms.", "mr.", "mrs.") else span[:2].text
    t = token_table(doc)
    for i, lower in enumerate(t.lower):
        if lower in CLIENT_WORDS:  # a role, not a name: "the tenant" mid-sentence, "The tenant" to open one
            return f"the {lower}"
    return "the client"


def _frame(doc: Doc, kind: str, cues: list[Span]) -> tuple[str, str]:
    """The draft's own subject and verb ("Jasmine", "attend"), for rewrites in its own words."""
    if kind != "goal":
        return _client(doc, cues), "complete"
    for span in cues:
        if span.label_ == "RESPONSIBLE":
            words = [t for t in span if t.lower_ not in MODALS]
            modal = next((k for k, t in enumerate(span) if t.lower_ in MODALS), len(span) - 1)
            # "… and he will": the conjunction is not the subject; "_____ will": a blank is no name.
            subject = []
            for t in span[:modal]:
                if t.is_punct and t.text not in "[]()":
                    break  # "Sofia, with her grandmother beside her, will": the name is before the comma
                if subject or t.lower_ not in LINK_WORDS:  # "… and he will": not the conjunction before it
                    subject.append(t.text)
            if subject and subject[0].lower() in CLIENT_WORDS:  # a role, not a name: "the client and CM"
                subject[0] = f"the {subject[0].lower()}"
            if not any(ch.isalnum() for ch in "".join(subject)) or set("".join(subject)) <= set("_[]() "):
                subject = ["the client"]
            verb = words[-1].text if len(words) > 1 and words[-1].is_alpha else "complete"
            # "[Student] will": the placeholder's word; "(Name) will": likewise.
            named = " ".join(subject).replace("( ", "(").replace(" )", ")")
            if named.startswith(("[", "(")) and named.endswith(("]", ")")):  # a form's blank: the role it names
                named = "the " + named.strip("[]() ").lower()
            if named.split(" ")[0].lower() in FIRST_PERSON:  # the client's own voice: the coaching speaks of the client
                return "the client", verb
            # A pronoun is written mid-sentence in the messages ("how you and she will know").
            return (named.lower() if named.lower() in PRONOUNS else named), verb
    return "the client", "complete"


def report_for(doc: Doc, kind: str, profile: Profile, rulebook: Rulebook) -> Report:
    """Judge an annotated Doc; kind 'auto' is detected."""
    detected = kind == "auto"
    cues = list(doc.spans["cues"])
    if detected:
        kind = detect_kind(doc, cues)
    layout = plan_layout(doc_text(doc)) if kind == "plan" else None
    parts = _goal_parts(doc_text(doc), layout, profile, rulebook) if layout else []
    subject, verb = (parts[0].subject, "complete") if parts else _frame(doc, kind, cues)
    ctx = Context(doc=doc, profile=profile, rulebook=rulebook, subject=subject, verb=verb, cue_spans=cues,
                  layout=layout, parts=parts)
    criteria = rulebook.for_kind(kind, profile)
    results, issues = [], []
    for crit in criteria:
        result, found = judge(crit, ctx)
        results.append(result)
        issues += found
    safety = safety_issues(ctx, kind)
    issues += safety
    weights = {c.id: profile.weights.get(c.id, c.weight) for c in criteria}
    scored = [r for r in results if r.status != "ask"]
    total = sum(weights[r.id] for r in scored)
    points = sum(weights[r.id] * {"met": 1.0, "partial": 0.5}.get(r.status, 0.0) for r in scored)
    feedback = compose(results, rulebook.criteria, ctx, kind, weights, safety)
    return Report(kind=kind, kind_detected=detected, profile=profile.name,
                  score=round(points / total, 2) if total else 1.0, criteria=results,
                  issues=_dedupe(issues, weights), feedback=feedback, subject=subject, parts=parts)


# Plans hold a handful of goals; a text that reads as hundreds is not one to coach goal by goal, and
# judging each would cost a pipeline run apiece: the first MAX_PARTS are judged.
MAX_PARTS = 40


def _goal_parts(text: str, layout: PlanLayout, profile: Profile, rulebook: Rulebook) -> list[Report]:
    """Each goal of a plan judged as a goal together with the steps under it (DESIGN: frequency and
    method live in the steps), its offsets moved into the plan."""
    nlp = build_nlp(rulebook.root)
    spans = [goal.span for goal in layout.goals[:MAX_PARTS]]
    reports = []
    for (start, end), doc in zip(spans, nlp.pipe(text[start:end] for start, end in spans)):
        part = report_for(doc, "goal", profile, rulebook)
        part.end = end - start
        reports.append(part.shift(start))
    return reports


def _dedupe(issues, weights):
    """One issue per place: where flagged words overlap, the most precise (shortest) one speaks,
    the weightier rule first among equals (the first kept, if it overlaps several); the others'
    replacements join it."""
    kept, places, starts, ends = [], [], [], []  # kept in order; (start, end, order) sorted by place
    for issue in sorted(issues, key=lambda i: (i.end - i.start, -weights.get(i.rule, 0), i.start)):
        # Kept issues do not overlap, so sorted by start their ends rise too: the ones this issue
        # overlaps are one run of places, found by bisection instead of a scan of all kept.
        lo, hi = bisect_right(ends, issue.start), bisect_left(starts, issue.end)
        if lo < hi:
            twin = kept[min(order for _, _, order in places[lo:hi])]
            twin.replacements += [r for r in issue.replacements if r not in twin.replacements]
            continue
        at = bisect_right(places, (issue.start, issue.end, len(kept)))
        places.insert(at, (issue.start, issue.end, len(kept)))
        starts.insert(at, issue.start)
        ends.insert(at, issue.end)
        kept.append(issue)
    return sorted(kept, key=lambda i: (i.start, i.end))


def setup(kind: str, profile: str, rules: str | None = None) -> tuple[Rulebook, Profile]:
    """The rulebook and the named profile, after checking the kind and the profile exist."""
    if kind != "auto" and kind not in KINDS:
        raise UnknownKindError(f"unknown kind '{kind}'; choose one of: auto, {', '.join(KINDS)}")
    rulebook = load_rulebook(rules)
    return rulebook, _profile(rulebook, profile)


def check(text: str | bytes, kind: str = "auto", profile: str = "default", *, rules: str | None = None) -> Report:
    """Check one draft (a goal or a progress note) and return its Report."""
    rulebook, prof = setup(kind, profile, rules)
    doc = build_nlp(rules)(_text(text, max_chars(prof)))
    return report_for(doc, kind, prof, rulebook)


def check_many(texts: Iterable[str], kind: str | Sequence[str] = "auto", profile: str = "default", *,
               rules: str | None = None, batch_size: int = 64, n_process: int = 1) -> Iterator[Report]:
    """Check many drafts through nlp.pipe; every text is validated first, as check() does. `kind`
    is one kind for all, or one per text. With n_process > 1 the drafts are checked in that many
    forked worker processes, chunk by chunk, in order (spaCy's own n_process would judge every Doc in
    this process after shipping it back)."""
    kinds = [kind] if isinstance(kind, str) else list(kind)
    for each in set(kinds):
        setup(each, profile, rules)
    if n_process > 1:
        # Chunks of batch_size: small enough that the last ones keep every worker busy (with 256 a
        # worker sat idle through most of an 800-note run), large enough that shipping is cheap.
        yield from _in_workers(texts, kind, profile, rules, n_process, batch_size)
        return
    rulebook, prof = setup("auto", profile, rules)
    limit = max_chars(prof)
    docs = build_nlp(rules).pipe((_text(t, limit) for t in texts), batch_size=batch_size)
    pairs = zip(docs, repeat(kind)) if isinstance(kind, str) else zip(docs, kinds, strict=True)
    for doc, each in pairs:
        yield report_for(doc, each, prof, rulebook)


def _in_workers(texts: Iterable[str], kind: str | Sequence[str], profile: str, rules: str | None,
                processes: int, chunk_size: int) -> Iterator[Report]:
    kinds = repeat(kind) if isinstance(kind, str) else iter(kind)
    texts = iter(texts)

    def chunks():
        while chunk := list(islice(texts, chunk_size)):
            yield chunk, [next(kinds) for _ in chunk]

    for reports in scored_chunks(chunks(), profile, rules, processes):
        yield from reports


def _score_chunk(texts: list[str], kinds: list[str], profile: str, rules: str | None) -> list[Report]:
    """Reports for one chunk of texts: the work of one worker process."""
    return list(check_many(texts, kinds, profile, rules=rules))


def scored_chunks(chunks: Iterable[tuple[list[str], list[str]]], profile: str, rules: str | None,
                  processes: int) -> Iterator[list[Report]]:
    """The reports of each chunk of (texts, kinds), in order, from `processes` forked workers.

    Workers are forked after the pipeline is built, so they start at once with the same rules and
    models, and judge as well as annotate: only the small Reports cross the pipe. At most two chunks
    a worker are in flight, so memory stays flat however many chunks come."""
    if processes <= 1:
        for texts, kinds in chunks:
            yield _score_chunk(texts, kinds, profile, rules)
        return
    build_nlp(rules)  # built before the fork: every worker inherits it
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = iter(chunks)
    with context.Pool(processes) as pool:
        inflight: deque = deque()
        while True:
            chunk = next(chunks, None)
            if chunk is not None:
                inflight.append(pool.apply_async(_score_chunk, (*chunk, profile, rules)))
            if inflight and (chunk is None or len(inflight) >= 2 * processes):
                yield inflight.popleft().get()
            if chunk is None and not inflight:
                return
