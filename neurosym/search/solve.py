"""`solve`: the one-call entry point, from a task (or many) to search results.

Several tasks are searched in parallel on an executor (`neurosym.search.executors`:
serial, a local process pool of `jobs` workers, or Ray); work units and results are
plain picklable data (`neurosym.search.work`). The genetic searcher instead spreads its
evaluation over the executor (or `jobs` processes) when it is given a single task.

Workers rebuild the library's DSL from its import path (`dsl.reference`); a DSL made
in a script or a function has none, so a run that would send it to workers is refused
(`LocalDSLError`) before any work starts, saying how to give it one.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable, Sequence

from neurosym.lang.dsl import DSLError
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult, Searcher
from neurosym.search.executors import Executor, make_executor
from neurosym.search.methods import make_searcher
from neurosym.search.work import LibrarySnapshot, SearchUnit, as_results, run_unit, task_seed, unit_timeout
from neurosym.task import Task

log = logging.getLogger(__name__)


class LocalDSLError(DSLError):
    """A library whose DSL has no import path, asked to go to worker processes."""


def _as_budget(budget: float | Budget) -> Budget:
    return budget if isinstance(budget, Budget) else Budget(seconds=float(budget))


def solve(
    tasks: Task | Sequence[Task],
    method: "str | Searcher" = "enum",
    budget: float | Budget = 10.0,
    seed: int = 0,
    library: Library | None = None,
    jobs: int = 1,
    on_result: Callable[[SearchResult], None] | None = None,
    executor: str | Executor | None = None,
    address: str | None = None,
) -> SearchResult | list[SearchResult]:
    """Search for a program solving each task; one result per task, in task order.

    `budget` is seconds per task (or a Budget). Tasks are searched on `executor`:
    'serial', 'pool' (the default: `jobs` local processes) or 'ray' (the cluster at
    `address`, or a local Ray instance), or an Executor object (left open). Each task's
    seed is derived from `seed` and its name, so results do not depend on the executor.
    A task whose worker dies or runs past its budget (plus a margin) comes back
    unsolved, with the reason in its trace. A single task is searched in this process
    (the genetic searcher then spreads its evaluation over the executor). `on_result`
    is called as each result arrives (the command line uses it for its progress bar).
    """
    single = isinstance(tasks, Task)
    task_list = [tasks] if single else list(tasks)
    if not all(isinstance(t, Task) for t in task_list):
        raise TypeError("solve() takes a Task or a sequence of Tasks")
    make_searcher(method)  # validate the method name before any work starts
    budget = _as_budget(budget)
    library = library or Library.base(dsl=task_list[0].dsl)  # the tasks' language, base primitives
    _check_workers_can_rebuild(library, method, len(task_list), jobs, executor)
    if len(task_list) == 1:
        results = [_solve_here(task_list[0], method, budget, seed, library, jobs, executor, address)]
        if on_result:
            on_result(results[0])
        return results[0] if single else results
    ex = executor if isinstance(executor, Executor) else make_executor(executor or "pool", jobs, address)
    try:
        units = [SearchUnit(t, method, budget, task_seed(seed, t.name)) for t in task_list]
        shared = ex.share(library if ex.name == "serial" else LibrarySnapshot.of(library))

        def arrived(i: int, outcome: object) -> None:
            result = as_results([units[i]], [outcome])[0]
            log.info("%s: solved=%s in %.2fs%s", result.task, result.solved, result.seconds,
                     f" ({result.trace[0]})" if result.program is None and result.trace else "")
            if on_result:
                on_result(result)

        outcomes = ex.map(run_unit, units, shared, timeout=unit_timeout(budget), on_result=arrived)
    finally:
        if ex is not executor:
            ex.close()
    return as_results(units, outcomes)


def _check_workers_can_rebuild(library: Library, method: "str | Searcher", n_tasks: int, jobs: int,
                               executor: str | Executor | None) -> None:
    """Refuse, before any work starts, a run whose library would go to workers (many
    tasks, or one task's GP evaluation, on a pool of several processes or on Ray)
    while its DSL has no import path to rebuild it from there."""
    dsl = library.dsl
    if dsl.reference is not None:
        return
    if isinstance(executor, Executor):  # units go to any executor but the serial one; GP's scoring to several
        name = executor.name
        units = name != "serial"
        scoring = units and executor.workers > 1
    else:
        name = executor or "pool"
        units = scoring = name == "ray" or (name == "pool" and jobs > 1)
    if (units and n_tasks > 1) or (scoring and n_tasks == 1 and method == "gp"):  # one task is searched here
        raise LocalDSLError(
            f"DSL {dsl.name!r} has no import path, so it cannot be sent to {name} workers: define it at module "
            f"level of an importable module and give reference='package.module:attr' (DSL.of(..., reference=...), "
            f"dsl.extend(..., reference=...) or dsl.with_reference(...)), or use executor='serial'")


def _solve_here(task: Task, method: str, budget: Budget, seed: int, library: Library, jobs: int,
                executor: str | Executor | None, address: str | None) -> SearchResult:
    own = make_executor("ray", jobs, address) if method == "gp" and executor == "ray" else None
    try:
        ex = executor if isinstance(executor, Executor) else own
        jobs = 1 if executor == "serial" else jobs  # 'pool' with jobs > 1: GP makes its own fork pool
        return make_searcher(method, task_seed(seed, task.name), jobs, ex).search(task, library, budget)
    finally:
        if own is not None:
            own.close()


def summarize(results: Iterable[SearchResult]) -> dict:
    """Counts and medians over a list of results (for tables and results files).
    A solved task *generalizes* when its program also gets every held-out example right;
    `solved_not_generalized` counts those that fit the examples only (tasks without
    held-out examples are in neither)."""
    results = list(results)
    solved = [r for r in results if r.solved]
    times = sorted(r.seconds for r in solved)
    held = [r.held_out_accuracy for r in solved if r.held_out_accuracy is not None]
    return {
        "tasks": len(results),
        "solved": len(solved),
        "generalized": sum(1 for h in held if h == 1.0),
        "solved_not_generalized": sum(1 for h in held if h < 1.0),
        "median_time_solved": times[len(times) // 2] if times else None,
        "candidates": sum(r.candidates for r in results),
        "mean_held_out_accuracy_solved": sum(held) / len(held) if held else None,
    }
