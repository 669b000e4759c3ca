"""Word classes from lexicons that ship inside registry packages (rules/wordclasses.yml).

The rules name a class (`$evaluative`); this module reads the package's lexicon file where pip put it,
without importing the package (textblob would pull in nltk at start-up), and keeps the words that pass
the class's thresholds, less its exceptions.
"""
from __future__ import annotations

import importlib.util
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from statistics import mean

from .errors import RuleError
from .resources import read_yaml

SOURCE_KEYS = {"lexicon", "min_subjectivity", "min_abs_valence", "skip_suffixes", "tags", "suffixes"}
# Only verb lines: the classes read verbs, and skipping the other 80,000 lines halves the start-up cost.
BRILL_VERB = re.compile(r"^([A-Za-z]+) (VB[DGNPZ]?)\b", re.MULTILINE)
ADJECTIVE = re.compile(r'<word form="([^"]+)"[^>]*?pos="JJ"[^>]*?subjectivity="([0-9.]+)"')


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuleError(f"wordclasses.yml: the package '{package}' is not installed (pip install casecoach installs it)")
    path = Path(list(spec.submodule_search_locations)[0], *parts)
    if not path.is_file():
        raise RuleError(f"wordclasses.yml: {package} has no {'/'.join(parts)}")
    return path


@lru_cache(maxsize=1)  # several classes read one lexicon: parse it once
def textblob_adjectives() -> dict[str, float]:
    """Pattern's English adjectives (shipped by textblob): word -> mean subjectivity over its senses."""
    senses: dict[str, list[float]] = defaultdict(list)
    text = _package_file("textblob", "en", "en-sentiment.xml").read_text(encoding="utf-8")
    for word, subjectivity in ADJECTIVE.findall(text):
        if " " not in word:
            senses[word.lower()].append(float(subjectivity))
    return {w: mean(v) for w, v in senses.items()}


@lru_cache(maxsize=1)  # several classes read one lexicon: parse it once
def vader() -> dict[str, float]:
    """VADER's valence lexicon (shipped by vaderSentiment): single alphabetic words -> mean valence."""
    out = {}
    for line in _package_file("vaderSentiment", "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition("\t")
        if word.isalpha() and rest:
            out[word.lower()] = float(rest.split("\t")[0])
    return out


@lru_cache(maxsize=1)  # several classes read one lexicon: parse it once
def brill_tags() -> dict[str, str]:
    """Brill's tagger lexicon (shipped by textblob): verb -> its most frequent Penn Treebank tag
    (VB, VBD, VBG, VBN, VBP, VBZ), for every form of a word that the lexicon lists as a verb."""
    out: dict[str, str] = {}
    for word, tag in BRILL_VERB.findall(_package_file("textblob", "en", "en-lexicon.txt").read_text(encoding="utf-8")):
        out.setdefault(word.lower(), tag)
    return out


LEXICONS = {"textblob_adjectives": textblob_adjectives, "vader": vader, "brill_tags": brill_tags}


def _words(source: dict, where: str) -> set[str]:
    """The words of one lexicon that pass one source entry's thresholds."""
    if set(source) - SOURCE_KEYS or source.get("lexicon") not in LEXICONS:
        raise RuleError(f"{where}: a source needs 'lexicon' (one of {sorted(LEXICONS)}) and only {sorted(SOURCE_KEYS)}")
    scores = LEXICONS[source["lexicon"]]()
    if "tags" in source:  # a tag lexicon: the words whose most frequent tag is one of these
        ends = tuple(source.get("suffixes") or ("",))
        return {w for w, tag in scores.items() if tag in source["tags"] and w.endswith(ends)}
    least = float(source.get("min_subjectivity", source.get("min_abs_valence", 0)))
    skip = tuple(source.get("skip_suffixes") or ())
    return {w for w, s in scores.items() if abs(s) >= least and not (skip and w.endswith(skip))}


def load_wordclasses(base) -> dict[str, list[str]]:
    """Every class in rules/wordclasses.yml as a sorted word list (no file: no classes). A class is
    built from lexicon sources (`from`) and literal `words`, less `except` words and the words of
    classes defined before it (`except_classes`)."""
    entry = base / "wordclasses.yml"
    if not entry.is_file():
        return {}
    classes = {}
    for name, spec in read_yaml(entry).items():
        where = f"wordclasses.yml: {name}"
        if not isinstance(spec, dict) or not (spec.get("from") or spec.get("words")):
            raise RuleError(f"{where}: needs 'from' (a list of lexicon sources) or 'words'")
        words = {str(w).lower() for w in spec.get("words") or ()}
        words |= set().union(*(_words(s, where) for s in spec.get("from") or ()))
        for other in spec.get("except_classes") or ():
            if other not in classes:
                raise RuleError(f"{where}: except_classes names '{other}', which is not defined above it")
            words -= set(classes[other])
        classes[name] = sorted(words - {str(w).lower() for w in spec.get("except") or ()})
    return classes
