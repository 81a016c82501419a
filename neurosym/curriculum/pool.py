"""The wake's unspent budget, pooled and given to the tasks it has not solved.

A curriculum's budget is per training task and iteration: `budget` seconds (and/or
candidates) for every training task, as if each were searched in every iteration, as
DreamCoder's wake does. Tasks solved early use a fraction of theirs and solved tasks
are not searched again, so most of that allowance goes unspent while the hard tasks,
whose solutions are the ones worth abstracting, stop at `budget`. Pooling spends it
on them: after the first pass, what the iteration left unspent is shared evenly among
its unsolved tasks, each searched again with its share (at most MAX_POOL_FACTOR times
the budget). The total stays within budget x training tasks x iterations.
"""

from __future__ import annotations

from typing import Sequence

from neurosym.search.base import Budget, SearchResult

#: a task's pooled share is at most this many times the per-task budget, so that a few
#: unsolved tasks do not take a whole iteration's allowance
MAX_POOL_FACTOR = 10
#: a share below this many times the budget is not worth a second search (the first
#: pass repeated with little more reaches little further)
MIN_POOL_FACTOR = 2


def pooled_budget(budget: Budget, n_train: int, spent: Sequence[SearchResult], unsolved: int) -> Budget | None:
    """The budget of each of `unsolved` tasks' second search, from what this iteration's
    first pass (`spent`: its results) left of `budget` x `n_train`; None when the share
    is under MIN_POOL_FACTOR x budget (or there is nothing to search)."""
    if unsolved == 0:
        return None
    seconds = candidates = None
    if budget.seconds is not None:
        left = budget.seconds * n_train - sum(r.seconds for r in spent)
        seconds = round(min(MAX_POOL_FACTOR * budget.seconds, left / unsolved), 1)
        if seconds < MIN_POOL_FACTOR * budget.seconds:
            return None
    if budget.candidates is not None:
        left_candidates = budget.candidates * n_train - sum(r.candidates for r in spent)
        candidates = min(MAX_POOL_FACTOR * budget.candidates, left_candidates // unsolved)
        if candidates < MIN_POOL_FACTOR * budget.candidates:
            return None
    if seconds is None and candidates is None:
        return None
    return Budget(seconds=seconds, candidates=candidates)
