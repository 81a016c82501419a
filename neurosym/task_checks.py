"""Checks that refuse silently wrong tasks before they are built.

A task whose values the language would misread, or that no program can solve, wastes
a whole search and then reports a failure that points nowhere. So `Task.from_examples`
refuses, naming the task, the example and the cap or the clash:

- a tuple inside a value: Python tuples were once read as lists, so `((1, 2), (2, 1))`
  quietly became `int -> int -> list int`. A tuple is only ever the arguments of an
  example's inputs; lists are written as lists (pairs are a planned type);
- an int beyond `Limits().max_int` in magnitude, a list longer than `Limits().max_list`,
  or nesting deeper than `MAX_VALUE_DEPTH`: every run would fail on them;
- two examples with the same inputs and different outputs.

The functions return the problem as text (None when there is none); task.py raises.
Every walk is iterative and visits each distinct container once, so deep or shared
values cost no recursion and no expansion.
"""

from __future__ import annotations

from typing import Any, Sequence

from neurosym.lang.primitives import Limits, Stack
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

    Looks at tuples (refused anywhere: the caller has already split an example's
    inputs tuple into arguments), ints beyond `limits.max_int`, lists longer than
    `limits.max_list` and nesting deeper than MAX_VALUE_DEPTH. Other unsupported
    values (floats, strings) are left to `value_type`, which names them.
    """
    limits = limits or Limits()

    def children(node: Any) -> Sequence | None:
        if isinstance(node, tuple):
            what = "it" if node is value else f"it holds {describe_value(node, 40)}, which"
            raise _Problem(
                f"{what} is a tuple; write lists as lists ({format_value(node, 40)}). Tuples and pairs are "
                "a planned type, not yet supported; a tuple is read only as an example's inputs (the arguments)"
            )
        items = node.items() if isinstance(node, Stack) else node if isinstance(node, list) else None
        if items is not None and len(items) > limits.max_list:
            raise _Problem(f"{'it' if node is value else 'it holds a list that'} has {len(items)} items, "
                           f"more than the cap of {limits.max_list} (Limits().max_list)")
        return items

    def leaf(x: Any) -> None:
        if isinstance(x, int) and not isinstance(x, bool) and abs(x) > limits.max_int:
            what = "it" if x is value else f"it holds {describe_value(x, 40)}, which"
            raise _Problem(f"{what} is beyond the cap of {limits.max_int} in magnitude on integers "
                           "(Limits().max_int)")

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


def contradiction(groups: Sequence[tuple[str, Sequence[tuple[tuple, Any]]]]) -> str | None:
    """Two examples with the same inputs and different outputs, across all `groups`.

    `groups` is `[(label, [(inputs, output), ...]), ...]` of runtime values, e.g.
    training then held-out examples. Inputs are bucketed by `value_hash`, so this is
    linear in the examples (and fast on shared structure); duplicates that agree are fine.
    """
    seen: dict[int, list[tuple[str, int, tuple, Any]]] = {}
    for label, pairs in groups:
        for i, (inputs, output) in enumerate(pairs):
            bucket = seen.setdefault(value_hash(inputs), [])
            for first_label, j, first_inputs, first_output in bucket:
                if same_value(first_inputs, inputs):
                    if not same_value(first_output, output):
                        shown = ", ".join(format_value(v, 60) for v in inputs)
                        return (f"{first_label} {j} and {label} {i} have the same inputs ({shown}) but different "
                                f"outputs, {format_value(first_output, 60)} and {format_value(output, 60)}")
                    break
            else:
                bucket.append((label, i, inputs, output))
    return None
