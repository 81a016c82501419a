"""A hedge between a learned library and the base primitives, within one task's budget.

A library adds productions, so a program of primitives alone is reached after more
candidates with it than without (measured: `mean` after 264,000 candidates with a
learned library, 116,000 with the base primitives, the same program), and a task the
base primitives solve close to the budget can be lost. The hedge searches with the
library for most of the budget and, if that fails, with the fallback (the base
library of the same DSL) for `fallback_share` of it: a task the fallback solves within
its share is never lost, at the price of a shorter search with the library.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from neurosym.errors import InvalidArgument
from neurosym.library import Library
from neurosym.search.base import Budget, SearchResult, Searcher
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.task import Task


class HedgedSearcher:
    """`inner` with the library for (1 - fallback_share) of the budget, then with
    `fallback` (default: the library DSL's base library) for the rest. A library without
    routines is searched once, whole budget, when there is no explicit fallback."""

    name = "hedge"

    def __init__(self, inner: Searcher | None = None, fallback_share: float = 0.3,
                 fallback: Library | None = None) -> None:
        if not 0 < fallback_share < 1:
            raise InvalidArgument(f"fallback_share must lie strictly between 0 and 1, got {fallback_share}")
        self.inner = inner if inner is not None else EnumerativeSearcher()
        self.fallback_share = fallback_share
        self.fallback = fallback

    def search(self, task: Task, library: Library, budget: Budget) -> SearchResult:
        if self.fallback is None and not library.routines:
            return replace(self.inner.search(task, library, budget), method=self.name)
        fallback = self.fallback if self.fallback is not None else Library.base(dsl=library.dsl)
        return two_phases(lambda b: self.inner.search(task, library, b),
                          lambda b: self.inner.search(task, fallback, b),
                          budget, self.fallback_share, self.name, ("the library", "the fallback"))


def two_phases(first: Callable[[Budget], SearchResult], second: Callable[[Budget], SearchResult], budget: Budget,
               second_share: float, method: str, names: tuple[str, str]) -> SearchResult:
    """`first` for (1 - second_share) of the budget and, if it does not solve, `second`
    for the rest: the result of the one that solved (or passed more examples), with the
    candidates and seconds of both, and a trace line naming which (`names`)."""
    one = first(_share(budget, 1 - second_share))
    if one.solved:
        return replace(one, method=method, trace=(f"solved with {names[0]}",) + one.trace)
    two = second(_share(budget, second_share))
    best = two if two.solved or two.examples_passed > one.examples_passed else one
    which = names[1] if best is two else names[0]
    return replace(best, method=method, candidates=one.candidates + two.candidates,
                   seconds=one.seconds + two.seconds,
                   trace=(f"{names[0]}: {one.candidates} candidates, unsolved; best program from {which}",)
                   + best.trace)


def _share(budget: Budget, share: float) -> Budget:
    return Budget(seconds=None if budget.seconds is None else budget.seconds * share,
                  candidates=None if budget.candidates is None else max(1, round(budget.candidates * share)))
