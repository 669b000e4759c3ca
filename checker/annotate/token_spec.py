"""One token of a spaCy-style token pattern, compiled: word tests cached per word, context tests
per token, and how many tokens it may take (its OP)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from spacy.vocab import Vocab

INFINITY = 10**9
# Attributes read from the word (Lexeme); anything else is read from the token in context.
LEXICAL = {
    "ORTH": lambda lex: lex.orth_, "TEXT": lambda lex: lex.orth_, "LOWER": lambda lex: lex.lower_,
    "LENGTH": lambda lex: len(lex.orth_), "SHAPE": lambda lex: lex.shape_,
    "PREFIX": lambda lex: lex.prefix_, "SUFFIX": lambda lex: lex.suffix_,
    **{name: (lambda attr: lambda lex: getattr(lex, attr))(name.lower()) for name in (
        "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
        "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
        "IS_RIGHT_PUNCT", "IS_CURRENCY")},
}
CONTEXTUAL = {"NORM": lambda token: token.norm_}
COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, ">=": lambda a, b: a >= b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b}
QUANTIFIER = re.compile(r"^\{(\d*)(,?)(\d*)\}$")


def _test(spec):
    """A predicate on one attribute value for a pattern value (scalar or {"IN": ...} etc.)."""
    if not isinstance(spec, dict):
        return lambda value: value == spec
    tests = []
    for op, arg in spec.items():
        if op == "IN":
            words = frozenset(arg)
            tests.append(lambda value, words=words: value in words)
        elif op == "NOT_IN":
            words = frozenset(arg)
            tests.append(lambda value, words=words: value not in words)
        elif op == "REGEX":
            rx = re.compile(arg)
            tests.append(lambda value, rx=rx: bool(rx.search(value)))
        elif op in COMPARE:
            tests.append(lambda value, op=COMPARE[op], arg=arg: op(value, arg))
        else:
            raise ValueError(f"unsupported pattern operator {op!r}")
    return lambda value: all(test(value) for test in tests)


def _bounds(op: str | None) -> tuple[int, int]:
    """How many tokens a pattern token with this OP may take: (least, most)."""
    fixed = {None: (1, 1), "!": (1, 1), "?": (0, 1), "*": (0, INFINITY), "+": (1, INFINITY)}
    if op in fixed:
        return fixed[op]
    found = QUANTIFIER.match(op or "")
    if not found:
        raise ValueError(f"unsupported pattern OP {op!r}")
    low, comma, high = found.groups()
    least = int(low or 0)
    return least, (int(high) if high else INFINITY) if comma else least


def _word_index(token: dict) -> tuple[str, frozenset[str]] | None:
    """("lower" or "orth", the words) when a token's only word test is one word or a list of them."""
    tests = [attr for attr in token if attr in LEXICAL]
    if len(tests) != 1 or tests[0] not in ("LOWER", "ORTH", "TEXT"):
        return None
    value = token[tests[0]]
    words = [value] if isinstance(value, str) else value.get("IN") if isinstance(value, dict) and len(value) == 1 else None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        return None
    return ("lower" if tests[0] == "LOWER" else "orth"), frozenset(words)


@dataclass
class TokenSpec:
    """One token of a pattern: word tests (cached per word), context tests, and how many it takes."""

    word_tests: list = field(default_factory=list)
    sent_start: bool | None = None
    context_tests: list = field(default_factory=list)
    least: int = 1
    most: int = 1
    negated: bool = False
    cache: dict = field(default_factory=dict)
    # What the word tests are, for sharing one answer per word between equal specs; and, when they
    # are one "is this word / one of these words" test, (attribute, the words) to look it up by.
    word_key: tuple = ()
    words: tuple[str, frozenset[str]] | None = None

    @classmethod
    def parse(cls, token: dict) -> "TokenSpec":
        """Compile one token dict of a spaCy token pattern."""
        spec = cls()
        spec.least, spec.most = _bounds(token.get("OP"))
        spec.negated = token.get("OP") == "!"
        for attr, value in token.items():
            if attr == "OP":
                continue
            if attr == "IS_SENT_START":
                spec.sent_start = bool(value)
            elif attr in LEXICAL:
                spec.word_tests.append((LEXICAL[attr], _test(value)))
                spec.word_key += ((attr, json.dumps(value, sort_keys=True)),)
            elif attr in CONTEXTUAL:
                spec.context_tests.append((CONTEXTUAL[attr], _test(value)))
            else:
                raise ValueError(f"unsupported pattern attribute {attr!r}")
        spec.words = _word_index(token)
        return spec

    def word_ok(self, orth: int, vocab: Vocab) -> bool:
        """Whether the word tests hold for this word (computed once per word)."""
        ok = self.cache.get(orth)
        if ok is None:
            lex = vocab[orth]
            ok = self.cache[orth] = all(test(get(lex)) for get, test in self.word_tests)
        return ok

    def in_context(self, token) -> bool:
        """Whether the token-level (not per-word) tests hold for this token."""
        return all(test(get(token)) for get, test in self.context_tests)
