"""Sketches: count, sum, any, all and positions around a predicate found over the distinct elements."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.ast import Lam, Lit, Prim, Var, apply
from neurosym.lang.printer import format_expr
from neurosym.lang.types import format_type
from neurosym.library import Library
from neurosym.search.bank import FAULT
from neurosym.search.base import Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.sketches import base_sketches, sketch_splits

LIB = Library.base()
#: `\y -> 0 == y % 2`
EVEN = Lam(apply(Prim("=="), Lit(0), apply(Prim("%"), Var(0), Lit(2))))


def by_name(task, library=LIB):
    """The sketches on the element alone, by name (each has a twin reading the inputs)."""
    found = sketch_splits(task, library)
    assert [s.sketch.name for s in found if s.with_inputs] == [s.sketch.name for s in found if not s.with_inputs]
    return {s.sketch.name: s for s in found if not s.with_inputs}


def test_a_count_task_gets_the_count_sketch_over_its_distinct_elements():
    task = ns.Task.from_examples("count-evens", [([1, 2, 4], 2), ([2, 3], 1), ([], 0)])
    found = by_name(task)
    assert set(found) == {"count"}  # no set of [2, 3] sums to 1: no sum sketch
    count = found["count"]
    assert format_type(count.task.type) == "int -> bool"
    assert [ex.inputs for ex in count.task.examples] == [(1,), (2,), (4,), (3,)]
    assert [(indices, out) for indices, _, out in count.rows] == [((0, 1, 2), 2), ((1, 3), 1), ((), 0)]


def test_accept_computes_the_sketchs_output_from_the_predicates_values():
    count = by_name(ns.Task.from_examples("count-evens", [([1, 2, 4], 2), ([2, 3], 1)]))["count"]
    assert count.accept((False, True, True, False))  # values on 1, 2, 4, 3
    assert not count.accept((True, True, True, False))  # three of [1, 2, 4]
    assert not count.accept((FAULT, True, True, False))  # a fault on an element is no answer


def test_outputs_no_predicate_gives_rule_a_sketch_out():
    longer = ns.Task.from_examples("n", [([1, 2], 3)])  # a count past the list's length, 1 + 2
    assert set(by_name(longer)) == {"sum"}
    assert set(by_name(ns.Task.from_examples("neg", [([1, 2], -1)]))) == set()  # neither a count nor a sum
    # equal elements are selected together: two 5s give 0 or 10, never 5 (nor a count of 1)
    assert set(by_name(ns.Task.from_examples("fives", [([5, 5, 1], 5)]))) == set()
    assert set(by_name(ns.Task.from_examples("fives", [([5, 5, 1], 11)]))) == {"sum"}
    # 2 is also a position, of the 1, which occurs neither before nor after it
    assert set(by_name(ns.Task.from_examples("fives", [([5, 5, 1], 2)]))) == {"count", "first position",
                                                                             "last position"}
    # position 1 holds the second 5: the first position where a predicate of the element holds
    # is never it, the last may be
    assert set(by_name(ns.Task.from_examples("fives", [([5, 5, 1], 1)]))) == {"count", "sum", "last position"}
    # `any` of the empty list is false, `all` of it true
    assert set(by_name(ns.Task.from_examples("b", [([], True), ([1], False)]))) == {"all"}
    assert set(by_name(ns.Task.from_examples("b", [([], False), ([1], True)]))) == {"any"}
    strings = ns.Task.from_examples("s", [(["a", "b"], 1)], type="list str -> int")
    assert set(by_name(strings)) == {"count", "first position", "last position"}  # a sum needs numbers


def test_a_library_without_a_sketchs_primitives_has_no_such_sketch():
    task = ns.Task.from_examples("t", [([1, 2, 4], 3), ([2, 3], 2)])  # a count or a sum
    assert set(by_name(task)) == {"count", "sum"}
    assert set(by_name(task, Library.base(exclude=("length",)))) == {"sum"}


@pytest.mark.parametrize("name, text", [
    ("count", r"\x -> length (filter (\y -> 0 == y % 2) x)"),
    ("sum", r"\x -> fold (+) 0 (filter (\y -> 0 == y % 2) x)"),
    ("any", r"\x -> not (is_empty (filter (\y -> 0 == y % 2) x))"),
    ("all", r"\x -> is_empty (filter (\y -> not (0 == y % 2)) x)"),
])
def test_compose_writes_each_sketch_around_the_predicate(name, text):
    (sketch,) = [s for s in base_sketches() if s.name == name]
    task = ns.Task.from_examples("t", [([1, 2], 1 if sketch.result.name == "int" else True)])
    split = next(s for s in sketch_splits(task, LIB, (sketch,)))
    assert format_expr(split.compose(EVEN, n_args=1)) == text


LISTS = [[1, 2, 4, 7], [2, 3, 6, 8, 0], [5], [9, 4, 4, 1], [0, 7, 7], [6, 2, 8, 5, 3], [3, 3, 1, 8], [4, 9, 0, 2, 6]]


@pytest.mark.parametrize("name, fn, program", [
    ("count-evens", lambda xs: sum(x % 2 == 0 for x in xs), r"\x -> length (filter (\y -> 0 == y % 2) x)"),
    ("sum-odds", lambda xs: sum(x for x in xs if x % 2), r"\x -> fold (+) 0 (filter (\y -> 1 == y % 2) x)"),
    ("has-odd", lambda xs: any(x % 2 for x in xs), r"\x -> not (is_empty (filter (\y -> 1 == y % 2) x))"),
])
def test_a_sketch_finds_what_the_whole_search_does_not_within_the_same_candidates(name, fn, program):
    """Whole, these programs are 9 to 11 nodes; the sketches' predicates 5."""
    lists = LISTS + [[2, 4], [8, 6, 0]] if name == "has-odd" else LISTS  # some lists without an odd
    task = ns.Task.from_examples(name, [(xs, fn(xs)) for xs in lists])
    budget = Budget(seconds=None, candidates=150_000)
    if name == "count-evens":  # one whole search at this budget (seconds): the others are alike
        assert not EnumerativeSearcher(split_share=0.0).search(task, LIB, budget).solved
    r = EnumerativeSearcher().search(task, LIB, budget)
    assert r.solved and r.program_text == program
    sketch = {"count-evens": "count", "sum-odds": "sum", "has-odd": "any"}[name]
    assert r.trace[0].startswith(f"sketch {sketch} (input 0): its function found in ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 9), max_size=6), min_size=1, max_size=5), st.integers(1, 4))
def test_the_true_predicates_values_are_accepted_by_every_sketch_that_applies(lists, k):
    keep = lambda x: x % k == 0  # noqa: E731
    for sketch in base_sketches():
        outputs = [sketch.output(tuple(xs), [keep(x) for x in xs]) for xs in lists]
        if None in outputs:  # no position holds: the position sketches' programs fault there
            continue
        task = ns.Task.from_examples("t", list(zip(lists, outputs)))
        splits = sketch_splits(task, LIB, (sketch,))
        if not any(lists):
            assert splits == []
            continue
        split = splits[0]
        assert not split.with_inputs and split.accept(tuple(keep(ex.inputs[0]) for ex in split.task.examples))


def test_the_sketches_share_a_part_of_the_split_share_and_the_whole_search_gets_the_rest():
    # counts that no small predicate, nor any small program, gives
    counts = [3, 0, 1, 2, 0, 4, 1, 0]
    task = ns.Task.from_examples("odd-count", list(zip(LISTS, counts)))
    r = EnumerativeSearcher().search(task, LIB, Budget(seconds=None, candidates=16_000))
    # 16,000 x 0.25 (split_share) x 0.4 (SKETCH_FRACTION) for the count sketch alone (no
    # set of [5] sums to 1: no sum sketch), then as much for the count reading the inputs
    assert r.trace[:2] == ("sketch count (input 0): no function found in 1,600 candidates",
                           "sketch count (input 0, with the inputs): no function found in 1,600 candidates")
    assert not any(line.startswith("sketch sum") for line in r.trace)
    assert r.candidates == 16_000


def test_a_sketch_with_the_inputs_gives_its_predicate_the_list_beside_the_element():
    lists = LISTS + [[3, 3, 3], [0, 0], [], [7]]
    task = ns.Task.from_examples("all-equal", [(xs, len(set(xs)) <= 1) for xs in lists])
    split = next(s for s in sketch_splits(task, LIB) if s.with_inputs)
    assert split.sketch.name == "all" and format_type(split.task.type) == "list int -> int -> bool"
    assert split.task.examples[0].inputs == ((1, 2, 4, 7), 1)
    # one example per element of each example: 4 and 4 in [9, 4, 4, 1] are one
    assert len(split.task.examples) == sum(len(set(xs)) for xs in lists)
    head_equal = Lam(Lam(apply(Prim("=="), Var(0), apply(Prim("head"), Var(1)))))  # \xs x -> x == head xs
    assert format_expr(split.compose(head_equal, n_args=1)) == r"\x -> is_empty (filter (\y -> not (y == head x)) x)"
    r = EnumerativeSearcher().search(task, LIB, Budget(seconds=None, candidates=100_000))
    assert r.solved and r.program_text == r"\x -> is_empty (filter (\y -> not (y == head x)) x)"
    whole = EnumerativeSearcher(split_share=0.0).search(task, LIB, Budget(seconds=None, candidates=100_000))
    assert not whole.solved


def test_the_last_position_sketch_finds_the_last_index_of_zero():
    lists = [[0, 3, 0, 5], [1, 0, 2], [4, 4, 0], [0], [7, 0, 0, 1, 2], [0, 9, 9, 9, 9, 9], [2, 2, 2, 0, 2, 2],
             [0, 1, 0, 1, 0, 1, 1]]
    task = ns.Task.from_examples("last-index-of-zero", [(xs, max(i for i, x in enumerate(xs) if x == 0))
                                                        for xs in lists])
    last = by_name(task)["last position"]
    zero = tuple(ex.inputs[0] == 0 for ex in last.task.examples)
    assert last.accept(zero) and not last.accept(tuple(not z for z in zero))
    assert format_expr(last.compose(Lam(apply(Prim("=="), Var(0), Lit(0))), 1)) == (
        r"\x -> head (reverse (filter (\y -> index y x == 0) (range (length x))))")
    r = EnumerativeSearcher().search(task, LIB, Budget(seconds=None, candidates=100_000))
    assert r.solved and r.program_text == r"\x -> head (reverse (filter (\y -> index y x == 0) (range (length x))))"
