"""Where casecoach's data lives: the packaged rules/ and models/, or a configured directory."""
from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import re

import yaml

from .errors import RuleError


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when PyYAML has it
    """YAML 1.2 booleans: only true/false; "on", "off", "no", "yes" stay words (they are in lexicons)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def rules_root(override: str | os.PathLike | None = None) -> Traversable:
    """The rules directory: the argument, $CASECOACH_RULES, or the packaged `rules`."""
    chosen = override or os.environ.get("CASECOACH_RULES")
    return Path(chosen) if chosen else resources.files("rules")


def models_root(override: str | os.PathLike | None = None) -> Traversable:
    """The models directory: the argument, $CASECOACH_MODELS, or the packaged `models`."""
    chosen = override or os.environ.get("CASECOACH_MODELS")
    return Path(chosen) if chosen else resources.files("models")


def read_yaml(entry: Traversable) -> dict:
    """Parse one YAML mapping, naming the file in the error if it is not one."""
    try:
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise RuleError(f"{entry.name}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise RuleError(f"{entry.name}: expected a mapping at the top level")
    return data


def yaml_files(folder: Traversable) -> list[Traversable]:
    """The .yml files directly inside a folder, sorted by name (missing folder: none)."""
    if not folder.is_dir():
        return []
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yml")), key=lambda e: e.name)


def sample_drafts() -> dict[str, str]:
    """The shipped sample drafts, one per kind ({"goal": text, "note": text, …}): the demo's drafts."""
    folder = resources.files("checker") / "samples"
    return {kind: (folder / f"{kind}.txt").read_text(encoding="utf-8") for kind in ("goal", "note", "plan", "assessment", "objective")}
