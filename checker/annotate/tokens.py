"""Per-token attributes of a Doc as plain Python lists, read from spaCy's arrays once per Doc.

Indexing a Doc creates a Token object each time; the components and checks that walk every token
read these lists instead. They hold what the tokenizer fixed; sentence starts, which a component
sets later, are read fresh by sentence_starts().
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field

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
    joined: str | None = field(default=None, repr=False)  # the Doc's text, made on first use

    def __len__(self) -> int:
        return len(self.text)


# One table per live Doc, dropped with the Doc. Not in doc.user_data or user_hooks: spaCy serializes
# the first and warns about the second when Docs cross processes (nlp.pipe with n_process > 1).
_TABLES: "weakref.WeakKeyDictionary[Doc, TokenTable]" = weakref.WeakKeyDictionary()


# The last Doc asked about and its table: nearly every look-up is for the Doc being checked, and a
# weak dictionary's look-up costs more than a sentence's worth of work on a text of short lines.
_last: tuple = (lambda: None, lambda: None)  # weak references: the Doc's table goes with the Doc


def token_table(doc: Doc) -> TokenTable:
    """The Doc's TokenTable, built on first use and kept while the Doc lives."""
    global _last
    doc_ref, table_ref = _last
    table = table_ref()
    if doc_ref() is doc and table is not None and len(table.text) == len(doc):
        return table
    table = _TABLES.get(doc)
    if table is None or len(table) != len(doc):
        array = doc.to_array(ATTRS).reshape(len(doc), len(ATTRS))
        orth, lower = array[:, 0].tolist(), array[:, 1].tolist()
        # Each distinct word looked up once in the StringStore (a text repeats its words).
        strings = doc.vocab.strings
        words = {key: strings[key] for key in set(orth) | set(lower)}
        table = _TABLES[doc] = TokenTable([words[o] for o in orth], [words[o] for o in lower],
                                          *[(array[:, k] != 0).tolist() for k in range(2, len(ATTRS))])
    _last = (weakref.ref(doc), weakref.ref(table))
    return table


def doc_text(doc: Doc) -> str:
    """doc.text, joined from the token table once per Doc (doc.text makes a Token object for every
    token, each time it is read)."""
    t = token_table(doc)
    if t.joined is None:
        t.joined = "".join([word + " " if space else word for word, space in zip(t.text, t.space_after)])
    return t.joined


def sentence_starts(doc: Doc) -> list[bool]:
    """Whether each token starts a sentence (as the Matcher's IS_SENT_START reads it)."""
    return [x == 1 for x in doc.to_array(SENT_START).tolist()] if len(doc) else []
