"""PSB1 loaders: the data loads with the right types, the edge cases agree with the
reference functions, random cases follow each README recipe reproducibly, and a
hand-written program in our language solves every problem (so all eight are expressible)."""

from __future__ import annotations

import random

import pytest

from neurosym.domains import psb1
from neurosym.domains.psb1 import PSB1_PROBLEMS, PUBLISHED, SPECS, psb1_problem
from neurosym.lang.program import load_program
from neurosym.lang.types import format_type, split_arrow
from neurosym.lang.values import same_value, to_runtime
from neurosym.search.base import SEARCH_LIMITS

TYPES = {
    "count-odds": "list int -> int",
    "last-index-of-zero": "list int -> int",
    "median": "int -> int -> int -> int",
    "mirror-image": "list int -> list int -> bool",
    "negative-to-zero": "list int -> list int",
    "smallest": "int -> int -> int -> int -> int",
    "sum-of-squares": "int -> int",
    "vectors-summed": "list int -> list int -> list int",
}
#: (edge cases, random training cases, test cases) from each README's "Typical use"
SIZES = {
    "count-odds": (32, 168, 2000), "last-index-of-zero": (72, 78, 1000), "median": (0, 100, 1000),
    "mirror-image": (23, 77, 1000), "negative-to-zero": (17, 183, 2000), "smallest": (5, 95, 1000),
    "sum-of-squares": (6, 44, 100), "vectors-summed": (15, 135, 1500),
}
SOLUTIONS = {
    "count-odds": r"\xs -> length (filter (\x -> x % 2 == 1) xs)",
    "last-index-of-zero": r"\xs -> head (filter (\i -> index i xs == 0) (reverse (range (length xs))))",
    "median": r"\a b c -> index 1 (sort [a, b, c])",
    "mirror-image": r"\xs ys -> length xs == length ys && fold (&&) true (zip_with (==) xs (reverse ys))",
    "negative-to-zero": r"map (\x -> if x < 0 then 0 else x)",
    "smallest": r"\a b c d -> head (sort [a, b, c, d])",
    "sum-of-squares": r"\n -> fold (\i acc -> (i + 1) * (i + 1) + acc) 0 (range n)",
    "vectors-summed": r"zip_with (+)",
}


@pytest.fixture(scope="module")
def problems() -> dict:
    return {name: psb1_problem(name, seed=3) for name in PSB1_PROBLEMS}


def test_names_and_published_figures():
    assert set(PSB1_PROBLEMS) == set(SPECS) == set(TYPES) and len(PSB1_PROBLEMS) == 8
    assert PUBLISHED == {"smallest": 81, "mirror-image": 78, "median": 45, "negative-to-zero": 45,
                         "last-index-of-zero": 21, "count-odds": 8, "sum-of-squares": 6, "vectors-summed": 1}


@pytest.mark.parametrize("name", PSB1_PROBLEMS)
def test_loads_with_types_and_sizes(problems, name):
    task, test = problems[name]
    n_edge, n_random, n_test = SIZES[name]
    assert format_type(task.type) == TYPES[name]
    assert len(task.examples) == n_edge + n_random and len(test) == n_test and not task.held_out
    n_args = len(split_arrow(task.type)[0])
    assert all(isinstance(inputs, tuple) and len(inputs) == n_args for inputs, _ in test)


@pytest.mark.parametrize("name", PSB1_PROBLEMS)
def test_edge_cases_match_reference(name):
    edges = psb1.edge_cases(name)
    assert len(edges) == SIZES[name][0]
    ref = SPECS[name].reference
    assert all(same_value(to_runtime(ref(*args)), to_runtime(out)) for args, out in edges)


def test_missing_data_names_the_path(tmp_path):
    with pytest.raises(psb1.PSB1DataError, match=str(tmp_path)):
        psb1_problem("count-odds", root=tmp_path)
    with pytest.raises(ValueError, match="unknown PSB1 problem"):
        psb1_problem("fizz-buzz")


@pytest.mark.parametrize("name", PSB1_PROBLEMS)
def test_reproducible_by_seed(name):
    assert psb1.split_cases(name, seed=5) == psb1.split_cases(name, seed=5)
    if name != "sum-of-squares":  # its test set is all of [1, 100]
        assert psb1.split_cases(name, seed=5)[1] != psb1.split_cases(name, seed=6)[1]


def test_stratum_counts_follow_readme_proportions():
    assert psb1.stratum_counts(SPECS["count-odds"], 2000) == [200, 200, 1600]
    assert psb1.stratum_counts(SPECS["mirror-image"], 1000) == [500, 100, 200, 200]
    assert psb1.stratum_counts(SPECS["smallest"], 1000) == [100, 100, 200, 600]
    assert sum(psb1.stratum_counts(SPECS["count-odds"], 168)) == 168


def _vectors(name: str, n: int = 2000) -> list[tuple]:
    return psb1.random_inputs(name, n, random.Random(0))


@pytest.mark.parametrize("name", ["count-odds", "negative-to-zero", "mirror-image", "vectors-summed"])
def test_vector_ranges(name):
    for args in _vectors(name):
        assert all(1 <= len(v) <= 50 and all(-1000 <= x <= 1000 for x in v) for v in args)
        assert len({len(v) for v in args}) == 1


def test_count_odds_recipe():
    vs = [v for (v,) in _vectors("count-odds")]
    assert sum(all(x % 2 for x in v) for v in vs) >= 200  # all-odd stratum (+ chance)
    assert sum(not any(x % 2 for x in v) for v in vs) >= 200
    assert all(-999 <= x <= 999 for v in vs for x in v if x % 2)


def test_negative_to_zero_recipe():
    vs = [v for (v,) in _vectors("negative-to-zero")]
    assert sum(all(x < 0 for x in v) for v in vs) >= 300
    assert sum(all(x >= 0 for x in v) for v in vs) >= 300


def test_mirror_image_recipe():
    cases = _vectors("mirror-image", 1000)
    assert 500 <= sum(psb1.mirror_image(a, b) for a, b in cases) < 560
    assert sum(a == b for a, b in cases) >= 100


def test_vectors_summed_recipe():
    assert sum(len(a) == 50 for a, _ in _vectors("vectors-summed", 1500)) >= 150


def test_last_index_of_zero_recipe():
    for (v,) in _vectors("last-index-of-zero"):
        assert 1 <= len(v) <= 50 and 0 in v and all(-50 <= x <= 50 for x in v)


@pytest.mark.parametrize("name, size, lo", [("median", 3, -100), ("smallest", 4, -100)])
def test_small_integer_recipes(name, size, lo):
    cases = _vectors(name, 1000)
    assert all(len(c) == size and all(lo <= x <= 100 for x in c) for c in cases)
    assert sum(len(set(c)) == 1 for c in cases) >= 100
    if name == "smallest":
        assert sum(all(x >= 0 for x in c) for c in cases) >= 200


def test_sum_of_squares_pools():
    train, test = psb1.split_cases("sum-of-squares", seed=2)
    randoms = [x for (x,), _ in train[6:]]
    assert len(set(randoms)) == 44 and all(6 <= x <= 99 for x in randoms)
    assert sorted(x for (x,), _ in test) == list(range(1, 101))


@pytest.mark.parametrize("name", PSB1_PROBLEMS)
def test_hand_written_solution_passes_train_and_test(problems, name):
    task, test = problems[name]
    program = load_program(SOLUTIONS[name])
    program.check(task.type)
    compiled = program.compile(SEARCH_LIMITS)
    score = task.score(compiled)
    assert score.solved, score.first_failure
    arg_types, ret = split_arrow(task.type)
    inputs = [tuple(to_runtime(v, t) for v, t in zip(args, arg_types)) for args, _ in test]
    for result, (args, out) in zip(compiled.run_many(inputs), test):
        assert result.ok and same_value(result.value, to_runtime(out, ret)), (args, out, result)
