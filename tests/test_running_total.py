"""Splitting a task of one number into the term of a running sum or product over 1..n."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.compiler import compile_program
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.bank import FAULT
from neurosym.search.base import Budget, Clock
from neurosym.search.deduction import search_splits
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.running_total import running_total_splits

LIB = Library.base()
NS = [1, 3, 6, 9, 10]


def sum_of_squares(ns_=NS) -> ns.Task:
    return ns.Task.from_examples("sum-of-squares", [(n, sum(k * k for k in range(1, n + 1))) for n in ns_],
                                 held_out=[(20, 2870)])


def test_the_term_is_tested_on_one_to_the_largest_input_by_the_totals():
    (total,) = running_total_splits(sum_of_squares(), LIB)  # 385 / 285 is no whole ratio: no product
    assert (total.op, total.base) == ("+", 0)
    assert ns.format_type(total.task.type) == "int -> int"
    assert [ex.inputs[0] for ex in total.task.examples] == list(range(1, 11))
    squares = tuple(k * k for k in range(1, 11))
    assert total.accept(squares)
    assert not total.accept(squares[:9] + (99,))  # the total at 10 is off
    assert not total.accept(squares[:5] + (FAULT,) + squares[6:])
    factorial = ns.Task.from_examples("factorial", [(n, math.factorial(n)) for n in NS])
    by_sum, product = running_total_splits(factorial, LIB)
    assert (by_sum.op, product.op, product.base) == ("+", "*", 1)
    assert product.accept(tuple(range(1, 11))) and not by_sum.accept(tuple(range(1, 11)))


def test_no_split_where_the_outputs_rule_it_out_or_the_task_is_not_one_number():
    # a sum must be 0 at n <= 0, a product 1
    assert [s.op for s in running_total_splits(ns.Task.from_examples("t", [(0, 1), (2, 6), (5, 9)]), LIB)] == ["*"]
    # consecutive outputs with one difference twice over: a multiple of n, left to the whole search;
    # a ratio that is not whole: no product
    assert running_total_splits(ns.Task.from_examples("triple", [(n, 3 * n) for n in (1, 2, 3, 7)]), LIB) == []
    assert [s.op for s in running_total_splits(ns.Task.from_examples("odd", [(1, 2), (2, 3), (3, 5)]), LIB)] == ["+"]
    assert running_total_splits(ns.Task.from_examples("two", [((n, n), n) for n in NS]), LIB) == []
    assert running_total_splits(ns.Task.from_examples("big", [(500, 1), (3, 2)]), LIB) == []
    assert running_total_splits(sum_of_squares(), Library.base(exclude=("fold",))) == []


def test_compose_totals_the_term_at_i_plus_one_over_range_n():
    (total,) = running_total_splits(sum_of_squares(), LIB)
    program = total.compose(ns.parse(r"\k -> k * k"), 1)
    assert format_expr(program) == r"\x -> fold (\y z -> (y + 1) * (y + 1) + z) 0 (range x)"
    assert sum_of_squares().score(compile_program(program)).solved


def test_the_search_finds_sum_of_squares_the_whole_search_does_not_within_the_same_candidates():
    budget = Budget(seconds=None, candidates=60_000)
    r = EnumerativeSearcher().search(sum_of_squares(), LIB, budget)
    assert r.trace[0].startswith("split at a running sum over 1..n: its function found in ")
    assert r.solved and r.held_out_accuracy == 1.0
    assert r.program_text == r"\x -> fold (\y z -> (y + 1) * (y + 1) + z) 0 (range x)"
    assert not EnumerativeSearcher(split_share=0).search(sum_of_squares(), LIB, budget).solved


def test_a_splits_own_task_is_not_split_at_a_running_total():
    budget = Budget(seconds=None, candidates=20_000)
    searcher = EnumerativeSearcher()

    def search(task, part, holds):
        return searcher.search(task, LIB, part)

    def accepting(task, part, accept):
        return None, 0

    traces = [search_splits(search, accepting, sum_of_squares(), LIB, budget, Clock(budget), 0.25, nested=nested)[1]
              for nested in (False, True)]
    assert traces[0][0].startswith("split at a running sum over 1..n: no function found in ")  # accepting finds none
    assert traces[1] == ()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 15), min_size=1, max_size=10, unique=True), st.integers(1, 3), st.integers(0, 4))
def test_the_true_term_is_accepted_wherever_the_sum_split_applies(ns_, power, shift):
    def term(k: int) -> int:
        return k ** power + shift

    task = ns.Task.from_examples("t", [(n, sum(term(k) for k in range(1, n + 1))) for n in ns_])
    for split in running_total_splits(task, LIB):
        if split.op == "+":
            assert split.accept(tuple(term(k) for k in range(1, max(ns_) + 1)))
