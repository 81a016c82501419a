"""A catalogue of reference behaviours: what a routine is named when it computes one.

neurosym.library.naming runs a routine on sample inputs and looks here, by the type it
is run at (type variables taken as `int`), for a Python function that agrees with it on
every sample where the function is defined; the first that agrees names the routine.
This is a list of well-known behaviours (`sum`, `count_eq`, `filter_gt`), not of the
language's primitives: a routine built of any primitives matches by what it computes.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Callable

__all__ = ["CATALOGUE"]


def _count(p: Callable[[Any], Any], xs: tuple) -> int:
    return sum(1 for x in xs if p(x))


def _at(xs: tuple, i: int) -> Any:
    if not 0 <= i < len(xs):
        raise IndexError(i)
    return xs[i]


def _nonempty(xs: tuple) -> tuple:
    if not xs:
        raise IndexError("empty")
    return xs


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def _power(a: int, b: int) -> int:
    if b < 0:
        raise ValueError("negative exponent")
    return a**b


def _fold(f: Callable[[Any], Any], z: Any, xs: tuple) -> Any:
    for x in reversed(xs):  # a right fold, as the language's `fold`
        z = f(x)(z)
    return z


def _is_prime(n: int) -> bool:
    return n > 1 and all(n % d for d in range(2, math.isqrt(n) + 1))


# What a routine is named when it computes this on every sample where the function is
# defined (a function that raises has no value there), by the type it is run at; the
# first that agrees wins. Function arguments are curried (`f(x)(y)`).
CATALOGUE: dict[str, tuple[tuple[str, Callable[..., Any]], ...]] = {
    "list int -> int": (
        ("sum", sum), ("product", math.prod), ("max", max), ("min", min), ("length", len),
        ("count_even", lambda xs: _count(lambda x: x % 2 == 0, xs)),
        ("count_odd", lambda xs: _count(lambda x: x % 2 == 1, xs)),
        ("first", lambda xs: _at(xs, 0)), ("second", lambda xs: _at(xs, 1)), ("last", lambda xs: _nonempty(xs)[-1]),
        ("sum_of_squares", lambda xs: sum(x * x for x in xs)), ("max_minus_min", lambda xs: max(xs) - min(xs))),
    "list int -> bool": (
        ("is_sorted", lambda xs: all(a <= b for a, b in zip(xs, xs[1:]))),
        ("is_palindrome", lambda xs: xs == xs[::-1]), ("all_even", lambda xs: all(x % 2 == 0 for x in xs)),
        ("any_even", lambda xs: any(x % 2 == 0 for x in xs)), ("has_duplicates", lambda xs: len(set(xs)) < len(xs)),
        ("nonempty", lambda xs: len(xs) > 0)),
    "list int -> list int": (
        ("reverse", lambda xs: xs[::-1]), ("sort", lambda xs: tuple(sorted(xs))),
        ("sort_desc", lambda xs: tuple(sorted(xs, reverse=True))),
        ("evens", lambda xs: tuple(x for x in xs if x % 2 == 0)), ("odds", lambda xs: tuple(x for x in xs if x % 2)),
        ("double_each", lambda xs: tuple(2 * x for x in xs)), ("square_each", lambda xs: tuple(x * x for x in xs)),
        ("increment_each", lambda xs: tuple(x + 1 for x in xs)), ("decrement_each", lambda xs: tuple(x - 1 for x in xs)),
        ("init", lambda xs: _nonempty(xs)[:-1]), ("unique", lambda xs: tuple(dict.fromkeys(xs))),
        ("prefix_sums", lambda xs: tuple(itertools.accumulate(xs))),
        ("suffix_sums", lambda xs: tuple(itertools.accumulate(xs[::-1]))[::-1]),
        ("nonzero", lambda xs: tuple(x for x in xs if x != 0)),
        ("add_index", lambda xs: tuple(x + i for i, x in enumerate(xs))),
        ("mult_index", lambda xs: tuple(x * i for i, x in enumerate(xs)))),
    "int -> list int -> int": (
        ("count_eq", lambda k, xs: xs.count(k)), ("count_gt", lambda k, xs: _count(lambda x: x > k, xs)),
        ("count_lt", lambda k, xs: _count(lambda x: x < k, xs)), ("index_of", lambda k, xs: xs.index(k)),
        ("element_at", lambda k, xs: _at(xs, k))),
    "int -> list int -> bool": (
        ("contains", lambda k, xs: k in xs), ("occurs_once", lambda k, xs: xs.count(k) == 1),
        ("any_gt", lambda k, xs: any(x > k for x in xs)), ("all_lt", lambda k, xs: all(x < k for x in xs))),
    "int -> list int -> list int": (
        ("map_add", lambda k, xs: tuple(x + k for x in xs)), ("map_sub", lambda k, xs: tuple(x - k for x in xs)),
        ("map_mul", lambda k, xs: tuple(x * k for x in xs)), ("map_div", lambda k, xs: tuple(x // k for x in xs)),
        ("map_mod", lambda k, xs: tuple(x % k for x in xs)),
        ("filter_gt", lambda k, xs: tuple(x for x in xs if x > k)),
        ("filter_lt", lambda k, xs: tuple(x for x in xs if x < k)),
        ("filter_ge", lambda k, xs: tuple(x for x in xs if x >= k)),
        ("filter_le", lambda k, xs: tuple(x for x in xs if x <= k)),
        ("filter_eq", lambda k, xs: tuple(x for x in xs if x == k)),
        ("filter_ne", lambda k, xs: tuple(x for x in xs if x != k)),
        ("filter_mod_eq", lambda k, xs: tuple(x for x in xs if x % k == 0)),
        ("filter_mod_ne", lambda k, xs: tuple(x for x in xs if x % k != 0)),
        ("filter_parity", lambda r, xs: tuple(x for x in xs if x % 2 == r)),
        ("take", lambda k, xs: xs[:k]), ("drop", lambda k, xs: xs[k:]),
        ("prepend", lambda k, xs: (k,) + xs), ("snoc", lambda k, xs: xs + (k,))),
    "int -> int": (
        ("increment", lambda n: n + 1), ("decrement", lambda n: n - 1), ("double", lambda n: 2 * n),
        ("triple", lambda n: 3 * n), ("square", lambda n: n * n), ("halve", lambda n: n // 2),
        ("negate", lambda n: -n), ("factorial", math.factorial), ("fibonacci", _fib)),
    "int -> bool": (
        ("is_even", lambda n: n % 2 == 0), ("is_odd", lambda n: n % 2 == 1), ("is_zero", lambda n: n == 0),
        ("is_positive", lambda n: n > 0), ("is_prime", _is_prime)),
    "int -> int -> int": (
        ("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b),
        ("div", lambda a, b: a // b), ("mod", lambda a, b: a % b), ("max_of", max), ("min_of", min),
        ("power", _power)),
    "int -> int -> int -> bool": (
        ("mod_eq", lambda k, r, x: x % k == r), ("mod_eq_of", lambda k, x, r: x % k == r)),
    "int -> int -> bool": (
        ("eq", lambda a, b: a == b), ("ne", lambda a, b: a != b), ("lt", lambda a, b: a < b),
        ("gt", lambda a, b: a > b), ("le", lambda a, b: a <= b), ("ge", lambda a, b: a >= b)),
    "int -> list int": (
        ("upto", lambda n: tuple(range(1, n + 1))), ("countdown", lambda n: tuple(range(n, 0, -1))),
        ("ones", lambda n: (1,) * n)),
    "int -> int -> list int": (
        ("replicate", lambda n, x: (x,) * n), ("range_between", lambda a, b: tuple(range(a, b)))),
    "(int -> bool) -> list int -> int": (("count_if", _count),),
    "(int -> bool) -> list int -> list int": (
        ("filter", lambda p, xs: tuple(x for x in xs if p(x))),
        ("remove_if", lambda p, xs: tuple(x for x in xs if not p(x)))),
    "(int -> bool) -> list int -> bool": (
        ("any", lambda p, xs: any(p(x) for x in xs)), ("all", lambda p, xs: all(p(x) for x in xs))),
    "(int -> int) -> list int -> list int": (("map", lambda f, xs: tuple(f(x) for x in xs)),),
    "(int -> int) -> int -> int": (("twice", lambda f, x: f(f(x))),),
    "(int -> int -> int) -> list int -> list int": (
        ("map_with_index", lambda f, xs: tuple(f(x)(i) for i, x in enumerate(xs))),),
    "(int -> int -> int) -> list int -> int": (
        ("combine_first_last", lambda f, xs: f(_nonempty(xs)[0])(xs[-1])),),
    "(int -> int -> int) -> int -> list int -> int": (
        ("fold", _fold),),
    "(int -> int -> int) -> list int -> list int -> list int": (
        ("zip_with", lambda f, xs, ys: tuple(f(x)(y) for x, y in zip(xs, ys))),),
}
