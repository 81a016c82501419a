"""Eight integer/vector problems of the General Program Synthesis Benchmark Suite (PSB1).

Source: T. Helmuth and L. Spector, "General Program Synthesis Benchmark Suite", GECCO
2015; data from thelmuth/program-synthesis-benchmark-datasets (MIT licence), kept as is
in data/psb1 (vendored; see data/README.md). The edge cases are read from their JSON lines; random cases
are generated here from each problem's README recipe (its proportions), with the value
and length ranges of the problem definitions in Clojush (src/clojush/problems/software/,
same authors), since the READMEs name the mixtures but not the ranges. Train and test
sizes follow each README's "Typical use", so that success rates compare with the
published PushGP ones.

Every problem maps onto our language without loss: PSB vectors of integers are
`list int`, integers `int`, booleans `bool`. Median and smallest print their answer in
PSB; here they return it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from neurosym.errors import NeurosymError, NotFound
from neurosym.resources import data_dir
from neurosym.task import Task


def psb1_dir() -> Path:
    """The vendored PSB1 data (data/psb1 in a checkout, package data in a wheel)."""
    return data_dir() / "psb1"


Inputs = tuple
Case = tuple[Inputs, Any]
Draw = Callable[[random.Random], Inputs]

#: PushGP with lexicase selection, successful runs out of 100 (Helmuth & Spector 2015, Table 3)
PUBLISHED: dict[str, int] = {
    "smallest": 81, "mirror-image": 78, "median": 45, "negative-to-zero": 45,
    "last-index-of-zero": 21, "count-odds": 8, "sum-of-squares": 6, "vectors-summed": 1,
}


class PSB1DataError(NeurosymError, FileNotFoundError):
    """The PSB1 data is missing or not what the loader expects."""


# -- random-case recipes (ranges from Clojush's problem files) ---------------------------

def _length(rng: random.Random) -> int:
    return rng.randint(1, 50)  # (inc (lrand-int 50))


def _ints(rng: random.Random, n: int, lo: int = -1000, hi: int = 1000) -> list[int]:
    return [rng.randint(lo, hi) for _ in range(n)]


def _count_odds_vector(prob_odd: float | None) -> Draw:
    """Odd values in [-999, 999], even ones in [-1000, 1000]; None draws the probability."""

    def draw(rng: random.Random) -> Inputs:
        n = _length(rng)
        p = rng.random() if prob_odd is None else prob_odd
        return ([2 * rng.randint(-500, 499) + 1 if rng.random() < p else 2 * rng.randint(-500, 500)
                 for _ in range(n)],)

    return draw


def _negatives_vector(prob_negative: float | None) -> Draw:
    """Negatives in [-1000, -1], the rest in [0, 1000]; None draws the probability."""

    def draw(rng: random.Random) -> Inputs:
        n = _length(rng)
        p = rng.random() if prob_negative is None else prob_negative
        return ([-rng.randint(1, 1000) if rng.random() < p else rng.randint(0, 1000) for _ in range(n)],)

    return draw


def _last_zero_vector(rng: random.Random) -> Inputs:
    """One zero, up to 5 more, up to 44 values in [-50, 50], shuffled (length 1..50)."""
    xs = [0] * (1 + rng.randint(0, 5)) + _ints(rng, rng.randint(0, 44), -50, 50)
    rng.shuffle(xs)
    return (xs,)


def _shuffled_repeats(size: int, repeats: int) -> Draw:
    """`repeats` copies of one value in [-100, 100] and the rest random, shuffled."""

    def draw(rng: random.Random) -> Inputs:
        xs = [rng.randint(-100, 100)] * repeats + _ints(rng, size - repeats, -100, 100)
        rng.shuffle(xs)
        return tuple(xs)

    return draw


def _uniform_ints(size: int, lo: int, hi: int) -> Draw:
    return lambda rng: tuple(_ints(rng, size, lo, hi))


def _mirror(kind: str) -> Draw:
    """A vector (length 1..50, values in [-1000, 1000]) and its reverse, itself, a close
    call (its reverse with 1 to 5 random positions redrawn) or a random vector."""

    def draw(rng: random.Random) -> Inputs:
        a = _ints(rng, _length(rng))
        if kind == "true":
            return a, a[::-1]
        if kind == "equal":
            return a, list(a)
        if kind == "close":
            b = a[::-1]
            for _ in range(rng.randint(1, 5)):
                b[rng.randrange(len(b))] = rng.randint(-1000, 1000)
            return a, b
        return a, _ints(rng, len(a))

    return draw


def _summed(length: int | None) -> Draw:
    def draw(rng: random.Random) -> Inputs:
        n = _length(rng) if length is None else length
        return _ints(rng, n), _ints(rng, n)

    return draw


# -- reference functions ------------------------------------------------------------------

def count_odds(xs: list[int]) -> int:
    return sum(1 for x in xs if x % 2)


def last_index_of_zero(xs: list[int]) -> int:
    return len(xs) - 1 - xs[::-1].index(0)


def median(a: int, b: int, c: int) -> int:
    return sorted((a, b, c))[1]


def mirror_image(xs: list[int], ys: list[int]) -> bool:
    return list(xs) == list(ys)[::-1]


def negative_to_zero(xs: list[int]) -> list[int]:
    return [max(x, 0) for x in xs]


def smallest(a: int, b: int, c: int, d: int) -> int:
    return min(a, b, c, d)


def sum_of_squares(n: int) -> int:
    return sum(i * i for i in range(1, n + 1))


def vectors_summed(xs: list[int], ys: list[int]) -> list[int]:
    return [x + y for x, y in zip(xs, ys)]


# -- the problems -------------------------------------------------------------------------

@dataclass(frozen=True)
class PSB1Spec:
    """One problem: our type, reference function, README recipe and typical sizes.

    `strata` are (count in the README's random file, draw) pairs: random cases are split
    among them in those proportions. A problem with a finite input set instead has
    `train_pool` (drawn without replacement) and `test_pool` (used whole)."""

    name: str
    type: str
    reference: Callable[..., Any]
    n_train_random: int
    n_test: int
    strata: tuple[tuple[int, Draw], ...] = ()
    train_pool: tuple[int, ...] = ()
    test_pool: tuple[int, ...] = ()


SPECS: dict[str, PSB1Spec] = {s.name: s for s in (
    PSB1Spec("count-odds", "list int -> int", count_odds, 168, 2000,
             ((100_000, _count_odds_vector(1.0)), (100_000, _count_odds_vector(0.0)),
              (800_000, _count_odds_vector(None)))),
    PSB1Spec("last-index-of-zero", "list int -> int", last_index_of_zero, 78, 1000,
             ((1_000_000, _last_zero_vector),)),
    PSB1Spec("median", "int -> int -> int -> int", median, 100, 1000,
             ((600_000, _uniform_ints(3, -100, 100)), (300_000, _shuffled_repeats(3, 2)),
              (100_000, _shuffled_repeats(3, 3)))),
    PSB1Spec("mirror-image", "list int -> list int -> bool", mirror_image, 77, 1000,
             ((500_000, _mirror("true")), (100_000, _mirror("equal")), (200_000, _mirror("close")),
              (200_000, _mirror("random")))),
    PSB1Spec("negative-to-zero", "list int -> list int", negative_to_zero, 183, 2000,
             ((150_000, _negatives_vector(1.0)), (150_000, _negatives_vector(0.0)),
              (700_000, _negatives_vector(None)))),
    PSB1Spec("smallest", "int -> int -> int -> int -> int", smallest, 95, 1000,
             ((100_000, _shuffled_repeats(4, 3)), (100_000, _shuffled_repeats(4, 4)),
              (200_000, _uniform_ints(4, 0, 100)), (600_000, _uniform_ints(4, -100, 100)))),
    PSB1Spec("sum-of-squares", "int -> int", sum_of_squares, 44, 100,
             train_pool=tuple(range(6, 100)), test_pool=tuple(range(1, 101))),
    PSB1Spec("vectors-summed", "list int -> list int -> list int", vectors_summed, 135, 1500,
             ((30_000, _summed(50)), (270_000, _summed(None)))),
)}

#: the eight problem names, in the order of the published table
PSB1_PROBLEMS: tuple[str, ...] = tuple(PUBLISHED)


def stratum_counts(spec: PSB1Spec, n: int) -> list[int]:
    """Split n cases among the strata in the README's proportions (largest remainders)."""
    total = sum(w for w, _ in spec.strata)
    exact = [n * w / total for w, _ in spec.strata]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    return counts


def random_inputs(name: str, n: int, rng: random.Random) -> list[Inputs]:
    """n random inputs from the recipe, in the README's proportions, shuffled."""
    spec = _spec(name)
    if not spec.strata:
        raise ValueError(f"{name}: inputs come from a finite pool, not strata")
    cases = [draw(rng) for (_, draw), k in zip(spec.strata, stratum_counts(spec, n)) for _ in range(k)]
    rng.shuffle(cases)
    return cases


def with_outputs(name: str, inputs: list[Inputs]) -> list[Case]:
    ref = _spec(name).reference
    return [(args, ref(*args)) for args in inputs]


def edge_cases(name: str, root: Path | None = None) -> list[Case]:
    """The problem's edge cases as (inputs, output), read from its JSON lines as they are.

    Raises PSB1DataError naming the path when the file is missing, and when an edge
    case disagrees with the reference function (so the data is what we think it is)."""
    spec = _spec(name)
    path = (root or psb1_dir()) / name / f"{name}-edge.jsonl"
    if not path.is_file():
        raise PSB1DataError(f"PSB1 data for {name!r} not found: {path} (neurosym ships it as data/psb1; "
                            "reinstall neurosym or pass root=)")
    cases = []
    for line_no, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        n_inputs = sum(1 for k in row if k.startswith("input"))
        case = tuple(row[f"input{i}"] for i in range(1, n_inputs + 1)), row["output1"]
        if case[1] != spec.reference(*case[0]) or type(case[1]) is not type(spec.reference(*case[0])):
            raise PSB1DataError(f"{path}:{line_no}: output {case[1]!r} disagrees with the reference "
                                f"{spec.reference(*case[0])!r}")
        cases.append(case)
    return cases


def split_cases(name: str, seed: int = 0, root: Path | None = None) -> tuple[list[Case], list[Case]]:
    """(training cases, test cases) per the README's typical use, reproducible from seed:
    edge cases then random training cases; test cases are random (or the whole pool)."""
    spec = _spec(name)
    rng = random.Random(seed)
    edges = edge_cases(name, root)
    if spec.strata:
        train_inputs = random_inputs(name, spec.n_train_random, rng)
        test_inputs = random_inputs(name, spec.n_test, rng)
    else:
        train_inputs = [(x,) for x in rng.sample(spec.train_pool, spec.n_train_random)]
        test_inputs = [(x,) for x in spec.test_pool]
    return edges + with_outputs(name, train_inputs), with_outputs(name, test_inputs)


def psb1_problem(name: str, seed: int = 0, root: Path | None = None) -> tuple[Task, list[Case]]:
    """The training Task (edge + random training cases, no held-out) and the test cases."""
    train, test = split_cases(name, seed, root)
    return Task.from_examples(name, train, type=_spec(name).type), test


def _spec(name: str) -> PSB1Spec:
    if name not in SPECS:
        raise NotFound(f"unknown PSB1 problem {name!r}; valid: {', '.join(PSB1_PROBLEMS)}")
    return SPECS[name]
