"""The one-way flow of DESIGN.md: a layer imports only the layers before it.

Order: lang -> task -> library -> search -> neural -> curriculum. `resources`, `errors`
(the root error class) and `version` are leaves every layer may use; `domains`, `cli`
and the package `__init__` sit on top. torch is imported only under neurosym/neural/.
No module imports, however lazily, a module that imports it back (no import cycles).
"""

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "neurosym"
ORDER = ["resources", "errors", "version", "lang", "task", "library", "search", "neural", "curriculum", "domains", "cli"]
ALIASES = {"task_io": "task", "task_checks": "task", "library_cli": "cli", "report_cli": "cli", "solve_cli": "cli", "cli_options": "cli", "__main__": "cli"}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "neurosym" or len(parts) == 1:
        return ""
    return ALIASES.get(parts[1], parts[1])


def _type_checking_blocks(tree: ast.AST) -> set[int]:
    """ids of the nodes under `if TYPE_CHECKING:` (annotations only: not imports at run time)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                inside |= {id(n) for n in ast.walk(child)}
    return inside


def imports(path: Path, names: bool = False) -> list[str]:
    """Modules `path` imports anywhere (inside functions too); with `names`, also
    `module.name` for every `from module import name` (a name may be a submodule)."""
    tree = ast.parse(path.read_text())
    skip = _type_checking_blocks(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            if names:
                found += [f"{node.module}.{a.name}" for a in node.names]
    return found


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def test_no_import_cycles():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        for imported in imports(path, names=True):
            if imported in modules and imported != name:
                graph.add_edge(name, imported)
    cycles = sorted(" -> ".join(c + [c[0]]) for c in nx.simple_cycles(graph))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_every_layer_imports_only_earlier_layers():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module == "neurosym.__init__":
            continue
        own = layer_of(module)
        assert own in ORDER, f"{module} is in no known layer; add it to ORDER"
        for imported in imports(path):
            other = layer_of(imported)
            if other and ORDER.index(other) > ORDER.index(own):
                problems.append(f"{module} imports {imported} ({own} may not import {other})")
    assert not problems, "\n".join(problems)


def test_torch_only_in_neural():
    offenders = [
        str(p) for p in PACKAGE.rglob("*.py")
        if "neural" not in p.parts and any(i.split(".")[0] == "torch" for i in imports(p))
    ]
    assert not offenders
