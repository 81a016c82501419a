"""Scoring GP programs: per-example error vectors, a cache, and a process pool.

Programs are compiled by our closure compiler and run under the search step budget,
never `eval`-ed. Errors are graded (distance for ints and lists) so that lexicase and
the hall of fame can tell near misses from failures. With `jobs > 1` (or an executor:
a local pool, Ray), new programs go to the workers as s-expressions in chunks; every
worker compiles and runs its chunk; results come back in order, so they never depend on
`jobs` or the executor.
"""

from __future__ import annotations

import math
import operator
import os
import time
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from neurosym.lang.ast import App, Expr, Lam, Var
from neurosym.lang.compiler import compile_closure, environment
from neurosym.lang.base import base_dsl
from neurosym.lang.primitives import Stack, runtime_for
from neurosym.lang.sexpr import parse_sexpr, to_sexpr
from neurosym.library import Library
from neurosym.search.base import SEARCH_LIMITS, Clock
from neurosym.search.executors import Executor, Failure, PoolExecutor
from neurosym.task import Task

__all__ = ["ERROR_CAP", "FAIL_ERROR", "Evaluator", "Score", "error_function", "score_program"]

#: error of an example whose run failed (fault, budget); graded errors are capped below it
FAIL_ERROR = 10_000
ERROR_CAP = 1_000


# -- errors -----------------------------------------------------------------------------

def _int_error(got: Any, want: Any) -> int:
    return min(abs(got - want), ERROR_CAP) if type(got) is int else ERROR_CAP


def _list_error(got: Any, want: Any) -> int:
    if not isinstance(got, tuple):
        return ERROR_CAP
    return min(abs(len(got) - len(want)) + sum(map(operator.ne, got, want)), ERROR_CAP)


def _stack_error(got: Any, want: Any) -> int:
    return _list_error(got.items(), want.items()) if isinstance(got, Stack) else ERROR_CAP


def _other_error(got: Any, want: Any) -> int:
    return 1


def error_function(output: Any) -> Callable[[Any, Any], int]:
    """A graded error for wrong outputs shaped like `output` (called only when unequal)."""
    if isinstance(output, bool):
        return _other_error
    if isinstance(output, int):
        return _int_error
    if isinstance(output, tuple):
        return _list_error
    if isinstance(output, Stack):
        return _stack_error
    return _other_error


class Examples(NamedTuple):
    """A task's examples ready for the hot loop: each input as the environment the body
    of `\\x1 .. xn -> body` runs in (a linked tuple, xn first), and the routines."""

    envs: list[Any]
    outputs: list[Any]
    n_args: int
    error: Callable[[Any, Any], int]
    all_failed: tuple[int, ...]
    routines: Mapping[str, Any]
    dsl: Any = None  # the library's language (None: the base one)

    @classmethod
    def of(cls, task: Task, routines: Mapping[str, Any], dsl: Any = None) -> "Examples":
        envs = [environment(ex.inputs) for ex in task.examples]
        outputs = [ex.output for ex in task.examples]
        return cls(envs, outputs, len(task.arg_types), error_function(outputs[0]), (FAIL_ERROR,) * len(outputs),
                   routines, dsl)


def score_program(expr: Expr, ex: Examples) -> tuple[int, ...]:
    """Per-example errors of one program; any failure is FAIL_ERROR, never an exception.

    The same runs as `compile_program(expr, SEARCH_LIMITS).run_many(...)` (a fresh step
    budget per example), but leaner: the body runs straight in prebuilt environments, a
    failure is not re-run to find its message, and a body that reads no argument (a
    fifth of GP programs) runs once."""
    if expr.depth > SEARCH_LIMITS.max_depth:
        return ex.all_failed
    body = expr
    for _ in range(ex.n_args):
        if type(body) is not Lam:
            return ex.all_failed
        body = body.body  # type: ignore[union-attr]
    try:
        fn = compile_closure(body, SEARCH_LIMITS, ex.routines, ex.dsl)
    except Exception:  # a program the compiler rejects fails everywhere
        return ex.all_failed
    rt, steps = runtime_for(SEARCH_LIMITS, ex.dsl or base_dsl()), SEARCH_LIMITS.steps  # the counter the closures charge
    envs, outputs, err = ex.envs, ex.outputs, ex.error
    if not _reads_variables(body):
        rt.steps = steps
        try:
            value = fn(envs[0])
        except Exception:  # BudgetExceeded, RecursionError and faults alike
            return ex.all_failed
        return tuple([0 if value == want else err(value, want) for want in outputs])
    out = []
    for env, want in zip(envs, outputs):
        rt.steps = steps
        try:
            value = fn(env)
        except Exception:
            out.append(FAIL_ERROR)
            continue
        out.append(0 if value == want else err(value, want))
    return tuple(out)


def _reads_variables(e: Expr) -> bool:
    """True when `e` has a free variable (stops at the first, unlike free_index_bound)."""
    stack = [(e, 0)]
    while stack:
        node, depth = stack.pop()
        kind = type(node)
        if kind is App:
            stack.append((node.arg, depth))  # type: ignore[union-attr]
            stack.append((node.fn, depth))  # type: ignore[union-attr]
        elif kind is Lam:
            stack.append((node.body, depth + 1))  # type: ignore[union-attr]
        elif kind is Var and node.index >= depth:  # type: ignore[union-attr]
            return True
    return False


_COMPILED: dict[str, Examples] = {}  # a worker's examples with compiled routines, by evaluator


def _score_chunk(shared: tuple[str, Examples, Library], chunk: tuple[list[str], float | None]
                 ) -> list[tuple[int, ...] | None]:
    """Errors of a chunk of programs (s-expressions) until the deadline (wall-clock
    seconds since the epoch, comparable across processes), None for those not reached;
    runs in an executor's worker."""
    key, ex, library = shared
    sexprs, deadline = chunk
    if key not in _COMPILED:
        if len(_COMPILED) >= 4:
            _COMPILED.clear()
        _COMPILED[key] = ex._replace(routines=library.routine_values(SEARCH_LIMITS))
    ready = _COMPILED[key]
    out: list[tuple[int, ...] | None] = []
    for s in sexprs:
        if deadline is not None and time.time() >= deadline:
            out.extend([None] * (len(sexprs) - len(out)))
            break
        out.append(score_program(parse_sexpr(s), ready))
    return out


class Score(NamedTuple):
    """A program's errors with what DEAP's fitness stores, computed once per program."""

    errors: tuple[int, ...]
    wvalues: tuple[int, ...]
    weights: tuple[float, ...]
    total: int


class Evaluator:
    """Scores programs with a cache; new ones in this process or in a pool of `jobs`."""

    def __init__(self, task: Task, library: Library, jobs: int = 1, max_cache: int = 2_000_000,
                 executor: Executor | None = None) -> None:
        self.examples = Examples.of(task, library.routine_values(SEARCH_LIMITS), library.dsl)
        self.library = library
        self.weights = (-1.0,) * len(task.examples)
        self.cache: dict[Expr, Score] = {}
        self.max_cache = max_cache
        self.jobs = jobs
        self.executor = executor  # not closed here; None: a fork pool of `jobs` made on first use
        self._own: Executor | None = None
        self._shared: Any = None

    def _score(self, errors: tuple[int, ...]) -> Score:
        return Score(errors, tuple([-e for e in errors]), self.weights, sum(errors))

    def score_all(self, exprs: Sequence[Expr], clock: Clock) -> list[Score | None]:
        """Scores of `exprs` (None where the budget ended first); each distinct new
        program counts as one candidate."""
        cache = self.cache
        todo = list(dict.fromkeys(e for e in exprs if e not in cache))
        limit = clock.budget.candidates
        if limit is not None:
            todo = todo[: max(0, limit - clock.candidates)]
        if len(cache) + len(todo) > self.max_cache:
            cache.clear()
        workers = self.executor.workers if self.executor is not None else self.jobs
        if workers > 1 and len(todo) > workers:
            self._score_pool(todo, clock)
        else:
            for e in todo:
                if clock.out_of_time():
                    break
                cache[e] = self._score(score_program(e, self.examples))
                clock.candidates += 1
        return [cache.get(e) for e in exprs]

    def _score_pool(self, todo: list[Expr], clock: Clock) -> None:
        ex = self.executor or self._own
        if ex is None:
            ex = self._own = PoolExecutor(self.jobs, start_method="fork")
        if self._shared is None:  # workers compile their own routines
            key = f"{os.getpid()}-{id(self)}-{time.time_ns()}"
            self._shared = ex.share((key, self.examples._replace(routines={}), self.library))
        size = max(8, math.ceil(len(todo) / (ex.workers * 4)))
        chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
        deadline = None if clock.deadline is None else time.time() + (clock.deadline - time.perf_counter())
        outcomes = ex.map(_score_chunk, [([to_sexpr(e) for e in c], deadline) for c in chunks], self._shared)
        for chunk, errors in zip(chunks, outcomes):
            if isinstance(errors, Failure):  # a lost worker: its programs fail everywhere
                errors = [self.examples.all_failed] * len(chunk)
            for e, err in zip(chunk, errors):
                if err is not None:  # None: the budget ended before the worker reached it
                    self.cache[e] = self._score(err)
                    clock.candidates += 1

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None
