"""Checks that refuse silently wrong tasks before they are built.

A task whose values the language would misread, or that no program can solve, wastes
a whole search and then reports a failure that points nowhere. So `Task.from_examples`
refuses, naming the task, the example and the cap or the clash:

- a tuple of other than two items inside a value: Python tuples were once read as
  lists, so `((1, 2, 3), ...)` would quietly change meaning. A tuple of two inside a
  value is a pair; a tuple is otherwise only ever the arguments of an example's inputs,
  and lists are written as lists;
- an int beyond `Limits().max_int` in magnitude, a list (or stack) longer than
  `Limits().max_list`, a string longer than that too, or nesting deeper than
  `MAX_VALUE_DEPTH`: every run would fail on them;
- a float that is NaN, which equals nothing, so no program could produce it;
- two examples with the same inputs and different outputs.

The functions return the problem as text (None when there is none); task.py raises.
Every walk is iterative and visits each distinct container once, so deep or shared
values cost no recursion and no expansion.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

from neurosym.lang.data import Pair, Stack
from neurosym.lang.dsl import DSL
from neurosym.lang.primitives import Limits
from neurosym.lang.values import (
    MAX_VALUE_DEPTH,
    describe_value,
    fold_value,
    format_value,
    same_value,
    value_hash,
)


class _Problem(Exception):
    """Raised inside a walk to stop it at the first problem."""


def value_problem(value: Any, limits: Limits | None = None) -> str | None:
    """What makes a user value unusable in a task, or None.

    Looks at tuples (of other than two items; the caller has already split an example's
    inputs tuple into arguments), ints beyond `limits.max_int`, lists, stacks and
    strings longer than `limits.max_list`, NaN and nesting deeper than MAX_VALUE_DEPTH
    (lists, stacks and pairs). Values no type claims are left to `to_runtime`, which
    names them.
    """
    limits = limits or Limits()

    def it(node: Any, which: str = "which") -> str:
        return "it" if node is value else f"it holds {describe_value(node, 40)}, {which}"

    def children(node: Any) -> Sequence | None:
        kind = type(node)
        if kind is tuple:
            if len(node) != 2:
                raise _Problem(
                    f"{it(node)} is a tuple of {len(node)} item{'' if len(node) == 1 else 's'}; write lists as lists "
                    f"({format_value(node, 40)}). A tuple of two inside a value is a pair; a tuple is otherwise "
                    "read only as an example's inputs (the arguments)"
                )
            return node
        if kind is Pair:
            return (node.first, node.second)
        items = node.items() if kind is Stack else node if kind is list else None
        if items is not None and len(items) > limits.max_list:
            raise _Problem(f"{'it' if node is value else 'it holds a list that'} has {len(items)} items, "
                           f"more than the cap of {limits.max_list} (Limits().max_list)")
        return items

    def leaf(x: Any) -> None:
        if isinstance(x, numbers.Integral) and not isinstance(x, bool) and abs(int(x)) > limits.max_int:
            raise _Problem(f"{it(x)} is beyond the cap of {limits.max_int} in magnitude on integers "
                           "(Limits().max_int)")
        if isinstance(x, str) and len(x) > limits.max_list:
            raise _Problem(f"{'it' if x is value else 'it holds a string that'} has {len(x)} characters, more "
                           f"than the cap of {limits.max_list} (Limits().max_list)")
        if isinstance(x, float) and math.isnan(x):
            raise _Problem(f"{it(x)} is NaN, which equals nothing: no program could produce it")

    def too_deep() -> _Problem:
        return _Problem(f"it is nested more than {MAX_VALUE_DEPTH} levels deep (the cap on nested lists)")

    try:
        fold_value(value, children, leaf, lambda _node, _parts: None, max_depth=MAX_VALUE_DEPTH, too_deep=too_deep)
    except _Problem as problem:
        return str(problem)
    return None


def example_problem(inputs: tuple, output: Any, limits: Limits | None = None) -> str | None:
    """The first problem among an example's inputs and output, as `input 0 [...]: why`."""
    parts = [(f"input {k}", v) for k, v in enumerate(inputs)] + [("output", output)]
    for what, value in parts:
        problem = value_problem(value, limits)
        if problem is not None:
            return f"{what} {describe_value(value, 60)}: {problem}"
    return None


def contradiction(groups: Sequence[tuple[str, Sequence[tuple[tuple, Any]]]], dsl: DSL | None = None) -> str | None:
    """Two examples with the same inputs and different outputs, across all `groups`.

    `groups` is `[(label, [(inputs, output), ...]), ...]` of runtime values, e.g.
    training then held-out examples. Inputs are bucketed by `value_hash`, so this is
    linear in the examples (and fast on shared structure); duplicates that agree are fine.
    Values compare as `dsl` (the base language by default) says.
    """
    seen: dict[int, list[tuple[str, int, tuple, Any]]] = {}
    for label, pairs in groups:
        for i, (inputs, output) in enumerate(pairs):
            bucket = seen.setdefault(value_hash(inputs, dsl), [])
            for first_label, j, first_inputs, first_output in bucket:
                if same_value(first_inputs, inputs, dsl):
                    if not same_value(first_output, output, dsl):
                        shown = ", ".join(format_value(v, 60, dsl) for v in inputs)
                        return (f"{first_label} {j} and {label} {i} have the same inputs ({shown}) but different "
                                f"outputs, {format_value(first_output, 60, dsl)} and {format_value(output, 60, dsl)}")
                    break
            else:
                bucket.append((label, i, inputs, output))
    return None
