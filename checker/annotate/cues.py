"""The cue component: every rule pattern match as a labelled span in doc.spans["cues"].

Phrases go to a trie of lowercased tokens (what spaCy's PhraseMatcher with attr LOWER finds, without
building a Doc for each of the tens of thousands of phrases at start-up); token patterns go to the
first-word-indexed TokenMatcher. The spans are those spaCy's SpanRuler would write for the same
patterns: label and pattern id on each, de-duplicated and sorted.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .token_matcher import TokenMatcher
from .tokens import token_table

SPANS_KEY = "cues"


@Language.factory("casecoach_cues")
def make_cues(nlp: Language, name: str):
    """An empty cue matcher; the pipeline adds the rulebook's patterns."""
    return Cues(nlp)


class PhraseTrie:
    """Phrases as nested dicts of lowercased tokens; a node's KEYS entry lists the match keys."""

    KEYS = ""  # never a token: the tokenizer does not produce empty strings

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.root: dict = {}
        self._words: dict[str, list[str]] = {}

    def _tokens(self, phrase: str) -> list[str]:
        """The phrase's tokens, lowercased. The tokenizer splits on whitespace first and treats each
        chunk alone, so chunks are tokenized once each and reused."""
        out = []
        for chunk in phrase.split():
            tokens = self._words.get(chunk)
            if tokens is None:
                if chunk[0] in "'\u2019" and chunk[1:].isalpha():
                    # a contraction standing alone ("'m", "'ve") is split by the tokenizer as it never
                    # is after its word ("I'm"): it is one token, as the rule that names it means
                    tokens = [chunk.lower()]
                else:
                    tokens = [t.lower_ for t in self.nlp.tokenizer(chunk) if not t.is_space]
                self._words[chunk] = tokens
            out += tokens
        return out

    def add(self, key: int, phrase: str) -> None:
        """Add one phrase under a match key."""
        tokens = self._tokens(phrase)
        if not tokens:
            return
        node = self.root
        for token in tokens:
            node = node.setdefault(token, {})
        node.setdefault(self.KEYS, []).append(key)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(key, start, end) of every phrase occurrence."""
        lower, out = token_table(doc).lower, []
        for i in range(len(lower)):
            node, j = self.root, i
            while j < len(lower):
                node = node.get(lower[j])
                if node is None:
                    break
                j += 1
                out += [(key, i, j) for key in node.get(self.KEYS, ())]
        return out


class Cues:
    """Matches cue phrases and token patterns; writes doc.spans["cues"]."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.phrases = PhraseTrie(nlp)
        self.tokens = TokenMatcher(nlp.vocab)
        self.names: dict[int, tuple[int, int]] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        """Add rulebook patterns: {"label", "id", "pattern"} with a phrase or a token list."""
        strings = self.nlp.vocab.strings
        for entry in patterns:
            label, pattern_id = entry["label"], entry.get("id") or ""
            key = strings.add(f"{label}\x1f{pattern_id}")
            # Span's own order: start, end, then the label's and the id's hashes.
            self.names[key] = (strings.add(label), strings.add(pattern_id) if pattern_id else 0)
            if isinstance(entry["pattern"], str):
                self.phrases.add(key, entry["pattern"])
            else:
                self.tokens.add(key, entry["pattern"])

    def __call__(self, doc: Doc) -> Doc:
        names = self.names
        found = sorted({(start, end) + names[key] for key, start, end in self.tokens(doc) + self.phrases(doc)})
        doc.spans[SPANS_KEY] = [Span(doc, start, end, label=label, span_id=span_id)
                                for start, end, label, span_id in found]
        return doc
