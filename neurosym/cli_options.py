"""What the `neurosym` commands share: option types, --library, task sources, --out.

Every check here runs before any search starts, so that a typo costs a second and never
the results of a long run. Each failure is a `UsageError` (or the layer's own
NeurosymError) whose one line names the option or file at fault; `neurosym.cli.main`
prints it as `error: ...` and exits with code 2.
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import math
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn, Sequence

from neurosym.domains.registry import DOMAINS, get_domain
from neurosym.errors import UsageError
from neurosym.library import Library
from neurosym.library.store import INDEX, default_library_path, load_library, load_or_base
from neurosym.task import Task
from neurosym.task_io import load_tasks

#: `--library base`: the base primitives alone (a folder named base: `--library ./base`)
BASE_LIBRARY = "base"
LIBRARY_HELP = "library folder, or 'base' for the base primitives alone (default: the shipped library)"


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with a bad option reported like every other bad input (one line,
    exit code 2, through `main`) rather than a usage dump and SystemExit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


# -- option types: refused at parse time, naming the option -----------------------------


def _number(kind: type, test: Callable[[Any], bool], wanted: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
            ok = (kind is int or math.isfinite(value)) and test(value)  # nan and inf never stop a search
        except (ValueError, OverflowError):
            ok = False
        if not ok:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    parse.__name__ = wanted  # argparse names the type in some messages
    return parse


positive_float = _number(float, lambda v: v > 0, "a finite number > 0")
non_negative_float = _number(float, lambda v: v >= 0, "a finite number >= 0")
fraction = _number(float, lambda v: 0 <= v < 1, "a fraction in [0, 1)")
positive_int = _number(int, lambda v: v > 0, "an integer >= 1")
non_negative_int = _number(int, lambda v: v >= 0, "an integer >= 0")


# -- "did you mean" ---------------------------------------------------------------------


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the choices closest to `word`, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


# -- libraries --------------------------------------------------------------------------


def open_library(spec: str | None, option: str = "--library") -> tuple[Library, str]:
    """The library that `--library SPEC` names, and a label for titles: None is the
    shipped library, 'base' the base primitives alone, anything else a folder that must
    hold a library (a missing or empty folder is an error, never the base library)."""
    if spec is None:
        try:
            folder = default_library_path()
        except FileNotFoundError as err:
            raise UsageError(str(err)) from None
        return load_or_base(folder), str(folder)
    if spec == BASE_LIBRARY:
        return Library.base(), "base library"
    folder = Path(spec)
    base = f"`{option} base`" if option.startswith("-") else f"'{BASE_LIBRARY}'"
    hint = f"give a library folder, or {base} for the base primitives alone"
    if not folder.exists():
        raise UsageError(f"{option} {spec}: no such folder; {hint}")
    if not folder.is_dir():
        raise UsageError(f"{option} {spec}: not a folder; {hint}")
    if not (folder / INDEX).is_file():
        raise UsageError(f"{option} {spec}: no {INDEX}, so not a library folder; {hint}")
    return load_library(folder), str(folder)


# -- tasks ------------------------------------------------------------------------------


def domain_tasks(names: str, seed: int) -> list[Task]:
    """The tasks of `--domain NAME[,NAME...]`."""
    tasks = []
    for name in (n.strip() for n in names.split(",")):
        if name not in DOMAINS:
            raise UsageError(f"--domain {name!r}: no such domain{did_you_mean(name, DOMAINS)}; "
                             f"domains: {', '.join(DOMAINS)}")
        try:
            tasks += get_domain(name, seed=seed)
        except FileNotFoundError as err:  # a domain whose data is not installed
            raise UsageError(f"--domain {name}: {err}") from None
    return tasks


def select_tasks(tasks: Sequence[Task], pattern: str | None) -> list[Task]:
    """The tasks whose name matches the glob of --tasks (all without one)."""
    if pattern is None:
        return list(tasks)
    chosen = [t for t in tasks if fnmatch.fnmatchcase(t.name, pattern)]
    if not chosen:
        names = [t.name for t in tasks]
        raise UsageError(f"no task matches --tasks {pattern!r}{did_you_mean(pattern.strip('*?'), names)}")
    return chosen


def task_source(args: argparse.Namespace) -> list[Task]:
    """TASKFILE or --domain (exactly one), filtered by --tasks."""
    if (args.taskfile is None) == (args.domain is None):
        raise UsageError("give a TASKFILE or --domain NAME (one of them)")
    tasks = domain_tasks(args.domain, args.seed) if args.domain is not None else load_tasks(args.taskfile)
    return select_tasks(tasks, args.tasks)


# -- output files -----------------------------------------------------------------------


def writable_file(path: str, option: str = "--out", example: str = "results.json") -> Path:
    """`path` as a file that can be written, checked now (before a search that would
    otherwise end in a traceback and lose its results)."""
    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{option} {path}: is a directory; give a file name such as {out / example}")
    folder = out.parent
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: no folder {folder}" + ("" if not folder.exists() else " (a file)"))
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"{option} {path}: permission denied")
    return out


def write_file(path: Path, text: str, option: str = "--out") -> None:
    """Write `text` to `path` through a temporary file and a rename, so that a reader
    never sees half a results file."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"{option} {path}: cannot write ({err.strerror or err})") from None
