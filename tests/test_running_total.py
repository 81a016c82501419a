"""Splitting a task of one number into the term of a running sum or product over 1..n."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.compiler import compile_program
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.running_total import running_total_splits

LIB = Library.base()
NS = [1, 2, 3, 5, 6, 9, 10]


def sum_of_squares(ns_=NS) -> ns.Task:
    return ns.Task.from_examples("sum-of-squares", [(n, sum(k * k for k in range(1, n + 1))) for n in ns_],
                                 held_out=[(20, 2870)])


def test_consecutive_examples_give_the_term_at_each_n():
    (split,) = running_total_splits(sum_of_squares(), LIB)
    assert split.op == "+" and split.base == 0 and ns.format_type(split.task.type) == "int -> int"
    # at 2, 3, 6 and 10, whose n - 1 the examples hold
    assert [(ex.inputs[0], ex.output) for ex in split.task.examples] == [(2, 4), (3, 9), (6, 36), (10, 100)]
    product, total = running_total_splits(ns.Task.from_examples("factorial", [(n, math.factorial(n)) for n in NS]),
                                          LIB)
    assert (product.op, total.op) == ("*", "+")  # whole ratios, the rarer evidence, first
    assert [ex.output for ex in product.task.examples] == [2, 3, 6, 10]


def test_no_split_where_no_total_fits_or_the_task_is_not_one_number():
    assert running_total_splits(ns.Task.from_examples("far", [(n, n * n) for n in (3, 7, 12)]), LIB) == []
    # a sum must be 0 at n <= 0; a product's ratios must be whole
    assert running_total_splits(ns.Task.from_examples("shifted", [(0, 5), (1, 6), (2, 8), (3, 11)]), LIB) == []
    assert [s.op for s in running_total_splits(ns.Task.from_examples("odd", [(1, 2), (2, 3), (3, 5)]), LIB)] == ["+"]
    assert running_total_splits(ns.Task.from_examples("two", [((n, n), n) for n in NS]), LIB) == []
    # a constant term: a multiple of n (`add-3`'s map function), left to the whole search
    assert running_total_splits(ns.Task.from_examples("triple", [(n, 3 * n) for n in NS]), LIB) == []
    assert running_total_splits(sum_of_squares(), Library.base(exclude=("fold",))) == []


def test_compose_totals_the_term_at_i_plus_one_over_range_n():
    (split,) = running_total_splits(sum_of_squares(), LIB)
    program = split.compose(ns.parse(r"\k -> k * k"), 1)
    assert format_expr(program) == r"\x -> fold (\y z -> (y + 1) * (y + 1) + z) 0 (range x)"
    assert sum_of_squares().score(compile_program(program)).solved


def test_the_search_finds_sum_of_squares_the_whole_search_does_not_within_the_same_candidates():
    budget = Budget(seconds=None, candidates=60_000)
    r = EnumerativeSearcher().search(sum_of_squares(), LIB, budget)
    assert r.trace[0].startswith("split at a running sum over 1..n: its function found in ")
    assert r.solved and r.held_out_accuracy == 1.0
    assert r.program_text == r"\x -> fold (\y z -> (y + 1) * (y + 1) + z) 0 (range x)"
    assert not EnumerativeSearcher(split_share=0).search(sum_of_squares(), LIB, budget).solved


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=1, max_size=10, unique=True), st.integers(1, 3), st.integers(0, 4))
def test_the_true_terms_are_the_examples_wherever_the_sum_split_applies(ns_, power, shift):
    def term(k: int) -> int:
        return k ** power + shift

    task = ns.Task.from_examples("t", [(n, sum(term(k) for k in range(1, n + 1))) for n in ns_])
    for split in running_total_splits(task, LIB):
        if split.op == "+":
            assert all(ex.output == term(ex.inputs[0]) for ex in split.task.examples)


def test_a_splits_own_task_is_not_split_at_a_running_total():
    from neurosym.search.base import Clock
    from neurosym.search.deduction import search_splits

    budget = Budget(seconds=None, candidates=20_000)
    searcher = EnumerativeSearcher()

    def search(task, part, holds):
        return searcher.search(task, LIB, part)

    def accepting(task, part, accept):
        return None, 0

    traces = [search_splits(search, accepting, sum_of_squares(), LIB, budget, Clock(budget), 0.25, nested=nested)[1]
              for nested in (False, True)]
    assert traces[0][0].startswith("split at a running sum over 1..n: its function found in ")
    assert traces[1] == ()
