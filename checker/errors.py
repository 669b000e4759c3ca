"""The errors casecoach raises for bad input: all ValueError subclasses with a one-line message."""


class CasecoachError(ValueError):
    """Base class: input or configuration casecoach cannot use."""


class EmptyTextError(CasecoachError):
    """The text is empty or only whitespace."""


class TextTooLongError(CasecoachError):
    """The text is longer than the configured limit."""


class TextEncodingError(CasecoachError):
    """The bytes are not UTF-8 text."""


class UnknownKindError(CasecoachError):
    """The kind is not one casecoach checks."""


class UnknownProfileError(CasecoachError):
    """No profile of that name exists."""


class RuleError(CasecoachError):
    """A rule, lexicon or profile file is malformed (raised at load time)."""
