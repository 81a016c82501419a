"""Splitting a task that rearranges a list: the source positions, the program, the search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.compiler import compile_program
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.permutations import permutation_splits

LIB = Library.base()
LISTS = [[1, 2, 3, 4, 5], [7, 3, 9], [4, 8, 2, 6], [5, 1], [9, 0, 6, 3, 2, 8], [6, 6, 1]]


def _rotated(xs: list, k: int) -> list:
    """`xs` rotated right by k: the element at position i comes from position (i - k) mod n."""
    return [xs[(i - k) % len(xs)] for i in range(len(xs))]


def rotate(k: int, lists=LISTS) -> ns.Task:
    return ns.Task.from_examples(f"rotate-{k}", [(xs, _rotated(xs, k)) for xs in lists])


def test_each_output_position_names_the_position_its_element_came_from():
    (split,) = permutation_splits(rotate(2), LIB)
    assert ns.format_type(split.task.type) == "int -> int -> int"
    rows = [(ex.inputs, ex.output) for ex in split.task.examples]
    assert rows[:5] == [((0, 5), 3), ((1, 5), 4), ((2, 5), 0), ((3, 5), 1), ((4, 5), 2)]
    # [6, 6, 1] -> [6, 1, 6]: the 6s occur twice and say nothing; the 1 came from position 2
    assert ((1, 3), 2) in rows and ((0, 3), 1) in rows  # (0, 3) from [7, 3, 9] -> [3, 9, 7]


def test_no_split_where_an_output_is_no_rearrangement_or_every_output_is_its_input():
    for name, fn in (("sort", sorted), ("identity", list), ("double", lambda xs: [2 * x for x in xs]),
                     ("tail", lambda xs: xs[1:])):
        task = ns.Task.from_examples(name, [(xs, fn(xs)) for xs in LISTS])
        assert permutation_splits(task, LIB) == [], name
    assert permutation_splits(rotate(2), Library.base(exclude=("index",))) == []


def test_compose_reads_the_source_position_from_the_position_and_the_length():
    (split,) = permutation_splits(rotate(2), LIB)
    function = ns.parse(r"\i n -> (i + (n - 2)) % n")
    program = split.compose(function, 1)
    assert format_expr(program) == r"\x -> map (\y -> index ((y + (length x - 2)) % length x) x) (range (length x))"
    assert rotate(2).score(compile_program(program)).solved


def test_the_search_finds_a_rotation_the_whole_search_does_not_within_the_same_candidates():
    budget = Budget(seconds=None, candidates=100_000)
    r = EnumerativeSearcher().search(rotate(2), LIB, budget)
    assert r.trace[0] == "split at fold (input 0, reversed): no function found in 10,000 candidates"
    assert r.trace[1].startswith("split at the positions moved (input 0): its function found in ")
    assert r.program_text.startswith(r"\x -> map (\y -> index ")
    assert not EnumerativeSearcher(split_share=0).search(rotate(2), LIB, budget).solved


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), min_size=1, max_size=7), min_size=1, max_size=5), st.integers(1, 3))
def test_the_true_source_positions_are_the_examples_wherever_the_split_applies(lists, k):
    task = rotate(k, lists)
    for split in permutation_splits(task, LIB):
        for ex in split.task.examples:
            i, n = ex.inputs
            assert ex.output == (i - k) % n
