"""Where the shipped `dsl/`, `library/` and `data/` folders are.

In a source checkout (including an editable install) they sit at the repository's top
level, beside the package; in a wheel they are shipped as package data under
`neurosym/_data/`. Both layouts are tried, package data first.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"cannot find the shipped '{name}/' folder next to the neurosym package "
        f"(looked in {_PACKAGE / '_data' / name} and {_PACKAGE.parent / name}); "
        "reinstall neurosym"
    )


def dsl_dir() -> Path:
    """The folder holding grammar.lark and primitives.toml."""
    return _find("dsl")


def library_dir() -> Path:
    """The shipped global library folder."""
    return _find("library")


def data_dir() -> Path:
    """The vendored public benchmark data (DreamCoder's list tasks, PSB1), see data/README.md."""
    return _find("data")
