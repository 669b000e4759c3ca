"""Map an export's headers to casecoach's fields: by option first, else by common header names."""
from __future__ import annotations

import re

from .readers import BatchInputError

FIELDS = ("text", "id", "worker", "program", "client", "date", "kind", "contact_date")
REQUIRED = ("text",)
# Header names seen in case-management exports, compared without case, spaces or punctuation.
COMMON = {
    "text": ["text", "note", "notetext", "notes", "progressnote", "narrative", "body", "content",
             "goal", "goaltext", "description", "casenote"],
    "id": ["id", "documentid", "docid", "noteid", "recordid", "goalid", "uuid"],
    "worker": ["worker", "workerid", "caseworker", "casemanager", "staff", "staffname", "author",
               "writtenby", "cm", "user"],
    "program": ["program", "programname", "service", "site", "team", "unit"],
    "client": ["client", "clientid", "participant", "participantid", "youth", "youthid", "person",
               "caseid", "case", "familyid"],
    "date": ["date", "notedate", "written", "writtenon", "created", "createdat", "entrydate",
             "documentdate", "plandate", "reviewdate"],
    "kind": ["kind", "type", "documenttype", "notetype", "doctype"],
    "contact_date": ["contactdate", "servicedate", "sessiondate", "visitdate", "dateofservice",
                     "dateofcontact", "encounterdate"],
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def map_columns(header: list[str], chosen: dict[str, str | None], source: str) -> dict[str, str]:
    """field -> header name; raise naming the columns found when a chosen or required one is missing."""
    found = ", ".join(repr(h) for h in header if h) or "(none)"
    by_norm = {_norm(h): h for h in header if h}
    mapping: dict[str, str] = {}
    for field in FIELDS:
        name = chosen.get(field)
        if name:
            if name not in header:
                raise BatchInputError(f"{source}: no column '{name}' for --{field.replace('_', '-')}-column; "
                                      f"the columns are: {found}")
            mapping[field] = name
            continue
        guess = next((by_norm[c] for c in COMMON[field] if c in by_norm), None)
        if guess and guess not in mapping.values():
            mapping[field] = guess
    for field in REQUIRED:
        if field not in mapping:
            raise BatchInputError(f"{source}: cannot tell which column holds the {field}; the columns are: "
                                  f"{found}. Name it with --{field}-column.")
    return mapping
