"""What the function argument of the base language's map, filter and fold must give for
an output: the `deduce` rules of their primitive records (see Primitive.deduce), which
search reads to split a task at them (neurosym/search/deduction.py)."""

from __future__ import annotations

from typing import Any

from neurosym.lang.dsl import Deduced


def map_examples(xs: tuple, ys: Any) -> tuple | None:
    """`map f xs == ys`: f takes each element to the one at its place."""
    if not isinstance(ys, tuple) or len(xs) != len(ys):
        return None
    return tuple(zip(xs, ys))


def filter_examples(xs: tuple, ys: Any) -> tuple | None:
    """`filter p xs == ys`: p holds for the elements kept; since p reads the element
    alone, equal elements are kept or dropped together."""
    if not isinstance(ys, tuple):
        return None
    kept = set(ys)
    if tuple(x for x in xs if x in kept) != ys:
        return None
    return tuple((x, x in kept) for x in xs)


def fold_examples(xs: tuple, ys: Any) -> Deduced | None:
    """`fold f [] xs == ys` where f puts the same number k of elements before its
    accumulator at every element (a map, a scan, each element twice): then the
    accumulator f receives with element i is the output after the first k * (i + 1)
    elements, and f gives the output after the first k * i. Other folds (a filter, a
    total) leave their accumulators unknown."""
    if not isinstance(ys, tuple) or (not xs and ys):
        return None
    k, extra = divmod(len(ys), len(xs) or 1)
    if extra or (xs and not k):
        return None
    return Deduced(tuple(((x, ys[k * (i + 1):]), ys[k * i:]) for i, x in enumerate(xs)), fixed=((),))
