"""Build the one spaCy pipeline casecoach uses: a blank English tokenizer plus our components."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the casecoach_* factories)
from .resources import read_yaml, rules_root
from .flags import compile_flags
from .rulebook import load_rulebook
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
    # Patterns were validated when the rules loaded; compiled flags are integer keys spaCy's
    # schema does not know, so the ruler itself does not validate again.
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "cues", "phrase_matcher_attr": "LOWER",
                                               "validate": False})
    # Patterns are added while the ruler is alone, so its phrases are only tokenized; the
    # annotating components then go in front of it (token patterns use IS_SENT_START).
    ruler.add_patterns(compile_flags(nlp, rulebook.patterns))
    nlp.add_pipe("casecoach_sentences", before="span_ruler")
    headings = read_yaml(rules_root(root) / "sections.yml")
    nlp.add_pipe("casecoach_sections", config={"headings": headings}, before="span_ruler")
    nlp.add_pipe("casecoach_quotes", before="span_ruler")
    if artefact_exists(ROLES_FILE):  # the learned sentence roles only when a trained model ships
        nlp.add_pipe("casecoach_sentence_roles")
    return nlp
