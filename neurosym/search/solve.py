"""`solve`: the one-call entry point, from a task (or many) to search results.

Several tasks are searched in parallel worker processes when `jobs > 1`; work units
are tasks and results, plain picklable data. The genetic searcher instead spreads its
evaluation over `jobs` processes when it is given a single task.
"""

from __future__ import annotations

import logging
import multiprocessing
from typing import Callable, Iterable, Sequence

from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult, Searcher
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.task import Task

log = logging.getLogger(__name__)

METHODS = ("enum", "gp")


def make_searcher(method: str = "enum", seed: int = 0, jobs: int = 1) -> Searcher:
    """A searcher by name: 'enum' (bottom-up enumeration) or 'gp' (genetic programming)."""
    if method == "enum":
        return EnumerativeSearcher()
    if method == "gp":
        from neurosym.search.genetic import GeneticSearcher

        return GeneticSearcher(seed=seed, jobs=jobs)
    raise ValueError(f"unknown search method {method!r}; choose one of {', '.join(METHODS)}")


def _as_budget(budget: float | Budget) -> Budget:
    return budget if isinstance(budget, Budget) else Budget(seconds=float(budget))


def _search_one(args: tuple[Task, str, Budget, int, Library | None]) -> SearchResult:
    task, method, budget, seed, library = args
    return make_searcher(method, seed).search(task, library or Library.base(), budget)


def solve(
    tasks: Task | Sequence[Task],
    method: str = "enum",
    budget: float | Budget = 10.0,
    seed: int = 0,
    library: Library | None = None,
    jobs: int = 1,
    on_result: Callable[[SearchResult], None] | None = None,
) -> SearchResult | list[SearchResult]:
    """Search for a program solving each task; one result per task, in task order.

    `budget` is seconds per task (or a Budget). With `jobs > 1` several tasks are
    searched at once in worker processes. `on_result` is called as each result arrives
    (the command line uses it for its progress bar).
    """
    single = isinstance(tasks, Task)
    task_list = [tasks] if single else list(tasks)
    if not all(isinstance(t, Task) for t in task_list):
        raise TypeError("solve() takes a Task or a sequence of Tasks")
    make_searcher(method)  # validate the method name before any work starts
    budget = _as_budget(budget)
    library = library or Library.base()
    results: list[SearchResult]
    if jobs > 1 and len(task_list) > 1:
        work = [(t, method, budget, seed, library) for t in task_list]
        results = []
        with multiprocessing.get_context("spawn").Pool(min(jobs, len(task_list))) as pool:
            for result in pool.imap(_search_one, work):
                results.append(result)
                if on_result:
                    on_result(result)
    else:
        searcher = make_searcher(method, seed, jobs)
        results = []
        for task in task_list:
            result = searcher.search(task, library, budget)
            log.info("%s: solved=%s in %.2fs", task.name, result.solved, result.seconds)
            results.append(result)
            if on_result:
                on_result(result)
    return results[0] if single else results


def summarize(results: Iterable[SearchResult]) -> dict:
    """Counts and medians over a list of results (for tables and results files)."""
    results = list(results)
    solved = [r for r in results if r.solved]
    times = sorted(r.seconds for r in solved)
    held = [r.held_out_accuracy for r in solved if r.held_out_accuracy is not None]
    return {
        "tasks": len(results),
        "solved": len(solved),
        "median_time_solved": times[len(times) // 2] if times else None,
        "candidates": sum(r.candidates for r in results),
        "mean_held_out_accuracy_solved": sum(held) / len(held) if held else None,
    }
