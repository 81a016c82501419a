"""The run directory's files: its errors, JSON records read with the file named in any
error, and writes that a stop at any moment leaves whole (write aside, then rename)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from neurosym.errors import NeurosymError


class RunDirError(NeurosymError, ValueError):
    """A run directory that cannot be created, resumed or read; the message names it."""


class RunDirNotEmpty(NeurosymError, FileExistsError):
    """A fresh run into a folder that already holds something."""


class RunDirMissing(NeurosymError, FileNotFoundError):
    """A resumed run whose folder holds no run."""


def never_started(rundir: Path) -> bool:
    """A run directory with a config but no state: stopped while it was being made."""
    return (rundir / "config.json").is_file() and not (rundir / "state.json").exists()


def read_record(path: Path) -> dict:
    """A JSON object of the run directory (config.json, state.json), or RunDirError naming
    the file: damaged, not UTF-8, or not an object."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError) as err:  # ValueError: bad JSON or not UTF-8
        raise RunDirError(f"{path}: a damaged record ({type(err).__name__})") from None
    if not isinstance(data, dict):
        raise RunDirError(f"{path}: a damaged record (not a JSON object)")
    return data


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
