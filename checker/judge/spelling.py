"""Offline spelling and grammar slips: pyspellchecker's English list plus the domain vocabulary."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from ..annotate.tokens import TokenTable, sentence_starts, token_table

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
# "their is", "their going": the word wanted is "there" / "they're"; "should of" wants "have".
THEIR_THERE = ("is", "are", "was", "were", "will", "has", "have")
THEIR_THEYRE = ("going", "not", "coming", "doing", "trying", "getting", "working", "looking")
MODAL_OF = ("should", "could", "would", "must", "might")
# "gives up to easy": "too" before an adjective that ends the phrase.
TOO_WORDS = ("easy", "easily", "much", "many", "late", "early", "often", "hard", "soon", "young",
             "old", "tired", "busy", "fast", "slow", "quickly")
# Below this frequency the nearest dictionary word is too rare for a capitalised first word to
# be its slip: it is a name ("Kwame" -> "wame", "Tiana" -> "tiara").
NAME_NEIGHBOUR_FREQ = 1e-6
# A short capitalised first word followed by its verb is the sentence's subject: a name ("Gabe was
# angry.", "Kimber showed …", "Maren never finishes …"), even when a common word is one letter away.
# Long words are left to the dictionary ("Attendence is …" is a slip).
SUBJECT_VERBS = frozenset({"is", "was", "has", "had", "will", "would", "can", "could", "did", "does",
                           "said", "says", "never", "always", "often", "also", "still", "just",
                           "seems", "seemed", "appears", "appeared", "became", "began", "started",
                           "wants", "wanted", "needs", "needed", "likes", "liked", "enjoys", "enjoyed"})
NAME_MAX_LETTERS = 6


@lru_cache(maxsize=1)
def _checker():
    from spellchecker import SpellChecker  # loaded on first use: it costs a third of a second
    return SpellChecker(distance=1)


def _candidate_words(t: TokenTable, starts: list[bool], vocabulary: frozenset[str]) -> list[int]:
    """Indices of the words worth a dictionary lookup (not names, units, URLs or known terms)."""
    out = []
    for i, word in enumerate(t.text):
        if (not t.is_alpha[i] or len(word) < 3 or word.isupper() or t.like_url[i]
                or t.lower[i] in vocabulary or not word.isascii()
                or not word[1:].islower()):  # mEq, McKenzie: a unit or a name
            continue
        # A capitalised word inside a sentence is a name; at a sentence start it may be a slip.
        if word[0].isupper() and not starts[i]:
            continue
        if i + 1 < len(t) and not t.space_after[i] and (t.lower[i], t.lower[i + 1]) in SPLIT_SLANG:
            continue
        out.append(i)
    return out


def _is_name(i: int, t: TokenTable, starts: list[bool], spell, best: str | None, counts: Counter) -> bool:
    """An unknown capitalised first word: a name if it recurs capitalised or has no common neighbour."""
    if not starts[i] or not t.text[i][0].isupper():
        return False
    if best is None or spell.word_usage_frequency(best) < NAME_NEIGHBOUR_FREQ:
        return True
    if len(t.text[i]) <= NAME_MAX_LETTERS and "'" not in best and i + 1 < len(t):
        following = t.lower[i + 1]
        if following in SUBJECT_VERBS or (following.endswith("ed") and len(following) > 4
                                          and following in spell.word_frequency.dictionary):
            return True
    return counts[t.text[i]] > 1


def _compound_plural(i: int, t: TokenTable, spell) -> bool:
    """The plural end of a hyphenated compound ("follow-throughs", "run-throughs")."""
    return (i > 0 and t.text[i - 1] == "-" and not t.space_after[i - 1]
            and t.lower[i].endswith("s") and not spell.unknown([t.lower[i][:-1]]))


def _grammar(t: TokenTable) -> list[tuple[int, int, list[str]]]:
    found = []
    text, lower, n = t.text, t.lower, len(t)
    for i in range(1, n):
        word, prev = lower[i], lower[i - 1]
        if t.is_alpha[i] and word == prev and word not in ("had", "that"):
            found.append((i - 1, i + 1, [text[i - 1]]))
        elif prev == "a" and t.is_lower[i] and text[i][0] in "aeiou" and not word.startswith(A_BEFORE_VOWEL):
            found.append((i - 1, i, ["an" if text[i - 1] == "a" else "An"]))
        elif prev == "an" and t.is_lower[i] and text[i][0] not in "aeiou" and not word.startswith(AN_BEFORE_CONSONANT):
            found.append((i - 1, i, ["a" if text[i - 1] == "an" else "A"]))
        elif (text[i] in NO_APOSTROPHE and not t.space_after[i - 1] and t.is_alpha[i - 1]
              and (text[i] != "s" or prev in S_AFTER)
              and (text[i] != "m" or prev == "i")):
            found.append((i - 1, i + 1, [text[i - 1] + NO_APOSTROPHE[text[i]]]))
        elif word == "then" and any(w in COMPARATIVE for w in lower[max(0, i - 2):i]):
            found.append((i, i + 1, ["than"]))
        elif prev == "their" and word in THEIR_THERE + THEIR_THEYRE:
            found.append((i - 1, i, [_cased("there" if word in THEIR_THERE else "they're", text[i - 1])]))
        elif prev in MODAL_OF and word == "of" and t.is_alpha[i - 1]:
            found.append((i, i + 1, ["have"]))
        elif (prev == "to" and word in TOO_WORDS
              and (i + 1 == n or t.is_punct[i + 1] or lower[i + 1] in ("for", "to", "and"))):
            found.append((i - 1, i, ["too"]))
    found += _lowercase_starts(t)
    for i in range(n - 1):
        if text[i] == "i" and t.is_alpha[i + 1] and not (text[i + 1] in NO_APOSTROPHE and not t.space_after[i]):
            found.append((i, i + 1, ["I"]))
    return found


def _lowercase_starts(t: TokenTable) -> list[tuple[int, int, list[str]]]:
    """A sentence that starts in lower case after a full stop, a question or an exclamation mark
    ("… on 3/4. she brought …"). Lines that start in lower case are left alone: notes written as
    lists of fragments do so on purpose."""
    found = []
    for i in range(1, len(t) - 1):
        if (t.text[i - 1] in (".", "?", "!") and t.space_after[i - 1] and t.is_lower[i] and t.is_alpha[i]
                and t.text[i] != "i" and len(t.text[i]) > 1):
            found.append((i, i + 1, [t.text[i][0].upper() + t.text[i][1:]]))
    return found


def _cased(word: str, like: str) -> str:
    """The word with the first letter's case of the word it replaces."""
    return word[0].upper() + word[1:] if like[:1].isupper() else word


# British spellings of words the dictionary holds in their American form ("neighbour", "prioritised",
# "offence", "travelling"): agencies in the UK, Canada and Australia write them, and they are not slips.
BRITISH = [("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"), ("ises", "izes"),
           ("our", "or"), ("ours", "ors"), ("oured", "ored"), ("ouring", "oring"), ("ence", "ense"),
           ("ences", "enses"), ("lled", "led"), ("lling", "ling"), ("tre", "ter"), ("tres", "ters"),
           ("ogue", "og"), ("yse", "yze"), ("ysed", "yzed"), ("aemia", "emia"), ("oe", "e")]
# The same spellings inside a word, in words of six letters or more ("hoem" is a slip, not "hem").
BRITISH_INSIDE = [("our", "or"), ("isation", "ization"), ("ise", "ize"), ("oe", "e"), ("ae", "e")]


# Prefixes that make a word of a known word ("unlabored", "telehealth", "nonverbal"): the dictionary
# lists the common ones only. The rest must be a word of six letters or more, so that short pieces
# do not pass a slip ("referal" leaves "feral", "recieve" leaves "cieve").
PREFIXES = ("un", "non", "re", "pre", "tele", "self", "co", "over", "under", "mis", "sub", "inter", "de", "anti",
            "dis", "post", "semi", "multi", "hyper")
# Nouns whose plural is not theirs plus "s": "childs" and "mans" are slips.
IRREGULAR = frozenset({"child", "man", "woman", "foot", "tooth", "mouse", "goose", "person", "life",
                       "wife", "knife", "leaf", "half", "shelf", "thief", "wolf", "sheep", "fish", "deer"})


def _made_of_known(word: str, known) -> bool:
    """Whether the word is a known word's regular plural ("stressors", "respirations", "therapies")
    or a prefix before a known word; the dictionary lists common forms only."""
    stem = word[:-1]
    if (len(word) >= 5 and word.endswith("s") and stem in known and stem not in IRREGULAR
            and not stem.endswith(("y", "s", "x", "z", "ch", "sh"))):  # those take -ies / -es
        return True
    if (len(word) >= 6 and word.endswith("es") and word[:-2] in known and word[:-2].endswith(("s", "x", "z", "ch", "sh"))
            or len(word) >= 6 and word.endswith("ies") and word[:-3] + "y" in known):
        return True
    return any(word.startswith(p) and len(word) - len(p) >= 6 and word[len(p):].lstrip("-") in known
               for p in PREFIXES)


def _british(word: str, known) -> bool:
    """Whether the word is the British form of a word the dictionary knows, by its ending or inside
    it ("behavioural", "organisational", "oedema", "dyspnoea")."""
    for british, american in BRITISH:
        if word.endswith(british) and word[: -len(british)] + american in known:
            return True
    return len(word) >= 6 and any(british in word and word.replace(british, american) in known
                                  for british, american in BRITISH_INSIDE)


@lru_cache(maxsize=4096)
def _correction(word: str) -> str | None:
    """pyspellchecker's most frequent candidate, with ties broken alphabetically: its own
    correction() takes the first of a set, which changes with Python's string hashing from one
    process to the next, and the same draft must always get the same suggestion."""
    spell = _checker()
    candidates = sorted(spell.candidates(word) or ())
    if not candidates:
        return None
    plain = [c for c in candidates if spell._remove_diacritics(c) == word]  # noqa: SLF001  ("resume" -> "résumé")
    return max(plain or candidates, key=spell.word_usage_frequency)


def slips(doc: Doc, vocabulary: frozenset[str]) -> list[tuple[int, int, list[str]]]:
    """(start token, end token, replacements) for each misspelling, repeated word or grammar slip."""
    spell = _checker()
    t, starts = token_table(doc), sentence_starts(doc)
    indices = _candidate_words(t, starts, vocabulary)
    # spell.unknown() without its per-word number and punctuation tests: these are words already.
    known, longest = spell.word_frequency.dictionary, spell.word_frequency.longest_word_length + 3
    unknown = {w for w in (t.lower[i] for i in indices)
               if len(w) <= longest and w not in known and not _british(w, known) and not _made_of_known(w, known)}
    found, counts = [], Counter(t.text) if unknown else Counter()  # counted once, not per word
    for i in indices:
        word = t.lower[i]
        if word in CONFUSABLE:
            found.append((i, i + 1, [CONFUSABLE[word]]))
        elif word in unknown:
            best = _correction(word)
            if _is_name(i, t, starts, spell, best, counts) or _compound_plural(i, t, spell):
                continue
            reps = [best[0].upper() + best[1:] if t.text[i][0].isupper() else best] if best else []
            found.append((i, i + 1, reps))
    return sorted(found + _grammar(t))
