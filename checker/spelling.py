"""Offline spelling and grammar slips: pyspellchecker's English list plus the domain vocabulary."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

# "a"/"an" exceptions: the sound, not the letter, decides.
A_BEFORE_VOWEL = ("one", "once", "use", "used", "user", "usual", "unit", "uni", "union", "euro", "eu", "ur", "uti", "uk")
AN_BEFORE_CONSONANT = ("hour", "honest", "honor", "honour", "heir", "herb")
# Real words that are almost always a slip for another word in a case note.
CONFUSABLE = {"wether": "whether"}
# The tokenizer splits "dont" into "do" + "nt", "shes" into "she" + "s": the apostrophe is missing.
NO_APOSTROPHE = {"nt": "n't", "ve": "'ve", "re": "'re", "ll": "'ll", "m": "'m", "s": "'s"}
S_AFTER = ("he", "she", "that", "what", "there", "who", "where", "it")
# Slang the tokenizer splits ("gonna" -> "gon" + "na"): slang, not a spelling slip.
SPLIT_SLANG = {("gon", "na"), ("wan", "na"), ("got", "ta")}
# "more focused then last week", "better then before": a comparative wants "than".
COMPARATIVE = ("more", "less", "better", "worse", "rather", "fewer", "greater", "higher", "lower",
               "earlier", "later", "bigger", "smaller", "older", "younger", "other")
# "gives up to easy": "too" before an adjective that ends the phrase.
TOO_WORDS = ("easy", "easily", "much", "many", "late", "early", "often", "hard", "soon", "young",
             "old", "tired", "busy", "fast", "slow", "quickly")
# Below this frequency the nearest dictionary word is too rare for a capitalised first word to
# be its slip: it is a name ("Kwame" -> "wame", "Tiana" -> "tiara").
NAME_NEIGHBOUR_FREQ = 1e-6


@lru_cache(maxsize=1)
def _checker():
    from spellchecker import SpellChecker  # loaded on first use: it costs a third of a second
    return SpellChecker(distance=1)


def _candidate_words(doc: Doc, vocabulary: frozenset[str]):
    for token in doc:
        word = token.text
        if (not token.is_alpha or len(word) < 3 or word.isupper() or token.like_url
                or word.lower() in vocabulary or not word.isascii()
                or any(c.isupper() for c in word[1:])):  # mEq, McKenzie: a unit or a name
            continue
        # A capitalised word inside a sentence is a name; at a sentence start it may be a slip.
        if word[0].isupper() and not token.is_sent_start:
            continue
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and not token.whitespace_ and (token.lower_, nxt.lower_) in SPLIT_SLANG:
            continue
        yield token


def _is_name(token, doc: Doc, spell, best: str | None) -> bool:
    """An unknown capitalised first word: a name if it recurs capitalised or has no common neighbour."""
    if not token.is_sent_start or not token.text[0].isupper():
        return False
    if best is None or spell.word_usage_frequency(best) < NAME_NEIGHBOUR_FREQ:
        return True
    return any(t.text == token.text for t in doc if t.i != token.i)


def _compound_plural(token, doc: Doc, spell) -> bool:
    """The plural end of a hyphenated compound ("follow-throughs", "run-throughs")."""
    prev = doc[token.i - 1] if token.i else None
    return (prev is not None and prev.text == "-" and not prev.whitespace_
            and token.lower_.endswith("s") and not spell.unknown([token.lower_[:-1]]))


def _grammar(doc: Doc) -> list[tuple[int, int, list[str]]]:
    found = []
    for token in doc[1:]:
        prev = doc[token.i - 1]
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.is_alpha and token.lower_ == prev.lower_ and token.lower_ not in ("had", "that"):
            found.append((prev.i, token.i + 1, [prev.text]))
        elif prev.lower_ == "a" and token.is_lower and token.text[0] in "aeiou" and not token.lower_.startswith(A_BEFORE_VOWEL):
            found.append((prev.i, prev.i + 1, ["an" if prev.text == "a" else "An"]))
        elif prev.lower_ == "an" and token.is_lower and token.text[0] not in "aeiou" and not token.lower_.startswith(AN_BEFORE_CONSONANT):
            found.append((prev.i, prev.i + 1, ["a" if prev.text == "an" else "A"]))
        elif (token.text in NO_APOSTROPHE and not prev.whitespace_ and prev.is_alpha
              and (token.text != "s" or prev.lower_ in S_AFTER)
              and (token.text != "m" or prev.lower_ == "i")):
            found.append((prev.i, token.i + 1, [prev.text + NO_APOSTROPHE[token.text]]))
        elif token.lower_ == "then" and any(t.lower_ in COMPARATIVE for t in doc[max(0, token.i - 2):token.i]):
            found.append((token.i, token.i + 1, ["than"]))
        elif (prev.lower_ == "to" and token.lower_ in TOO_WORDS
              and (nxt is None or nxt.is_punct or nxt.lower_ in ("for", "to", "and"))):
            found.append((prev.i, prev.i + 1, ["too"]))
    for token in doc:
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.text == "i" and nxt is not None and nxt.is_alpha and not (nxt.text in NO_APOSTROPHE and not token.whitespace_):
            found.append((token.i, token.i + 1, ["I"]))
    return found


def slips(doc: Doc, vocabulary: frozenset[str]) -> list[tuple[int, int, list[str]]]:
    """(start token, end token, replacements) for each misspelling, repeated word or grammar slip."""
    spell = _checker()
    tokens = list(_candidate_words(doc, vocabulary))
    unknown = spell.unknown([t.lower_ for t in tokens])
    found = []
    for token in tokens:
        if token.lower_ in CONFUSABLE:
            found.append((token.i, token.i + 1, [CONFUSABLE[token.lower_]]))
        elif token.lower_ in unknown:
            best = spell.correction(token.lower_)
            if _is_name(token, doc, spell, best) or _compound_plural(token, doc, spell):
                continue
            reps = [best[0].upper() + best[1:] if token.text[0].isupper() else best] if best else []
            found.append((token.i, token.i + 1, reps))
    return sorted(found + _grammar(doc))
