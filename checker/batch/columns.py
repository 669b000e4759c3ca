"""Map an export's headers to casecoach's fields: by option first, else by common header names."""
from __future__ import annotations

import re

from .rows import BatchInputError

FIELDS = ("text", "id", "worker", "program", "client", "date", "kind", "contact_date")
REQUIRED = ("text",)
# Header names seen in case-management exports, compared without case, spaces or punctuation.
COMMON = {
    # Each name belongs to one field only, so no field's guess can take a column another field names.
    "text": ["text", "note", "notetext", "notes", "progressnote", "narrative", "body", "content",
             "goal", "goaltext", "description", "casenote", "notebody", "notecontent", "progressnotes",
             "comments", "details", "summary"],
    "id": ["id", "documentid", "docid", "noteid", "recordid", "goalid", "uuid"],
    "worker": ["worker", "workerid", "caseworker", "casemanager", "staff", "staffname", "author",
               "writtenby", "cm", "user", "casemanagername", "staffmember", "clinician", "counselor",
               "counsellor", "provider"],
    "program": ["program", "programname", "programcode", "service", "site", "team", "unit", "department"],
    "client": ["client", "clientid", "participant", "participantid", "youth", "youthid", "person",
               "caseid", "case", "familyid", "clientname", "clientnumber", "mrn", "recordnumber"],
    # The specific names of the date a document was written come before the bare "date", which some
    # exports use for the contact.
    "date": ["datewritten", "writtendate", "notewrittendate", "notedate", "dateentered", "entereddate",
             "signeddate", "datesigned", "completeddate", "datecompleted", "date", "written", "writtenon",
             "created", "createdat", "datecreated", "createddate", "entrydate", "documentdate", "plandate",
             "reviewdate"],
    "kind": ["kind", "type", "documenttype", "notetype", "doctype"],
    "contact_date": ["contactdate", "servicedate", "sessiondate", "visitdate", "dateofservice",
                     "dateofcontact", "encounterdate", "contactdatetime", "servicedatetime",
                     "appointmentdate", "dateofvisit", "sessiondatetime", "visitdatetime"],
}



def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def map_columns(header: list[str], chosen: dict[str, str | None], source: str) -> dict[str, str]:
    """field -> header name; raise naming the columns found when a chosen or required one is missing.

    The columns named by option are taken first; then each other field takes the first of its common
    names found among the columns not yet taken."""
    found = ", ".join(repr(h) for h in header if h) or "(none)"
    by_norm: dict[str, str] = {}
    for h in header:
        if h:
            by_norm.setdefault(_norm(h), h)
    mapping: dict[str, str] = {}
    for field in FIELDS:
        name = chosen.get(field)
        if name:
            if name not in header:
                raise BatchInputError(f"{source}: no column '{name}' for --{field.replace('_', '-')}-column; "
                                      f"the columns are: {found}")
            mapping[field] = name
    for field in FIELDS:
        if field in mapping:
            continue
        taken = set(mapping.values())
        guess = next((by_norm[c] for c in COMMON[field] if c in by_norm and by_norm[c] not in taken), None)
        if guess:
            mapping[field] = guess
    for field in REQUIRED:
        if field not in mapping:
            raise BatchInputError(f"{source}: cannot tell which column holds the {field}; the columns are: "
                                  f"{found}. Name it with --{field}-column.")
    return {field: mapping[field] for field in FIELDS if field in mapping}


def describe_mapping(mapping: dict, header: list[str]) -> list[str]:
    """How the columns were read, one line each: 'text ← "Note Text"', ..., then 'not used: "A", "B"'."""
    lines = [f'{field} ← "{mapping[field]}"' for field in FIELDS if field in mapping]
    used = set(mapping.values())
    unused = [h for h in dict.fromkeys(header) if h and h not in used]
    if unused:
        lines.append("not used: " + ", ".join(f'"{h}"' for h in unused))
    return lines


def missing_date_warnings(mapping: dict) -> list[str]:
    """What the timeliness criteria cannot judge for want of a date column (empty when nothing)."""
    if "date" not in mapping:
        return ["no date column: note.timely and plan.reviewed_in_interval cannot be judged; "
                "name it with --date-column"]
    if "contact_date" not in mapping:
        return ["no contact date column: note.timely cannot be judged for notes; "
                "name it with --contact-date-column"]
    return []
