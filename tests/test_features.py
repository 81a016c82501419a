"""Features of examples (neurosym.neural.features): relations a token reader misses."""

import random

import pytest
from hypothesis import given, settings, strategies as st

from neurosym.neural.features import FEATURES, example_features, task_features
from neurosym.task import Task

SORTED_DESC, SHIFTED, SHIFT, SUBSET, LENGTH, SUM = 20, 25, 26, 21, 34, 35


def test_reverse_of_sort_and_add_one_differ_where_it_matters():
    """The GRU over tokens reads `[3, 1, 2] -> [3, 2, 1]` and `[3, 1, 2] -> [4, 2, 3]`
    alike; the features say "sorted descending" for one, "shifted by 1" for the other."""
    xs = [3, 1, 2]
    rs, inc = example_features((xs,), sorted(xs)[::-1]), example_features((xs,), [x + 1 for x in xs])
    assert (rs[SORTED_DESC], rs[SHIFTED], rs[SUBSET]) == (1.0, 0.0, 1.0)
    assert (inc[SORTED_DESC], inc[SHIFTED], inc[SHIFT], inc[SUBSET]) == (0.0, 1.0, 0.1, 0.0)


def test_list_to_int_relations_and_task_means():
    task = Task.from_examples("sum", [(([1, 2, 3],), 6), (([4],), 4), (([2, 2],), 4)])
    f = task_features(task.examples)
    assert f[SUM] == 1.0 and f[LENGTH] == pytest.approx(0.0)
    assert f[0] == 1.0 and f[4 + 2] == 1.0  # an int output, a list input


def test_values_of_other_kinds_give_only_their_kinds():
    class Money:
        def __eq__(self, other):
            raise RuntimeError("no comparisons")

    f = example_features((Money(), "text"), Money())
    assert f[3] == 1.0 and f[4 + 3] == 1.0 and f[8 + 3] == 1.0
    assert sum(f) == pytest.approx(3 + 2 / 3)  # three kinds and the input count, nothing else


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(-50, 50), st.lists(st.integers(-9, 9), max_size=8), st.booleans()),
                min_size=1, max_size=3),
       st.one_of(st.integers(-10**6, 10**6), st.lists(st.integers(-9, 9), max_size=8), st.booleans()))
def test_features_are_bounded_and_total(inputs, output):
    f = example_features(tuple(inputs), output)
    assert len(f) == FEATURES and all(-1.0 <= v <= 1.0 for v in f)
