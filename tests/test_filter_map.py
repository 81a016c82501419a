"""Splitting a task at a map after a filter: when it applies, the predicate's test, the map's task."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.ast import Lam, Lit, Prim, Var, apply
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.bank import FAULT
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.filter_map import filter_map_splits

LIB = Library.base()
LISTS = [[1, 2, 4, 7], [2, 3, 6, 8, 0], [5], [9, 4, 4, 1], [0, 7, 7], [6, 2, 8, 5, 3], [3, 3, 1, 8]]
#: `\y -> 0 == y % 2`
EVEN = Lam(apply(Prim("=="), Lit(0), apply(Prim("%"), Var(0), Lit(2))))


def square_evens(lists=LISTS):
    return ns.Task.from_examples("square-evens", [(xs, [x * x for x in xs if x % 2 == 0]) for xs in lists])


def test_a_map_after_a_filter_gets_a_predicate_task_over_the_distinct_elements():
    (split,) = filter_map_splits(square_evens(), LIB)
    assert ns.format_type(split.task.type) == "int -> bool"
    assert [ex.inputs for ex in split.task.examples][:5] == [(1,), (2,), (4,), (7,), (3,)]
    assert split.rows[0] == ((0, 1, 2, 3), (4, 16))


def test_no_such_split_where_a_map_or_a_filter_gives_the_outputs():
    evens = ns.Task.from_examples("evens", [(xs, [x for x in xs if x % 2 == 0]) for xs in LISTS])
    squares = ns.Task.from_examples("squares", [(xs, [x * x for x in xs]) for xs in LISTS])
    longer = ns.Task.from_examples("twice", [(xs, xs + xs) for xs in LISTS])
    assert [filter_map_splits(t, LIB) for t in (evens, squares, longer)] == [[], [], []]
    assert filter_map_splits(square_evens(), Library.base(exclude=("filter",))) == []


def test_accept_wants_as_many_kept_as_the_output_has_and_equal_elements_to_meet_equal_outputs():
    (split,) = filter_map_splits(square_evens(), LIB)
    elements = [ex.inputs[0] for ex in split.task.examples]
    assert split.accept(tuple(x % 2 == 0 for x in elements))
    assert not split.accept(tuple(x % 2 == 1 for x in elements))  # [1, 2, 4, 7] keeps two, but [5] keeps one
    assert not split.accept(tuple(FAULT if x == 5 else x % 2 == 0 for x in elements))
    # one kept of each, as the outputs want, but the kept 2 would meet 5 and 7
    clash = ns.Task.from_examples("t", [([1, 2], [5]), ([2, 1], [7])])
    (split,) = filter_map_splits(clash, LIB)
    assert not split.accept((False, True)) and not split.accept((True, False))


def test_then_the_maps_task_and_compose_the_whole_program():
    (split,) = filter_map_splits(square_evens(), LIB)
    after = split.then(EVEN, LIB)
    assert [(ex.inputs, ex.output) for ex in after.task.examples] == [((2,), 4), ((4,), 16), ((6,), 36), ((8,), 64),
                                                                        ((0,), 0)]
    square = Lam(apply(Prim("*"), Var(0), Var(0)))
    assert format_expr(after.compose(square, n_args=1)) == r"\x -> map (\y -> y * y) (filter (\y -> 0 == y % 2) x)"
    odd = Lam(apply(Prim("=="), Lit(1), apply(Prim("%"), Var(0), Lit(2))))
    assert split.then(odd, LIB) is None  # run again, the predicate must fit


def test_the_search_finds_a_map_after_a_filter_the_whole_search_does_not_within_the_same_candidates():
    budget = Budget(seconds=None, candidates=60_000)
    r = EnumerativeSearcher().search(square_evens(), LIB, budget)
    assert r.solved and r.program_text == r"\x -> map (\y -> y * y) (filter (\y -> 0 == y % 2) x)"
    assert r.trace[0].startswith("split at map after filter (input 0): its function found in ")
    assert not EnumerativeSearcher(split_share=0.0).search(square_evens(), LIB, budget).solved


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 9), max_size=6), min_size=1, max_size=5), st.integers(2, 4))
def test_the_true_predicate_is_accepted_wherever_the_split_applies(lists, k):
    task = ns.Task.from_examples("t", [(xs, [x * 10 + 1 for x in xs if x % k == 0]) for xs in lists])
    for split in filter_map_splits(task, LIB):
        assert split.accept(tuple(ex.inputs[0] % k == 0 for ex in split.task.examples))
