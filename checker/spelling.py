"""Offline spelling and grammar slips: pyspellchecker's English list plus the domain vocabulary."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

# "a"/"an" exceptions: the sound, not the letter, decides.
A_BEFORE_VOWEL = ("one", "once", "use", "used", "user", "usual", "unit", "uni", "union", "euro", "eu", "ur", "uti", "uk")
AN_BEFORE_CONSONANT = ("hour", "honest", "honor", "honour", "heir", "herb")


@lru_cache(maxsize=1)
def _checker():
    from spellchecker import SpellChecker  # loaded on first use: it costs a third of a second
    return SpellChecker(distance=1)


def _candidate_words(doc: Doc, vocabulary: frozenset[str]):
    for token in doc:
        word = token.text
        if (not token.is_alpha or len(word) < 3 or word.isupper() or token.like_url
                or word.lower() in vocabulary):
            continue
        # A capitalised word inside a sentence is a name; at a sentence start it may be a slip.
        if word[0].isupper() and not token.is_sent_start:
            continue
        yield token


def slips(doc: Doc, vocabulary: frozenset[str]) -> list[tuple[int, int, list[str]]]:
    """(start token, end token, replacements) for each misspelling, repeated word or a/an slip."""
    spell = _checker()
    tokens = list(_candidate_words(doc, vocabulary))
    unknown = spell.unknown([t.lower_ for t in tokens])
    found = []
    for token in tokens:
        if token.lower_ in unknown:
            best = spell.correction(token.lower_)
            if best is None and token.is_sent_start:
                continue  # an unknown capitalised first word with no near match is most likely a name
            reps = [best[0].upper() + best[1:] if token.text[0].isupper() else best] if best else []
            found.append((token.i, token.i + 1, reps))
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if token.is_alpha and token.lower_ == prev.lower_ and token.lower_ not in ("had", "that"):
            found.append((prev.i, token.i + 1, [prev.text]))
        elif prev.lower_ == "a" and token.is_lower and token.text[0] in "aeiou" and not token.lower_.startswith(A_BEFORE_VOWEL):
            found.append((prev.i, prev.i + 1, ["an" if prev.text == "a" else "An"]))
        elif prev.lower_ == "an" and token.is_lower and token.text[0] not in "aeiou" and not token.lower_.startswith(AN_BEFORE_CONSONANT):
            found.append((prev.i, prev.i + 1, ["a" if prev.text == "an" else "A"]))
    return sorted(found)
