"""`neurosym solve` and `neurosym curriculum run`: the commands that search.

Everything they are given is checked before the first candidate is tried (options,
--out, --model, --library, the tasks), so a search never ends in a traceback that loses
its results. On a terminal, `solve` shows a progress bar and a table; elsewhere (a pipe,
a file, a CI log) it prints one tab-separated line per task as it finishes: name,
solved/unsolved, examples passed/total, candidates, seconds, program, and for an
unsolved task its first failing example.

Both search in the DSL of --dsl (else the task file's, else the base language), and
start from the base library of that DSL unless --library names another (`shipped`, or
a folder): the shipped library was learned from the built-in lists, integers and formal
domains and DreamCoder's training half, so figures on those tasks with it are inflated and it is never used unasked. Results
files and run directories record the DSL and the library (source, version, digest).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from neurosym.cli_options import (
    LIBRARY_HELP,
    add_dsl_option,
    fraction,
    open_fraction,
    non_negative_int,
    open_library,
    positive_float,
    positive_int,
    task_source,
    writable_file,
    write_file,
)
from neurosym.domains.registry import DOMAINS
from neurosym.errors import UsageError
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult
from neurosym.search.constant_hints import CONSTANTS_MODES, DEFAULT_CONSTANTS
from neurosym.search.counterexamples import DEFAULT_ABOVE, DEFAULT_SUBSET
from neurosym.search.deduction import DEFAULT_SPLIT_SHARE
from neurosym.search.executors import EXECUTORS, import_ray
from neurosym.search.methods import METHODS, enumeration, make_searcher
from neurosym.search.solve import solve, summarize
from neurosym.search.work import dsl_record
from neurosym.version import __version__

#: seconds per task when neither --budget nor --candidates is given
DEFAULT_SECONDS = 10.0


def budget_of(args: argparse.Namespace) -> Budget:
    """--budget seconds and/or --candidates N per task (Budget.of)."""
    return Budget.of(args.budget, args.candidates, DEFAULT_SECONDS)


def constants_of(args: argparse.Namespace) -> str | None:
    """How enumeration prices integer literals (--constants, by need unless given); None
    for GP, which takes no such option."""
    if args.method == "gp":
        if args.constants is not None:
            raise UsageError("--constants prices the literals of enumeration: it needs --method enum or neural")
        return None
    return args.constants if args.constants is not None else DEFAULT_CONSTANTS


def split_share_of(args: argparse.Namespace) -> float | None:
    """The share of enumeration's budget for the tasks of a map's, filter's or fold's
    function, a positional filter's and a sketch's predicate (--split-share,
    DEFAULT_SPLIT_SHARE unless given); None for GP."""
    if args.method == "gp":
        if args.split_share is not None:
            raise UsageError("--split-share is a share of enumeration's budget: it needs --method enum or neural")
        return None
    return args.split_share if args.split_share is not None else DEFAULT_SPLIT_SHARE


def subset_of(args: argparse.Namespace) -> int:
    """How many examples a task of many is searched on first (--subset, DEFAULT_SUBSET
    unless given; 0: every example at once). GP always starts from DEFAULT_SUBSET here."""
    if args.method == "gp" and args.subset is not None:
        raise UsageError(f"--subset is enumeration's setting: --method gp evolves on {DEFAULT_SUBSET} examples "
                         "first (GeneticSearcher(subset=K) sets it from Python)")
    return args.subset if args.subset is not None else DEFAULT_SUBSET


def _or_default(value: float | None, default: float) -> float:
    return default if value is None else value


def _method(args: argparse.Namespace, library: Library) -> object:
    """The method name (an enumerator for settings other than the defaults), or for
    `neural` the guided searcher with the model of --model (which must have been trained
    for `library`)."""
    constants, split_share, subset = constants_of(args), split_share_of(args), subset_of(args)
    if args.method != "neural":
        if args.model:
            raise UsageError("--model is the recognition model of --method neural")
        if args.unguided_share is not None:
            raise UsageError("--unguided-share is the share of --method neural's budget left to plain enumeration")
        if args.method == "enum":
            return enumeration(constants, split_share, subset)  # type: ignore[arg-type]
        return args.method
    if not args.model:
        raise UsageError("--method neural needs --model PATH (a checkpoint such as RUNDIR/model/recognition.pt "
                         "from `neurosym curriculum run --method neural`)")
    from neurosym.neural.guided import GuidedSearcher
    from neurosym.neural.checkpoints import load_model

    # a bad file: CheckpointError; one trained for another library: LibraryMismatchError, each naming it
    return GuidedSearcher(load_model(args.model, library=library), unguided_share=_unguided_share(args),
                          constants=constants, split_share=split_share, subset=subset)  # type: ignore[arg-type]


def _unguided_share(args: argparse.Namespace) -> float | None:
    """--method neural's unguided share, the given one or the default (None for other
    methods): what the searcher uses and the results record."""
    if args.method != "neural":
        return None
    from neurosym.neural.guided import GuidedSearcher

    return args.unguided_share if args.unguided_share is not None else GuidedSearcher.DEFAULT_UNGUIDED_SHARE


def _hedged(args: argparse.Namespace, method: object) -> object:
    """The method hedged with the base primitives for --hedge of each budget, if given."""
    if args.hedge is None:
        return method
    if args.method == "gp":
        raise UsageError("--hedge works with --method enum or neural (a GP search takes its seed per task)")
    from neurosym.search.hedge import HedgedSearcher

    return HedgedSearcher(make_searcher(method), fallback_share=args.hedge)  # type: ignore[arg-type]


def _check_executor(args: argparse.Namespace) -> None:
    if args.address is not None and args.executor != "ray":
        raise UsageError("--address is the Ray cluster's address: it needs --executor ray")
    if args.executor == "ray":
        try:
            import_ray()
        except ImportError as err:
            raise UsageError(str(err)) from None


# -- solve ------------------------------------------------------------------------------


def _plain(text: object) -> str:
    return " ".join(str(text).split())  # one field of a tab-separated line: no tabs, no newlines


def result_line(r: SearchResult) -> str:
    """A result as one tab-separated line (for pipes and logs)."""
    fields = [r.task, "solved" if r.solved else "unsolved", f"{r.examples_passed}/{r.examples_total}",
              str(r.candidates), f"{r.seconds:.2f}", r.program_text or "-"]
    if not r.solved and r.first_failure:
        fields.append(r.first_failure)
    return "\t".join(_plain(f) for f in fields)


def results_table(results: list[SearchResult], title: str) -> Table:
    """The wide table of a terminal: names never broken, programs folded, and for an
    unsolved task the examples it passes and its first failure (a near miss shows)."""
    table = Table(title=escape(title))
    table.add_column("task", no_wrap=True)
    table.add_column("solved", no_wrap=True)
    for column in ("time (s)", "candidates", "held-out"):
        table.add_column(column, justify="right")
    table.add_column("program", overflow="fold")
    for r in results:
        solved = Text("yes", style="green") if r.solved else Text(f"no {r.examples_passed}/{r.examples_total}",
                                                                   style="red")
        program = Text(r.program_text or "-")
        if not r.solved and r.first_failure:
            program.append(f"\nfails {r.first_failure}", style="dim")
        held = "-" if r.held_out_accuracy is None else f"{r.held_out_accuracy:.0%}"
        table.add_row(Text(r.task), solved, f"{r.seconds:.2f}", f"{r.candidates:,}", held, program)
    return table


class SolveView:
    """How results reach the user as they arrive: a transient progress bar on a terminal
    (none with -q), a plain line per task anywhere else."""

    def __init__(self, console: Console, total: int, quiet: bool) -> None:
        self.console, self.lines = console, not console.is_terminal
        self.progress = None if self.lines or quiet else Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=console, transient=True)
        self.bar = None if self.progress is None else self.progress.add_task("searching", total=total)

    def __enter__(self) -> "SolveView":
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def arrived(self, result: SearchResult) -> None:
        if self.lines:
            self.console.file.write(result_line(result) + "\n")
            self.console.file.flush()
        elif self.progress is not None:
            mark = "[green]solved[/]" if result.solved else "[red]-[/]"
            self.progress.update(self.bar, advance=1, description=f"{escape(result.task)}: {mark}")

    def finish(self, results: list[SearchResult], title: str) -> None:
        if not self.lines:
            self.console.print(results_table(results, title))
        summary = summarize(results)
        median = summary["median_time_solved"]
        overfit = summary["solved_not_generalized"]
        self.console.print(f"solved {summary['solved']}/{summary['tasks']}"
                           + (f" ({overfit} of them fail held-out examples)" if overfit else "")
                           + (f", median time to solution {median:.2f} s" if median is not None else ""),
                           highlight=False)


def cmd_solve(args: argparse.Namespace, console: Console) -> int:
    """Search for a program for every task; per-task lines or a table, a results file."""
    budget = budget_of(args)
    _check_executor(args)
    out = None if args.out in (None, "-") else writable_file(args.out)
    if args.out == "-":  # the JSON alone on stdout, the rest on stderr
        console = Console(stderr=True)
    tasks, dsl = task_source(args)
    opened = open_library(args.library, dsl=dsl)
    library = opened.library
    method = _hedged(args, _method(args, library))
    config = {"source": args.taskfile or f"domain:{args.domain}", "method": args.method, "hedge": args.hedge,
              "unguided_share": _unguided_share(args), "constants": constants_of(args),
              "split_share": split_share_of(args), "subset": subset_of(args), "budget": budget.seconds,
              "candidates": budget.candidates, "seed": args.seed, "jobs": args.jobs, "executor": args.executor,
              "address": args.address, "tasks": args.tasks, "dsl": dsl_record(dsl), "library": opened.record(),
              "version": __version__}
    quiet = getattr(args, "quiet", False)  # -q: on the top-level parser
    with SolveView(console, len(tasks), quiet) as view:
        results = solve(tasks, method=method, budget=budget, seed=args.seed, jobs=args.jobs,  # type: ignore[arg-type]
                        library=library, on_result=view.arrived, executor=args.executor, address=args.address)
    view.finish(results, f"neurosym solve ({args.method}, {budget.describe()}, {opened.label})")
    if args.out is not None:
        text = json.dumps({"config": config, "summary": summarize(results),
                           "tasks": [r.to_json() for r in results]}, indent=1) + "\n"
        if out is None:
            sys.stdout.write(text)
        else:
            write_file(out, text)
            if not quiet:
                console.print(f"results written to {escape(str(out))}", highlight=False, soft_wrap=True)
    return 0


# -- curriculum run ---------------------------------------------------------------------


def cmd_curriculum_run(args: argparse.Namespace, console: Console) -> int:
    """A wake-sleep curriculum run into RUNDIR (resumable)."""
    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    budget = budget_of(args)
    _check_executor(args)
    tasks, dsl = task_source(args)
    opened = open_library(args.library, dsl=dsl)  # a mistyped --library stops here, before the run
    config = CurriculumConfig(
        source=args.taskfile or f"domain:{args.domain}", iterations=args.iterations, budget=budget.seconds,
        candidates=budget.candidates, seed=args.seed, jobs=args.jobs, method=args.method,
        constants=constants_of(args) or DEFAULT_CONSTANTS,
        split_share=_or_default(split_share_of(args), DEFAULT_SPLIT_SHARE),
        subset=subset_of(args),
        test_fraction=args.test_fraction, library=args.library, executor=args.executor, address=args.address,
        dreams=args.dreams, recognition_epochs=args.recognition_epochs, pool_unspent=not args.no_pool)
    quiet = getattr(args, "quiet", False)
    events = (lambda m: None) if quiet else (lambda m: console.print(Text(m, style="dim")))
    figures = Curriculum(tasks, args.out, config, on_event=events, library=opened.library, dsl=dsl,
                         library_source=(opened.source, opened.path)).run(resume=args.resume)
    console.print(_figures_table(figures, f"curriculum {config.source} -> {args.out}"))
    if not quiet:
        console.print(Text(f"records in {args.out}: config.json, iterations.jsonl, library/, snapshots/, "
                           "learning_curve.png"))
    return 0


def _figures_table(figures: list[Any], title: str) -> Table:
    table = Table(title=escape(title))
    guided = any(f.solved_test_guided is not None for f in figures)
    base = next((f.solved_test_base for f in figures if f.solved_test_base is not None), None)
    test_column = "test solved" if base is None else f"test solved (start: {base}/{figures[0].total_test})"
    columns = ("iteration", "train solved", test_column) + (("test guided",) if guided else ()) + (
        "routines", "corpus", "compression")
    for column in columns:
        table.add_column(column, justify="right", overflow="fold")
    table.add_column("new routines", overflow="fold")
    for f in figures:
        guidance = f"{f.solved_test_guided}/{f.total_test}" if f.solved_test_guided is not None else "-"
        extra = (guidance,) if guided else ()
        table.add_row(str(f.iteration), f"{f.solved_train}/{f.total_train}",
                      f"{f.solved_test}/{f.total_test}" if f.total_test else "-", *extra, str(f.library_size),
                      str(f.corpus_size), f"{f.compression:.2f}", Text(", ".join(f.new_routines)))
    return table


# -- the parsers ------------------------------------------------------------------------


def _add_search_options(cmd: argparse.ArgumentParser, what: str) -> None:
    """Options `solve` and `curriculum run` share: the source, budget, seed, library, executor."""
    cmd.add_argument("taskfile", nargs="?", help="task file (neurosym JSON or DreamCoder list_tasks.json)")
    cmd.add_argument("--domain", help=f"built-in task sets instead, comma-separated: {', '.join(DOMAINS)}")
    cmd.add_argument("--tasks", metavar="PATTERN", help="only tasks whose name matches this glob, e.g. 'add-*'")
    cmd.add_argument("--budget", type=positive_float, metavar="SECONDS",
                     help=f"{what} seconds per task (default {DEFAULT_SECONDS:g}, or none with --candidates)")
    cmd.add_argument("--candidates", type=positive_int, metavar="N",
                     help="at most N candidates per task; alone (without --budget) the search is bounded by "
                          "candidates only, so results do not depend on the machine's speed")
    cmd.add_argument("--constants", choices=CONSTANTS_MODES, help="enumeration: price the integer literals the "
                     "examples do not point at one unit dearer (by-need, the default) or all alike by weight (all)")
    cmd.add_argument("--split-share", type=fraction, metavar="SHARE",
                     help="enumeration: the share of each task's budget first spent on the function of a map, "
                          "filter or fold, or the predicate of a positional filter or of a count, sum, any or all, "
                          "where the examples allow one "
                          f"(default {DEFAULT_SPLIT_SHARE:g}; 0: off)")
    cmd.add_argument("--subset", type=non_negative_int, metavar="K",
                     help=f"enumeration: a task with more than {DEFAULT_ABOVE} examples is searched on K of them "
                          "first, the ones a program found gets wrong added until one fits every example "
                          f"(default {DEFAULT_SUBSET}; 0: every example at once; GP always uses the default)")
    cmd.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    cmd.add_argument("--jobs", type=positive_int, default=1, help="tasks searched in parallel (default 1)")
    cmd.add_argument("--library", metavar="PATH", help=LIBRARY_HELP)
    add_dsl_option(cmd)
    cmd.add_argument("--executor", choices=EXECUTORS, default="pool",
                     help="where tasks run: serial, pool (--jobs local processes; the default) or ray")
    cmd.add_argument("--address", metavar="ADDR", help="Ray cluster address for --executor ray, e.g. auto or "
                     "ray://host:10001 (default: a local Ray instance on --jobs CPUs, or all of them when --jobs is 1)")


def add_solve_commands(sub: Any) -> None:
    """Add `solve` and `curriculum run` to the top-level subcommands."""
    solve_cmd = sub.add_parser("solve", help="search for programs that solve tasks")
    _add_search_options(solve_cmd, "search")
    solve_cmd.add_argument("--method", choices=METHODS + ("neural",), default="enum",
                           help="search method (default enum; neural: enumeration guided by --model)")
    solve_cmd.add_argument("--model", metavar="PATH", help="recognition model checkpoint for --method neural")
    solve_cmd.add_argument("--hedge", type=open_fraction, metavar="SHARE",
                           help="with a learned --library: if it fails within (1 - SHARE) of a task's budget, search "
                                "the rest with the base primitives (e.g. 0.3), so tasks they solve quickly are not lost")
    solve_cmd.add_argument("--unguided-share", type=fraction, metavar="SHARE",
                           help="with --method neural: if guidance has not solved a task within (1 - SHARE) of its "
                                "budget, plain enumeration with the library gets the rest (default 0.5; 0: off)")
    solve_cmd.add_argument("--out", metavar="FILE", help="write a JSON results file here ('-': to stdout, "
                           "with the table on stderr)")
    solve_cmd.set_defaults(run=cmd_solve)

    curriculum = sub.add_parser("curriculum", help="wake-sleep curriculum experiments")
    curriculum_sub = curriculum.add_subparsers(dest="curriculum_command", required=True)
    run = curriculum_sub.add_parser("run", help="run (or resume) a curriculum into RUNDIR")
    _add_search_options(run, "search")
    run.add_argument("--iterations", type=positive_int, default=3, help="wake-sleep iterations (default 3)")
    run.add_argument("--out", required=True, metavar="RUNDIR", help="run directory (new, or existing with --resume)")
    run.add_argument("--method", choices=METHODS + ("neural",), default="enum",
                     help="search method (default enum; neural: also train a recognition model in every sleep "
                     "and let it guide the enumeration)")
    run.add_argument("--dreams", type=non_negative_int, default=10_000,
                     help="--method neural: dreamed tasks per sleep (default 10000)")
    run.add_argument("--recognition-epochs", type=positive_int, default=40,
                     help="--method neural: training epochs per sleep (default 40)")
    run.add_argument("--test-fraction", type=fraction, default=0.0, help="share of tasks held out as a test split")
    run.add_argument("--no-pool", action="store_true",
                     help="do not search a wake's unsolved tasks again with the budget the solved ones left unspent")
    run.add_argument("--resume", action="store_true", help="continue a run that was stopped")
    run.set_defaults(run=cmd_curriculum_run)
