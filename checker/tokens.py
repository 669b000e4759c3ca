"""Per-token attributes of a Doc as plain Python lists, read from spaCy's arrays once per Doc.

Indexing a Doc creates a Token object each time; the components and checks that walk every token
read these lists instead. They hold what the tokenizer fixed; sentence starts, which a component
sets later, are read fresh by sentence_starts().
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

from spacy.attrs import IS_ALPHA, IS_LOWER, IS_PUNCT, IS_SPACE, IS_TITLE, LIKE_NUM, LIKE_URL, LOWER, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

ATTRS = [ORTH, LOWER, SPACY, IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_NUM, IS_TITLE, IS_LOWER, LIKE_URL]


@dataclass
class TokenTable:
    """Parallel lists, one entry per token: texts and the flags the checks read."""

    text: list[str]
    lower: list[str]
    space_after: list[bool]
    is_alpha: list[bool]
    is_punct: list[bool]
    is_space: list[bool]
    like_num: list[bool]
    is_title: list[bool]
    is_lower: list[bool]
    like_url: list[bool]

    def __len__(self) -> int:
        return len(self.text)


# One table per live Doc, dropped with the Doc. Not in doc.user_data or user_hooks: spaCy serializes
# the first and warns about the second when Docs cross processes (nlp.pipe with n_process > 1).
_TABLES: "weakref.WeakKeyDictionary[Doc, TokenTable]" = weakref.WeakKeyDictionary()


def token_table(doc: Doc) -> TokenTable:
    """The Doc's TokenTable, built on first use and kept while the Doc lives."""
    table = _TABLES.get(doc)
    if table is None or len(table) != len(doc):
        strings = doc.vocab.strings
        columns = list(zip(*doc.to_array(ATTRS).tolist())) if len(doc) else [()] * len(ATTRS)
        orth, lower, *flags = columns
        table = _TABLES[doc] = TokenTable([strings[o] for o in orth], [strings[o] for o in lower],
                                          *[[bool(x) for x in column] for column in flags])
    return table


def sentence_starts(doc: Doc) -> list[bool]:
    """Whether each token starts a sentence (as the Matcher's IS_SENT_START reads it)."""
    return [x == 1 for x in doc.to_array(SENT_START).tolist()] if len(doc) else []
