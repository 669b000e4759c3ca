"""A whole service plan cut into its parts: the strengths narrative, each short-term goal with the steps
under it, and the long-term goals (001 "Example Individual Service Plan"; 000 SOAR: goals and the steps
to achieve them). Works on the plan's lines, as plans are laid out: headings, numbered goals, bulleted
steps, "Goal 1:" / "Objective 1a:" / "Intervention:" blocks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_HEAD = r"^\s*(?:[-•*]\s*)?"
# Section headings; the rest of the line after the colon, if any, belongs to the section.
LONG_TERM = re.compile(_HEAD + r"(?:long[- ]?term\s+(?:goals?|vision|outcomes?)|vision(?:\s+statement)?|"
                       r"life\s+goals?|ltgs?\b)\s*[:\-–]?", re.I)
SHORT_TERM = re.compile(_HEAD + r"short[- ]?term\s+goals?\s*(?:and\s+(?:associated\s+)?(?:tasks|steps))?\s*[:\-–]?\s*$", re.I)
STRENGTHS = re.compile(_HEAD + r"(?:strengths?(?:\s+and\s+(?:resources|needs))?|strengths/resources)\s*[:\-–]", re.I)
# A line that opens a goal: "Goal 1:", "GOAL:", "Problem #2:", "1)", "1.", "- 1)", "Goal A –".
GOAL_LINE = re.compile(_HEAD + r"(?:(?:short[- ]?term|[A-Z]{2,5}|isp|service|family|treatment)\s+)?(?:goal|outcome|stg)"
                       r"\s*(?:#?\s*[0-9A-Za-z]{1,3})?\s*[:.)\-–]", re.I)
# A problem or need heading opens a block whose goal follows ("Problem 1: Depression", then "Goal: …").
PROBLEM_LINE = re.compile(_HEAD + r"(?:problem|need|domain|area|issue|presenting\s+problem)\s*(?:#?\s*[0-9A-Za-z]{1,3})?\s*[:.)\-–]", re.I)
NUMBERED = re.compile(r"^\s*(?:[-•*]\s*)?\(?(?:[0-9]{1,2}|[IVX]{1,4})[.)]\s+(?=\S)")
BULLET = re.compile(r"^\s*[-•*◦▪]\s")
# A line that holds a step of the goal above it: "Objective 1a:", "Step 2:", "Intervention:", "a)", "-".
STEP_LINE = re.compile(r"^\s*(?:(?:short[- ]?term\s+)?(?:objectives?|steps?|tasks?|action\s+steps?|steps/tasks|"
                       r"interventions?|strategies|strategy|activities|activity|services?|methods?)\b|"
                       r"[-•*◦▪]\s|\(?[a-z][.)]\s|\(?[ivx]{1,3}[.)]\s)", re.I)
MIN_GOAL_CHARS = 12


@dataclass
class GoalPart:
    """One short-term goal: the character range of its own statement and of each step under it."""

    goal: tuple[int, int]
    steps: list[tuple[int, int]] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        """From the goal's statement to the end of its last step."""
        return self.goal[0], max([self.goal[1], *(end for _, end in self.steps)])


@dataclass
class PlanLayout:
    """Where the parts of a plan are, as character ranges into its text."""

    goals: list[GoalPart]
    long_term: list[tuple[int, int]]
    strengths: list[tuple[int, int]]
    headed: bool = False  # a plan's own headings were seen: short- or long-term goals, "Goal 1:", "Problem 2:"

    @property
    def is_plan(self) -> bool:
        """Laid out as a whole plan: two goals or more under a plan's headings."""
        return len(self.goals) >= 2 and self.headed


def _lines(text: str) -> list[tuple[int, int, int]]:
    """Each non-blank line as (start, end, indent), trimmed of surrounding whitespace."""
    out, at = [], 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            indent = raw.index(stripped[0])
            out.append((at + indent, at + indent + len(stripped), indent))
        at += len(raw)
    return out


def _rest(text: str, start: int, end: int, heading: re.Pattern) -> tuple[int, int] | None:
    """What follows a heading on its own line ("Long-Term Goals: Mr. Jones would like…"), if anything."""
    m = heading.match(text[start:end])
    rest = start + m.end() if m else start
    while rest < end and text[rest] in " \t:-–":
        rest += 1
    return (rest, end) if end - rest >= MIN_GOAL_CHARS else None


def _looks_like_goal(text: str, start: int, end: int) -> bool:
    """A goal line states what someone will do or reach."""
    words = text[start:end].lower()
    return end - start >= MIN_GOAL_CHARS and bool(re.search(
        r"\b(?:will|would like|wants? to|shall|to (?:obtain|get|find|secure|complete|improve|reduce|increase|"
        r"maintain|attend|develop|learn|be)|i want|i will|goal)\b", words))


@lru_cache(maxsize=8)  # read once for the kind and once for the report; never changed after
def plan_layout(text: str) -> PlanLayout:
    """The plan's goals with their steps, its long-term goals and its strengths narrative."""
    goals: list[GoalPart] = []
    long_term: list[tuple[int, int]] = []
    strengths: list[tuple[int, int]] = []
    intro: list[tuple[int, int]] = []
    section = "intro"
    opened_by = None  # how the current goal was opened: "heading", "number" (with its indent) or "plain"
    goal_indent = 0
    headed = False
    for start, end, indent in _lines(text):
        line = text[start:end]
        if LONG_TERM.match(line) or SHORT_TERM.match(line) or PROBLEM_LINE.match(line) or GOAL_LINE.match(line):
            headed = True
        if LONG_TERM.match(line):
            section, rest = "long", _rest(text, start, end, LONG_TERM)
            long_term += [rest] if rest else []
        elif SHORT_TERM.match(line) or PROBLEM_LINE.match(line):
            section = "short"
        elif STRENGTHS.match(line):
            section, rest = "strengths", _rest(text, start, end, STRENGTHS)
            strengths += [rest] if rest else []
        elif section == "long":
            long_term.append((start, end))
        elif GOAL_LINE.match(line):
            goals.append(GoalPart(goal=_rest(text, start, end, GOAL_LINE) or (start, end)))
            section, opened_by = "goal", "heading"
        elif section == "goal" and _new_goal(text, start, end, indent, opened_by, goal_indent):
            marker = BULLET if opened_by == "bullet" else NUMBERED
            goals.append(GoalPart(goal=_rest(text, start, end, marker) or (start, end)))
            goal_indent = indent
        elif section == "goal":
            goals[-1].steps.append((start, end))
        elif NUMBERED.match(line) and (section == "short" or _looks_like_goal(text, start, end)):
            goals.append(GoalPart(goal=_rest(text, start, end, NUMBERED) or (start, end)))
            section, opened_by, goal_indent = "goal", "number", indent
        elif section == "short" and _looks_like_goal(text, start, end):
            goals.append(GoalPart(goal=_rest(text, start, end, BULLET) or (start, end)))
            section, goal_indent = "goal", indent
            opened_by = "bullet" if BULLET.match(line) else "plain"
        elif section == "strengths":
            strengths.append((start, end))
        else:
            intro.append((start, end))
    if not goals:  # no layout to read: every line that states what someone will do is a goal
        goals = [GoalPart(goal=line) for line in intro if _looks_like_goal(text, *line)]
        intro = [line for line in intro if not any(g.goal == line for g in goals)]
    # The narrative before the goals is the plan's strengths narrative (001 Mr. Jones' plan opens so).
    strengths += [line for line in intro if not goals or line[1] <= goals[0].goal[0]]
    return PlanLayout(goals=goals, long_term=long_term, strengths=strengths, headed=headed)


def _new_goal(text: str, start: int, end: int, indent: int, opened_by: str | None, goal_indent: int) -> bool:
    """Whether a line under a goal opens the next goal rather than adding a step: a number at the
    goal's own depth when goals are numbered, a plain statement when goals are a plain list."""
    line = text[start:end]
    if opened_by == "number":
        return bool(NUMBERED.match(line)) and indent <= goal_indent
    if opened_by == "bullet":  # goals listed as bullets: a bullet at the goal's depth is the next goal
        return bool(BULLET.match(line)) and indent <= goal_indent and _looks_like_goal(text, start, end)
    if STEP_LINE.match(line):
        return False
    return opened_by == "plain" and _looks_like_goal(text, start, end)
