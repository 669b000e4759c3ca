"""Sentence and document features from the annotated Doc, shared by training and run time."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..errors import RuleError
from ..resources import read_yaml, rules_root
from .sentence_views import SentenceView, rule_role, unexcused_opinions
from .tokens import sentence_starts, token_table

WORDS_FILE = "sentence_words.yml"


@dataclass(frozen=True)
class WordLists:
    """The word lists of rules/sentence_words.yml: reporting verbs, first-person words, hedges, and
    each word's group (stance, label, kin, init)."""

    reporting: frozenset[str]
    first_person: frozenset[str]
    hedges: frozenset[str]
    past: frozenset[str]
    future: frozenset[str]
    group: dict[str, str]


@lru_cache(maxsize=4)
def word_lists(root: str | None = None) -> WordLists:
    """Read sentence_words.yml of a rules directory (see rules_root) once; a word in two groups, or a
    missing list, is a rule error."""
    data = read_yaml(rules_root(root) / WORDS_FILE)
    try:
        lists = {key: frozenset(str(w).lower() for w in data[key]) for key in ("reporting", "first_person", "hedges", "past", "future")}
        group: dict[str, str] = {}
        for name, words in data["groups"].items():
            for word in words:
                if group.setdefault(str(word).lower(), name) != name:
                    raise RuleError(f"{WORDS_FILE}: '{word}' is in two groups ({group[str(word).lower()]}, {name})")
    except (KeyError, TypeError, AttributeError):
        raise RuleError(f"{WORDS_FILE}: needs lists 'reporting', 'first_person', 'hedges', 'past', 'future' and a mapping "
                        "'groups' of lists") from None
    return WordLists(group=group, **lists)


def _words(doc: Doc, start: int, end: int) -> list[str]:
    """Lowercased word forms of tokens start..end; numbers collapse to a shape so dates and counts
    generalise, and a curly apostrophe is the straight one ("n’t" is "n't")."""
    t = token_table(doc)
    out = []
    for i in range(start, end):
        if t.is_space[i]:
            continue
        text = t.text[i]
        if not text.isalpha() and any(map(str.isdigit, text)):
            out.append("<num>" if t.like_num[i] else "<code>")
        else:
            word = t.lower[i]
            out.append(word.replace("\u2019", "'") if "\u2019" in word else word)  # ’ as '
    return out


def _sentence_words(view: SentenceView) -> tuple[list[str], list[bool]]:
    """The sentence's word forms as _words gives them, and whether each lies inside quotes."""
    start, end = view.span.start, view.span.end
    words = _words(view.span.doc, start, end)
    if not view.quotes:
        return words, [False] * len(words)
    space = token_table(view.span.doc).is_space
    inside = [False] * (end - start)
    for s, e in view.quotes:  # marked once each, not tested against every token
        inside[s - start:e - start] = [True] * (e - s)
    return words, [inside[i - start] for i in range(start, end) if not space[i]]


def _speech_features(words: list[str], quoted: list[bool]) -> list[str]:
    """Words in quotes (q:) apart from the worker's own (w=), words reported from others (r:),
    first-person hedges, and three-letter suffixes of the worker's longer words (s3=)."""
    lists = word_lists()
    feats, reported, hedge, writer, prev = [], False, False, False, ""
    for w, q in zip(words, quoted):
        if q:
            if w.isalpha():
                feats.append(f"q:{w}")
            continue
        feats.append(f"w={w}")
        if w.isalpha():
            if reported:
                feats.append(f"r:{w}")
            if len(w) > 5:
                feats.append(f"s3={w[-3:]}")
        reported = reported or w in lists.reporting
        # "I think", "CM feels", "it is this writer's impression"
        hedge = hedge or w in lists.hedges and (prev in lists.first_person or writer)
        writer = writer or w == "writer"
        prev = w
    if hedge:
        feats.append("hedge1p")
    return feats


def _group_features(words: list[str], quoted: list[bool]) -> list[str]:
    """Word-group flags over the worker's own words: stance (and two or more), person labels,
    a support person (and one among the first four words), initiative."""
    groups = word_lists().group
    found: dict[str, int] = {}
    own = 0
    for w, q in zip(words, quoted):
        if q:
            continue
        group = groups.get(w)  # one lookup per word: the groups do not overlap
        if group is not None:
            found[group] = found.get(group, 0) + 1
            if group == "kin" and own < 4:
                found["kin0"] = 1
        own += 1
    feats = [f"g={group}" for group in found]
    if found.get("stance", 0) > 1:
        feats.append("g=stance2")
    return feats


def _shape_features(words: list[str]) -> list[str]:
    """The sentence's shape: heading-like or form-like lines ("Contact type: phone"), share of numbers."""
    feats = []
    if words and words[-1] == ":":
        feats.append("ends_colon")
    if len(words) > 2 and ":" in words[:4]:
        feats.append("label_colon")
    nums = words.count("<num>") + words.count("<code>")
    feats.append(f"numshare={min(3, 4 * nums // max(1, len(words)))}")
    if sum(map(str.isalpha, words)) <= 3:
        feats.append("few_alpha")
    if words and words[-1] not in (".", "!", "?", '"'):
        feats.append("no_end_punct")
    return feats


def sentence_features(view: SentenceView) -> list[str]:
    """Binary feature names for one sentence: words (quoted and reported apart), bigrams, suffixes,
    cues, section, the rules' verdicts, neighbours' rule roles, position, shape, speech flags."""
    words, quoted = _sentence_words(view)
    feats = _speech_features(words, quoted) + _group_features(words, quoted)
    feats += [f"b={a}_{b}" for a, b in zip(["<s>"] + words, words + ["</s>"])]
    feats += [f"first={words[0]}" if words else "empty"]
    start = view.span.start
    for cue in view.cues:
        feats += [f"cue={cue.label_}", f"cueid={cue.id_}"]
        if cue.start - start < 3:
            feats.append(f"cue0={cue.label_}")
    feats.append(f"sec={view.section or 'none'}")
    feats.append(f"rule={view.rule or rule_role(view)}")
    feats += [f"prev={view.prev_role}", f"next={view.next_role}"]
    if view.heading:
        feats.append("heading")
    if view.cues and unexcused_opinions(view):
        feats.append("rule_opinion")
    feats.append("quoted=all" if view.quoted > 0.6 else "quoted=some" if view.quoted > 0 else "quoted=none")
    feats.append("pos=first" if view.index == 0 else "pos=last" if view.index == view.count - 1 else "pos=mid")
    feats.append(f"len={min(len(words) // 5, 6)}")
    return feats + _shape_features(words)


def _tense_features(words: list[str]) -> list[str]:
    """Tense and modality: a note tells what happened, a goal what someone will do. Counts of past
    forms (listed irregulars, and -ed words) against future and intention words, capped."""
    lists = word_lists()
    past = sum(w in lists.past or (len(w) > 4 and w.endswith("ed")) for w in words)
    future = sum(w in lists.future for w in words)
    tense = "past" if past > future else "future" if future > past else "even"
    return [f"past={min(past, 4)}", f"future={min(future, 3)}", f"tense={tense}"]


def doc_features(doc: Doc, cues: list[Span] | None = None) -> list[str]:
    """Binary feature names for a whole document (kind detection): words, cues, headings, tense, shape."""
    words = _words(doc, 0, len(doc))
    feats = [f"w={w}" for w in set(words)] + _tense_features(words)
    feats += [f"b={a}_{b}" for a, b in set(zip(words, words[1:]))]
    cues = cues if cues is not None else list(doc.spans["cues"]) if "cues" in doc.spans else []
    feats += [f"cue={c.label_}" for c in cues]
    feats += [f"head={h.label_}" for h in doc.spans["headings"]] if "headings" in doc.spans else []
    starts = sentence_starts(doc)
    feats.append(f"nsents={min(sum(starts) + (0 if not starts or starts[0] else 1), 8)}")
    first_end = next((i for i in range(1, len(starts)) if starts[i]), len(starts))
    if starts:
        feats += [f"first:{w}" for w in _words(doc, 0, first_end)[:3]]
    return feats
