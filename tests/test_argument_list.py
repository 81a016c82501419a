"""Splitting a task of several arguments of one type into a function of their list."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.ast import Lam, Prim, Var, apply
from neurosym.lang.compiler import compile_program
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.search.argument_list import argument_list_splits
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher

LIB = Library.base()
ROWS = [(3, 9, 1, 4), (5, 5, 8, 2), (0, -4, 7, 7), (6, 2, 9, 3), (1, 8, 8, 5), (-2, 0, 3, -6)]
#: `\xs -> head (sort xs)`
LEAST = Lam(apply(Prim("head"), apply(Prim("sort"), Var(0))))


def smallest() -> ns.Task:
    return ns.Task.from_examples("smallest", [(row, min(row)) for row in ROWS])


def test_the_functions_task_reads_the_arguments_as_one_list():
    (split,) = argument_list_splits(smallest(), LIB)
    assert ns.format_type(split.task.type) == "list int -> int"
    assert [(ex.inputs, ex.output) for ex in split.task.examples][:2] == [(((3, 9, 1, 4),), 1), (((5, 5, 8, 2),), 2)]


def test_no_such_split_for_two_arguments_mixed_types_functions_or_a_library_without_cons():
    two = ns.Task.from_examples("least-of-two", [((a, b), min(a, b)) for a, b, _, _ in ROWS])
    mixed = ns.Task.from_examples("mixed", [(([a], b, c), a + b) for a, b, c, _ in ROWS])
    assert argument_list_splits(two, LIB) == [] and argument_list_splits(mixed, LIB) == []
    assert argument_list_splits(smallest(), Library.base(exclude=("cons",))) == []
    functions = ns.Task("apply-all", ns.parse_type("(int -> int) -> (int -> int) -> (int -> int) -> int"), ())
    assert argument_list_splits(functions, LIB) == []


def test_compose_applies_the_function_to_the_list_of_the_arguments_in_order():
    (split,) = argument_list_splits(smallest(), LIB)
    assert format_expr(split.compose(LEAST, 4)) == r"\x y z u -> head (sort [x, y, z, u])"
    assert format_expr(split.compose(Prim("head"), 3)) == r"\x y z -> head [x, y, z]"  # eta-reduced alike


def test_the_search_finds_the_least_of_four_through_the_split_and_not_whole_at_the_same_budget():
    budget = Budget(seconds=None, candidates=30_000)
    r = EnumerativeSearcher().search(smallest(), LIB, budget)
    assert r.solved and r.program_text == r"\x y z u -> head (sort [x, y, z, u])"
    assert r.trace[0].startswith("split at the arguments as a list: its function found in ")
    assert not EnumerativeSearcher(split_share=0).search(smallest(), LIB, budget).solved


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=3, max_size=6))
def test_the_composed_program_computes_the_function_of_the_arguments(row):
    task = ns.Task.from_examples("t", [(tuple(row), min(row))])
    (split,) = argument_list_splits(task, LIB)
    assert compile_program(split.compose(LEAST, len(row))).run(*row).value == min(row)
