"""The layout keeps its rule: imports point one way along the data flow (docs/architecture.md)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lower layers never import higher ones; modules of one layer may import each other.
LAYERS = [
    {"checker.errors", "checker.resources", "checker.report", "checker.wordclasses", "checker.rulebook"},
    {"checker.annotate"},
    {"checker.judge"},
    {"checker.speak"},
    {"checker.engine"},
    {"checker.batch"},
    {"checker.learn"},
    {"checker.cli", "service"},
]
RUN_TIME = ["checker.engine", "checker.batch.run", "checker.batch.spark", "service"]


def module_name(path: Path) -> str:
    """The dotted module a source file defines."""
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every project module a file imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            # "from package import module" names a module; "from module import name" names the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def graph() -> dict[str, set[str]]:
    """The import graph of checker/ and service/."""
    files = [p for folder in ("checker", "service") for p in (ROOT / folder).rglob("*.py")]
    modules = {module_name(p) for p in files}
    return {module_name(p): imports_of(p, modules) for p in files}


def layer(module: str) -> int | None:
    """The index of a module's layer; None for the package faces (checker/__init__ re-exports the engine)."""
    for index, members in enumerate(LAYERS):
        if any(module == m or module.startswith(m + ".") for m in members):
            return index
    return None


def test_every_module_has_a_layer():
    assert [m for m in graph() if layer(m) is None and m != "checker"] == []


def test_imports_point_one_way():
    backwards = [(m, d) for m, deps in graph().items() for d in deps
                 if layer(m) is not None and layer(d) is not None and layer(d) > layer(m)]
    assert backwards == []


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, path):
        state[node] = 1
        for dep in sorted(edges[node]):
            if state.get(dep) == 1:
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, path + [dep])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_run_time_never_reaches_training_code_or_the_cli():
    edges = graph()
    for start in RUN_TIME:
        seen, todo = set(), [m for m in edges if m == start or m.startswith(start + ".")]
        todo = [m for m in todo if m != "service.cli"]  # `casecoach serve` is itself a command
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(edges[node])
        assert sorted(m for m in seen if m.startswith(("checker.learn", "checker.cli"))) == [], start


def test_the_checker_detects_a_backward_import(tmp_path):
    # The graph reader must see a relative import inside a function, the shape every lazy import has.
    source = tmp_path / "checker" / "annotate"
    source.mkdir(parents=True)
    (source / "probe.py").write_text("def f():\n    from ..speak.feedback import compose\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = imports_of(source / "probe.py", {"checker.annotate.probe", "checker.speak.feedback"})
    finally:
        ROOT = saved
    assert found == {"checker.speak.feedback"}
