"""The `neurosym` command line (also `python -m neurosym`).

Exit codes: 0 success, 1 the program fails some examples, 2 bad input (a one-line
message, plus the offending line and a caret for parse errors). `-v` logs progress
(INFO) to stderr, `-q` leaves only errors, results and the final summary. The commands
live in their modules: solve and curriculum in solve_cli, library in library_cli,
report in report_cli; `check` and `tasks` are here.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from typing import Iterator, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from neurosym.version import __version__
from neurosym.cli_options import (
    LIBRARY_HELP,
    ArgumentParser,
    add_dsl_option,
    given_dsl,
    load_task_file,
    open_library,
    positive_int,
    select_tasks,
    task_source,
)
from neurosym.domains.registry import DOMAINS
from neurosym.errors import NeurosymError, UsageError
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.parser import ParseError
from neurosym.lang.primitives import Limits
from neurosym.lang.program import load_program
from neurosym.lang.typecheck import TypeCheckError
from neurosym.lang.types import format_type
from neurosym.library.store import default_library_path, load_library
from neurosym.library_cli import add_library_commands
from neurosym.report_cli import add_report_command
from neurosym.solve_cli import add_solve_commands
from neurosym.task_io import read_text_file


def _program_text(args: argparse.Namespace) -> str:
    if args.program_file:
        return read_text_file(args.program_file, "program file", UsageError)
    return args.program


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    """Run one program on every task of a task file and report examples passed."""
    tasks, dsl = load_task_file(args.taskfile, given_dsl(args))
    tasks = select_tasks(tasks, args.tasks)
    opened = open_library(args.library, dsl=dsl)
    library = opened.library
    try:
        program = load_program(_program_text(args), library.env(), dsl=dsl)
    except TypeCheckError as err:
        if opened.source == "base" and _shipped_routine(err.subterm, dsl):
            raise TypeCheckError(f"{err}; '{err.subterm}' is a routine of the shipped library: "
                                 "give --library shipped") from None
        raise
    for task in tasks:
        try:
            program.check(task.type)
        except TypeCheckError as err:
            raise TypeCheckError(f"task '{task.name}': {err}") from None
    limits = Limits(steps=args.steps)
    compiled = program.compile(limits, library.routine_values(limits))
    table = Table(title=escape(str(args.taskfile)))
    table.add_column("task", no_wrap=True)
    for column in ("examples", "held-out"):
        table.add_column(column, justify="right")
    table.add_column("first failure", overflow="fold")
    all_pass = True
    for task in tasks:
        score = task.score(compiled)
        ok = score.solved and score.held_out_passed == score.held_out_total
        all_pass &= ok
        held = f"{score.held_out_passed}/{score.held_out_total}" if score.held_out_total else "-"
        table.add_row(Text(task.name), Text(f"{score.passed}/{score.total}", style="green" if ok else "red"), held,
                      Text(score.first_failure))
    console.print(table)
    console.print("[green]all examples pass[/]" if all_pass else "[red]some examples fail[/]")
    return 0 if all_pass else 1


def _shipped_routine(name: str, dsl: DSL) -> bool:
    """Whether `name` is a routine of the shipped library (for the hint of an unknown
    name, now that the default library is the base one)."""
    try:
        return name in {r.name for r in load_library(default_library_path(), dsl=dsl).routines}
    except (NeurosymError, OSError):  # not installed, or of another DSL: no hint
        return False


def cmd_tasks(args: argparse.Namespace, console: Console) -> int:
    """List tasks: name, type, examples and held-out examples (what `solve` would see)."""
    tasks, dsl = task_source(args)
    table = Table(title=escape(args.taskfile or f"domain {args.domain}"))
    table.add_column("task", no_wrap=True)
    table.add_column("type", overflow="fold")
    for column in ("examples", "held-out"):
        table.add_column(column, justify="right")
    for t in tasks:
        table.add_row(Text(t.name), Text(format_type(t.type)), str(len(t.examples)), str(len(t.held_out)))
    console.print(table)
    console.print(f"{len(tasks)} tasks" + ("" if dsl == base_dsl() else f" in DSL {dsl.describe()}"), highlight=False,
                  soft_wrap=True)
    return 0


class _StderrHandler(logging.StreamHandler):
    """Logs to whatever sys.stderr is when a record is written (pytest swaps it)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


@contextlib.contextmanager
def _logging(verbose: bool, quiet: bool) -> Iterator[None]:
    """The package's loggers at INFO with -v, ERROR with -q (WARNING otherwise), for one
    command; restored after, so that calling main() twice in a process is clean."""
    logger = logging.getLogger("neurosym")
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    old = logger.level
    logger.setLevel(logging.INFO if verbose else logging.ERROR if quiet else logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="neurosym", description="Learn programs from examples.")
    parser.add_argument("--version", action="version", version=f"neurosym {__version__}")
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-v", "--verbose", action="store_true", help="log progress (INFO) to stderr")
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="print only errors, results and the final summary (no progress)")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="run a program on every task of a task file")
    check.add_argument("taskfile", help="task file (neurosym JSON or DreamCoder list_tasks.json)")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--program", help="program text, e.g. 'map (\\x -> x * 2)'")
    source.add_argument("--program-file", help="file holding the program text")
    check.add_argument("--library", metavar="PATH", help=LIBRARY_HELP)
    add_dsl_option(check)
    check.add_argument("--tasks", metavar="PATTERN", help="only tasks whose name matches this glob, e.g. 'add-k*'")
    check.add_argument("--steps", type=positive_int, default=Limits().steps, help="step budget per example")
    check.set_defaults(run=cmd_check)

    tasks = sub.add_parser("tasks", help="list the tasks of a task file or a built-in domain")
    tasks.add_argument("taskfile", nargs="?", help="task file (neurosym JSON or DreamCoder list_tasks.json)")
    tasks.add_argument("--domain", help=f"a built-in task set instead, comma-separated: {', '.join(DOMAINS)}")
    tasks.add_argument("--tasks", metavar="PATTERN", help="only tasks whose name matches this glob")
    tasks.add_argument("--seed", type=int, default=0, help="seed of a domain's sampled examples (default 0)")
    add_dsl_option(tasks)
    tasks.set_defaults(run=cmd_tasks)

    add_solve_commands(sub)
    add_library_commands(sub)
    add_report_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        with _logging(args.verbose, args.quiet):
            return args.run(args, Console())
    except ParseError as e:
        message = f"parse error at {e}"
    except NeurosymError as e:  # every error for bad input derives from it
        message = str(e)
    sys.stderr.write(f"error: {message}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
