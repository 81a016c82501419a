"""Type-directed bottom-up enumeration in order of cost, with observational equivalence.

Costs come from the library's production weights (one unit per whole halving of
probability below the most likely production, costs.py), so the enumerator visits
programs in decreasing probability (to within one unit) and takes its guidance entirely
from the weights: a learned library or a neural model steers it by re-weighting.

Bottom-up rather than top-down: every term is built once from already-evaluated
sub-terms (one primitive call per example), and a term computing the same values on
every example as a cheaper one is dropped, which prunes most of the space. Lambda
bodies are enumerated in child contexts (see bank.py). A candidate is every term whose
values are computed, whether kept or pruned.

Any DSL works: what a primitive's record says (commutative, lazy, a column fast path)
decides how it is applied; a primitive that raises (StopIteration included) faults on
that example only; and a value type's `key` decides equivalence and solutions for its
values (floats equal to 9 significant digits), at a cost only for types that have one.

This module decides what is searched with which share of the budget (a split at map,
filter or fold, deduction.py, or a sketch's predicate, sketches.py, first; then the whole
program); enumeration_run.py is the engine that runs one enumeration.
"""

from __future__ import annotations

from typing import Callable, Mapping

from neurosym.lang.ast import Expr
from neurosym.library import Library
from neurosym.search.base import Budget, Clock, SearchResult, collector_paused, make_result
from neurosym.search.constant_hints import DEFAULT_CONSTANTS, check_constants
from neurosym.search.costs import check_proportional
from neurosym.search.counterexamples import DEFAULT_ABOVE, DEFAULT_SUBSET, check_subset, search_on_subsets
from neurosym.search.deduction import DEFAULT_SPLIT_SHARE, check_split_share, doubt_budget, remaining, search_splits
from neurosym.search.enumeration_run import EnumerationRun
from neurosym.search.memory import check_memory_limit
from neurosym.task import Task


class EnumerativeSearcher:
    """Bottom-up enumeration by increasing cost. `max_cost` bounds the program cost (in
    units of the most likely production). `proportional=K` costs productions in
    proportion to their bits (see production_costs), K units for the most likely.
    `max_memory_mb` stops a search whose process grew by that much since it began (a
    candidates budget bounds work, not the bank's memory; see search/memory.py).
    `constants="by-need"` (the default) makes the integer literals the task's examples do
    not point at, other than 0 and 1, one unit dearer (see constant_hints.py); "all"
    prices every literal by its weight alone. A task with more than `subset_above`
    examples is searched on `subset` of them first, counterexamples added as needed
    (counterexamples.py; `subset=0` searches every example at once)."""

    name = "enum"

    def __init__(self, max_cost: int = 60, proportional: int | None = None,
                 max_memory_mb: int | None = 4096, constants: str = DEFAULT_CONSTANTS,
                 split_share: float = DEFAULT_SPLIT_SHARE, subset: int = DEFAULT_SUBSET,
                 subset_above: int = DEFAULT_ABOVE) -> None:
        if proportional is not None:
            check_proportional(proportional)
        check_memory_limit(max_memory_mb)
        check_constants(constants)
        check_split_share(split_share)
        check_subset(subset, subset_above)
        self.max_cost = max_cost
        self.proportional = proportional
        self.max_memory_mb = max_memory_mb
        self.constants = constants
        self.split_share = split_share
        self.subset = subset
        self.subset_above = subset_above

    def search(self, task: Task, library: Library, budget: Budget,
               contextual: Mapping[tuple[str, int], Mapping[str, float]] | None = None) -> SearchResult:
        """Search in order of cost; `contextual` (log-weights of each head per (parent
        production, argument position), e.g. from the recognition model) makes the cost
        of an argument depend on where it is used. With `split_share`, that share of the
        budget first goes to the tasks of a map's, filter's or fold's function where the
        examples allow one (deduction.py), and to the predicates of count, sum, any and all
        sketches (sketches.py); the whole program gets the rest, or, when a split
        solved the task, a few times the split's effort to look for a cheaper whole
        program (`reverse` rather than a map that happens to fit two short examples;
        with `contextual` costs, the rest of the budget). A task with more than
        `subset_above` examples is searched on subsets of them (counterexamples.py)."""
        if self.subset and len(task.examples) > self.subset_above:
            clock = Clock(budget)
            program, trace = search_on_subsets(lambda t, b: self._search_all(t, library, b, contextual),
                                               task, library, budget, clock, self.subset)
            return make_result(task, library, self.name, program, clock, trace)
        return self._search_all(task, library, budget, contextual)

    def _search_all(self, task: Task, library: Library, budget: Budget,
                    contextual: Mapping[tuple[str, int], Mapping[str, float]] | None,
                    holds: Callable[[Expr], bool] | None = None) -> SearchResult:
        """`search` on every example of the task at once, taking only a program of which
        `holds` holds (a split's function, whose program must solve the whole task)."""
        clock = Clock(budget)
        split: Expr | None = None
        trace: tuple[str, ...] = ()
        if self.split_share:
            # a split's task has at most MAX_SPLIT_EXAMPLES examples and is searched whole
            split, trace = search_splits(lambda t, b, h: self._search_all(t, library, b, None, h),
                                         lambda t, b, accept: self._accepting(t, library, b, accept),
                                         task, library, budget, clock, self.split_share,
                                         nested=holds is not None)  # `holds` comes with a split's own task
        rest = remaining(budget, clock)
        if rest is not None and split is not None and not contextual:
            # with contextual costs the split's program waits, like a solution whose head
            # is dearer at the root, until every cheaper program was seen or the budget ends
            rest = doubt_budget(rest, clock.candidates)
        if rest is None:
            return make_result(task, library, self.name, split, clock, trace)
        with collector_paused():
            run = EnumerationRun(task, library, rest, contextual, self.proportional, self.max_memory_mb, self.constants,
                                 holds=holds)
            try:
                max_cost = self.max_cost * (self.proportional or 1) if split is None else run.cost_of(split) - 1
                solution = run.run(max_cost)
                program = solution if solution is not None else split if split is not None else run.best_partial
                clock.candidates += run.clock.candidates
                if split is not None:
                    trace += (f"a whole program cheaper than the split's ({max_cost + 1} units): "
                              + ("found" if solution is not None else f"none in {run.clock.candidates:,} candidates"),)
                trace += (f"reached cost {run.top.filled}", f"kept {len(run.top.seen)} distinct top-level terms")
                if run.failed_whole:
                    trace += (f"{run.failed_whole:,} program(s) whose values were the outputs failed run whole "
                              f"(a step budget their parts' runs kept apart)",)
                if run.out_of_memory:
                    trace += (f"stopped: the process grew by more than {self.max_memory_mb} MiB (max_memory_mb) "
                              f"after {run.clock.candidates:,} candidates",)
                return make_result(task, library, self.name, program, clock, trace)
            finally:
                run.close()

    def _accepting(self, task: Task, library: Library, budget: Budget, accept: Callable[[tuple], bool]
                   ) -> tuple[Expr | None, int]:
        """The cheapest program whose values `accept` takes (a sketch's predicate), and
        the candidates spent. Literals are priced by weight alone: the task's examples
        are placeholders, which constant_hints could only misread."""
        with collector_paused():
            run = EnumerationRun(task, library, budget, None, self.proportional, self.max_memory_mb, "all", accept)
            try:
                return run.run(self.max_cost * (self.proportional or 1)), run.clock.candidates
            finally:
                run.close()
