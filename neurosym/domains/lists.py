"""Built-in list tasks (int lists -> list / int / bool), with held-out generalization.

Each task is one row of a table: a name, its type, a Python reference function, a
reference solution in the DSL (a test checks that it passes every example), and an
input sampler. Training inputs are short (length 0-6, ints 0-9) so that search can
solve them; held-out inputs are long (length 10-30), so a held-out score measures
whether a program generalizes beyond the lengths it was fitted on, the point of
programs over nets. Everything is reproducible from a seed.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from itertools import accumulate
from math import prod
from pathlib import Path
from typing import Any, Callable

from neurosym.resources import data_dir
from neurosym.task import Task
from neurosym.task_io import load_tasks

Sampler = Callable[[random.Random, int], list]  # (rng, length) -> list

L2L, L2I, L2B = "list int -> list int", "list int -> int", "list int -> bool"
TRAIN_LENGTHS = (0, 6)
HELD_OUT_LENGTHS = (10, 30)
N_TRAIN, N_HELD_OUT = 10, 6




@dataclass(frozen=True)
class ListSpec:
    """One list task: reference function, DSL reference solution and input sampler."""

    name: str
    type: str
    fn: Callable[[list], Any]
    program: str
    sampler: Sampler
    min_len: int = 0  # inputs shorter than this are outside the task's domain


# -- samplers ----------------------------------------------------------------------


def _ints(rng: random.Random, n: int, lo: int = 0, hi: int = 9) -> list[int]:
    return [rng.randint(lo, hi) for _ in range(n)]


def _values(lo: int, hi: int) -> Sampler:
    return lambda rng, n: _ints(rng, n, lo, hi)


def _either(a: Sampler, b: Sampler) -> Sampler:
    """Half from each: gives boolean tasks both answers on long inputs too."""
    return lambda rng, n: (a if rng.random() < 0.5 else b)(rng, n)


def _with_k(k: int) -> Sampler:
    def sample(rng: random.Random, n: int) -> list[int]:
        xs = [rng.choice([v for v in range(10) if v != k]) for _ in range(n)]
        if n and rng.random() < 0.5:
            xs[rng.randrange(n)] = k
        return xs

    return sample


def _sorted(rng: random.Random, n: int) -> list[int]:
    return sorted(_ints(rng, n))


def _palindrome(rng: random.Random, n: int) -> list[int]:
    half = _ints(rng, (n + 1) // 2)
    return half + half[::-1][n % 2:]


def _constant(rng: random.Random, n: int) -> list[int]:
    return [rng.randint(0, 9)] * n


def _distinct(rng: random.Random, n: int) -> list[int]:
    return rng.sample(range(max(10, 2 * n)), n)


def _wide(rng: random.Random, n: int) -> list[int]:
    return _ints(rng, n, 0, max(9, 2 * n))


def _evens(rng: random.Random, n: int) -> list[int]:
    return [2 * rng.randint(0, 4) for _ in range(n)]


_ANY = _values(0, 9)
_SIGNED = _values(-9, 9)


# -- the table -----------------------------------------------------------------------


def _t(name: str, type_: str, fn: Callable[[list], Any], program: str, sampler: Sampler = _ANY, min_len: int = 0) -> ListSpec:
    return ListSpec(name, type_, fn, program, sampler, min_len)


def _families() -> list[ListSpec]:
    """Families over a parameter k (named like DreamCoder's: "add-3")."""
    rows: list[ListSpec] = []
    for k in range(1, 6):
        rows.append(_t(f"add-{k}", L2L, lambda xs, k=k: [x + k for x in xs], rf"map (\x -> x + {k})"))
    for k in range(1, 4):
        rows.append(_t(f"subtract-{k}", L2L, lambda xs, k=k: [x - k for x in xs], rf"map (\x -> x - {k})"))
    for k in range(2, 6):
        rows.append(_t(f"mult-{k}", L2L, lambda xs, k=k: [x * k for x in xs], rf"map (\x -> x * {k})"))
    for k in range(2, 5):
        rows.append(_t(f"mod-{k}", L2L, lambda xs, k=k: [x % k for x in xs], rf"map (\x -> x % {k})"))
    for k in (2, 4, 6):
        rows.append(_t(f"keep-gt-{k}", L2L, lambda xs, k=k: [x for x in xs if x > k], rf"filter (\x -> x > {k})"))
        rows.append(_t(f"count-gt-{k}", L2I, lambda xs, k=k: sum(x > k for x in xs),
                       rf"\xs -> length (filter (\x -> x > {k}) xs)"))
    for k in (3, 5):
        rows.append(_t(f"keep-lt-{k}", L2L, lambda xs, k=k: [x for x in xs if x < k], rf"filter (\x -> x < {k})"))
        rows.append(_t(f"clamp-{k}", L2L, lambda xs, k=k: [min(x, k) for x in xs],
                       rf"map (\x -> if x > {k} then {k} else x)"))
    for k in range(1, 4):
        rows.append(_t(f"count-{k}", L2I, lambda xs, k=k: xs.count(k),
                       rf"\xs -> length (filter (\x -> x == {k}) xs)", _values(0, 3)))
    for k in range(1, 5):
        rows.append(_t(f"has-{k}", L2B, lambda xs, k=k: k in xs,
                       rf"\xs -> not (is_empty (filter (\x -> x == {k}) xs))", _with_k(k)))
    for k in range(0, 3):
        rows.append(_t(f"remove-{k}", L2L, lambda xs, k=k: [x for x in xs if x != k],
                       rf"filter (\x -> x != {k})", _values(0, 4)))
    for k in range(1, 4):
        rows.append(_t(f"take-{k}", L2L, lambda xs, k=k: xs[:k], f"take {k}"))
        rows.append(_t(f"drop-{k}", L2L, lambda xs, k=k: xs[k:], f"drop {k}"))
    for k in range(0, 3):  # 0-based, unlike DreamCoder's 1-based index-k
        rows.append(_t(f"element-{k}", L2I, lambda xs, k=k: xs[k], f"index {k}", min_len=k + 1))
    for k in (0, 1):
        rows.append(_t(f"prepend-{k}", L2L, lambda xs, k=k: [k] + xs, f"cons {k}"))
        rows.append(_t(f"append-{k}", L2L, lambda xs, k=k: xs + [k], rf"\xs -> append xs [{k}]"))
    for k in (1, 2):
        rows.append(_t(f"rotate-left-{k}", L2L, lambda xs, k=k: xs[k:] + xs[:k],
                       rf"\xs -> append (drop {k} xs) (take {k} xs)"))
    for k in (2, 3):
        rows.append(_t(f"repeat-{k}", L2L, lambda xs, k=k: xs * k, rf"\xs -> loop {k} (append xs) []"))
    return rows


_PREFIX = r"fold (\x acc -> cons (x + (if is_empty acc then 0 else head acc)) acc) []"
_MAX = r"head (reverse (sort xs))"

_SINGLES: list[ListSpec] = [
    _t("sum", L2I, sum, r"fold (+) 0"),
    _t("product", L2I, prod, r"fold (*) 1", _values(1, 4)),
    _t("max", L2I, max, rf"\xs -> {_MAX}", min_len=1),
    _t("min", L2I, min, r"\xs -> head (sort xs)", min_len=1),
    _t("length", L2I, len, r"length"),
    _t("reverse", L2L, lambda xs: xs[::-1], r"reverse"),
    _t("sort", L2L, sorted, r"sort"),
    _t("sort-desc", L2L, lambda xs: sorted(xs, reverse=True), r"\xs -> reverse (sort xs)"),
    _t("head", L2I, lambda xs: xs[0], r"head", min_len=1),
    _t("last", L2I, lambda xs: xs[-1], r"\xs -> head (reverse xs)", min_len=1),
    _t("second", L2I, lambda xs: xs[1], r"index 1", min_len=2),
    _t("tail", L2L, lambda xs: xs[1:], r"tail", min_len=1),
    _t("init", L2L, lambda xs: xs[:-1], r"\xs -> take (length xs - 1) xs", min_len=1),
    _t("take-last-2", L2L, lambda xs: xs[-2:], r"\xs -> drop (length xs - 2) xs"),
    _t("swap-first-two", L2L, lambda xs: [xs[1], xs[0]] + xs[2:], r"\xs -> append [index 1 xs, head xs] (drop 2 xs)",
       min_len=2),
    _t("rotate-right-1", L2L, lambda xs: xs[-1:] + xs[:-1],
       r"\xs -> append (drop (length xs - 1) xs) (take (length xs - 1) xs)", min_len=1),
    _t("evens", L2L, lambda xs: [x for x in xs if x % 2 == 0], r"filter (\x -> x % 2 == 0)"),
    _t("odds", L2L, lambda xs: [x for x in xs if x % 2 == 1], r"filter (\x -> x % 2 == 1)"),
    _t("square-each", L2L, lambda xs: [x * x for x in xs], r"map (\x -> x * x)"),
    _t("negate-each", L2L, lambda xs: [-x for x in xs], r"map (\x -> 0 - x)", _SIGNED),
    _t("abs-each", L2L, lambda xs: [abs(x) for x in xs], r"map (\x -> if x < 0 then 0 - x else x)", _SIGNED),
    _t("keep-positive", L2L, lambda xs: [x for x in xs if x > 0], r"filter (\x -> x > 0)", _SIGNED),
    _t("increment-odds", L2L, lambda xs: [x + x % 2 for x in xs], r"map (\x -> if x % 2 == 1 then x + 1 else x)"),
    _t("square-evens", L2L, lambda xs: [x * x for x in xs if x % 2 == 0],
       r"\xs -> map (\x -> x * x) (filter (\x -> x % 2 == 0) xs)"),
    _t("double-then-sum", L2I, lambda xs: 2 * sum(xs), r"\xs -> fold (+) 0 (map (\x -> x * 2) xs)"),
    _t("sum-of-squares", L2I, lambda xs: sum(x * x for x in xs), r"fold (\x acc -> x * x + acc) 0"),
    _t("sum-evens", L2I, lambda xs: sum(x for x in xs if x % 2 == 0), r"\xs -> fold (+) 0 (filter (\x -> x % 2 == 0) xs)"),
    _t("sum-odds", L2I, lambda xs: sum(x for x in xs if x % 2 == 1), r"\xs -> fold (+) 0 (filter (\x -> x % 2 == 1) xs)"),
    _t("count-evens", L2I, lambda xs: sum(x % 2 == 0 for x in xs), r"\xs -> length (filter (\x -> x % 2 == 0) xs)"),
    _t("count-odds", L2I, lambda xs: sum(x % 2 == 1 for x in xs), r"\xs -> length (filter (\x -> x % 2 == 1) xs)"),
    _t("count-gt-head", L2I, lambda xs: sum(x > xs[0] for x in xs), r"\xs -> length (filter (\x -> x > head xs) xs)",
       min_len=1),
    _t("max-minus-min", L2I, lambda xs: max(xs) - min(xs), rf"\xs -> {_MAX} - head (sort xs)", min_len=1),
    _t("first-plus-last", L2I, lambda xs: xs[0] + xs[-1], r"\xs -> head xs + head (reverse xs)", min_len=1),
    _t("mean", L2I, lambda xs: sum(xs) // len(xs), r"\xs -> fold (+) 0 xs / length xs", min_len=1),
    _t("index-of-max", L2I, lambda xs: xs.index(max(xs)),
       rf"\xs -> (\m -> head (filter (\i -> index i xs == m) (range (length xs)))) ({_MAX})", min_len=1),
    _t("count-distinct", L2I, lambda xs: len(set(xs)),
       r"\xs -> length (filter (\i -> is_empty (filter (\y -> y == index i xs) (take i xs))) (range (length xs)))"),
    _t("all-positive", L2B, lambda xs: all(x > 0 for x in xs), r"fold (\x acc -> x > 0 && acc) true",
       _either(_values(1, 9), _values(-2, 9))),
    _t("all-even", L2B, lambda xs: all(x % 2 == 0 for x in xs), r"fold (\x acc -> x % 2 == 0 && acc) true",
       _either(_evens, _ANY)),
    _t("has-odd", L2B, lambda xs: any(x % 2 for x in xs), r"\xs -> not (is_empty (filter (\x -> x % 2 == 1) xs))",
       _either(_evens, _ANY)),
    _t("all-equal", L2B, lambda xs: len(set(xs)) <= 1, r"\xs -> fold (\x acc -> x == head xs && acc) true xs",
       _either(_constant, _values(0, 2))),
    _t("is-sorted", L2B, lambda xs: all(a <= b for a, b in zip(xs, xs[1:])),
       r"\xs -> fold (&&) true (zip_with (\a b -> a <= b) xs (drop 1 xs))", _either(_sorted, _ANY)),
    _t("is-palindrome", L2B, lambda xs: xs == xs[::-1], r"\xs -> fold (&&) true (zip_with (==) xs (reverse xs))",
       _either(_palindrome, _ANY)),
    _t("has-duplicate", L2B, lambda xs: len(set(xs)) < len(xs),
       r"\xs -> not (is_empty (filter (\i -> not (is_empty (filter (\y -> y == index i xs) (drop (i + 1) xs)))) "
       r"(range (length xs))))", _either(_distinct, _wide)),
    _t("prefix-sums", L2L, lambda xs: list(accumulate(xs)), rf"\xs -> reverse ({_PREFIX} (reverse xs))"),
    _t("suffix-sums", L2L, lambda xs: list(accumulate(xs[::-1]))[::-1], _PREFIX),
    _t("prefix-max", L2L, lambda xs: list(accumulate(xs, max)),
       r"\xs -> reverse (fold (\x acc -> cons (if is_empty acc then x else if x > head acc then x else head acc) acc) "
       r"[] (reverse xs))"),
    _t("append-reverse", L2L, lambda xs: xs + xs[::-1], r"\xs -> append xs (reverse xs)"),
    _t("dup-each", L2L, lambda xs: [y for x in xs for y in (x, x)], r"fold (\x acc -> cons x (cons x acc)) []"),
    _t("dedupe-adjacent", L2L, lambda xs: [x for i, x in enumerate(xs) if i == 0 or x != xs[i - 1]],
       r"fold (\x acc -> if is_empty acc then [x] else if x == head acc then acc else cons x acc) []", _values(0, 3)),
    _t("cons-length", L2L, lambda xs: [len(xs)] + xs, r"\xs -> cons (length xs) xs"),
    _t("range-of-length", L2L, lambda xs: list(range(len(xs))), r"\xs -> range (length xs)"),
    _t("add-index", L2L, lambda xs: [x + i for i, x in enumerate(xs)], r"\xs -> zip_with (+) xs (range (length xs))"),
    _t("mult-index", L2L, lambda xs: [x * i for i, x in enumerate(xs)], r"\xs -> zip_with (*) xs (range (length xs))"),
    _t("even-positions", L2L, lambda xs: xs[::2], r"\xs -> map (\i -> index (2 * i) xs) (range ((length xs + 1) / 2))"),
    _t("odd-positions", L2L, lambda xs: xs[1::2], r"\xs -> map (\i -> index (2 * i + 1) xs) (range (length xs / 2))"),
    _t("sum-adjacent", L2L, lambda xs: [a + b for a, b in zip(xs, xs[1:])], r"\xs -> zip_with (+) xs (drop 1 xs)"),
    _t("differences", L2L, lambda xs: [b - a for a, b in zip(xs, xs[1:])], r"\xs -> zip_with (-) (drop 1 xs) xs"),
]


LIST_SPECS: tuple[ListSpec, ...] = tuple(_families() + _SINGLES)


# -- building tasks --------------------------------------------------------------------


def _key(value: Any) -> Any:
    return tuple(_key(v) for v in value) if isinstance(value, (list, tuple)) else value


def sample_examples(
    fn: Callable[..., Any], draw: Callable[[random.Random], Any], count: int, rng: random.Random, name: str = "task"
) -> list[tuple[Any, Any]]:
    """`count` (input, fn(input)) pairs with distinct inputs; boolean outputs are balanced.

    `draw(rng)` returns one input: a tuple of arguments or a single argument. Balancing
    keeps a recogniser's examples from being nearly all one answer.
    """
    out: list[tuple[Any, Any]] = []
    seen: set = set()
    quota = {True: count // 2, False: count - count // 2}
    for _ in range(500 * count):
        if len(out) == count:
            break
        inputs = draw(rng)
        key = _key(inputs)
        if key in seen:
            continue
        args = inputs if isinstance(inputs, tuple) else (inputs,)
        output = fn(*[list(a) if isinstance(a, list) else a for a in args])
        if isinstance(output, bool):
            if quota[output] == 0:
                continue
            quota[output] -= 1
        seen.add(key)
        out.append((inputs, output))
    if len(out) < count:
        raise RuntimeError(f"task '{name}': could only sample {len(out)} of {count} distinct examples")
    return out


def _task_rng(name: str, seed: int) -> random.Random:
    """A generator per task, so adding a task leaves the others' examples unchanged."""
    return random.Random(seed * 1_000_003 + zlib.crc32(name.encode()))


def build_list_task(spec: ListSpec, seed: int = 0) -> Task:
    """Training examples on short lists, held-out ones on long lists."""
    rng = _task_rng(spec.name, seed)

    def lengths(lo_hi: tuple[int, int]) -> Callable[[random.Random], list]:
        lo, hi = max(lo_hi[0], spec.min_len), max(lo_hi[1], spec.min_len)
        return lambda r: spec.sampler(r, r.randint(lo, hi))

    train = sample_examples(spec.fn, lengths(TRAIN_LENGTHS), N_TRAIN, rng, spec.name)
    held_out = sample_examples(spec.fn, lengths(HELD_OUT_LENGTHS), N_HELD_OUT, rng, spec.name)
    return Task.from_examples(spec.name, train, held_out, type=spec.type)


def list_tasks(seed: int = 0) -> list[Task]:
    """All built-in list tasks, reproducible from `seed`."""
    return [build_list_task(spec, seed) for spec in LIST_SPECS]


def dreamcoder_tasks_path() -> Path:
    """The vendored copy of EC's data/list_tasks.json (source and licence in data/README.md)."""
    return data_dir() / "dreamcoder" / "list_tasks.json"


def reference_solutions() -> dict[str, str]:
    """Task name -> reference program text."""
    return {spec.name: spec.program for spec in LIST_SPECS}


def dreamcoder_list_tasks(path: str | Path | None = None) -> list[Task]:
    """DreamCoder's list_tasks.json as it is (no held-out examples).

    Default path: the copy vendored with neurosym (data/dreamcoder/list_tasks.json).
    """
    where = Path(path) if path is not None else dreamcoder_tasks_path()
    if not where.is_file():
        raise FileNotFoundError(
            f"DreamCoder list tasks not found at {where}: pass the path to EC's data/list_tasks.json "
            "(github.com/ellisk42/ec)"
        )
    return load_tasks(where)
