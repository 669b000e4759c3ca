"""The criteria only dates can settle: note.timely per note; plan.reviewed_in_interval and (where the
profile sets initial_plan_days) plan.initial_in_time per client."""
from __future__ import annotations

import json
from datetime import date, datetime
from itertools import groupby

import sqlite_utils

from ..rulebook import load_rulebook
from .store import replace_findings

FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y", "%Y/%m/%d")
PLAN_KINDS = ("goal", "plan", "objective")


def parse_date(value: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from the common export formats; '' -> None; ValueError if unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    head = value.split()[0].split("T")[0]
    for fmt in FORMATS:
        try:
            return datetime.strptime(head, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"unreadable date '{value[:20]}'")


def _days(later: str, earlier: str) -> int:
    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def note_timely(written: str | None, contact: str | None, limit_days: int) -> dict | None:
    """The note.timely finding for a note with both dates (None when a date is missing)."""
    if not written or not contact:
        return None
    lag = _days(written, contact)
    met = 0 <= lag <= limit_days
    message = (f"Written {lag} day(s) after the contact, within the {limit_days}-day standard." if met else
               f"Written {lag} day(s) after the contact; the standard is within {limit_days} day(s).")
    return {"criterion": "note.timely", "status": "met" if met else "missing", "message": message,
            "suggestion": None if met else "Write the note the same day as the contact, while details are fresh.",
            "evidence": json.dumps([{"label": "LAG_DAYS", "days": lag}])}


def review_findings(db: sqlite_utils.Database, rules: str | None = None) -> int:
    """Recompute plan.reviewed_in_interval for every dated plan, per client; return how many."""
    profiles = load_rulebook(rules).profiles
    intervals = {name: int(p.settings.get("review_interval_days", 30)) for name, p in profiles.items()}
    initial_days = {name: int(p.settings["initial_plan_days"]) for name, p in profiles.items()
                    if "initial_plan_days" in p.settings}
    rows = db.execute(
        "select id, client, date, kind, profile, contact_date from documents where client is not null and "
        "client != '' and date is not null and date != '' order by client, date, id").fetchall()
    findings, initial = [], []
    for _client, group in groupby(rows, key=lambda r: r[1]):
        group = list(group)
        last_seen = group[-1][2]
        plans = [r for r in group if (r[3] or "") in PLAN_KINDS]
        for plan, following in zip(plans, plans[1:] + [None]):
            findings.append(_review(plan, following, last_seen, intervals.get(plan[4], 30)))
        # The first face-to-face contact: the earliest contact date the client's records give.
        contacts = sorted(r[5] for r in group if r[5])
        if plans and contacts and plans[0][4] in initial_days:
            initial.append(_initial(plans[0], contacts[0], initial_days[plans[0][4]]))
    replace_findings(db, "plan.reviewed_in_interval", findings)
    replace_findings(db, "plan.initial_in_time", initial)
    return len(findings) + len(initial)


def _initial(plan, first_contact: str, limit: int) -> dict:
    """The first plan's finding: written within `limit` days of the first contact (004 Case Plan Timing)."""
    gap = _days(plan[2], first_contact)
    met = gap <= limit
    message = (f"The first plan is dated {gap} day(s) after the first contact, within {limit} days." if met else
               f"The first plan is dated {gap} day(s) after the first contact; it is due within {limit} days.")
    return {"document_id": plan[0], "criterion": "plan.initial_in_time", "status": "met" if met else "missing",
            "message": message,
            "suggestion": None if met else f"Write the initial case plan within {limit} days of the first contact.",
            "evidence": json.dumps([{"label": "DAYS_FROM_FIRST_CONTACT", "days": gap}])}


def _review(plan, following, last_seen: str, interval: int) -> dict:
    """One plan's finding: revisited within the interval, or (latest plan) not yet overdue."""
    if following is not None:
        gap = _days(following[2], plan[2])
        met = gap <= interval
        message = f"Revisited after {gap} day(s); the review interval is {interval} days."
    else:
        gap = _days(last_seen, plan[2])
        met = gap <= interval
        message = (f"Latest plan; {gap} day(s) old at the last record, within the {interval}-day interval."
                   if met else f"No review in the {gap} day(s) since this plan; the interval is {interval} days.")
    return {"document_id": plan[0], "criterion": "plan.reviewed_in_interval",
            "status": "met" if met else "missing", "message": message,
            "suggestion": None if met else f"Review the plan with the client at least every {interval} days.",
            "evidence": json.dumps([{"label": "GAP_DAYS", "days": gap}])}
