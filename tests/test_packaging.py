"""What a non-editable install ships: every rule file, model and sample the engine reads."""
import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).parent.parent


def shipped(package: str) -> list[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["tool"]["setuptools"]["package-data"][package]


def test_every_rule_file_is_package_data():
    globs = shipped("rules")
    files = [p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*")
             if p.is_file() and p.suffix in (".yml", ".txt")]
    assert files and [f for f in files if not any(fnmatch(f, g) and f.count("/") == g.count("/") for g in globs)] == []


def test_models_and_samples_are_package_data():
    for package, folder, pattern in (("models", ROOT / "models", "*"), ("checker", ROOT / "checker" / "samples", "samples/*")):
        globs = shipped(package)
        names = [p.name if package == "models" else f"samples/{p.name}" for p in folder.iterdir()
                 if p.is_file() and p.suffix in (".json", ".md", ".txt")]
        assert names and [n for n in names if not any(fnmatch(n, g) for g in globs)] == []
