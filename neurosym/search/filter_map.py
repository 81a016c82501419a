"""Splitting a task that maps what a filter kept: `map f (filter p xs)`, in two searches.

`square-evens` gives `[0, 16]` for `[0, 7, 9, 3, 9, 4]`: neither a map (it is shorter) nor
a filter (16 is not an element), and whole, the program is eleven nodes. Its outputs do
not say which elements were kept, but a predicate's values on the distinct elements
decide it: the kept elements must be as many as the output's and, taken in order, each
equal element must go to an equal output. So the predicate is enumerated first with
that as its test (as a sketch's is, sketches.py), then the map's function is searched on
the pairs the predicate's choice gives, and the whole program is checked on the task.
A predicate that passes by chance leaves a map task no small function fits; the more
examples, the fewer such predicates.

Tried only where the output is shorter than the input in some example and is no
subsequence of it in some example (a filter or a filter of positions gives those,
deduction.py and positions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurosym.lang.ast import Expr, Lam, Prim, Var, apply
from neurosym.lang.compiler import compile_program
from neurosym.lang.rewrite import eta_reduce, lambda_body
from neurosym.lang.types import TCon, Type, arrow, split_arrow
from neurosym.library import Library
from neurosym.search.bank import FAULT
from neurosym.search.base import SEARCH_LIMITS
from neurosym.task import Example, Task

BOOL = TCon("bool")
#: at most this many distinct elements in the predicate's task
MAX_ELEMENTS = 200


@dataclass(frozen=True)
class FilterMapSplit:
    """`map f (filter p xs)` for input `argument`: `task` is the predicate's, one example
    per distinct element (its outputs are placeholders: `accept` is the test)."""

    argument: int
    task: Task
    #: per example: the indices of its elements among the task's, and its output
    rows: tuple[tuple[tuple[int, ...], tuple], ...]
    result: Type  # the output's element type
    params: int = 1

    def describe(self) -> str:
        return f"split at map after filter (input {self.argument})"

    def accept(self, values: tuple) -> bool:
        """Whether keeping the elements the predicate holds for leaves as many as each
        output has, and equal kept elements meet equal outputs."""
        return self._pairs(values) is not None

    def _pairs(self, values: tuple) -> dict[int, Any] | None:
        met: dict[int, Any] = {}
        for indices, ys in self.rows:
            kept = [k for k in indices if values[k] is True]
            if len(kept) != len(ys) or any(values[k] is FAULT for k in indices):
                return None
            for k, y in zip(kept, ys):
                if met.setdefault(k, y) != y:
                    return None
        return met

    def then(self, predicate: Expr, library: Library) -> MapAfterFilter | None:
        """The map's function's task once `predicate` is found: an example per kept
        distinct element (None where the predicate, run again, does not fit)."""
        run = compile_program(predicate, SEARCH_LIMITS, library.routine_values(SEARCH_LIMITS), library.dsl)
        values = tuple(r.value if r.ok else FAULT for r in run.run_many([ex.inputs for ex in self.task.examples]))
        met = self._pairs(values)
        if not met:
            return None
        elements = self.task.examples
        examples = tuple(Example(elements[k].inputs, y) for k, y in sorted(met.items()))
        element = split_arrow(self.task.type)[0][0]
        sub = Task(f"{self.task.name.rsplit(' (', 1)[0]} (map's function after the filter)",
                   arrow(element, self.result), examples, dsl=self.task.dsl)
        return MapAfterFilter(self.argument, sub, predicate)


@dataclass(frozen=True)
class MapAfterFilter:
    """The second search of a FilterMapSplit: the map's function, the predicate found."""

    argument: int
    task: Task
    predicate: Expr

    def describe(self) -> str:
        return f"split at map after filter (input {self.argument})"

    def compose(self, function: Expr, n_args: int) -> Expr:
        """`map f (filter p xs)` under the task's lambdas."""
        kept = apply(Prim("filter"), eta_reduce(lambda_body(self.predicate, 1), 1), Var(n_args - 1 - self.argument))
        program: Expr = apply(Prim("map"), eta_reduce(lambda_body(function, 1), 1), kept)
        for _ in range(n_args):
            program = Lam(program)
        return program


def filter_map_splits(task: Task, library: Library) -> list[FilterMapSplit]:
    """A split for each list input whose examples a map after a filter could give and
    neither a filter nor a map could."""
    if not {"map", "filter"} <= set(library.names()):
        return []
    arg_types, ret = split_arrow(task.type)
    if not (isinstance(ret, TCon) and ret.name == "list"):
        return []
    out = []
    for i, t in enumerate(arg_types):
        if not (isinstance(t, TCon) and t.name == "list"):
            continue
        split = _split(task, i, t.args[0], ret.args[0])
        if split is not None:
            out.append(split)
    return out


def _split(task: Task, i: int, element: Type, result: Type) -> FilterMapSplit | None:
    pairs = [(ex.inputs[i], ex.output) for ex in task.examples]
    if any(not isinstance(ys, tuple) or len(ys) > len(xs) for xs, ys in pairs):
        return None
    if all(len(ys) == len(xs) for xs, ys in pairs) or all(_subsequence(ys, xs) for xs, ys in pairs):
        return None  # a map or a filter (of values or of positions) gives these
    index: dict = {}
    try:
        rows = tuple((tuple(index.setdefault(x, len(index)) for x in xs), ys) for xs, ys in pairs)
    except TypeError:  # unhashable elements
        return None
    if len(index) > MAX_ELEMENTS:
        return None
    examples = tuple(Example((x,), False) for x in index)
    sub = Task(f"{task.name} (the filter's predicate)", arrow(element, BOOL), examples, dsl=task.dsl)
    return FilterMapSplit(i, sub, rows, result)


def _subsequence(ys: tuple, xs: tuple) -> bool:
    it = iter(xs)
    return all(any(y == x for x in it) for y in ys)
