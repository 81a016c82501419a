"""Runtime values: equality and hashing as the language means them, and the value API.

Equality is observational: two values are the same when their value types agree and
their leaves agree through the type's `key` where it has one (floats to 9 significant
digits in the base language), bools never equal to ints. Programs build values that
share structure and values can be nested deeply, so `same_value` and `value_hash` are
iterative and look at each distinct pair of containers (each distinct container) once.

This module is also where the rest of neurosym takes its value functions from:
conversion and typing of user values (neurosym.lang.user_values), text for people
(neurosym.lang.value_text) and the walk (neurosym.lang.walk) are re-exported here.
"""

from __future__ import annotations

from typing import Any, Sequence

from neurosym.lang.data import Stack
from neurosym.lang.dsl import DSL
from neurosym.lang.user_values import (
    ValueTypeError,
    python_class_name,
    to_python,
    to_runtime,
    value_type,
)
from neurosym.lang.value_text import (
    FORMAT_LIMIT,
    INT_DIGITS_SHOWN,
    brief_repr,
    describe_value,
    format_value,
    int_digits,
)
from neurosym.lang.walk import MAX_VALUE_DEPTH, Shape, fold_value, shapes_for


def same_value(a: Any, b: Any, dsl: DSL | None = None) -> bool:
    """Equality of runtime values of `dsl` (the base language by default) that keeps
    bools and ints (and any two value types) apart and compares leaves by their type's
    `key` where it has one.

    Lists (tuples) compare element by element, stacks by their items and other
    containers by their parts, without recursion; identical objects are equal without
    a look inside, and a pair of containers is compared once however often it is shared.
    """
    shapes = None
    seen: set[tuple[int, int]] = set()  # container pairs already compared (or being compared)
    work = [(a, b)]
    while work:
        x, y = work.pop()
        if x is y:
            continue
        kind = type(x)
        if kind is not type(y):
            shapes = shapes or shapes_for(dsl)
            shape = shapes.of(kind)
            if shape.vt is None or shape.vt is not shapes.of(type(y)).vt:
                return False
        elif kind is int or kind is bool or kind is str:
            if x != y:
                return False
            continue
        elif kind is tuple or kind is list:
            if len(x) != len(y):
                return False
            if (id(x), id(y)) not in seen:
                seen.add((id(x), id(y)))
                work.extend(zip(x, y))
            continue
        elif kind is Stack:
            if x.size != y.size:
                return False
            if (id(x), id(y)) not in seen:
                seen.add((id(x), id(y)))
                while x is not y and x.size:  # stacks share tails: stop where they meet
                    work.append((x.top, y.top))
                    x, y = x.rest, y.rest
            continue
        else:
            shapes = shapes or shapes_for(dsl)
            shape = shapes.of(kind)
        if not _same_by_shape(shape, x, y, seen, work):
            return False
    return True


def _same_by_shape(shape: Shape, x: Any, y: Any, seen: set, work: list) -> bool:
    """Compare two values of one value type by its key, else its parts (queued on
    `work`), else Python's equality."""
    if shape.key is not None:
        return shape.key(x) == shape.key(y)
    if shape.parts is not None:
        px, py = shape.parts(x), shape.parts(y)
        if len(px) != len(py):
            return False
        if (id(x), id(y)) not in seen:
            seen.add((id(x), id(y)))
            work.extend(zip(px, py))
        return True
    return bool(x == y)


def value_hash(value: Any, dsl: DSL | None = None) -> int:
    """A hash consistent with `same_value` (bools apart from ints, keyed leaves by their
    key), fast on shared structure."""
    shapes = shapes_for(dsl)

    def children(x: Any) -> Sequence | None:
        kind = type(x)
        if kind is tuple or kind is list:
            return x
        if kind is int or kind is bool or kind is str:
            return None
        if kind is Stack:
            return x.items()
        shape = shapes.of(kind)
        return shape.parts(x) if shape.parts is not None and shape.key is None else None

    def leaf(x: Any) -> int:
        kind = type(x)
        if kind is bool:
            return hash(("bool", x))
        if kind is not int and kind is not str:
            shape = shapes.of(kind)
            if shape.key is not None:
                return hash((shape.name, shape.key(x)))
        try:
            return hash(x)
        except TypeError:
            return hash(("unhashable", type(x).__name__))

    def combine(node: Any, parts: list) -> int:
        kind = type(node)
        tag = "list" if kind is tuple or kind is list else shapes.of(kind).name
        return hash((tag, tuple(parts)))

    return fold_value(value, children, leaf, combine)


__all__ = ["FORMAT_LIMIT", "INT_DIGITS_SHOWN", "MAX_VALUE_DEPTH", "ValueTypeError", "brief_repr", "describe_value",
           "fold_value", "format_value", "int_digits", "python_class_name", "same_value", "to_python", "to_runtime",
           "value_hash", "value_type"]
