"""Tell a goal from a progress note without being told (rules; a trained model may override)."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..annotate.features import doc_features
from ..annotate.plan_parts import plan_layout
from ..annotate.tokens import doc_text
from ..annotate.sentence_roles import artefact_exists, load_model

KIND_FILE = "kind.json"

# A goal states what someone will do; a note tells what happened. Each cue label votes.
NOTE_VOTES = {"CONTACT": 2, "CLIENT_STEP": 2, "WORKER_STEP": 2, "REPORTED": 1, "DATA": 1,
              "ASSESS": 1, "OPINION": 1, "STRENGTH_SHOWN": 1}
GOAL_VOTES = {"RESPONSIBLE": 2, "FREQUENCY": 1, "DEADLINE": 1, "DURATION": 1, "MEASURE": 1,
              "VAGUE_ACTION": 2, "METHOD": 1, "IMPERATIVE": 2}
NOTE_SECTIONS = {"STRENGTH", "SUBJECTIVE", "OBSERVATION", "ASSESSMENT", "PLAN", "DATA"}


def predict_kind(doc: Doc, root: str | None = None, cues: list[Span] | None = None) -> str | None:
    """The kind the trained model names, or None when no kind model is installed."""
    if not artefact_exists(KIND_FILE, root):
        return None
    return load_model(KIND_FILE, root).predict(doc_features(doc, cues))


def detect_kind(doc: Doc, cues: list[Span] | None = None) -> str:
    """A plan when the text is laid out as one (goals under a plan's headings); else the trained kind
    model's answer when one ships, else the balance of narrative and commitment cues."""
    if plan_layout(doc_text(doc)).is_plan:
        return "plan"
    cues = list(doc.spans["cues"]) if cues is None else cues
    learned = predict_kind(doc, cues=cues)
    if learned is not None:
        return learned
    labels = [s.label_ for s in cues]
    note = sum(NOTE_VOTES.get(label, 0) for label in labels)
    goal = sum(GOAL_VOTES.get(label, 0) for label in labels)
    note += 3 * sum(1 for h in doc.spans["headings"] if h.label_ in NOTE_SECTIONS)
    goal += 3 * sum(1 for h in doc.spans["headings"] if h.label_ == "GOAL")
    first = next(iter(doc.sents), None)
    if first is not None and any(s.label_ == "RESPONSIBLE" and s.start < first.end for s in cues):
        goal += 2
    return "note" if note > goal else "goal"
