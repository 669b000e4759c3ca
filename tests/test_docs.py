"""The README's Quick start is what CI runs, and its figures come from the commands it names."""
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    return [line for line in block.splitlines()[1:] if line.strip() and not line.startswith("#")]


def test_docs_quick_start_is_two_commands():
    assert len(quick_start_commands()) == 2


def test_docs_ci_runs_the_readme_test_command():
    assert quick_start_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_docs_every_profile_is_documented():
    for path in (ROOT / "rules" / "profiles").glob("*.yml"):
        assert f"`{path.stem}`" in README, path.stem


def test_docs_every_criterion_is_listed():
    for kind in ("goal", "note"):
        for path in (ROOT / "rules" / kind).glob("*.yml"):
            assert re.search(rf"`{kind}\.{path.stem}`", README), path.stem
