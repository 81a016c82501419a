"""Splitting a task at map or filter: the function's task, composing its program, budgets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.errors import InvalidArgument
from neurosym.lang.ast import Lam, Prim, Var, apply
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import Primitive
from neurosym.lang.printer import format_expr
from neurosym.lang.types import format_type
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.deduction import Split, splits
from neurosym.search.enumerative import EnumerativeSearcher

LIB = Library.base()


def rows(split):
    return [(ex.inputs, ex.output) for ex in split.task.examples]


def test_a_map_task_splits_into_its_functions_examples_one_per_distinct_element():
    task = ns.Task.from_examples("add-3", [([1, 2, 1], [4, 5, 4]), ([7], [10]), ([], [])])
    (split,) = splits(task, LIB)
    assert (split.primitive, split.argument, split.with_inputs) == ("map", 0, False)
    assert format_type(split.task.type) == "int -> int"
    assert rows(split) == [((1,), 4), ((2,), 5), ((7,), 10)]


def test_a_filter_task_marks_every_element_kept_or_dropped():
    task = ns.Task.from_examples("evens", [([1, 2, 3, 4], [2, 4]), ([6, 5], [6])])
    (split,) = splits(task, LIB)
    assert (split.primitive, format_type(split.task.type)) == ("filter", "int -> bool")
    assert rows(split) == [((1,), False), ((2,), True), ((3,), False), ((4,), True), ((6,), True), ((5,), False)]


def test_no_split_where_no_map_or_filter_of_the_element_gives_the_outputs():
    sort = ns.Task.from_examples("sort", [([3, 1, 2], [1, 2, 3]), ([1, 3, 2], [1, 2, 3])])
    # the same length, but 1 -> 2 in one example and 1 -> 1 in the other: only a fold
    # (which sees its accumulator beside the element) may give it
    assert [s.primitive for s in splits(sort, LIB)] == ["fold", "fold"]
    longer = ns.Task.from_examples("dup", [([1, 2], [1, 1, 2, 2])])
    assert [s.primitive for s in splits(longer, LIB)] == ["fold", "fold"]
    # the output is a subsequence, but a 1 is kept in one example and dropped in another
    take = ns.Task.from_examples("take-1", [([1, 2], [1]), ([2, 1], [2])])
    assert splits(take, LIB) == []
    empty = ns.Task.from_examples("nothing", [([], [])])
    assert splits(empty, LIB) == []  # no element says anything


def test_with_another_input_the_function_reads_the_inputs_and_the_element():
    task = ns.Task.from_examples("add-k", [(([1, 2], 3), [4, 5]), (([1], 5), [6]), (([0, 2], 1), [1, 3])])
    (split,) = splits(task, LIB)
    assert split.with_inputs and format_type(split.task.type) == "list int -> int -> int -> int"
    assert rows(split)[0] == (((1, 2), 3, 1), 4)
    r = EnumerativeSearcher().search(task, LIB, Budget(candidates=50_000))
    assert r.solved and r.program_text == r"\x y -> map (\z -> z + y) x"
    assert r.trace[0].startswith("split at map (input 0, with the inputs): its function found in ")


def test_a_library_without_the_primitive_does_not_split_at_it():
    task = ns.Task.from_examples("add-3", [([1, 2], [4, 5]), ([7], [10])])
    assert splits(task, Library.base(exclude=("map", "fold"))) == []


def test_compose_puts_the_function_under_the_tasks_own_lambdas():
    alone = Split("map", 1, False, None)  # type: ignore[arg-type]
    program = alone.compose(Lam(apply(Prim("+"), Var(0), Var(0))), n_args=2)
    assert format_expr(program) == r"\x y -> map (\z -> z + z) y"
    both = Split("filter", 0, True, None)  # type: ignore[arg-type]
    function = Lam(Lam(Lam(apply(Prim("<"), Var(1), Var(0)))))  # \x k e -> k < e
    assert format_expr(both.compose(function, n_args=2)) == r"\x y -> filter ((<) y) x"  # eta-reduced
    # `\x k -> (<) k`: its last parameter, the element, eta-reduced away
    assert format_expr(both.compose(Lam(Lam(apply(Prim("<"), Var(0)))), n_args=2)) == r"\x y -> filter ((<) y) x"
    assert format_expr(both.compose(Prim("index"), n_args=1)) == r"\x -> filter (index x) x"
    # a function written eta-reduced, or whose lambda reduces, is used as it is
    assert format_expr(alone.compose(Prim("not"), n_args=2)) == r"\x y -> map not y"
    first = Split("map", 0, False, None)  # type: ignore[arg-type]
    assert format_expr(first.compose(Lam(apply(Prim("not"), Var(0))), n_args=1)) == r"\x -> map not x"


@pytest.mark.parametrize("name, examples, program", [
    ("abs-each", [([-3, 2, 0], [3, 2, 0]), ([-1, -7, 4], [1, 7, 4]), ([5, -2], [5, 2]), ([-4, 9, -9], [4, 9, 9])],
     r"\x -> map (\y -> loop y (\z -> y) (0 - y)) x"),
    ("mod-3-is-0", [([3, 4, 6, 7], [3, 6]), ([9, 1, 2, 0], [9, 0]), ([5, 8, 12], [12])],
     r"\x -> filter (\y -> 0 == y % 3) x"),
])
def test_a_split_finds_what_the_whole_search_does_not_within_the_same_candidates(name, examples, program):
    task = ns.Task.from_examples(name, examples)
    budget = Budget(seconds=None, candidates=60_000)
    whole = EnumerativeSearcher(split_share=0.0).search(task, LIB, budget)
    split = EnumerativeSearcher().search(task, LIB, budget)
    assert not whole.solved
    assert split.solved and split.program_text == program and split.candidates <= 60_000


def test_a_cheaper_whole_program_wins_over_a_split_that_happens_to_fit():
    # 1 -> 2, 2 -> 1, 3 -> 3 is a map by the examples, but reverse is cheaper
    task = ns.Task.from_examples("x", [([1, 2], [2, 1]), ([3], [3])])
    r = EnumerativeSearcher().search(task, LIB, Budget(candidates=100_000))
    assert r.program_text == r"\x -> reverse x"
    # the split's `map (\y -> 3 - y % 3)`: 9 units, each 3 one dearer as no reading shows it
    assert r.trace[1] == "a whole program cheaper than the split's (9 units): found"


def test_a_split_that_finds_nothing_leaves_the_rest_of_the_budget_to_the_whole_search():
    # a map by the examples whose function (x*x*x + 7, past the constants) is out of reach
    task = ns.Task.from_examples("cubic", [([1, 2], [8, 15]), ([3, 0], [34, 7]), ([4], [71])])
    r = EnumerativeSearcher().search(task, LIB, Budget(seconds=None, candidates=8_000))
    assert r.trace[0] == "split at map (input 0): no function found in 2,000 candidates"
    assert r.candidates == 8_000  # the split's 2,000 and the whole search's 6,000


def test_split_share_must_be_a_share_below_one():
    with pytest.raises(InvalidArgument, match=r"split_share is a share of the budget in \[0, 1\), got 1.0"):
        EnumerativeSearcher(split_share=1.0)
    with pytest.raises(InvalidArgument, match="got -0.1"):
        EnumerativeSearcher(split_share=-0.1)


def test_a_users_primitive_splits_where_its_deduce_says():
    """A DSL of one's own: `each_twice f xs` is `map f` over xs then the same again; its
    rule reads the function's examples off the first half of the output."""
    def each_twice_examples(xs, ys):
        if not isinstance(ys, tuple) or len(ys) != 2 * len(xs) or ys[:len(xs)] != ys[len(xs):]:
            return None
        return tuple(zip(xs, ys))

    twice = Primitive("each_twice", ns.parse_type("(a -> b) -> list a -> list b"),
                      fn=lambda f, xs: tuple(map(f, xs)) * 2, deduce=each_twice_examples, doc="map, twice over.")
    dsl = base_dsl().without("map", "filter", "fold").extend(primitives=[twice])
    library = Library.base(dsl=dsl)
    task = ns.Task.from_examples("sq", [([1, 2], [1, 4, 1, 4]), ([3], [9, 9])], dsl=dsl)
    (split,) = splits(task, library)
    assert split.primitive == "each_twice" and rows(split) == [((1,), 1), ((2,), 4), ((3,), 9)]
    r = EnumerativeSearcher().search(task, library, Budget(candidates=20_000))
    assert r.solved and r.program_text == r"\x -> each_twice (\y -> y * y) x"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 9), max_size=6), min_size=1, max_size=5), st.integers(1, 4))
def test_filter_examples_agree_with_the_predicate_that_made_the_outputs(lists, k):
    keep = lambda x: x % k == 0  # noqa: E731
    task = ns.Task.from_examples("keep", [(xs, [x for x in xs if keep(x)]) for xs in lists])
    found = splits(task, LIB)
    if not any(lists):
        assert found == []
        return
    filters = [s for s in found if s.primitive == "filter"]
    assert len(filters) == 1 and all(out == keep(x) for (x,), out in rows(filters[0]))
    assert sorted(x for (x,), _ in rows(filters[0])) == sorted({x for xs in lists for x in xs})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 9), max_size=6), min_size=1, max_size=5))
def test_map_examples_are_the_element_pairs_whatever_the_function(lists):
    f = lambda x: x * x - 1  # noqa: E731
    task = ns.Task.from_examples("f", [(xs, [f(x) for x in xs]) for xs in lists])
    maps = [s for s in splits(task, LIB) if s.primitive == "map"]
    assert len(maps) == (1 if any(lists) else 0)
    if maps:
        assert all(out == f(x) for (x,), out in rows(maps[0]))


def test_solve_records_the_split_share_and_the_option_reaches_the_search(tmp_path):
    import json

    from neurosym.cli import main

    tasks = tmp_path / "clamp.json"
    tasks.write_text(json.dumps({"tasks": [{"name": "clamp-3", "examples": [
        {"input": [[4, 1, 7]], "output": [3, 1, 3]}, {"input": [[0, 3, 9, 2]], "output": [0, 3, 3, 2]},
        {"input": [[5, 6]], "output": [3, 3]}]}]}))
    out = {}
    for share in ("0.25", "0"):
        path = tmp_path / f"{share}.json"
        argv = ["-q", "solve", str(tasks), "--candidates", "60000", "--out", str(path)]
        assert main(argv + ([] if share == "0.25" else ["--split-share", share])) == 0
        out[share] = json.loads(path.read_text())
    assert out["0.25"]["config"]["split_share"] == 0.25 and out["0"]["config"]["split_share"] == 0.0
    assert [t["solved"] for t in out["0.25"]["tasks"]] == [True]
    assert [t["solved"] for t in out["0"]["tasks"]] == [False]
    assert out["0.25"]["tasks"][0]["program"].startswith(r"\x -> map (\y -> ")


def test_split_share_with_gp_or_past_one_is_a_usage_error(capsys):
    from neurosym.cli import main

    assert main(["solve", "examples/tasks/lists.json", "--method", "gp", "--split-share", "0.5"]) == 2
    assert "--split-share is a share of enumeration's budget: it needs --method enum or neural" in capsys.readouterr().err
    assert main(["solve", "examples/tasks/lists.json", "--split-share", "1"]) == 2
    assert "argument --split-share: expected a fraction in [0, 1), got '1'" in capsys.readouterr().err


def test_a_curriculum_saved_before_splitting_resumes_only_without_it(tmp_path):
    import json
    from dataclasses import replace

    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    tasks = [ns.Task.from_examples("add-3", [([10, 20], [13, 23]), ([7], [10])])]
    config = CurriculumConfig(source="t", iterations=1, budget=None, candidates=2000, executor="serial")
    Curriculum(tasks, tmp_path / "r", config).run()
    record = json.loads((tmp_path / "r" / "config.json").read_text())
    assert record["config"]["split_share"] == 0.25
    del record["config"]["split_share"]  # as a run of an earlier version wrote it
    (tmp_path / "r" / "config.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="another configuration"):
        Curriculum(tasks, tmp_path / "r", config).run(resume=True)
    figures = Curriculum(tasks, tmp_path / "r", replace(config, split_share=0.0)).run(resume=True)
    assert [f.iteration for f in figures] == [1]


def test_a_curriculum_refuses_a_split_share_past_one():
    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    with pytest.raises(InvalidArgument, match=r"split_share is a share of the budget in \[0, 1\), got 2"):
        Curriculum([], "unused", CurriculumConfig(split_share=2))


# -- folds: the accumulator is the output after the elements that follow ---------------


def test_a_scan_splits_at_fold_into_the_element_put_before_the_accumulator():
    # no map: 3 gives 6 in one place and 3 in another
    task = ns.Task.from_examples("suffix-sums", [([1, 2, 3], [6, 5, 3]), ([3, 3], [6, 3])])
    split, reversed_ = splits(task, LIB)  # the other way round, a left fold: (rows that fit nothing simple)
    assert reversed_.reverse and rows(reversed_)[0] == ((3, (5, 6)), 3)
    assert (split.primitive, split.reverse, split.params, split.cons_onto) == ("fold", False, 2, 1)
    assert format_type(split.task.type) == "int -> list int -> int"
    assert rows(split) == [((1, (5, 3)), 6), ((2, (3,)), 5), ((3, ()), 3), ((3, (3,)), 6)]
    h = Lam(Lam(apply(Prim("+"), Var(1), apply(Prim("head"), Var(0)))))
    assert format_expr(split.compose(h, n_args=1)) == r"\x -> fold (\y z -> cons (y + head z) z) [] x"


def test_reversed_the_fold_is_a_left_one_and_its_program_reverses_back():
    task = ns.Task.from_examples("prefix-sums", [([1, 2, 3], [1, 3, 6]), ([2, 2, 0, 5], [2, 4, 4, 9])])
    # read as a right fold, each 2 of [2, 2, 0, 5] is put before a 4 and gives 2 once and 4
    # once: no scan; as a left fold, a scan, which alone is kept
    (split,) = splits(task, LIB)
    assert split.reverse and rows(split)[:3] == [((3, (3, 1)), 6), ((2, (1,)), 3), ((1, ()), 1)]
    r = EnumerativeSearcher().search(task, LIB, Budget(candidates=100_000))
    assert r.trace[0].startswith("split at fold (input 0, reversed): its function found in ")
    assert r.solved and r.program_text == (
        r"\x -> reverse (fold (\y z -> cons (y + fold (\u v -> u) 0 z) z) [] (reverse x))")


def test_a_fold_putting_two_elements_per_element_keeps_its_whole_function():
    task = ns.Task.from_examples("dup-each", [([1, 2], [1, 1, 2, 2]), ([3, 0, 5], [3, 3, 0, 0, 5, 5])])
    split = splits(task, LIB)[0]
    assert split.cons_onto is None and format_type(split.task.type) == "int -> list int -> list int"
    assert rows(split)[0] == ((1, (2, 2)), (1, 1, 2, 2))
    r = EnumerativeSearcher().search(task, LIB, Budget(candidates=100_000))
    assert r.solved and r.program_text == r"\x -> fold (\y z -> cons y (cons y z)) [] x"
    assert EnumerativeSearcher(split_share=0.0).search(task, LIB, Budget(candidates=100_000)).solved is False


def test_no_fold_split_where_a_map_splits_the_input_or_no_term_writes_the_seed():
    add = ns.Task.from_examples("add-3", [([1, 2], [4, 5]), ([7], [10])])
    assert [s.primitive for s in splits(add, LIB)] == ["map"]
    scan = ns.Task.from_examples("suffix-sums", [([1, 2, 3], [6, 5, 3]), ([3, 3], [6, 3])])
    assert splits(scan, Library.base(exclude=("empty",))) == []  # `fold f ? xs`: no `[]` to write


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 9), max_size=6), min_size=1, max_size=5), st.integers(1, 3))
def test_fold_rows_rebuild_each_output_from_the_seed(lists, k):
    """Whatever a fold putting k elements per element made, its rows chain: the last
    element's accumulator is the seed, and each result is the next row's accumulator."""
    from neurosym.lang.deduce_rules import fold_examples
    for xs in lists:
        ys = tuple(y for x in xs for y in [x * 2 - 1] * k)
        deduced = fold_examples(tuple(xs), ys)
        assert deduced.fixed == ((),)
        acc = ()
        for (x, given), result in reversed(deduced.rows):
            assert given == acc and result[k:] == acc and len(result) == len(acc) + k
            acc = result
        assert acc == ys
