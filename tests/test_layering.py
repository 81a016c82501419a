"""The one-way flow of DESIGN.md: a layer imports only the layers before it.

Order: lang -> task -> library -> search -> neural -> curriculum. `resources` and
`errors` (the root error class) are leaves every layer may use; `domains`, `cli` and the package `__init__` sit on top. torch is
imported only under neurosym/neural/.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "neurosym"
ORDER = ["resources", "errors", "lang", "task", "library", "search", "neural", "curriculum", "domains", "cli"]
ALIASES = {"task_io": "task", "library_cli": "cli", "report_cli": "cli"}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "neurosym" or len(parts) == 1:
        return ""
    return ALIASES.get(parts[1], parts[1])


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


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
