"""Load and validate the rule data: lexicons (cue patterns), criteria and profiles."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable

from spacy.schemas import validate_token_pattern

from .errors import RuleError
from .resources import read_yaml, rules_root, yaml_files
from .wordclasses import load_wordclasses

KINDS = ("goal", "note", "assessment", "objective", "plan")
STATUSES = ("met", "partial", "missing", "ask")
CRITERION_KEYS = {"name", "source", "kind", "level", "weight", "check", "messages",
                  "suggestion", "question", "examples", "anchor", "noun", "doc_kind"}
# Where an editor marks a criterion that is missing: where the fix is written.
ANCHORS = {"verb", "subject", "start", "end"}
CHECK_TYPES = {"existence", "cooccur", "avoid", "ask", "function"}
LEXICON_KEYS = {"label", "description", "sets", "patterns", "evidence_until"}
# Attributes a blank pipeline sets; LEMMA, POS, TAG, DEP, MORPH, ENT_TYPE would silently match nothing.
TOKEN_ATTRS = {"ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "SHAPE", "PREFIX", "SUFFIX", "IS_ALPHA",
               "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
               "IS_STOP", "IS_SENT_START", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "OP", "IS_BRACKET",
               "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY"}


@dataclass(frozen=True)
class Criterion:
    """One checklist line: its id (= path), header, check and examples."""

    id: str
    name: str
    source: str
    kind: str
    level: str
    weight: float
    check: dict
    messages: dict
    suggestion: str | None
    question: str | None
    examples: dict
    noun: str | None = None  # what a draft that meets it has, as a noun phrase: "a measure"
    anchor: str = "verb"  # verb | subject (the goal's) | start | end (the text's first / last sentence)
    judged_on: str | None = None  # the kind it is judged on when not its id's first part (plan.visitation: objective)

    @property
    def doc_kind(self) -> str:
        """The document kind the criterion is judged on: its YAML's `doc_kind`, else its id's first part."""
        return self.judged_on or self.id.split(".")[0]


@dataclass(frozen=True)
class Profile:
    """An agency's choice of criteria, weights and settings."""

    name: str
    description: str
    criteria: tuple[str, ...]
    weights: dict = field(default_factory=dict)
    program_outcomes: tuple[str, ...] = ()
    vocabulary: tuple[str, ...] = ()
    settings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rulebook:
    """Everything loaded from one rules directory."""

    criteria: dict[str, Criterion]
    patterns: list[dict]
    replacements: dict[str, list[str]]
    evidence_until: dict[str, frozenset[str]]
    profiles: dict[str, Profile]
    vocabulary: frozenset[str]
    root: str | None = None  # the rules directory it was read from (None: the packaged one)
    # Per program: the words that tell a draft belongs to it, and its examples (rules/programs.yml).
    programs: dict[str, tuple[frozenset[str], dict[str, str]]] = field(default_factory=dict)
    general_examples: dict[str, str] = field(default_factory=dict)

    def for_kind(self, kind: str, profile: Profile) -> list[Criterion]:
        """The criteria of one document kind that a profile turns on, weightiest first."""
        chosen = [c for c in self.criteria.values() if c.doc_kind == kind and c.id in profile.criteria]
        return sorted(chosen, key=lambda c: (-profile.weights.get(c.id, c.weight), c.kind == "ask", c.id))


def _criterion(cid: str, data: dict) -> Criterion:
    unknown = set(data) - CRITERION_KEYS
    if unknown:
        raise RuleError(f"{cid}: unknown keys {sorted(unknown)}")
    for key in ("name", "source", "kind", "weight", "check", "messages"):
        if key not in data:
            raise RuleError(f"{cid}: missing '{key}'")
    if data["kind"] not in ("require", "avoid", "ask"):
        raise RuleError(f"{cid}: kind must be require, avoid or ask")
    if data.get("doc_kind", cid.split(".")[0]) not in KINDS:
        raise RuleError(f"{cid}: doc_kind must be one of {', '.join(KINDS)}")
    if data["check"].get("type") not in CHECK_TYPES:
        raise RuleError(f"{cid}: check.type must be one of {sorted(CHECK_TYPES)}")
    if data.get("anchor", "verb") not in ANCHORS:
        raise RuleError(f"{cid}: anchor must be one of {sorted(ANCHORS)}")
    examples = data.get("examples") or {}
    if data["kind"] != "ask" and not (examples.get("pass") and examples.get("fail")):
        raise RuleError(f"{cid}: needs examples with both pass and fail")
    return Criterion(id=cid, name=data["name"], source=data["source"], kind=data["kind"],
                     level=data.get("level", "warning"), weight=float(data["weight"]),
                     check=data["check"], messages=data["messages"],
                     suggestion=data.get("suggestion"), question=data.get("question"),
                     examples=examples, noun=data.get("noun"),
                     anchor=data.get("anchor", "verb" if cid.startswith("goal.") else "start"),
                     judged_on=data.get("doc_kind"))


def _expand(value, sets: dict, where: str):
    """Replace "$name" strings with the lexicon's named word sets, recursively."""
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in sets:
            raise RuleError(f"{where}: unknown set {value}")
        return sets[value[1:]]
    if isinstance(value, dict):
        return {k: (_words_of(v, sets, where) if k in ("IN", "NOT_IN") else _expand(v, sets, where))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, sets, where) for v in value]
    return value


def _words_of(value, sets: dict, where: str) -> list[str]:
    """An IN / NOT_IN word list: a "$set", or a list whose "$set" items are spelt out in place."""
    items = _expand(value, sets, where) if isinstance(value, str) else value
    out = []
    for item in items:
        out += _expand(item, sets, where) if isinstance(item, str) and item.startswith("$") else [str(item)]
    return out


def _check_token_pattern(pattern: list, where: str) -> None:
    problems = validate_token_pattern(pattern)
    if problems:
        raise RuleError(f"{where}: {problems[0]}")
    for token in pattern:
        if not isinstance(token, dict):
            raise RuleError(f"{where}: a token pattern must be a list of mappings")
        bad = set(token) - TOKEN_ATTRS
        if bad:
            raise RuleError(f"{where}: attributes {sorted(bad)} are not set by the pipeline")


def _choices(token: dict) -> list[str] | None:
    """The words one token spec accepts, if it is a plain word list (else None)."""
    if set(token) - {"LOWER", "OP"} or token.get("OP") not in (None, "?"):
        return None
    lower = token.get("LOWER")
    words = [lower] if isinstance(lower, str) else lower.get("IN") if isinstance(lower, dict) and set(lower) == {"IN"} else None
    if words is None:
        return None
    return list(dict.fromkeys(words)) + ([""] if token.get("OP") == "?" else [])


def as_phrases(pattern: list[dict], most: int = 4000) -> list[str] | None:
    """A token pattern of plain word lists, spelt out as the phrases it matches (None if it is not).

    spaCy's Matcher costs time per pattern per token; its PhraseMatcher looks every phrase up by
    hash. Spelling word-list patterns out as phrases keeps the rules readable and the matching fast.
    """
    phrases = [""]
    for token in pattern:
        words = _choices(token)
        if words is None or len(phrases) * len(words) > most:
            return None
        phrases = [f"{p} {w}".strip() for p in phrases for w in words]
    return [p for p in dict.fromkeys(phrases) if p]


CURLY = str.maketrans("'", "\u2019")  # web pages and word processors write the apostrophe as ’


def _with_curly(value):
    """A word, list or pattern that also accepts each apostrophe written curly ("client’s", "n’t",
    "didn’t"): the tokenizer splits both alike, so one spelling in the rules serves both."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_with_curly(v) for v in value]
    out = {}
    for key, item in value.items():
        if key in ("LOWER", "ORTH", "TEXT") and isinstance(item, str) and "'" in item:
            item = {"IN": [item, item.translate(CURLY)]}
        elif key in ("IN", "NOT_IN") and isinstance(item, list):
            item = item + [w.translate(CURLY) for w in item if isinstance(w, str) and "'" in w]
        elif isinstance(item, dict):
            item = _with_curly(item)
        out[key] = item
    return out


def _lexicon(entry: Traversable, classes: dict[str, list[str]]) -> tuple[list[dict], dict[str, list[str]], dict]:
    data = read_yaml(entry)
    where = f"lexicons/{entry.name}"
    if set(data) - LEXICON_KEYS or "label" not in data or not data.get("patterns"):
        raise RuleError(f"{where}: needs 'label' and 'patterns' (allowed keys {sorted(LEXICON_KEYS)})")
    sets = classes | {k: [str(w).lower() for w in v] for k, v in (data.get("sets") or {}).items()}
    patterns, replacements = [], {}
    for i, item in enumerate(data["patterns"]):
        spec = item if isinstance(item, dict) and "pattern" in item else {"pattern": item}
        pattern = _expand(spec["pattern"], sets, where)
        if isinstance(pattern, list):
            _check_token_pattern(pattern, where)
        elif not isinstance(pattern, str):
            raise RuleError(f"{where}: pattern {i} is neither a phrase nor a token list")
        pid = f"{data['label']}:{entry.name[:-4]}:{i}"
        if spec.get("replacements"):
            replacements[pid] = list(spec["replacements"])
        if isinstance(pattern, list):
            pattern = _with_curly(pattern)
        spelt = as_phrases(pattern) if isinstance(pattern, list) else None
        variants = spelt or [pattern]
        if isinstance(pattern, str) and "'" in pattern:
            variants.append(pattern.translate(CURLY))
        for variant in variants:
            patterns.append({"label": data["label"], "pattern": variant, "id": pid})
    until = {data["label"]: frozenset(str(w).lower() for w in data["evidence_until"])} if data.get("evidence_until") else {}
    return patterns, replacements, until


def _profile(entry: Traversable, all_ids: list[str]) -> Profile:
    data = read_yaml(entry)
    name = entry.name[:-4]
    chosen = data.get("criteria", "all")
    ids = all_ids if chosen == "all" else [i for i in all_ids if any(
        i == c or (c.endswith(".*") and i.startswith(c[:-1])) for c in chosen)]
    unknown = set(data.get("weights") or {}) - set(all_ids)
    if unknown:
        raise RuleError(f"profiles/{entry.name}: weights for unknown criteria {sorted(unknown)}")
    return Profile(name=name, description=data.get("description", ""), criteria=tuple(ids),
                   weights=dict(data.get("weights") or {}),
                   program_outcomes=tuple(data.get("program_outcomes") or ()),
                   vocabulary=tuple(data.get("vocabulary") or ()),
                   settings=dict(data.get("settings") or {}))


@lru_cache(maxsize=4)
def load_rulebook(root: str | None = None) -> Rulebook:
    """Read every lexicon, criterion and profile under a rules directory; fail loudly on bad data."""
    base = rules_root(root)
    criteria: dict[str, Criterion] = {}
    for kind in KINDS:
        for entry in yaml_files(base / kind):
            cid = f"{kind}.{entry.name[:-4]}"
            criteria[cid] = _criterion(cid, read_yaml(entry))
    for cid, crit in criteria.items():
        outside = crit.check.get("outside")
        if outside is not None and (outside not in criteria or criteria[outside].check.get("type") != "avoid"):
            raise RuleError(f"{cid}: check.outside must name a criterion of type avoid, not {outside!r}")
    patterns, replacements, until = [], {}, {}
    classes = load_wordclasses(base)
    for entry in yaml_files(base / "lexicons"):
        p, r, u = _lexicon(entry, classes)
        patterns += p
        replacements.update(r)
        until.update(u)
    vocab_file = base / "vocabulary.txt"
    vocabulary = frozenset(w.strip().lower() for w in vocab_file.read_text(encoding="utf-8").splitlines()
                           if w.strip() and not w.startswith("#")) if vocab_file.is_file() else frozenset()
    profiles = {e.name[:-4]: _profile(e, list(criteria)) for e in yaml_files(base / "profiles")}
    if "default" not in profiles:
        raise RuleError("profiles/default.yml is missing")
    programs, general = _programs(base)
    return Rulebook(criteria, patterns, replacements, until, profiles, vocabulary, root, programs, general)


def _programs(base) -> tuple[dict, dict]:
    """rules/programs.yml: each program's words and examples, and the general examples (none: none)."""
    entry = base / "programs.yml"
    if not entry.is_file():
        return {}, {}
    data = read_yaml(entry)
    general = {str(k): str(v) for k, v in (data.get("general") or {}).items()}
    programs = {}
    for name, spec in (data.get("programs") or {}).items():
        if not isinstance(spec, dict) or not spec.get("words") or not isinstance(spec.get("examples"), dict):
            raise RuleError(f"programs.yml: {name} needs 'words' and 'examples'")
        missing = set(general) - set(spec["examples"])
        if missing:
            raise RuleError(f"programs.yml: {name} has no example for {sorted(missing)}")
        programs[str(name)] = (frozenset(str(w).lower() for w in spec["words"]),
                               {str(k): str(v) for k, v in spec["examples"].items()})
    return programs, general
