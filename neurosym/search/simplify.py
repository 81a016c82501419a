"""Simplification of a found program, as PushGP simplifies: smaller while no worse.

Genetic programming returns what evolution left (`fold (+) (0 * 4 % loop 1 (\\y -> 4)
2) xs`): correct, but padded with subtrees that do nothing. Here a program is shrunk
greedily: an application is replaced by a part of it (an argument, an argument of an
argument, ...) or by one of the library's literals; an edit is kept when the program
still type-checks at the task's type and passes every training example it passed
before (the held-out ones are never looked at), and the smallest such edit of a round
is applied, until none helps or the evaluation allowance is spent. Every edit stays within its lambda (a part hoisted in
place of its application has the same variables in scope), so de Bruijn indices need
no shifting.
"""

from __future__ import annotations

import time
from typing import Callable, Iterator

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit
from neurosym.lang.compiler import compile_program
from neurosym.lang.typecheck import infer_type
from neurosym.lang.types import instance_of
from neurosym.library import Library
from neurosym.search.base import SEARCH_LIMITS
from neurosym.task import Task

#: edits tried per simplification, at most (each is type-checked, and if well typed
#: compiled and run on the training examples)
MAX_EVALUATIONS = 500


def simplify(program: Expr, task: Task, library: Library, max_evaluations: int = MAX_EVALUATIONS,
             deadline: float | None = None, solved_only: bool = False) -> Expr:
    """The smallest program reached from `program` by hoisting arguments and putting
    literals in place of subterms that still passes every training example of `task`
    that `program` passes, at the task's type; what it has reached by `deadline` (a
    `time.perf_counter()` value) if given. With `solved_only`, a program that fails a
    training example comes back as it is (a near miss is kept for its near-miss
    quality, which passing counts do not see)."""
    passes = _passes(task, library)
    literals = [p.expr for p in library.productions if isinstance(p.expr, Lit)]
    env = library.env()
    best, best_passed = program, passes(program)
    if solved_only and len(best_passed) < len(task.examples):
        return program
    evaluations = 1
    improved = True
    while improved and evaluations < max_evaluations:
        improved = False
        # smallest first; ties in the order the edits were made (not hash order, which
        # differs between processes)
        for candidate in sorted(dict.fromkeys(_edits(best, literals)), key=lambda e: e.size):
            if candidate.size >= best.size or evaluations >= max_evaluations:
                break
            if deadline is not None and time.perf_counter() >= deadline:
                return best
            evaluations += 1
            if not _well_typed(candidate, env, task):
                continue
            passed = passes(candidate)
            if passed >= best_passed:  # a superset: no example that passed is lost
                best, best_passed, improved = candidate, passed, True
                break
    return best


def _passes(task: Task, library: Library) -> Callable[[Expr], frozenset[int]]:
    routines = library.routine_values(SEARCH_LIMITS)

    def passes(program: Expr) -> frozenset[int]:
        """The training examples the program gets right, by index."""
        try:
            return task.passing(compile_program(program, SEARCH_LIMITS, routines, library.dsl))
        except NeurosymError:
            return frozenset()

    return passes


def _well_typed(program: Expr, env: dict, task: Task) -> bool:
    try:
        return instance_of(infer_type(program, env), task.type)
    except NeurosymError:
        return False


def _edits(e: Expr, literals: list[Expr]) -> Iterator[Expr]:
    """Every program one edit away from `e`: an application replaced by a subterm of it
    in the same scope (not inside a lambda of it) or by a literal, at any depth."""
    if isinstance(e, App):
        yield from _same_scope_parts(e)
        yield from literals
        for fn in _edits(e.fn, literals):
            yield App(fn, e.arg)
        for arg in _edits(e.arg, literals):
            yield App(e.fn, arg)
    elif isinstance(e, Lam):
        for body in _edits(e.body, literals):
            yield Lam(body)


def _same_scope_parts(e: App) -> Iterator[Expr]:
    """The subterms of `e` reached through applications only (its own variables' scope)."""
    stack: list[Expr] = [e.fn, e.arg]
    while stack:
        part = stack.pop()
        yield part
        if isinstance(part, App):
            stack += [part.fn, part.arg]
