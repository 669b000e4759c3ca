"""Compile word-set and regex token predicates into lexeme flags, so the Matcher checks them in C.

spaCy's Matcher calls a Python predicate for every {"LOWER": {"IN": [...]}}, {"NOT_IN": ...} or
{"REGEX": ...} at every token where a pattern could start. A lexeme flag is computed once per
distinct word and then read as a bit. The vocabulary has room for a few dozen flags; the sets used
most at pattern starts get them, and the rest stay ordinary predicates. Matching is unchanged.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language

SET_OPS = {"IN": lambda words: (lambda s: s.lower() in words),
           "NOT_IN": lambda words: (lambda s: s.lower() not in words)}


def _key(attr: str, spec) -> tuple | None:
    """A hashable description of a compilable predicate, or None."""
    if not isinstance(spec, dict) or len(spec) != 1:
        return None
    (op, value), = spec.items()
    if attr == "LOWER" and op in SET_OPS:
        return (op, frozenset(value))
    if attr == "TEXT" and op == "REGEX":
        return (op, value)
    return None


def _getter(key: tuple):
    op, value = key
    if op == "REGEX":
        rx = re.compile(value)
        return lambda s: bool(rx.search(s))
    return SET_OPS[op](value)


def compile_flags(nlp: Language, patterns: list[dict], budget: int = 46) -> list[dict]:
    """Patterns with the most-used predicates replaced by lexeme flags registered on nlp.vocab."""
    uses = Counter()
    for entry in patterns:
        if isinstance(entry["pattern"], list):
            for pos, token in enumerate(entry["pattern"]):
                for attr, spec in token.items():
                    key = _key(attr, spec)
                    if key:
                        # a start token is tried at every token of the text; a later one only
                        # when the tokens before it matched
                        # (bigger sets first: a small one is cheaper spelt out, see _spell_out_start)
                        start = pos == 0 or (pos == 1 and entry["pattern"][0].get("OP"))
                        uses[key] += 1000 + len(key[1]) if start else 1
    flags = {key: nlp.vocab.add_flag(_getter(key)) for key, _ in uses.most_common(budget)}
    compiled = []
    for entry in patterns:
        if not isinstance(entry["pattern"], list):
            compiled.append(entry)
            continue
        tokens = []
        for token in entry["pattern"]:
            new = {}
            for attr, spec in token.items():
                key = _key(attr, spec)
                if key in flags:
                    new[flags[key]] = True
                else:
                    new[attr] = spec
            tokens.append(new)
        compiled += [{**entry, "pattern": variant} for variant in _spell_out_start(tokens)]
    return compiled


def _spell_out_start(tokens: list[dict], most: int = 12) -> list[list[dict]]:
    """A start token still testing a small word set becomes one pattern per word (hash-matched)."""
    first = tokens[0]
    lower = first.get("LOWER")
    if first.get("OP") is None and isinstance(lower, dict) and set(lower) == {"IN"} and len(lower["IN"]) <= most:
        return [[{**first, "LOWER": word}] + tokens[1:] for word in dict.fromkeys(lower["IN"])]
    return [tokens]

