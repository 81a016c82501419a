"""What the `neurosym` commands share: option types, --dsl, --library, task sources, --out.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, NoReturn, Sequence

from neurosym.domains.registry import DOMAINS, domain_dsl, get_domain
from neurosym.errors import NeurosymError, UsageError
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL, load_dsl
from neurosym.library import Library
from neurosym.library.store import INDEX, default_library_path, load_library, load_or_base
from neurosym.search.work import library_record
from neurosym.task import Task
from neurosym.task_io import load_tasks

#: `--library base`: the DSL's primitives and literals alone, the default of every command
#: (a folder named base: `--library ./base`)
BASE_LIBRARY = "base"
#: `--library shipped`: the library learned from the built-in domains (`library/`); never
#: a default, since it inflates figures on the very domains it was learned from
SHIPPED_LIBRARY = "shipped"
LIBRARY_HELP = ("'base' (the DSL's primitives alone: the default), 'shipped' (the library learned from the "
                "built-in lists, integers and formal domains and DreamCoder's training half) or a library folder")
DSL_HELP = ("the language, as an import path 'package.module:attr' (default: the one the task file names, "
            "else the base language)")


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
open_fraction = _number(float, lambda v: 0 < v < 1, "a fraction strictly between 0 and 1")
positive_int = _number(int, lambda v: v > 0, "an integer >= 1")
non_negative_int = _number(int, lambda v: v >= 0, "an integer >= 0")


def add_train_and_test_budget_options(parser: argparse.ArgumentParser, searches: str) -> None:
    """--budget/--candidates per test task and --train-budget/--train-candidates per
    training task, as the learning benchmarks take them (curriculum.protocol's
    train_and_test_budgets turns them into two Budgets); `searches` says what the test
    budget is for."""
    parser.add_argument("--budget", type=positive_float, default=None,
                        help=f"seconds per test task, {searches} (default 10, or none with --candidates)")
    parser.add_argument("--candidates", type=positive_int, default=None,
                        help="candidates per test task; alone (without --budget) the figures do not depend on the "
                             "machine's speed or load")
    parser.add_argument("--train-budget", type=positive_float, default=None,
                        help="seconds per training task (default: the test budget)")
    parser.add_argument("--train-candidates", type=positive_int, default=None,
                        help="candidates per training task (with --train-budget, or alone; default: the test budget)")


# -- "did you mean" ---------------------------------------------------------------------


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the choices closest to `word`, or ""."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


# -- languages --------------------------------------------------------------------------


def add_dsl_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--dsl", metavar="MODULE:ATTR", help=DSL_HELP)


def open_dsl(reference: str, option: str = "--dsl") -> DSL:
    """The DSL at an import path; anything that goes wrong (no such module, attribute or
    DSL, or an error while the module builds it) is one line naming the path."""
    try:
        return load_dsl(reference)
    except NeurosymError as err:  # named by the option (or the file) it came from
        message = str(err)
        for prefix in (f"DSL reference {reference!r}", f"--dsl {reference!r}"):
            if message.startswith(prefix):
                raise UsageError(f"{option} {reference!r}{message[len(prefix):]}") from None
        raise UsageError(f"{option} {reference!r}: {message}") from None
    except Exception as err:  # noqa: BLE001 - the user's module failed while it was imported
        raise UsageError(f"{option} {reference!r}: importing it raised {type(err).__name__}: {err}") from None


def given_dsl(args: argparse.Namespace) -> DSL | None:
    """The DSL of --dsl, or None without one."""
    spec = getattr(args, "dsl", None)
    return None if spec is None else open_dsl(spec)


def load_task_file(path: str, given: DSL | None) -> tuple[list[Task], DSL]:
    """The tasks of a task file and their DSL: --dsl's, else the one the file names
    (`"dsl": "package.module:attr"`), else the base language. load_tasks refuses a file
    that names another DSL than --dsl, naming both: its values and types would be read
    in a language it was not written for."""
    tasks = load_tasks(path, dsl=given)
    return tasks, given if given is not None else tasks[0].dsl


# -- libraries --------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedLibrary:
    """A library that --library named: `label` for titles, `source` and `path` for records."""

    library: Library
    label: str
    source: str  # base, shipped or folder
    path: str | None = None

    def record(self) -> dict[str, Any]:
        """What results files and run directories record of it (see library_record)."""
        return library_record(self.library, self.source, self.path)


def open_library(spec: str | None, option: str = "--library", dsl: DSL | None = None) -> OpenedLibrary:
    """The library that `--library SPEC` names, in `dsl` (the base language by default):
    None and 'base' are the DSL's base library, 'shipped' the shipped library, anything
    else a folder that must hold a library (a missing or empty folder is an error, never
    the base library)."""
    language = dsl if dsl is not None else base_dsl()
    if spec is None or spec == BASE_LIBRARY:
        suffix = "" if language == base_dsl() else f" of DSL {language.name}"
        return OpenedLibrary(Library.base(dsl=language), f"base library{suffix}", "base")
    if spec == SHIPPED_LIBRARY:
        try:
            folder = default_library_path()
        except FileNotFoundError as err:
            raise UsageError(str(err)) from None
        return OpenedLibrary(load_or_base(folder, dsl=language), str(folder), "shipped", str(folder.resolve()))
    folder = Path(spec)
    base = f"`{option} base`" if option.startswith("-") else f"'{BASE_LIBRARY}'"
    hint = f"give a library folder, or {base} for the base primitives alone"
    if not folder.exists():
        raise UsageError(f"{option} {spec}: no such folder; {hint}")
    if not folder.is_dir():
        raise UsageError(f"{option} {spec}: not a folder; {hint}")
    if not (folder / INDEX).is_file():
        raise UsageError(f"{option} {spec}: no {INDEX}, so not a library folder; {hint}")
    return OpenedLibrary(load_library(folder, dsl=language), str(folder), "folder", str(folder.resolve()))


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


def task_source(args: argparse.Namespace) -> tuple[list[Task], DSL]:
    """TASKFILE or --domain (exactly one), filtered by --tasks, and the DSL to search
    them in: --dsl's, else the task file's, else the base language (the domains' own)."""
    if (args.taskfile is None) == (args.domain is None):
        raise UsageError("give a TASKFILE or --domain NAME (one of them)")
    given = given_dsl(args)
    if args.domain is not None:
        names = [n.strip() for n in args.domain.split(",")]
        tasks = domain_tasks(args.domain, args.seed)
        languages = {name: domain_dsl(name) for name in names}
        if given is None and len(set(languages.values())) > 1:
            listed = ", ".join(f"{n} ({d.name})" for n, d in languages.items())
            raise UsageError(f"--domain {args.domain}: the domains are in different languages ({listed}); "
                             "search them one at a time, or give --dsl a language that has all their types")
        dsl = given or next(iter(languages.values()))
        tasks = [t if t.dsl == dsl else _in_dsl(t, dsl, args.domain) for t in tasks]
    else:
        tasks, dsl = load_task_file(args.taskfile, given)
    return select_tasks(tasks, args.tasks), dsl


def _in_dsl(task: Task, dsl: DSL, domain: str) -> Task:
    """A built-in task searched in another language `dsl`, which must have its types."""
    try:
        dsl.check_type(task.type, f"task '{task.name}'")
    except NeurosymError as err:
        raise UsageError(f"--domain {domain}: {err}; its tasks are in the language {task.dsl.name!r}, and "
                         f"--dsl {dsl.reference} lacks their types") from None
    return replace(task, dsl=dsl)


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
