"""Hand-written reference solutions for the DreamCoder list tasks.

They show that the DSL can express each task family, give tests and benchmarks a
known-good program per task, and serve as a yardstick for what synthesis finds. The
programs live in dsl/reference/dreamcoder_lists.toml as templates over the family's
parameters (`{k}`, `{n}`), one per family, because DreamCoder names its tasks
"add-k with k=3", "slice-k-n with k=2 and n=3", ...
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

from neurosym.resources import dsl_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SUFFIX = re.compile(r" with k=(-?\d+)(?: and n=(-?\d+))?$")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_NOT_FAMILIES = {"unsolved"}


def family_of(task_name: str) -> tuple[str, dict[str, int]]:
    """Split "caesar-cipher-k-modulo-n with k=2 and n=3" into its family and parameters."""
    m = _SUFFIX.search(task_name)
    if m is None:
        return task_name, {}
    params = {"k": int(m.group(1))}
    if m.group(2) is not None:
        params["n"] = int(m.group(2))
    return task_name[: m.start()], params


@lru_cache(maxsize=1)
def _load() -> dict[str, dict]:
    path = dsl_dir() / "reference" / "dreamcoder_lists.toml"
    return tomllib.loads(path.read_text())


def load_reference_solutions() -> dict[str, str]:
    """Family -> program template, for every family that has a reference solution."""
    return {
        family: table["program"]
        for family, table in _load().items()
        if family not in _NOT_FAMILIES and isinstance(table, dict) and "program" in table
    }


def unsolved_families() -> dict[str, str]:
    """Family -> why no reference solution is given."""
    return dict(_load().get("unsolved", {}))


def instantiate(template: str, params: dict[str, int]) -> str:
    """Substitute parameters; negative values are written `(-3)`, the DSL's literal form."""

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in params:
            raise KeyError(f"template {template!r} needs parameter '{name}', which the task name lacks")
        v = params[name]
        return f"(-{-v})" if v < 0 else str(v)

    return _PLACEHOLDER.sub(value, template)


def reference_program(task_name: str) -> str | None:
    """The reference program text for a DreamCoder task, or None if its family has none."""
    family, params = family_of(task_name)
    template = load_reference_solutions().get(family)
    return None if template is None else instantiate(template, params)
