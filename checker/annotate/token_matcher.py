"""Token-pattern matching for the cue rules, indexed by the word each pattern can start with.

spaCy's Matcher tries every pattern at every token, so its cost grows with patterns x tokens. Here
each pattern is tried only where its first token can match: the token attributes the rules may use
are properties of the word itself (except IS_SENT_START), so which patterns can start at a word is
computed once per distinct word and looked up afterwards. Matches are those of spaCy's Matcher for
the same patterns (every start and end the pattern allows); tests/test_token_matcher.py compares
the two on the corpus.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.attrs import ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .token_spec import INFINITY, TokenSpec
from .tokens import sentence_starts


def _unrolled(specs: list[TokenSpec]) -> list[TokenSpec]:
    """Quantifiers spelt out as required and optional copies: every spec takes one word, maybe
    optionally (least 0), or repeats (most INFINITY, '*' after its required copies)."""
    out = []
    for spec in specs:
        out += [replace(spec, least=1, most=1) for _ in range(spec.least)]
        if spec.most == INFINITY:
            out.append(replace(spec, least=0))
        else:
            out += [replace(spec, least=0, most=1) for _ in range(spec.most - spec.least)]
    return out


class Pattern:
    """A compiled pattern, matched as a small NFA (Thompson's construction) from a start token."""

    def __init__(self, key: int, specs: list[TokenSpec]):
        self.key = key
        self.specs = _unrolled(specs)
        last = len(self.specs)
        # closure[i]: the spec positions reachable from i by skipping optional specs (last = done).
        self.closure = []
        for i in range(last + 1):
            reach = {i}
            while i < last and self.specs[i].least == 0:
                i += 1
                reach.add(i)
            self.closure.append(frozenset(reach))
        # What the token after the first must satisfy, when that can be told from words alone:
        # None when the pattern may end after its first token (nothing to ask of the next one).
        follow = set(self.closure[1]) | ({0} if self.specs[0].most == INFINITY else set())
        self.second = None if last in follow else [self.specs[k] for k in sorted(follow)]
        self.anchor = self._anchor()
        self.unbounded = any(spec.most == INFINITY for spec in self.specs)
        self.follows: dict[int, bool] = {}

    def _anchor(self, widest: int = 3) -> tuple[TokenSpec, int, int] | None:
        """A required later token and the offsets from the start where it must fall, when that
        window is narrow: looked up before the search, it rules most starts out at once."""
        low = high = 0
        best = None
        for k, spec in enumerate(self.specs):
            if k >= 2 and spec.least == 1 and not spec.negated and high - low <= widest:
                if best is None or high - low < best[2] - best[1]:
                    best = (spec, low, high)
            low += spec.least
            high = high + spec.most if spec.most != INFINITY and high != INFINITY else INFINITY
        return best

    def may_follow(self, orth: int, vocab: Vocab) -> bool:
        """Whether the word after the first could continue a match (word tests only); kept per
        word, as a new first word meets the same few next words ("." after a new name)."""
        if self.second is None:
            return True
        ok = self.follows.get(orth)
        if ok is None:
            if len(self.follows) > 50_000:  # a bound on memory for long-running services
                self.follows.clear()
            ok = self.follows[orth] = any(spec.negated or spec.word_ok(orth, vocab) for spec in self.second)
        return ok

    def ends(self, doc: Doc, start: int, orths: list[int], starts: list[bool],
             memo: dict | None = None) -> list[int]:
        """Every end position of a match whose first token is at start; its word and sentence
        position are already known to fit (TokenMatcher picks the candidates by them).

        memo (one per pattern and Doc) keeps what a search found from each state it passed after
        outgrowing the pattern's fixed length, i.e. inside a repeated token ("Title+"): the search
        from the next start reaches the same state and takes its ends instead of walking on to the
        end of the run again, which made a run of n such tokens cost n x n."""
        specs, closure, last, n, vocab = self.specs, self.closure, len(self.specs), len(orths), doc.vocab
        first = specs[0]
        if self.anchor is not None:
            spec, low, high = self.anchor
            for j in range(start + low, min(n, start + high + 1)):
                if spec.word_ok(orths[j], vocab):
                    break
            else:
                return []
        if first.context_tests and not first.in_context(doc[start]):
            return []
        frontier = set(closure[1])
        if first.most == INFINITY:
            frontier.add(0)
        ti = start + 1
        found = [ti] if last in frontier else []
        frontier.discard(last)
        passed = []  # (state, how many ends were found before it) for the memo
        while frontier and ti < n:
            if memo is not None and ti - start > last:
                state = (ti, frozenset(frontier))
                known = memo.get(state)
                if known is not None:
                    found += known[0][known[1]:]
                    break
                passed.append((state, len(found)))
            orth, nxt = orths[ti], set()
            for pi in frontier:
                spec = specs[pi]
                ok = spec.cache.get(orth)  # word_ok() inlined: this loop is the matcher's hot path
                if ok is None:
                    ok = spec.word_ok(orth, vocab)
                if ok and spec.sent_start is not None:
                    ok = starts[ti] == spec.sent_start
                if ok and spec.context_tests:
                    ok = spec.in_context(doc[ti])
                if ok != spec.negated:
                    nxt |= closure[pi + 1]
                    if spec.most == INFINITY:
                        nxt.add(pi)
            ti += 1
            if last in nxt:
                found.append(ti)
                nxt.discard(last)
            frontier = nxt
        for state, before in passed:
            memo[state] = (found, before)
        return found


def _leading_variants(specs: list[TokenSpec]) -> list[list[TokenSpec]]:
    """The pattern rewritten so each variant's first token is required (same matches overall)."""
    if not specs:
        return []
    first = specs[0]
    if first.least >= 1:
        return [specs]
    return [[replace(first, least=1)] + specs[1:]] + _leading_variants(specs[1:])


class TokenMatcher:
    """All matches of many token patterns, trying a pattern only where its first two tokens can match."""

    NO_WORD = -1  # the "next word" after the last token
    MAX_CACHE = 200_000  # a bound on memory for long-running services

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.patterns: list[Pattern] = []
        self.by_word: dict[int, tuple[Pattern, ...]] = {}
        self.by_context: dict[tuple[int, int, bool], tuple[Pattern, ...]] = {}
        self.named: dict[tuple[str, str], list[int]] | None = None  # built by _index()
        self.groups: dict[tuple, tuple[TokenSpec, list[int]]] = {}
        self.tuples: dict[tuple[Pattern, ...], tuple[Pattern, ...]] = {}

    def add(self, key: int, tokens: list[dict]) -> None:
        """Add one spaCy-style token pattern under a match key."""
        specs = [TokenSpec.parse(t) for t in tokens]
        self.patterns += [Pattern(key, variant) for variant in _leading_variants(specs)]
        self.by_word.clear()
        self.by_context.clear()
        self.named = None

    def _index(self) -> None:
        """Patterns by the words their first token names, when it names words (most do); the
        others grouped by equal first-token word tests, tested once per group for a new word."""
        self.named, self.groups = {}, {}
        for n, pattern in enumerate(self.patterns):
            first = pattern.specs[0]
            if first.words is not None and not first.negated:
                for word in first.words[1]:
                    self.named.setdefault((first.words[0], word), []).append(n)
            else:
                self.groups.setdefault(first.word_key, (first, []))[1].append(n)

    def _by_word(self, orth: int) -> tuple[Pattern, ...]:
        """The patterns whose first token can be this word, in the order they were added."""
        found = self.by_word.get(orth)
        if found is None:
            if len(self.by_word) > self.MAX_CACHE:
                self.by_word.clear()
            if self.named is None:
                self._index()
            lex = self.vocab[orth]
            hits = self.named.get(("lower", lex.lower_), []) + self.named.get(("orth", lex.orth_), [])
            for spec, members in self.groups.values():
                ok = spec.word_ok(orth, self.vocab)
                hits += [n for n in members if ok != self.patterns[n].specs[0].negated]
            found = self.by_word[orth] = self._shared(tuple(self.patterns[n] for n in sorted(set(hits))))
        return found

    def _shared(self, patterns: tuple[Pattern, ...]) -> tuple[Pattern, ...]:
        """One tuple for each set of patterns met: a text of new words then leaves only new cache
        entries behind, not new objects for every full garbage collection to walk ever after."""
        return self.tuples.setdefault(patterns, patterns)

    def _candidates(self, orth: int, next_orth: int, sent_start: bool) -> tuple[Pattern, ...]:
        """Patterns whose first token fits this word at this sentence position and whose second
        token fits the next word; computed once per such triple and then looked up."""
        key = (orth, next_orth, sent_start)
        found = self.by_context.get(key)
        if found is None:
            if len(self.by_context) > self.MAX_CACHE:
                self.by_context.clear()
            found = self.by_context[key] = self._shared(tuple(
                p for p in self._by_word(orth)
                if (p.specs[0].sent_start is None or p.specs[0].sent_start == sent_start)
                and (next_orth == self.NO_WORD or p.may_follow(next_orth, self.vocab))))
        return found

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(key, start, end) of every non-empty match, as spaCy's Matcher would report them."""
        orths = doc.to_array(ORTH).tolist()
        starts = sentence_starts(doc)
        following = orths[1:] + [self.NO_WORD]
        cached, out = self.by_context, []
        memos: dict[int, dict] = {}  # per pattern, for the patterns with a repeated token
        for i, key in enumerate(zip(orths, following, starts)):
            patterns = cached.get(key)
            if patterns is None:
                patterns = self._candidates(*key)
            for pattern in patterns:
                memo = memos.setdefault(id(pattern), {}) if pattern.unbounded else None
                ends = pattern.ends(doc, i, orths, starts, memo)
                if ends:
                    out += [(pattern.key, i, end) for end in ends]
        return out
