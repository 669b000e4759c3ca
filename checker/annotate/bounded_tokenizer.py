"""A tokenizer whose work grows linearly with the text, whatever the text.

spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one at a time, rescanning
the rest each time: its cost grows with the square of the run's length ("%" x 50,000 took minutes).
No word, URL or e-mail address in the corpora comes near MAX_RUN characters, so a text without a
longer run is tokenized by spaCy exactly as before; a longer run is cut into MAX_RUN-character
tokens, and the text around it is still spaCy's.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.tokens import Doc

# The longest run in the corpora is 22 characters ("release-of-information"); a long web address
# still fits. Below this, spaCy's own cost per character stays within that of an ordinary note.
MAX_RUN = 100


class BoundedTokenizer:
    """Wraps a spaCy Tokenizer (text -> Doc); runs of more than max_run non-space characters
    become max_run-character tokens. Other attributes (add_special_case, vocab…) are the wrapped
    tokenizer's."""

    def __init__(self, tokenizer, max_run: int = MAX_RUN) -> None:
        self.tokenizer = tokenizer
        self.max_run = max_run
        # \S is str.isspace()'s complement, the test spaCy splits on.
        self.long_run = re.compile(r"\S{%d,}" % (max_run + 1))

    def __call__(self, text: str) -> Doc:
        found = self.long_run.search(text)
        return self.tokenizer(text) if found is None else self._bounded(text, found)

    def _bounded(self, text: str, found: re.Match) -> Doc:
        """spaCy's tokens between the long runs, the runs cut into pieces; doc.text is the text."""
        docs, pos, size = [], 0, self.max_run
        while found is not None:
            start, end = found.span()
            if pos < start:
                docs.append(self.tokenizer(text[pos:start]))
            # As spaCy does, one plain space after a run is the run's trailing whitespace.
            space = text.startswith(" ", end)
            pieces = [text[i:min(i + size, end)] for i in range(start, end, size)]
            docs.append(Doc(self.tokenizer.vocab, words=pieces, spaces=[False] * (len(pieces) - 1) + [space]))
            pos = end + space
            found = self.long_run.search(text, pos)
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts."""
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):
        if name == "tokenizer":  # not set yet (while unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
