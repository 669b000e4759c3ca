"""The report contract of DESIGN.md, as dataclasses with a to_dict() that is the JSON shape."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Evidence:
    """Words of the draft that support a finding (character offsets into the submitted text)."""

    start: int
    end: int
    text: str
    label: str


@dataclass
class CriterionResult:
    """One checklist line's verdict."""

    id: str
    name: str
    status: str
    evidence: list[Evidence]
    message: str
    suggestion: str | None = None


@dataclass
class Issue:
    """A problem at a place in the draft, with replacements where there are good ones."""

    rule: str
    start: int
    end: int
    text: str
    severity: str
    message: str
    replacements: list[str] = field(default_factory=list)


@dataclass
class Feedback:
    """The supervisor's voice: praise first, at most three improvements, one question."""

    praise: str
    improvements: list[str]
    question: str


@dataclass
class Report:
    """Everything casecoach says about one draft."""

    kind: str
    kind_detected: bool
    profile: str
    score: float
    criteria: list[CriterionResult]
    issues: list[Issue]
    feedback: Feedback
    # Who the draft is about, as the messages name them ("Keisha"): kept out of the contract, it lets
    # a store without the drafts' text keep their names out of the stored messages too.
    subject: str = field(default="", repr=False, compare=False)
    # A plan's goals, each a report of the same contract with offsets into the plan (DESIGN "parts").
    parts: list["Report"] = field(default_factory=list)
    start: int = field(default=0, repr=False, compare=False)  # where a part begins in its plan
    end: int = field(default=0, repr=False, compare=False)  # and where it ends (0: not a part)

    def to_dict(self) -> dict:
        """The report as plain JSON-ready data, exactly the documented contract (written out by hand:
        dataclasses.asdict deep-copies every value and cost a tenth of a service request)."""
        out = {"kind": self.kind, "kind_detected": self.kind_detected, "profile": self.profile,
                "score": self.score,
                "criteria": [{"id": c.id, "name": c.name, "status": c.status,
                              "evidence": [{"start": e.start, "end": e.end, "text": e.text, "label": e.label}
                                           for e in c.evidence],
                              "message": c.message, "suggestion": c.suggestion} for c in self.criteria],
                "issues": [{"rule": i.rule, "start": i.start, "end": i.end, "text": i.text, "severity": i.severity,
                            "message": i.message, "replacements": list(i.replacements)} for i in self.issues],
                "feedback": {"praise": self.feedback.praise, "improvements": list(self.feedback.improvements),
                             "question": self.feedback.question}}
        if self.kind == "plan":  # only a plan has parts (DESIGN: other kinds have none)
            out["parts"] = [part.to_dict() for part in self.parts]
        return out

    def shift(self, offset: int) -> "Report":
        """The same report with every offset moved by `offset` (a part's offsets into its plan)."""
        for result in self.criteria:
            for e in result.evidence:
                e.start, e.end = e.start + offset, e.end + offset
        for issue in self.issues:
            issue.start, issue.end = issue.start + offset, issue.end + offset
        for part in self.parts:
            part.shift(offset)
        self.start += offset
        self.end += offset
        return self

    def criterion(self, cid: str) -> CriterionResult:
        """The result for one criterion id (KeyError if the profile left it out)."""
        for result in self.criteria:
            if result.id == cid:
                return result
        raise KeyError(cid)
