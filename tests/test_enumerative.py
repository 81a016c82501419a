"""The bottom-up enumerator: exact programs found, pruning, weights, budgets."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.base import base_dsl
from neurosym.lang.parser import parse
from neurosym.library import Library
from neurosym.search.bank import FAULT, eta_reduce
from neurosym.search.base import Budget
from neurosym.search.costs import production_costs
from neurosym.search.enumerative import EnumerativeSearcher

LIB = Library.base()


def search(task, seconds=5.0, library=LIB):
    return EnumerativeSearcher().search(task, library, Budget(seconds=seconds))


def test_finds_map_add_one_exactly():
    task = ns.Task.from_examples("inc", [([1, 2], [2, 3]), ([5], [6]), ([], [])], held_out=[([9, 9, 9], [10, 10, 10])])
    r = search(task)
    assert r.solved
    assert r.program == parse(r"\x -> map (\y -> y + 1) x")
    assert r.held_out_accuracy == 1.0
    assert r.examples_passed == r.examples_total == 3


def test_finds_sum_as_a_fold_with_an_eta_reduced_operator():
    task = ns.Task.from_examples("sum", [([1, 2, 3], 6), ([4], 4), ([], 0), ([2, 2], 4)])
    r = search(task)
    assert r.program_text == r"\x -> fold (+) 0 x"


def test_filter_with_a_predicate():
    task = ns.Task.from_examples("big", [([1, 5, 2, 7], [5, 7]), ([3, 4], [4]), ([9, 0], [9])])
    r = search(task, 10)
    assert r.solved
    out = ns.compile_program(r.program).run((8, 1, 4, 3)).value
    assert out == (8, 4)


def test_two_arguments_and_branch():
    task = ns.Task.from_examples("max2", [((1, 2), 2), ((5, 3), 5), ((4, 4), 4), ((0, 9), 9)])
    r = search(task)
    assert r.solved
    assert ns.compile_program(r.program).run(7, 3).value == 7


def test_cheaper_programs_come_first_and_weights_steer():
    task = ns.Task.from_examples("last", [([1, 2, 3], 3), ([4], 4), ([7, 5], 5)])
    assert search(task).program_text == r"\x -> head (reverse x)"
    # make `reverse` improbable: the enumerator takes another route
    r = search(task, library=LIB.with_weights({"reverse": -8.0}))
    assert r.solved and "reverse" not in r.program_text


def test_costs_follow_log_weights():
    costs, var_cost = production_costs(LIB.with_weights({"map": -2 * 0.6931471805599453}))
    assert costs["map"] == costs["filter"] + 2 and var_cost == costs["filter"] == 1


def test_proportional_costs_follow_bits_not_whole_nodes():
    """A production 4x less likely (2 bits, among ~50 at ~5.6 bits each) costs 3 units
    where the best costs 1 by default (two nodes more), but only 4/3 of a node with
    proportional costs (K=3)."""
    weighted = LIB.with_weights({"map": -2 * 0.6931471805599453})
    costs, var_cost = production_costs(weighted, proportional=3)
    assert costs["filter"] == var_cost == 3 and costs["map"] == 4
    uniform, var_uniform = production_costs(LIB, proportional=3)
    assert set(uniform.values()) == {3} and var_uniform == 3
    with pytest.raises(ns.NeurosymError, match="proportional costs need K >= 1, got 0"):
        production_costs(LIB, proportional=0)
    with pytest.raises(ns.NeurosymError, match="got -1"):
        EnumerativeSearcher(proportional=-1)


def test_proportional_costs_search_a_uniform_library_in_the_same_order():
    task = ns.Task.from_examples("last", [([1, 2, 3], 3), ([4], 4), ([7, 5], 5)])
    plain = EnumerativeSearcher().search(task, LIB, Budget(seconds=5))
    scaled = EnumerativeSearcher(proportional=3).search(task, LIB, Budget(seconds=5))
    assert scaled.program_text == plain.program_text == r"\x -> head (reverse x)"
    assert scaled.candidates == plain.candidates
    # weights a bit or two apart reorder it less than whole nodes would: `reverse` 4x
    # less likely still gives `head (reverse x)` with proportional costs
    steered = LIB.with_weights({"reverse": -2 * 0.6931471805599453})
    assert EnumerativeSearcher(proportional=3).search(task, steered, Budget(seconds=5)).program_text == \
        r"\x -> head (reverse x)"


def test_equivalent_candidates_are_pruned():
    task = ns.Task.from_examples("x", [([1, 2], [2, 1]), ([3], [3])])
    r = EnumerativeSearcher(split_share=0.0).search(task, LIB, Budget(seconds=5.0))
    assert r.program_text == r"\x -> reverse x"
    assert r.candidates < 100


def test_candidate_budget_and_time_budget_hold():
    impossible = ns.Task.from_examples("noise", [([1], 17), ([2], 3), ([3], 99), ([4], 0), ([5], 42)])
    r = EnumerativeSearcher().search(impossible, LIB, Budget(seconds=None, candidates=5000))
    assert not r.solved and 5000 <= r.candidates < 5000 + 1024
    start = time.perf_counter()
    r = EnumerativeSearcher().search(impossible, LIB, Budget(seconds=0.5))
    assert not r.solved and time.perf_counter() - start < 0.5 + 2.0  # a guard (see test_budgets)
    assert r.program is not None  # the best partial program is still reported


def test_faulting_subterms_do_not_escape():
    task = ns.Task.from_examples("first-or-zero", [([], 0), ([3, 1], 3), ([5], 5)])
    r = search(task, 10)
    assert r.solved
    assert ns.compile_program(r.program).run(()).value == 0


def test_eta_reduce():
    assert eta_reduce(parse(r"\x y -> x + y").body.body, 2) == parse("(+)")
    assert eta_reduce(parse(r"\x -> x + 1").body, 1) == parse(r"\x -> x + 1")
    # under an outer `\x`: `\y -> take x y` is `take x`, but `\y -> index y x` stays
    take = parse(r"\x -> \y -> take x y").body.body
    assert eta_reduce(take, 1) == parse(r"\x -> take x").body
    index = parse(r"\x -> \y -> index y x").body
    assert eta_reduce(index.body, 1) == index
    assert repr(FAULT) == "FAULT"


def test_solve_api_and_same_result_twice():
    task = ns.Task.from_examples("double", [([1, 2], [2, 4]), ([3], [6])])
    a = ns.solve(task, budget=3)
    b = ns.solve([task, task], budget=3)
    assert a.solved and [r.program for r in b] == [a.program, a.program]
    with pytest.raises(ValueError, match="unknown search method 'magic'"):
        ns.solve(task, method="magic")


def test_the_collector_is_paused_for_a_search_and_restored_after():
    import gc

    from neurosym.search.base import collector_paused

    seen = []

    class Spy(EnumerativeSearcher):  # records the collector's state from inside the run
        def search(self, task, library, budget, contextual=None):
            with collector_paused():
                seen.append(gc.isenabled())
            return super().search(task, library, budget, contextual)

    assert gc.isenabled()
    Spy(split_share=0.0).search(ns.Task.from_examples("inc", [([1], [2]), ([3, 4], [4, 5])]), Library.base(), Budget(seconds=5))
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        with pytest.raises(RuntimeError, match="inside"):
            with collector_paused():
                raise RuntimeError("inside")
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("inside")
    assert gc.isenabled()


def test_logical_size_counts_shared_rows_as_often_as_they_occur():
    from neurosym.search.value_needs import MAX_LOGICAL_SIZE, _logical_size, without_huge

    assert _logical_size((1, 2, 3), {}) == 4
    assert _logical_size(((1, 2), (3,), 4), {}) == 1 + 3 + 2 + 1
    row = tuple(range(500))
    square = tuple([row] * 500)  # 500 x 501 elements from one row in memory
    assert _logical_size(square, {}) > MAX_LOGICAL_SIZE
    assert without_huge(((1, 2), square)) == ((1, 2), FAULT)


def test_a_finished_search_leaves_no_cyclic_garbage():
    """The bank is freed by reference counting as the search returns (Context.dismantle):
    a paused collector must not leave millions of objects for a later collection."""
    import gc

    task = ns.Task.from_examples("rot", [([1, 2, 3], [2, 3, 1]), ([4, 5], [5, 4]), ([7, 8, 9, 6], [8, 9, 6, 7])])
    gc.collect()
    EnumerativeSearcher().search(task, Library.base(), Budget(seconds=None, candidates=3000))
    assert gc.collect() == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.just("fault"), st.lists(st.lists(st.integers(0, 9), max_size=6), max_size=6)),
                min_size=1, max_size=5), st.integers(0, 3))
def test_rows_are_sized_as_the_long_way_sizes_them(values, wide):
    from neurosym.search.bank import FAULT
    from neurosym.search.value_needs import MAX_LOGICAL_SIZE, without_huge, without_huge_rows

    huge = tuple([tuple(range(MAX_LOGICAL_SIZE // 3))] * (wide + 1))  # over the cap from 3 rows on
    column = tuple(FAULT if v == "fault" else tuple(tuple(r) for r in v) for v in values) + (huge,)
    assert without_huge_rows(column) == without_huge(column)
    assert (without_huge_rows(column)[-1] is FAULT) == (wide >= 2)


def test_lists_of_flat_lists_get_the_fast_sizer_and_deeper_ones_the_walk():
    from neurosym.lang.types import INT, TCon, list_of
    from neurosym.search.value_needs import TypeNeeds, without_huge, without_huge_rows

    needs = TypeNeeds(base_dsl())
    assert needs[list_of(INT)] is None
    assert needs[list_of(list_of(INT))] == (without_huge_rows, None)
    assert needs[list_of(list_of(list_of(INT)))] == (without_huge, None)
    # a task's type variable could stand for lists: the walk
    assert needs[list_of(list_of(TCon("'a")))] == (without_huge, None)


def _flat_rows(changes):
    """Contextual log-weights, every head alike in every (parent, position), but `changes`."""
    from neurosym.lang.types import arity
    from neurosym.search.dreams import ROOT, VARIABLE

    flat = {name: 0.0 for name in [*LIB.names(), VARIABLE]}
    rows = {(ROOT, 0): dict(flat)}
    rows.update({(p.name, i): dict(flat) for p in LIB.productions for i in range(arity(p.type))})
    for key, row in changes.items():
        rows[key].update(row)
    return rows


SIX_BITS = -6 * 0.6931471805599453


def test_contextual_costs_price_a_lambda_body_by_its_head_where_the_lambda_is_used():
    task = ns.Task.from_examples("triple", [([1, 2, 3], [3, 6, 9]), ([4, 0, 5], [12, 0, 15]), ([7], [21])])

    def found(changes):
        r = EnumerativeSearcher().search(task, LIB, Budget(candidates=200_000), contextual=_flat_rows(changes))
        return r.program_text

    assert found({}) == r"\x -> map (\y -> y * 3) x"
    # `*` six halvings less likely as the head of map's function: the body `y * 3` is
    # dearer there (it was priced at its cheapest anywhere, so the row was ignored)
    assert found({("map", 0): {"*": SIX_BITS}}) == r"\x -> zip_with (*) x (map (\y -> 3) x)"
    assert found({("fold", 0): {"*": SIX_BITS}}) == r"\x -> map (\y -> y * 3) x"  # another position


def test_contextual_costs_price_a_production_used_as_a_function_where_it_is_used():
    task = ns.Task.from_examples("sum", [([1, 2, 3], 6), ([4, 0, 5], 9), ([7], 7), ([10, 20], 30)])

    def found(changes):
        r = EnumerativeSearcher().search(task, LIB, Budget(candidates=200_000), contextual=_flat_rows(changes))
        return r.program_text

    assert found({}) == r"\x -> fold (+) 0 x"
    assert "fold (+)" not in found({("fold", 0): {"+": SIX_BITS}})  # `(+)` as fold's operator is dearer
    assert found({("map", 0): {"+": SIX_BITS}}) == r"\x -> fold (+) 0 x"


def test_contextual_costs_price_the_programs_root_and_take_the_cheaper_solution():
    task = ns.Task.from_examples("triple", [([1, 2, 3], [3, 6, 9]), ([4, 0, 5], [12, 0, 15]), ([7], [21])])

    def run(changes, candidates=200_000):
        return EnumerativeSearcher().search(task, LIB, Budget(candidates=candidates),
                                            contextual=_flat_rows(changes))

    # `map` six halvings less likely at the root: a solution of another head is cheaper
    assert run({("<root>", 0): {"map": SIX_BITS}}).program_text == r"\x -> zip_with (*) x (map (\y -> 3) x)"
    # and with both heads dear at the root, the map solution found first is kept until every
    # cheaper program has been seen, then returned (here when the budget ends)
    both = run({("<root>", 0): {"map": SIX_BITS, "zip_with": SIX_BITS}}, candidates=20_000)
    assert both.solved and both.program_text == r"\x -> map (\y -> y * 3) x" and both.candidates == 20_000


def test_a_search_whose_process_grows_past_max_memory_mb_stops_and_says_so():
    rows = [list(range(i, i + 400)) for i in range(60)]
    impossible = ns.Task.from_examples("long-noise", [((row,), [(7 * i) % 13]) for i, row in enumerate(rows)])
    budget = Budget(seconds=None, candidates=200_000)
    r = EnumerativeSearcher(max_memory_mb=1).search(impossible, LIB, budget)
    assert not r.solved and r.candidates < 200_000 and r.candidates % 4096 == 0
    assert r.trace[-1] == f"stopped: the process grew by more than 1 MiB (max_memory_mb) after {r.candidates:,} candidates"
    unguarded = EnumerativeSearcher(max_memory_mb=None).search(impossible, LIB, Budget(seconds=None, candidates=20_000))
    assert not any(line.startswith("stopped:") for line in unguarded.trace)


@pytest.mark.parametrize("bad", [0, -5, 1.5, True, "4096"])
def test_max_memory_mb_must_be_a_positive_whole_number(bad):
    with pytest.raises(ns.NeurosymError, match=f"max_memory_mb must be a positive whole number of MiB or None, got {bad!r}"):
        EnumerativeSearcher(max_memory_mb=bad)
