"""Whether a program's inputs are within the caps of its limits, checked before it runs
(the caps bound what a program may build; an input past them is refused, not run)."""

from __future__ import annotations

from typing import Any

from neurosym.lang.primitives import Limits, Stack


def input_problem(args: tuple, limits: Limits) -> str:
    """Why these inputs are beyond the caps of `limits` ("" when they are within).

    Linear in the inputs' stored size (ints and flat lists of ints, the common case, are
    checked in C; nested values iteratively, each shared part once); values other than
    ints, lists and stacks (images, tensors, functions) are not inspected."""
    max_int, max_list = limits.max_int, limits.max_list
    for v in args:
        kind = type(v)
        if kind is int:
            if -max_int <= v <= max_int:
                continue
        elif kind is tuple and len(v) <= max_list and (not v or type(v[0]) is int):
            try:  # a flat list of ints (min and max raise TypeError on anything else)
                if not v or (-max_int <= min(v) and max(v) <= max_int):
                    continue
            except TypeError:
                pass
        elif kind is not tuple and kind is not Stack:
            continue  # a bool, or a value the caps do not apply to
        problem = _nested_problem(v, max_int, max_list)
        if problem:
            return problem
    return ""


def _nested_problem(value: Any, max_int: int, max_list: int) -> str:
    todo = [value]
    seen: set[int] = set()
    while todo:
        v = todo.pop()
        kind = type(v)
        if kind is int:
            if not -max_int <= v <= max_int:
                return f"an input holds an integer beyond the cap of {max_int}"
        elif kind is tuple or kind is Stack:
            if id(v) in seen:
                continue
            seen.add(id(v))
            items = v if kind is tuple else v.items()
            if len(items) > max_list:
                return f"an input holds a list of {len(items)} items, beyond the cap of {max_list}"
            todo.extend(items)
    return ""
