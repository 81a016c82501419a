"""Splitting a task at the positions it keeps: the choice of positions, the program, the search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.ast import Lam, Lit, Prim, Var, apply
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.positions import kept_positions, position_splits

LIB = Library.base()
LISTS = [[5, 5, 3, 1, 8], [2, 7, 7, 7], [4, 0, 9, 6, 1, 3], [1, 1], [6, 2, 8]]


def test_the_positions_kept_are_one_choice_for_every_example_even_where_equal_elements_differ():
    pairs = [(tuple(xs), tuple(xs[1::2])) for xs in LISTS]
    assert kept_positions(pairs) == [False, True, False, True, False, True]
    # [5, 5, 3] -> [5] alone could keep either 5; [1, 2, 3] -> [2] says which
    assert kept_positions([((5, 5, 3), (5,)), ((1, 2, 3), (2,))]) == [False, True, False]
    # the last element dropped: position 2 is kept in one list and dropped in the other
    assert kept_positions([((1, 2, 3), (1, 2)), ((4, 5), (4,))]) is None


def test_a_split_exists_only_where_some_positions_are_kept_and_some_dropped():
    task = ns.Task.from_examples("odd-positions", [(xs, xs[1::2]) for xs in LISTS])
    (split,) = position_splits(task, LIB)
    assert ns.format_type(split.task.type) == "int -> bool"
    assert [ex.output for ex in split.task.examples] == [False, True, False, True, False, True]
    identity = ns.Task.from_examples("id", [(xs, xs) for xs in LISTS])
    assert position_splits(identity, LIB) == []
    # one run of positions is take and drop, cheaper searched whole
    for name, fn in (("tail", lambda xs: xs[1:]), ("slice", lambda xs: xs[1:3]), ("take", lambda xs: xs[:2])):
        assert position_splits(ns.Task.from_examples(name, [(xs, fn(xs)) for xs in LISTS]), LIB) == []
    drop_second = ns.Task.from_examples("remove-index-1", [(xs, xs[:1] + xs[2:]) for xs in LISTS])
    assert [ex.output for ex in position_splits(drop_second, LIB)[0].task.examples] == [True, False] + [True] * 4
    assert position_splits(task, Library.base(exclude=("index",))) == []  # the program needs index


def test_compose_picks_the_kept_positions_from_the_list():
    task = ns.Task.from_examples("odd-positions", [(xs, xs[1::2]) for xs in LISTS])
    (split,) = position_splits(task, LIB)
    odd = Lam(apply(Prim("=="), Lit(1), apply(Prim("%"), Var(0), Lit(2))))
    assert format_expr(split.compose(odd, n_args=1)) == (
        r"\x -> map (\y -> index y x) (filter (\y -> 1 == y % 2) (range (length x)))")


def test_the_search_finds_a_positional_filter_the_whole_search_does_not_within_the_same_candidates():
    task = ns.Task.from_examples("even-positions", [(xs, xs[::2]) for xs in LISTS])
    budget = Budget(seconds=None, candidates=60_000)
    r = EnumerativeSearcher().search(task, LIB, budget)
    assert r.solved and r.program_text == r"\x -> map (\y -> index y x) (filter (\y -> 0 == y % 2) (range (length x)))"
    assert r.trace[0].startswith("split at the positions kept (input 0): its function found in ")
    assert not EnumerativeSearcher(split_share=0.0).search(task, LIB, budget).solved


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), max_size=7), min_size=1, max_size=5),
       st.sets(st.integers(0, 6)))
def test_kept_positions_finds_a_choice_whenever_one_exists_and_it_gives_every_output(lists, positions):
    pairs = [(tuple(xs), tuple(x for j, x in enumerate(xs) if j in positions)) for xs in lists]
    flags = kept_positions(pairs)
    assert flags is not None  # the choice that made the outputs exists
    for xs, ys in pairs:
        assert tuple(x for x, keep in zip(xs, flags) if keep) == ys
