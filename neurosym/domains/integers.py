"""Integer loop tasks (int -> int, int -> int -> int, int -> bool).

They exercise the language's iteration: `fold` over `range n`, `loop n f x`, and loops
whose state is a pair kept as a two-element list `[a, b]` (the language has no tuples).
Training inputs are small; held-out inputs are larger, so a program that only fits the
small cases fails them.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass
from typing import Any, Callable

from neurosym.domains.lists import sample_examples
from neurosym.task import Task

Draw = Callable[[random.Random], Any]
N_TRAIN, N_HELD_OUT = 10, 6


@dataclass(frozen=True)
class IntSpec:
    """One integer task: reference function, DSL reference solution, input samplers."""

    name: str
    type: str
    fn: Callable[..., Any]
    program: str
    train: Draw
    held_out: Draw
    n_train: int = N_TRAIN


def _n(lo: int, hi: int) -> Draw:
    return lambda rng: rng.randint(lo, hi)


def _pair(lo: int, hi: int, lo2: int | None = None, hi2: int | None = None) -> Draw:
    return lambda rng: (rng.randint(lo, hi), rng.randint(lo if lo2 is None else lo2, hi if hi2 is None else hi2))


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def _collatz(n: int) -> int:
    steps = 0
    while n != 1:
        n, steps = (n // 2 if n % 2 == 0 else 3 * n + 1), steps + 1
    return steps


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1))


# A pair loop [rest, acc] that consumes one digit per step until rest is 0.
_DIGITS = r"\n -> index 1 (loop 20 (\p -> if head p == 0 then p else [head p / 10, {step}]) [n, 0])"

INT_SPECS: tuple[IntSpec, ...] = (
    IntSpec("factorial", "int -> int", math.factorial, r"\n -> fold (\i acc -> acc * (i + 1)) 1 (range n)",
            _n(0, 7), _n(10, 20), n_train=8),
    IntSpec("fibonacci", "int -> int", _fib, r"\n -> head (loop n (\p -> [index 1 p, head p + index 1 p]) [0, 1])",
            _n(0, 12), _n(20, 80)),
    IntSpec("power-of-2", "int -> int", lambda n: 2**n, r"\n -> loop n (\x -> x * 2) 1", _n(0, 9), _n(20, 62)),
    IntSpec("power", "int -> int -> int", lambda a, b: a**b, r"\a b -> loop b (\x -> x * a) 1",
            _pair(0, 5), _pair(2, 9, 8, 15)),
    IntSpec("sum-to-n", "int -> int", lambda n: n * (n + 1) // 2, r"\n -> fold (+) 0 (range (n + 1))",
            _n(0, 12), _n(50, 500)),
    IntSpec("sum-of-squares", "int -> int", lambda n: sum(i * i for i in range(n + 1)),
            r"\n -> fold (\i acc -> i * i + acc) 0 (range (n + 1))", _n(0, 12), _n(50, 500)),
    IntSpec("digit-sum", "int -> int", lambda n: sum(map(int, str(n))),
            _DIGITS.format(step=r"index 1 p + head p % 10"), _n(0, 999), _n(10**4, 10**12)),
    IntSpec("reverse-digits", "int -> int", lambda n: int(str(n)[::-1]),
            _DIGITS.format(step=r"index 1 p * 10 + head p % 10"), _n(0, 999), _n(10**4, 10**12)),
    IntSpec("count-digits", "int -> int", lambda n: len(str(n)),
            r"\n -> index 1 (loop 20 (\p -> if head p == 0 then p else [head p / 10, index 1 p + 1]) [n / 10, 1])",
            _n(0, 9999), _n(10**5, 10**15)),
    IntSpec("gcd", "int -> int -> int", math.gcd,
            r"\a b -> head (loop (b + 1) (\p -> if index 1 p == 0 then p else [index 1 p, head p % index 1 p]) [a, b])",
            _pair(0, 12), _pair(20, 600)),
    IntSpec("abs-difference", "int -> int -> int", lambda a, b: abs(a - b), r"\a b -> if a < b then b - a else a - b",
            _pair(0, 9), _pair(100, 1000)),
    IntSpec("collatz-steps", "int -> int", _collatz,
            r"\n -> index 1 (loop 1000 (\p -> if head p == 1 then p else "
            r"[if head p % 2 == 0 then head p / 2 else 3 * head p + 1, index 1 p + 1]) [n, 0])",
            _n(1, 12), _n(20, 1000)),
    IntSpec("is-prime", "int -> bool", _is_prime, r"\n -> length (filter (\d -> n % (d + 1) == 0) (range n)) == 2",
            _n(0, 15), _n(50, 1000)),
    IntSpec("count-divisors", "int -> int", lambda n: sum(n % d == 0 for d in range(1, n + 1)),
            r"\n -> length (filter (\d -> n % (d + 1) == 0) (range n))", _n(1, 12), _n(50, 1000)),
    IntSpec("integer-sqrt", "int -> int", math.isqrt, r"\n -> length (filter (\d -> (d + 1) * (d + 1) <= n) (range n))",
            _n(0, 30), _n(100, 5000)),
    IntSpec("integer-log2", "int -> int", lambda n: n.bit_length() - 1,
            r"\n -> index 1 (loop 64 (\p -> if head p < 2 then p else [head p / 2, index 1 p + 1]) [n, 0])",
            _n(1, 40), _n(1000, 10**15)),
)


def build_int_task(spec: IntSpec, seed: int = 0) -> Task:
    """Training examples on small inputs, held-out ones on larger inputs."""
    rng = random.Random(seed * 1_000_003 + zlib.crc32(spec.name.encode()))
    train = sample_examples(spec.fn, spec.train, spec.n_train, rng, spec.name)
    held_out = sample_examples(spec.fn, spec.held_out, N_HELD_OUT, rng, spec.name)
    return Task.from_examples(spec.name, train, held_out, type=spec.type)


def integer_tasks(seed: int = 0) -> list[Task]:
    """All built-in integer tasks, reproducible from `seed`."""
    return [build_int_task(spec, seed) for spec in INT_SPECS]


def reference_solutions() -> dict[str, str]:
    """Task name -> reference program text."""
    return {spec.name: spec.program for spec in INT_SPECS}
