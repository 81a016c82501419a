"""The `neurosym` command line.

Exit codes: 0 success, 1 the program fails some examples, 2 bad input (a one-line
message, plus the offending line and a caret for parse errors).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from neurosym import __version__
from neurosym.errors import NeurosymError, UsageError
from neurosym.lang.parser import ParseError
from neurosym.lang.primitives import Limits
from neurosym.lang.program import load_program
from neurosym.lang.typecheck import TypeCheckError
from neurosym.domains.registry import DOMAINS, get_domain
from neurosym.library import Library
from neurosym.library.store import default_library_path, load_or_base
from neurosym.library_cli import add_library_commands
from neurosym.report_cli import add_report_command
from neurosym.search.executors import EXECUTORS, import_ray
from neurosym.search.base import SearchResult
from neurosym.search.solve import METHODS, solve, summarize
from neurosym.task_io import load_tasks


def _program_text(args: argparse.Namespace) -> str:
    if args.program_file:
        try:
            return Path(args.program_file).read_text()
        except OSError as err:
            raise UsageError(f"cannot read program file {args.program_file}: {err.strerror}") from None
    return args.program


def _library(args: argparse.Namespace) -> Library:
    """--library PATH, or the shipped library (the base library while it is empty)."""
    return load_or_base(args.library or default_library_path())


def _select(tasks: list, pattern: str | None) -> list:
    if pattern is None:
        return tasks
    chosen = [t for t in tasks if fnmatch.fnmatchcase(t.name, pattern)]
    if not chosen:
        raise UsageError(f"no task matches --tasks {pattern!r}")
    return chosen


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    """Run one program on every task of a task file and report examples passed."""
    tasks = _select(load_tasks(args.taskfile), args.tasks)
    library = _library(args)
    program = load_program(_program_text(args), library.env())
    for task in tasks:
        try:
            program.check(task.type)
        except TypeCheckError as err:
            raise TypeCheckError(f"task '{task.name}': {err}") from None
    limits = Limits(steps=args.steps)
    compiled = program.compile(limits, library.routine_values(limits))
    table = Table(title=f"{args.taskfile}", show_lines=False)
    for column in ("task", "examples", "held-out", "first failure"):
        table.add_column(column)
    all_pass = True
    for task in tasks:
        score = task.score(compiled)
        ok = score.solved and score.held_out_passed == score.held_out_total
        all_pass &= ok
        style = "green" if ok else "red"
        held = f"{score.held_out_passed}/{score.held_out_total}" if score.held_out_total else "-"
        table.add_row(task.name, f"[{style}]{score.passed}/{score.total}[/]", held, score.first_failure)
    console.print(table)
    console.print("[green]all examples pass[/]" if all_pass else "[red]some examples fail[/]")
    return 0 if all_pass else 1


def _load_task_source(args: argparse.Namespace) -> list:
    if (args.taskfile is None) == (args.domain is None):
        raise UsageError("give a TASKFILE or --domain NAME (one of them)")
    if args.domain is not None:
        try:  # several domains may be named: --domain lists,formal
            tasks = [t for name in args.domain.split(",") for t in get_domain(name.strip(), seed=args.seed)]
        except (ValueError, FileNotFoundError) as err:
            raise UsageError(str(err)) from None
    else:
        tasks = load_tasks(args.taskfile)
    return _select(tasks, args.tasks)


def cmd_solve(args: argparse.Namespace, console: Console) -> int:
    """Search for a program for every task; a progress bar, a table, a results file."""
    if args.budget <= 0 or args.jobs < 1:
        raise UsageError("--budget must be positive and --jobs at least 1")
    _check_executor(args)
    tasks = _load_task_source(args)
    config = {"source": args.taskfile or f"domain:{args.domain}", "method": args.method, "budget": args.budget,
              "seed": args.seed, "jobs": args.jobs, "executor": args.executor, "address": args.address,
              "tasks": args.tasks, "version": __version__}
    table = Table(title=f"neurosym solve ({args.method}, {args.budget:g} s per task)")
    for column in ("task", "solved", "time (s)", "candidates", "held-out", "program"):
        table.add_column(column, overflow="fold")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        bar = progress.add_task("searching", total=len(tasks))

        def advance(result: SearchResult) -> None:
            mark = "[green]solved[/]" if result.solved else "[red]-[/]"
            progress.update(bar, advance=1, description=f"{result.task}: {mark}")

        results = solve(tasks, method=_method(args), budget=args.budget, seed=args.seed, jobs=args.jobs,
                        library=_library(args), on_result=advance, executor=args.executor,
                        address=args.address)
    for r in results:
        held = "-" if r.held_out_accuracy is None else f"{r.held_out_accuracy:.0%}"
        table.add_row(r.task, "[green]yes[/]" if r.solved else "[red]no[/]", f"{r.seconds:.2f}",
                      f"{r.candidates:,}", held, r.program_text or "")
    console.print(table)
    summary = summarize(results)
    median = summary["median_time_solved"]
    console.print(f"solved {summary['solved']}/{summary['tasks']}"
                  + (f", median time to solution {median:.2f} s" if median is not None else ""))
    if args.out:
        out = {"config": config, "summary": summary, "tasks": [r.to_json() for r in results]}
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
        console.print(f"results written to {args.out}")
    return 0


def _method(args: argparse.Namespace) -> object:
    """The method name, or for `neural` the guided searcher with the model of --model."""
    if args.method != "neural":
        if args.model:
            raise UsageError("--model is the recognition model of --method neural")
        return args.method
    if not args.model:
        raise UsageError("--method neural needs --model PATH (a checkpoint such as RUNDIR/model/recognition.pt "
                         "from `neurosym curriculum run --method neural`)")
    from neurosym.neural.guided import GuidedSearcher
    from neurosym.neural.recognition import load_model

    try:
        return GuidedSearcher(load_model(args.model))
    except (FileNotFoundError, ValueError) as err:
        raise UsageError(str(err)) from None


def cmd_curriculum_run(args: argparse.Namespace, console: Console) -> int:
    """A wake-sleep curriculum run into RUNDIR (resumable)."""
    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    if args.iterations < 1 or args.budget <= 0 or args.jobs < 1:
        raise UsageError("--iterations and --jobs must be at least 1 and --budget positive")
    if args.dreams < 0 or args.recognition_epochs < 1:
        raise UsageError("--dreams must be at least 0 and --recognition-epochs at least 1")
    _check_executor(args)
    tasks = _load_task_source(args)
    config = CurriculumConfig(
        source=args.taskfile or f"domain:{args.domain}", iterations=args.iterations, budget=args.budget,
        seed=args.seed, jobs=args.jobs, method=args.method, test_fraction=args.test_fraction,
        library=args.library, executor=args.executor, address=args.address, dreams=args.dreams,
        recognition_epochs=args.recognition_epochs)
    try:
        figures = Curriculum(tasks, args.out, config, on_event=lambda m: console.print(f"[dim]{m}[/]")).run(
            resume=args.resume)
    except (FileExistsError, FileNotFoundError, ValueError) as err:
        raise UsageError(str(err)) from None
    table = Table(title=f"curriculum {config.source} -> {args.out}")
    guided = any(f.solved_test_guided is not None for f in figures)
    columns = ("iteration", "train solved", "test solved") + (("test guided",) if guided else ()) + (
        "routines", "corpus", "compression", "new routines")
    for column in columns:
        table.add_column(column, overflow="fold")
    for f in figures:
        extra = (f"{f.solved_test_guided}/{f.total_test}" if f.solved_test_guided is not None else "-",) if guided else ()
        table.add_row(str(f.iteration), f"{f.solved_train}/{f.total_train}",
                      f"{f.solved_test}/{f.total_test}" if f.total_test else "-", *extra, str(f.library_size),
                      str(f.corpus_size), f"{f.compression:.2f}", ", ".join(f.new_routines))
    console.print(table)
    console.print(f"records in {args.out}: config.json, iterations.jsonl, library/, snapshots/, learning_curve.png")
    return 0


def _check_executor(args: argparse.Namespace) -> None:
    if args.address is not None and args.executor != "ray":
        raise UsageError("--address is the Ray cluster's address: it needs --executor ray")
    if args.executor == "ray":
        try:
            import_ray()
        except ImportError as err:
            raise UsageError(str(err)) from None


def _add_executor_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--executor", choices=EXECUTORS, default="pool",
                     help="where tasks run: serial, pool (--jobs local processes; the default) or ray")
    cmd.add_argument("--address", metavar="ADDR", help="Ray cluster address for --executor ray, e.g. auto or "
                     "ray://host:10001 (default: a local Ray instance on --jobs CPUs, or all of them when --jobs is 1)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neurosym", description="Learn programs from examples.")
    parser.add_argument("--version", action="version", version=f"neurosym {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="run a program on every task of a task file")
    check.add_argument("taskfile", help="task file (neurosym JSON or DreamCoder list_tasks.json)")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--program", help="program text, e.g. 'map (\\x -> x * 2)'")
    source.add_argument("--program-file", help="file holding the program text")
    check.add_argument("--library", metavar="PATH", help="library folder (default: the shipped library)")
    check.add_argument("--tasks", metavar="PATTERN", help="only tasks whose name matches this glob, e.g. 'add-k*'")
    check.add_argument("--steps", type=int, default=Limits().steps, help="step budget per example")
    check.set_defaults(run=cmd_check)

    solve_cmd = sub.add_parser("solve", help="search for programs that solve tasks")
    solve_cmd.add_argument("taskfile", nargs="?", help="task file (neurosym JSON or DreamCoder list_tasks.json)")
    solve_cmd.add_argument("--domain", help=f"a built-in task set instead: {', '.join(DOMAINS)}")
    solve_cmd.add_argument("--method", choices=METHODS + ("neural",), default="enum",
                           help="search method (default enum; neural: enumeration guided by --model)")
    solve_cmd.add_argument("--model", metavar="PATH", help="recognition model checkpoint for --method neural")
    solve_cmd.add_argument("--budget", type=float, default=10.0, help="seconds per task (default 10)")
    solve_cmd.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    solve_cmd.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    solve_cmd.add_argument("--library", metavar="PATH", help="library folder (default: the shipped library)")
    solve_cmd.add_argument("--tasks", metavar="PATTERN", help="only tasks whose name matches this glob")
    solve_cmd.add_argument("--out", help="write a JSON results file here")
    _add_executor_options(solve_cmd)
    solve_cmd.set_defaults(run=cmd_solve)

    curriculum = sub.add_parser("curriculum", help="wake-sleep curriculum experiments")
    curriculum_sub = curriculum.add_subparsers(dest="curriculum_command", required=True)
    run = curriculum_sub.add_parser("run", help="run (or resume) a curriculum into RUNDIR")
    run.add_argument("taskfile", nargs="?", help="task file (neurosym JSON or DreamCoder list_tasks.json)")
    run.add_argument("--domain", help=f"built-in task sets instead, comma-separated: {', '.join(DOMAINS)}")
    run.add_argument("--iterations", type=int, default=3, help="wake-sleep iterations (default 3)")
    run.add_argument("--budget", type=float, default=10.0, help="search seconds per task (default 10)")
    run.add_argument("--out", required=True, metavar="RUNDIR", help="run directory (new, or existing with --resume)")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--jobs", type=int, default=1, help="tasks searched in parallel (default 1)")
    run.add_argument("--method", choices=METHODS + ("neural",), default="enum",
                     help="search method (default enum; neural: also train a recognition model in every sleep "
                     "and let it guide the enumeration)")
    run.add_argument("--dreams", type=int, default=200, help="--method neural: dreamed tasks per sleep (default 200)")
    run.add_argument("--recognition-epochs", type=int, default=40,
                     help="--method neural: training epochs per sleep (default 40)")
    run.add_argument("--test-fraction", type=float, default=0.0, help="share of tasks held out as a test split")
    run.add_argument("--library", help="starting library folder (default: the shipped library, copied; 'base': "
                     "the base primitives alone)")
    run.add_argument("--tasks", metavar="PATTERN", help="only tasks whose name matches this glob")
    run.add_argument("--resume", action="store_true", help="continue a run that was stopped")
    _add_executor_options(run)
    run.set_defaults(run=cmd_curriculum_run)

    add_library_commands(sub)
    add_report_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, Console())
    except ParseError as e:
        message = f"parse error at {e}"
    except NeurosymError as e:  # every error for bad input derives from it
        message = str(e)
    sys.stderr.write(f"error: {message}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
