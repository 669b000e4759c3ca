"""LanguageTool's rule selection parameters: enabledRules, disabledRules, categories, enabledOnly, level."""
from __future__ import annotations

from dataclasses import dataclass

from checker.rulebook import Rulebook

from .ltmatches import CATEGORIES, Finding


def _ids(value: str | None) -> frozenset[str]:
    return frozenset(v.strip() for v in (value or "").split(",") if v.strip())


@dataclass(frozen=True)
class Selection:
    """Which findings a request wants; 'ask' questions are off unless level=picky or enabled by id."""

    enabled: frozenset[str]
    disabled: frozenset[str]
    enabled_categories: frozenset[str]
    disabled_categories: frozenset[str]
    only: bool
    picky: bool

    @classmethod
    def from_params(cls, params: dict[str, str]) -> "Selection":
        """Read the selection from request parameters (missing ones mean "everything")."""
        return cls(_ids(params.get("enabledRules")), _ids(params.get("disabledRules")),
                   _ids(params.get("enabledCategories")), _ids(params.get("disabledCategories")),
                   params.get("enabledOnly", "").lower() == "true", params.get("level") == "picky")

    def keeps(self, finding: Finding, rulebook: Rulebook) -> bool:
        """Whether this finding is reported."""
        crit = rulebook.criteria.get(finding.rule)
        category = (CATEGORIES.get(finding.rule) or CATEGORIES.get(crit.doc_kind if crit else "", ("",)))[0]
        named = finding.rule in self.enabled or category in self.enabled_categories
        if self.only:
            return named
        if finding.rule in self.disabled or category in self.disabled_categories:
            return False
        return not finding.hint or self.picky or named
