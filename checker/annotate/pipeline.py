"""Build the one spaCy pipeline casecoach uses: a blank English tokenizer plus our components."""
from __future__ import annotations

import gc
from functools import lru_cache

import spacy
from spacy.language import Language

from . import components, cues  # noqa: F401  (registers the casecoach_* factories)
from .bounded_tokenizer import BoundedTokenizer
from ..resources import read_yaml, rules_root
from ..rulebook import load_rulebook
from .sentence_roles import ROLES_FILE, artefact_exists

# Case-work abbreviations that end in a period but do not end a sentence.
ABBREVIATIONS = ["appt.", "appts.", "approx.", "dept.", "info.", "hrs.", "hr.", "min.", "mins.",
                 "wk.", "wks.", "yr.", "yrs.", "mo.", "mos.", "tel.", "ph.", "no.", "wed.", "thurs.",
                 "tues.", "fri.", "mon.", "sat.", "sun.", "cont.", "med.", "meds.", "dx.", "tx.",
                 "hx.", "sx.", "bx.", "esp.", "incl.", "e.g.", "i.e.", "etc.", "vs.", "ave.", "st."]


def _add_abbreviations(nlp: Language) -> None:
    for abbr in ABBREVIATIONS:
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])


@lru_cache(maxsize=4)
def build_nlp(root: str | None = None) -> Language:
    """The pipeline for a rules directory, built once per process and cached."""
    rulebook = load_rulebook(root)
    nlp = spacy.blank("en")
    _add_abbreviations(nlp)
    # spaCy's tokenizer is quadratic in the length of a run without whitespace: bound it.
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe("casecoach_sentences")
    headings = read_yaml(rules_root(root) / "sections.yml")
    nlp.add_pipe("casecoach_sections", config={"headings": headings})
    nlp.add_pipe("casecoach_quotes")
    # Patterns were validated when the rules loaded; token patterns read IS_SENT_START, so the
    # cue matcher runs after the sentence bounds.
    nlp.add_pipe("casecoach_cues").add_patterns(rulebook.patterns)
    if artefact_exists(ROLES_FILE):  # the learned sentence roles only when a trained model ships
        nlp.add_pipe("casecoach_sentence_roles")
    _settle()
    return nlp


_settled = False


def _settle() -> None:
    """Once a process, after its first pipeline: what it has built (phrase trie, patterns, models:
    some hundred thousand objects that live as long as the process) is taken out of the garbage
    collector's sight. Each full collection walked them all (about 90 ms), and a check that makes
    many objects (a text of short lines makes some for every two characters) triggers several."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect()
        gc.freeze()
