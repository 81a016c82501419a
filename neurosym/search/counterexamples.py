"""A task with many examples searched on a few of them first, counterexamples added as needed.

The enumerator computes and keeps every term's value on every example, so a task with
200 examples (PSB1's) costs 25 times as much per candidate as one with 8, and its bank
of terms outgrows memory within seconds; yet most of those examples say the same thing.
So a task with more than `above` examples is searched on `size` of them first: small
ones (cheap to run and to keep), spread over the smaller part by size so that they
differ. A program that fits them is run on every example; if it gets some wrong, the
smallest of those join the subset (half as many as it holds, at least two) and the
search starts again on it, until a program fits every example or the budget ends:
counterexample-guided search, as SyGuS solvers do it (CEGIS). A new search rather than a
continued one, because terms the subset could not tell apart were pruned as equivalent,
and the one the task needs may be among them.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from neurosym.errors import InvalidArgument
from neurosym.lang.ast import Expr
from neurosym.lang.compiler import compile_program
from neurosym.lang.value_text import format_value
from neurosym.library import Library
from neurosym.search.base import SEARCH_LIMITS, Budget, Clock, SearchResult
from neurosym.search.deduction import remaining
from neurosym.task import Task

#: a task with more than this many examples is searched on a subset first
DEFAULT_ABOVE = 20
#: the examples a subset starts with
DEFAULT_SUBSET = 8
#: the counterexamples a failed round adds (the smallest it got wrong): at least
#: ADDED_PER_ROUND, and GROWTH times the subset's size where that is more (each round
#: enumerates again what the last one did, so a subset that grows by half ends in fewer
#: rounds: chosen on PSB1's mirror-image with the cases of seeds 100-105, 3 -> 5 of 6
#: solved in 60 s against two a round)
ADDED_PER_ROUND = 2
GROWTH = 0.5
#: the first subset is spread over this smaller part of the examples, by size
SMALLER_PART = 0.3
#: characters of an input's text counted in its size (text length measures list
#: lengths and digits alike, for any value type)
SIZE_CAP = 400


def check_subset(size: int, above: int) -> None:
    """Refuse sizes a subset cannot have: `size` >= 1 (0 turns subsets off) and
    `above` >= `size`."""
    for name, value in (("subset", size), ("subset_above", above)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgument(f"{name} must be a non-negative integer, got {value!r}")
    if size and above < size:
        raise InvalidArgument(f"subset_above ({above}) must be at least subset ({size})")


def example_sizes(task: Task) -> list[int]:
    """Each example's size: the length of its inputs' text (at most SIZE_CAP each)."""
    return [sum(len(format_value(v, SIZE_CAP, task.dsl)) for v in ex.inputs) for ex in task.examples]


def first_subset(sizes: list[int], size: int) -> list[int]:
    """`size` example indices spread evenly over the smallest SMALLER_PART of the
    examples by size (ties in task order), smallest first."""
    order = sorted(range(len(sizes)), key=lambda i: (sizes[i], i))
    span = min(len(order), max(size, round(len(order) * SMALLER_PART)))
    if size <= 1:
        return order[:size]
    picks = (order[round(k * (span - 1) / (size - 1))] for k in range(size))
    return list(dict.fromkeys(picks))


class Subset:
    """The examples a task is searched on: `first_subset` of them at first, then the
    counterexamples each round adds. Enumeration starts a new search on each (below);
    GP goes on with its population (genetic.py)."""

    def __init__(self, task: Task, size: int) -> None:
        self.whole = task
        self.sizes = example_sizes(task)
        self.chosen = first_subset(self.sizes, size)

    @property
    def task(self) -> Task:
        """The task of the chosen examples (held-out ones left out: search never reads them)."""
        return dataclasses.replace(self.whole, examples=tuple(self.whole.examples[i] for i in self.chosen),
                                   held_out=())

    def grow(self, program: Expr, library: Library) -> tuple[list[int], int]:
        """Run `program` on every example: the counterexamples added (the smallest it
        gets wrong that are not chosen yet: half as many as are chosen, at least
        ADDED_PER_ROUND) and how many examples it gets wrong in all."""
        compiled = compile_program(program, SEARCH_LIMITS, library.routine_values(SEARCH_LIMITS), library.dsl)
        total = len(self.whole.examples)
        wrong = sorted(set(range(total)) - self.whole.passing(compiled), key=lambda i: (self.sizes[i], i))
        added = [i for i in wrong if i not in self.chosen][:max(ADDED_PER_ROUND, int(GROWTH * len(self.chosen)))]
        self.chosen = self.chosen + added
        return added, len(wrong)

    def describe(self, found: str, added: list[int], wrong: int) -> str:
        """The trace line of a round whose program (`found`: how) got `wrong` wrong."""
        where = f"on {len(self.chosen) - len(added)} of {len(self.whole.examples)} examples: a program found {found}"
        if not added:
            return f"{where} fits every example"
        return f"{where} gets {wrong} others wrong; examples {', '.join(map(str, added))} added"


def search_on_subsets(search: Callable[[Task, Budget], SearchResult], task: Task, library: Library,
                      budget: Budget, clock: Clock, size: int) -> tuple[Expr | None, tuple[str, ...]]:
    """Search `task` on subsets of its examples (`search` searches one sub-task within a
    budget), adding counterexamples until a program fits them all or the budget ends.
    Returns the last round's program (the best of its subset when none fits it) and a
    trace: a line per round, then the last round's own trace."""
    subset = Subset(task, size)
    lines: list[str] = []
    program: Expr | None = None
    while True:
        rest = remaining(budget, clock)
        if rest is None:
            break
        result = search(subset.task, rest)
        clock.candidates += result.candidates
        program = result.program if result.program is not None else program
        if not result.solved:
            lines.append(f"on {len(subset.chosen)} of {len(task.examples)} examples: no program fits them "
                         f"in {result.candidates:,} candidates")
            return program, tuple(lines) + result.trace
        added, wrong = subset.grow(result.program, library)
        lines.append(subset.describe(f"in {result.candidates:,} candidates", added, wrong))
        if not added:  # it fits every example (or, run whole, fails only ones it was searched on)
            return program, tuple(lines) + result.trace
    return program, tuple(lines)
