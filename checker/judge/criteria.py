"""Judge criteria over an annotated Doc: the check types a rule file can name."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from spacy.tokens import Doc, Span

from ..annotate.excuses import Excuses
from ..annotate.intervals import Cover, Sentences, SpanIndex, any_between
from ..annotate.plan_parts import PlanLayout
from ..report import CriterionResult, Evidence, Issue, Report
from ..rulebook import Criterion, Profile, Rulebook
from ..annotate.tokens import TokenTable, token_table

FUNCTIONS: dict[str, Callable] = {}


def register(name: str):
    """Register a named check function, the escape hatch for what patterns cannot say."""
    def wrap(fn: Callable) -> Callable:
        FUNCTIONS[name] = fn
        return fn
    return wrap


@dataclass
class Context:
    """One document under review, with its cue index and the draft's own subject and verb."""

    doc: Doc
    profile: Profile
    rulebook: Rulebook
    subject: str = "The client"
    verb: str = "complete"
    by_label: dict[str, list[Span]] = field(default_factory=dict)
    cue_spans: list[Span] | None = None  # doc.spans["cues"] already read (reading makes new Spans)
    layout: PlanLayout | None = None  # a plan's parts (kind plan only)
    parts: list[Report] = field(default_factory=list)  # each goal of a plan judged with its steps
    # The role sentences and the sections that say something, read once (label, span), not per check.
    _roles: list[tuple[str, Span]] | None = field(default=None, repr=False)
    _sections: list[tuple[str, Span]] | None = field(default=None, repr=False)
    _quotes: list[tuple[int, int]] | None = field(default=None, repr=False)
    _sentences: Sentences | None = field(default=None, repr=False)
    _their: str | None = field(default=None, repr=False)
    _program: str | None = field(default=None, repr=False)
    _avoided: dict[str, list[Span]] = field(default_factory=dict, repr=False)  # by avoid criterion id

    @property
    def their(self) -> str:
        """The possessive the draft uses for its person: "his", "her", else "their" (read once)."""
        if self._their is None:
            words = token_table(self.doc).lower
            his = sum(map(words.count, ("he", "him", "his", "himself")))
            her = sum(map(words.count, ("she", "her", "hers", "herself")))
            self._their = "his" if his > her else "her" if her > his else "their"
        return self._their

    @property
    def examples(self) -> dict[str, str]:
        """The examples of the draft's program: the one whose words it uses most (rules/programs.yml),
        else the general ones."""
        if self._program is None:
            words = token_table(self.doc).lower
            counts = {name: sum(w in vocab for w in words) for name, (vocab, _) in self.rulebook.programs.items()}
            most = max(counts.values(), default=0)
            # A draft as much about one field as another ("my GED so I can get a better job") gets the
            # general examples rather than a guess.
            top = [name for name, n in counts.items() if n == most]
            self._program = top[0] if most and len(top) == 1 else ""
        if self._program:
            return self.rulebook.programs[self._program][1]
        return self.rulebook.general_examples

    def __post_init__(self):
        index = defaultdict(list)
        for span in self.doc.spans["cues"] if self.cue_spans is None else self.cue_spans:
            index[span.label_].append(span)
        self.by_label = {label: _outermost(spans) for label, spans in index.items()}

    def cues(self, *labels: str) -> list[Span]:
        """Cue spans with any of the labels, outermost only, in text order."""
        return sorted((s for label in labels for s in self.by_label.get(label, [])),
                      key=lambda s: s.start_char)

    def role_sentences(self, roles: list[str]) -> list[Span]:
        """Sentences a trained sentence-role component labelled with one of the roles (if present)."""
        if not roles or "roles" not in self.doc.spans:
            return []
        if self._roles is None:
            self._roles = [(s.label_, s) for s in self.doc.spans["roles"]]
        return [s for label, s in self._roles if label in roles]

    def quotes(self) -> list[tuple[int, int]]:
        """The quoted stretches, (start, end) in tokens."""
        if self._quotes is None:
            self._quotes = [(q.start, q.end) for q in self.doc.spans["quotes"]]
        return self._quotes

    def sentences(self) -> Sentences:
        """The sentence bounds."""
        if self._sentences is None:
            self._sentences = Sentences(self.doc)
        return self._sentences

    def sections(self, labels: list[str]) -> list[Span]:
        """Section bodies whose heading is one of the labels and that say something."""
        if self._sections is None:
            t = token_table(self.doc)
            self._sections = [(s.label_, s) for s in self.doc.spans["sections"] if _says_something(t, s.start, s.end)]
        return [s for label, s in self._sections if label in labels]


def _says_something(t: TokenTable, start: int, end: int) -> bool:
    """Whether tokens start..end hold a word and are not "N/A", "none" and the like."""
    if not any(t.is_alpha[start:end]):
        return False
    text = "".join([w + " " if space else w for w, space in zip(t.text[start:end], t.space_after[start:end])])
    return text.strip().lower().strip(".") not in ("n/a", "na", "none", "tbd")


def _outermost(spans: list[Span]) -> list[Span]:
    """Drop spans contained in a longer span of the same label."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if kept and span.end <= kept[-1].end:
            continue
        kept.append(span)
    return kept


def _trimmed(span: Span, until: dict[str, frozenset[str]]) -> Span:
    """Cut a cue at its lexicon's `evidence_until` words ("Jasmine will attend" -> "Jasmine")."""
    stop = until.get(span.label_)
    if stop:
        for tok in span[1:]:
            if tok.lower_ in stop:
                return Span(span.doc, span.start, tok.i, label=span.label_)
    return span


def evidence_of(spans: list[Span], until: dict[str, frozenset[str]] | None = None) -> list[Evidence]:
    """Evidence records for spans, whitespace and closing punctuation trimmed so offsets point at
    words (a quotation of “Engaged and reflective.” would end a sentence twice)."""
    out = []
    for span in spans:
        span = _trimmed(span, until or {})
        text = span.text
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        while len(text) > 1 and text[-1] in ".,;:":
            text = text[:-1].rstrip()
        out.append(Evidence(span.start_char + lead, span.start_char + lead + len(text), text,
                            span.label_))
    return out


def _alternative(ctx: Context, alt) -> list[Span]:
    """One alternative of a `cues` list: a label, or a list of labels that must all be present."""
    if isinstance(alt, str):
        return ctx.cues(alt)
    found = [ctx.cues(label) for label in alt]
    return [spans[0] for spans in found] if all(found) else []


def check_existence(crit: Criterion, ctx: Context) -> tuple[str, list[Span], list[Issue]]:
    """Met when any alternative is present (at least `min` distinct spans, from at least
    `min_patterns` different patterns: "family" and "school" are two areas of a life, "mother" and
    "sister" one); else partial or missing."""
    spec = crit.check
    spans = {s.start_char: s for alt in spec["cues"] for s in _alternative(ctx, alt)}
    found = _outside_flagged([spans[k] for k in sorted(spans)], ctx, spec.get("outside"))
    if len(found) >= spec.get("min", 1) and len({s.id_ for s in found}) >= spec.get("min_patterns", 1):
        if "min_patterns" in spec:  # one piece of evidence for each pattern
            firsts = {}
            for s in found:
                firsts.setdefault(s.id_, s)
            found = sorted(firsts.values(), key=lambda s: s.start_char)
        return "met", found, []
    heads = ctx.sections(spec.get("sections", []))
    if heads:
        return "met", [_first_sentence(s) for s in heads], []
    by_role = _outside_flagged(ctx.role_sentences(spec.get("roles", [])), ctx, spec.get("outside"))
    if by_role:
        return "met", by_role[:2], []
    partial = [s for alt in spec.get("partial", []) for s in _alternative(ctx, alt)]
    if found or partial:
        return "partial", found + partial, []
    return "missing", [], []


def _outside_flagged(spans: list[Span], ctx: Context, avoid: str | None) -> list[Span]:
    """The spans not in a sentence that the named avoid criterion flags: a sentence that judges
    ("Gabe was angry") is no account of what happened, whatever verb it has."""
    if not avoid or not spans:
        return spans
    bad = _avoided(ctx.rulebook.criteria[avoid], ctx)
    if not bad:
        return spans
    sentences = ctx.sentences()
    flagged = {sentences.of(b.start) for b in bad}
    return [s for s in spans if sentences.of(s.start) not in flagged]


def _first_sentence(span: Span) -> Span:
    for sent in span.sents:
        if any(t.is_alpha for t in sent):
            return sent
    return span


def check_cooccur(crit: Criterion, ctx: Context) -> tuple[str, list[Span], list[Issue]]:
    """Met when a `cues` span shares a sentence with a `with` span, or a `with` span is in `sections`."""
    spec = crit.check
    partners = SpanIndex(ctx.cues(*spec["with"]))
    mains = ctx.cues(*spec["cues"])
    sentences, tried = ctx.sentences(), set()
    for main in mains:
        sent = sentences.of(main.start)
        if sent not in tried:  # each sentence is searched once, however many cues it holds
            tried.add(sent)
            near = partners.inside(*sent)
            if near:
                return "met", [main, near[0]], []
    for section in ctx.sections(spec.get("sections", [])) + ctx.role_sentences(spec.get("roles", [])):
        inside = partners.inside(section.start, section.end)
        if inside:
            return "met", inside[:1], []
    if mains and spec.get("partial_without_with"):
        return "partial", mains[:1], []
    return "missing", [], []


def check_avoid(crit: Criterion, ctx: Context) -> tuple[str, list[Span], list[Issue]]:
    """Every cue span not excused becomes an issue; met when there are none, or, with `tolerate`,
    when they are at most that share of the draft's sentences: a long assessment with one word to
    rethink still reads as written in objective language, and the word is still marked."""
    bad = _avoided(crit, ctx)
    issues = [make_issue(crit, ctx, s) for s in bad]
    if not bad:
        return "met", bad, issues
    share = crit.check.get("tolerate")
    if share and len(bad) <= share * len(ctx.sentences().starts):
        return "met", [], issues
    return "missing", bad, issues


def _avoided(crit: Criterion, ctx: Context) -> list[Span]:
    """The spans an avoid criterion flags: its cues not excused, combined with the model's sentences.
    Found once per draft, as the criterion's own check and the existence checks that name it as
    `outside` all read them."""
    found = ctx._avoided.get(crit.id)
    if found is not None:
        return found
    spec = crit.check
    anywhere, before = spec.get("unless", []), spec.get("unless_before", [])
    excuses, sentences = Excuses(ctx.cues(*anywhere, *before), ctx.quotes(), anywhere, before), ctx.sentences()
    bad = [s for s in ctx.cues(*spec["cues"]) if not excuses.excused(s, sentences.of(s.start))]
    if spec.get("model") in ("and", "or"):
        bad = _with_model(bad, ctx, spec["model"], excuses.excused_sentence)
    ctx._avoided[crit.id] = bad
    return bad


def _with_model(bad: list[Span], ctx: Context, how: str, excused: Callable[[Span], bool]) -> list[Span]:
    """Combine flagged cues with the learned opinion sentences: 'and' keeps cues the model agrees
    with; 'or' adds model sentences holding no flagged cue and no excuse (a hedge backed by the
    behaviour seen, a mental status term). No opinion model: the cues as they are."""
    if "opinion" not in ctx.doc.spans:
        return bad
    model = list(ctx.doc.spans["opinion"])
    if how == "and":
        agreed = Cover((m.start, m.end) for m in model)
        return [b for b in bad if agreed.holds(b.start)]
    starts = sorted(b.start for b in bad)
    extra = [m for m in model if not any_between(starts, m.start, m.end) and not excused(m)]
    return sorted(bad + extra, key=lambda s: s.start)


def make_issue(crit: Criterion, ctx: Context, span: Span, replacements: list[str] | None = None) -> Issue:
    """An issue at a span, with the lexicon's replacements for the matched pattern."""
    ev = evidence_of([span])[0]
    message = fill(crit.messages.get("issue", crit.messages.get("missing", "")), ctx, text=ev.text)
    reps = replacements if replacements is not None else ctx.rulebook.replacements.get(span.id_, [])
    return Issue(rule=crit.id, start=ev.start, end=ev.end, text=ev.text, severity=crit.level,
                 message=message, replacements=list(reps))


def check_function(crit: Criterion, ctx: Context) -> tuple[str, list[Span], list[Issue]]:
    """Call the named function registered for what patterns cannot express."""
    spec = crit.check
    return FUNCTIONS[spec["name"]](crit, ctx, **(spec.get("params") or {}))


CHECKS = {"existence": check_existence, "cooccur": check_cooccur, "avoid": check_avoid,
          "function": check_function,
          "ask": lambda crit, ctx: ("ask", [], [])}


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


# The subject as an object and a possessive: "for her to reach", "builds on his strengths". A
# first-person subject never gets here: the coaching speaks of the client (engine._frame).
OBJECT = {"he": "him", "she": "her", "they": "them"}
POSSESSIVE = {"he": "his", "she": "her", "they": "their"}


def subject_forms(subject: str) -> dict[str, str]:
    """{subject_obj, subject_poss} for a subject: a pronoun's own forms, else the name as it is."""
    key = subject.lower()
    if key in OBJECT:
        return {"subject_obj": OBJECT[key], "subject_poss": POSSESSIVE[key]}
    return {"subject_obj": subject, "subject_poss": subject + ("'" if subject.endswith("s") else "'s")}


def fill(template: str | None, ctx: Context, **values) -> str | None:
    """Format a message template with the draft's subject (and its object and possessive forms),
    verb and the given values; {Subject} is the subject capitalised, to open a quoted example; {their} is the draft's own possessive (his / her / their); {instead_of} is "instead of “…”, " when there is evidence, else nothing."""
    if template is None:
        return None
    evidence = values.get("evidence")
    values.setdefault("instead_of", f"instead of {evidence}, " if evidence else "")
    if "{their}" in template:
        values.setdefault("their", ctx.their)
    if "{example_" in template:  # an example may speak of the draft's person: "{their} Math grade"
        values.update({f"example_{k}": v.replace("{their}", ctx.their) for k, v in ctx.examples.items()})
    # {Subject} opens a sentence of ours (a quoted example): "“The client will …”", never "“the client".
    capital = ctx.subject[:1].upper() + ctx.subject[1:]
    return template.format_map(_Blank(subject=ctx.subject, Subject=capital, verb=ctx.verb,
                                      **subject_forms(ctx.subject), **values)).strip()


def quote_list(evidence: list[Evidence], most: int = 2) -> str:
    """“a” and “b” — the draft's own words, quoted."""
    words = [f"“{e.text}”" for e in evidence[:most]]
    return " and ".join(words)


def judge(crit: Criterion, ctx: Context) -> tuple[CriterionResult, list[Issue]]:
    """Run one criterion's check and word its verdict."""
    status, spans, issues = CHECKS[crit.check["type"]](crit, ctx)
    evidence = evidence_of(spans, ctx.rulebook.evidence_until)
    template = crit.question if status == "ask" else crit.messages.get(status)
    message = fill(template, ctx, evidence=quote_list(evidence)) or ""
    suggestion = fill(crit.suggestion, ctx, evidence=quote_list(evidence)) if status not in ("met", "ask") else None
    return CriterionResult(crit.id, crit.name, status, evidence, message, suggestion), issues
