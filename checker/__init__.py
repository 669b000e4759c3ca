"""casecoach's engine: check a service-plan goal or a progress note and coach its writer."""
from .engine import check, check_many
from .errors import CasecoachError
from .report import Report
from .rulebook import load_rulebook

__all__ = ["check", "check_many", "CasecoachError", "Report", "load_rulebook"]
