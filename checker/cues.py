"""The cue component: every rule pattern match as a labelled span in doc.spans["cues"].

Phrases go to spaCy's PhraseMatcher (a hash lookup per token); token patterns go to the
first-word-indexed TokenMatcher. The spans are those spaCy's SpanRuler would write for the same
patterns: label and pattern id on each, de-duplicated and sorted.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .token_matcher import TokenMatcher

SPANS_KEY = "cues"


@Language.factory("casecoach_cues")
def make_cues(nlp: Language, name: str):
    """An empty cue matcher; the pipeline adds the rulebook's patterns."""
    return Cues(nlp)


class Cues:
    """Matches cue phrases and token patterns; writes doc.spans["cues"]."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = TokenMatcher(nlp.vocab)
        self.names: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        """Add rulebook patterns: {"label", "id", "pattern"} with a phrase or a token list."""
        phrases: dict[str, list[str]] = {}
        for entry in patterns:
            name = (entry["label"], entry.get("id") or "")
            key = f"{name[0]}\x1f{name[1]}"
            self.names[self.nlp.vocab.strings.add(key)] = name
            if isinstance(entry["pattern"], str):
                phrases.setdefault(key, []).append(entry["pattern"])
            else:
                self.tokens.add(self.nlp.vocab.strings[key], entry["pattern"])
        for key, texts in phrases.items():
            self.phrases.add(key, list(self.nlp.tokenizer.pipe(texts)))

    def __call__(self, doc: Doc) -> Doc:
        matches = self.tokens(doc) + [tuple(m) for m in self.phrases(doc)]
        spans = {Span(doc, start, end, label=self.names[key][0], span_id=self.names[key][1])
                 for key, start, end in matches if start != end}
        doc.spans[SPANS_KEY] = sorted(spans)
        return doc
