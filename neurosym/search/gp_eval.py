"""Scoring GP programs: per-example error vectors, a cache, and a process pool.

Programs are compiled by our closure compiler and run under the search step budget,
never `eval`-ed. Errors are graded (distance for numbers, length and mismatches for
lists and other containers) so that lexicase and the hall of fame can tell near misses
from failures; values of a type with an equality key (floats) are equal, error 0, when
their keys are. With `jobs > 1` (or an executor: a local pool, Ray), new programs go
to the workers as s-expressions in chunks; every worker compiles and runs its chunk;
results come back in order, so they never depend on `jobs` or the executor. A library
whose DSL has no import path cannot go to workers: it is evaluated in this process,
with a warning (`solve` refuses such a run before it starts).
"""

from __future__ import annotations

import logging
import math
import numbers
import operator
import os
import time
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from neurosym.lang.ast import App, Expr, Lam, Var
from neurosym.lang.compiler import compile_closure, environment
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.primitives import runtime_for
from neurosym.lang.types import TCon, Type
from neurosym.lang.sexpr import parse_sexpr, to_sexpr
from neurosym.library import Library
from neurosym.search.value_needs import value_key
from neurosym.search.base import SEARCH_LIMITS, Clock
from neurosym.search.executors import Executor, Failure, PoolExecutor
from neurosym.task import Task

__all__ = ["ERROR_CAP", "FAIL_ERROR", "Evaluator", "Score", "error_function", "score_program"]

log = logging.getLogger(__name__)

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


def _other_error(got: Any, want: Any) -> int:
    return 1


def _number_error(got: Any, want: Any) -> float:
    if not isinstance(got, numbers.Real) or isinstance(got, bool):
        return ERROR_CAP
    d = abs(got - want)
    return d if d < ERROR_CAP else ERROR_CAP  # NaN too


def _parts_error(parts: Callable[[Any], Any]) -> Callable[[Any, Any], int]:
    """A container's error from its items (a stack, a pair, a user container): as for lists."""
    def error(got: Any, want: Any) -> int:
        try:
            return _list_error(tuple(x for x, _ in parts(got)), tuple(x for x, _ in parts(want)))
        except Exception:  # not a value of the type
            return ERROR_CAP

    return error


def _keyed_error(key: Callable[[Any], Any], graded: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """0 where the keys agree (a float off in the 12th digit), else the graded error."""
    def error(got: Any, want: Any) -> Any:
        try:
            if key(got) == key(want):
                return 0
        except Exception:  # a value the key cannot read is wrong
            return ERROR_CAP
        return graded(got, want)

    return error


def error_function(output: Any, dsl: DSL | None = None, type_: Type | None = None) -> Callable[[Any, Any], Any]:
    """A graded error for wrong outputs like `output`, of type `type_` in `dsl` where
    given (called only when the values are unequal): distance for numbers, length
    and mismatches for lists, stacks and other containers (their `parts`), 1 for any
    other value, and 0 where the type's equality key says the values are equal."""
    dsl = dsl or base_dsl()
    vt = dsl.value_type_named(type_.name) if isinstance(type_, TCon) else dsl.type_of_value_class(type(output))
    if not isinstance(type_, TCon) and vt is not None and not vt.params:  # a type told by the value
        type_ = TCon(vt.name)
    if isinstance(output, bool):
        graded: Callable[[Any, Any], Any] = _other_error
    elif type(output) is int:
        graded = _int_error
    elif isinstance(output, numbers.Real):
        graded = _number_error
    elif type(output) is tuple:  # a list (the fast path of the parts' error)
        graded = _list_error
    elif vt is not None and vt.parts is not None:
        graded = _parts_error(vt.parts)
    else:
        graded = _other_error
    key = value_key(dsl, type_) if type_ is not None else None
    return graded if key is None else _keyed_error(key, graded)


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
        error = error_function(outputs[0], dsl, task.return_type)
        return cls(envs, outputs, len(task.arg_types), error, (FAIL_ERROR,) * len(outputs), routines, dsl)


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
        self.task_type = task.type
        self.library = library
        self.weights = (-1.0,) * len(task.examples)
        self.cache: dict[Expr, Score] = {}
        self.max_cache = max_cache
        workers = executor.workers if executor is not None else jobs
        if workers > 1 and library.dsl.reference is None:
            log.warning("DSL %r has no import path (reference='package.module:attr'), so its programs cannot "
                        "be scored in worker processes; scoring them in this process", library.dsl.name)
            jobs, executor = 1, None
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
        if todo and not clock.candidates:  # the first is scored whatever the clock says: a search has a program
            first = todo.pop(0)
            cache[first] = self._score(score_program(first, self.examples))
            clock.candidates += 1
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
