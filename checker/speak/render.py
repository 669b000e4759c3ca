"""The readable terminal report: checklist, the draft with evidence marked, the coaching."""
from __future__ import annotations

from ..report import Report

MARKS = {"met": "✔ met", "partial": "◐ partial", "missing": "✘ missing", "ask": "? ask"}
COLORS = {"met": "32", "partial": "33", "missing": "31", "ask": "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _marked(text: str, report: Report, color: bool) -> str:
    """The draft with problem words in [[ ]] (or red) and evidence in [ ] (or green)."""
    spans = {(i.start, i.end): "31" for i in report.issues}
    for c in report.criteria:
        if c.status == "met":
            for e in c.evidence:
                spans.setdefault((e.start, e.end), "32")
    out, pos = [], 0
    for (start, end), code in sorted(spans.items()):
        if start < pos:
            continue
        out.append(text[pos:start])
        word = text[start:end]
        out.append(_paint(word, code + ";1", color) if color else (f"[[{word}]]" if code == "31" else f"[{word}]"))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _checklist(report: Report, color: bool) -> list[str]:
    return [f"  {_paint(MARKS[c.status].ljust(10), COLORS[c.status], color)} {c.name}: {c.message}"
            for c in report.criteria]


def render_report(text: str, report: Report, color: bool = False) -> str:
    """Checklist, marked draft and feedback as terminal text."""
    detected = " (detected)" if report.kind_detected else ""
    lines = [f"{report.kind}{detected} · profile {report.profile} · score {report.score:.2f}", ""]
    lines += _checklist(report, color)
    for n, part in enumerate(report.parts, 1):
        first_line = text[part.start:].split("\n", 1)[0].strip()
        lines += ["", f"  Goal {n} · score {part.score:.2f}: {first_line[:70]}"]
        lines += ["  " + line for line in _checklist(part, color)]
    lines += ["", _marked(text, report, color).rstrip(), ""]
    for issue in report.issues:
        fix = f" → {', '.join(issue.replacements)}" if issue.replacements else ""
        lines.append(f"  {issue.severity}: {issue.message}{fix}")
    fb = report.feedback
    lines += ["", fb.praise] + [f"  {n}. {imp}" for n, imp in enumerate(fb.improvements, 1)] + [fb.question]
    return "\n".join(lines)
