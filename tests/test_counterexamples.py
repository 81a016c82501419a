"""Tasks with many examples searched on subsets, counterexamples added; solutions checked run whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.errors import InvalidArgument
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.counterexamples import example_sizes, first_subset
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.genetic import GeneticSearcher

LIB = Library.base()
BUDGET = Budget(seconds=None, candidates=100_000)


def test_the_first_subset_is_spread_over_the_smallest_part_by_size():
    sizes = [5, 1, 9, 3, 3, 7, 2, 8, 4, 6] * 3  # 30 examples: the smallest 30% are the nine below
    order = sorted(range(30), key=lambda i: (sizes[i], i))
    assert first_subset(sizes, 8) == [order[k] for k in (0, 1, 2, 3, 5, 6, 7, 8)]
    assert first_subset(sizes, 8)[:3] == [1, 11, 21]  # the three examples of size 1, in task order
    assert first_subset(sizes, 1) == [1] and first_subset(sizes, 0) == []
    # fewer examples than the part: the smallest `size` of them
    assert first_subset([3, 1, 2], 2) == [1, 2]


def test_an_examples_size_is_the_length_of_its_inputs_text():
    task = ns.Task.from_examples("t", [(([1, 2], 7), 0), (([], 123), 1)])
    assert example_sizes(task) == [len("[1, 2]") + 1, len("[]") + 3]


def _count_odds(n: int) -> ns.Task:
    lists = [[(i * 7 + j * 3) % 11 - 3 for j in range(i % 6)] for i in range(n)]
    return ns.Task.from_examples("count-odds", [(xs, sum(x % 2 == 1 for x in xs)) for xs in lists])


def test_a_task_with_many_examples_is_searched_on_eight_of_them_first():
    task = _count_odds(40)
    r = EnumerativeSearcher().search(task, LIB, BUDGET)
    assert r.solved and r.program_text == r"\x -> length (filter (\y -> 1 == y % 2) x)"
    rounds = [line for line in r.trace if line.startswith("on ")]
    assert rounds[0].startswith("on 8 of 40 examples: a program found in ")
    assert rounds[-1].endswith(" candidates fits every example") and len(rounds) == 2
    assert rounds[0].endswith("examples 25, 37, 2, 26 added")  # half as many as the subset holds
    assert r.examples_total == 40 and r.examples_passed == 40
    whole = EnumerativeSearcher(subset=0).search(task, LIB, BUDGET)
    assert whole.program_text == r.program_text and not whole.trace[0].startswith("on ")
    # at most `subset_above` examples: searched whole
    assert not EnumerativeSearcher(subset_above=40).search(task, LIB, BUDGET).trace[0].startswith("on ")


def test_a_program_that_fits_the_subset_only_brings_its_smallest_counterexamples_in():
    # the smallest inputs are the digits 0..9, which `\x -> x` fits; the negatives refute it
    xs = list(range(10)) + [-1, -2, -3, -4, -5, -6, -7, -800] + [10 * k for k in range(2, 14)]
    task = ns.Task.from_examples("positive-part", [(x, max(x, 0)) for x in xs])
    r = EnumerativeSearcher().search(task, LIB, BUDGET)
    assert r.trace[0].startswith("on 8 of 30 examples: a program found in ")
    # half as many as the subset holds (at least two), the smallest first: -800 is left out
    assert r.trace[0].endswith(" candidates gets 8 others wrong; examples 10, 11, 12, 13 added")
    assert r.trace[1].startswith("on 12 of 30 examples: a program found in ")
    assert r.solved and r.examples_passed == 30


def test_the_candidates_of_every_round_are_counted_and_the_budget_is_shared():
    xs = list(range(10)) + [-1, -2, -3, -4] + [10 * k for k in range(2, 14)]
    task = ns.Task.from_examples("positive-part", [(x, max(x, 0)) for x in xs])
    r = EnumerativeSearcher().search(task, LIB, BUDGET)
    rounds = [int(line.split(" found in ")[1].split(" candidates")[0].replace(",", ""))
              for line in r.trace if line.startswith("on ")]
    assert len(rounds) == 2 and r.candidates == sum(rounds)
    tight = EnumerativeSearcher().search(task, LIB, Budget(seconds=None, candidates=rounds[0] + 1))
    assert not tight.solved and tight.candidates <= rounds[0] + 1


def test_gp_evolves_on_a_subset_and_rescores_its_population_on_the_counterexamples():
    # the digits 0..9 come first, which `\x -> x`-like programs fit; the negatives refute them
    xs = list(range(10)) + [-1, -2, -3, -4, -5, -6, -7, -800] + [10 * k for k in range(2, 14)]
    task = ns.Task.from_examples("positive-part", [(x, max(x, 0)) for x in xs])
    r = GeneticSearcher(seed=0).search(task, LIB, Budget(seconds=None, candidates=20_000))
    rounds = [line for line in r.trace if line.startswith("on ")]
    assert rounds == ["on 8 of 30 examples: a program found in generation 0 gets 8 others wrong; "
                      "examples 10, 11, 12, 13 added",
                      "on 12 of 30 examples: a program found in generation 1 fits every example"]
    assert r.solved and r.examples_passed == 30 and r.program_text == r"\x -> loop x (\y -> x) 0"
    whole = GeneticSearcher(seed=0, subset=0).search(task, LIB, Budget(seconds=None, candidates=20_000))
    assert whole.solved and not any(line.startswith("on ") for line in whole.trace)


def test_gp_out_of_budget_after_a_round_keeps_the_best_so_far_and_is_not_solved():
    # the population is rescored best first, so the budget ending after one program keeps it
    xs = list(range(10)) + [-1, -2, -3, -4, -5, -6, -7, -800] + [10 * k for k in range(2, 14)]
    task = ns.Task.from_examples("positive-part", [(x, max(x, 0)) for x in xs])
    r = GeneticSearcher(seed=0, population=50).search(task, LIB, Budget(seconds=None, candidates=51))
    assert [line for line in r.trace if line.startswith("on ")] == [
        "on 8 of 30 examples: a program found in generation 0 gets 8 others wrong; examples 10, 11, 12, 13 added"]
    assert r.program_text == r"\x -> x" and not r.solved and r.examples_passed == 22 and r.candidates == 51


@pytest.mark.parametrize("kwargs, message", [
    (dict(subset=-1), "subset must be a non-negative integer, got -1"),
    (dict(subset=True), "subset must be a non-negative integer, got True"),
    (dict(subset=2.5), "subset must be a non-negative integer, got 2.5"),
    (dict(subset_above=-3), "subset_above must be a non-negative integer, got -3"),
    (dict(subset=10, subset_above=5), "subset_above (5) must be at least subset (10)"),
])
@pytest.mark.parametrize("searcher", [EnumerativeSearcher, GeneticSearcher])
def test_bad_subset_settings_are_refused_with_their_value(kwargs, message, searcher):
    with pytest.raises(InvalidArgument) as err:
        searcher(**kwargs)
    assert str(err.value) == message


def _long_positive_part() -> ns.Task:
    # every element of [1500] * 15 runs `range 1500` (1,500 steps) on its own, within the
    # 20,000 steps of a run; the whole list needs 22,500
    return ns.Task.from_examples("positive-part-each", [
        ([], []), ([-3, 2], [0, 2]), ([5, -1, 0], [5, 0, 0]), ([1500] * 15 + [-2], [1500] * 15 + [0])])


def test_a_solution_whose_values_fit_but_whose_whole_run_does_not_is_passed_over():
    # `map (\y -> length (range y)) x` fits every example element by element, at cost 6
    r = EnumerativeSearcher(split_share=0).search(_long_positive_part(), LIB, Budget(seconds=None, candidates=20_000))
    assert r.candidates == 20_000 and not r.solved  # the search went on past it
    assert r.trace[-1] == ("1 program(s) whose values were the outputs failed run whole (a step budget their "
                           "parts' runs kept apart)")


def test_a_splits_function_is_taken_only_where_the_whole_program_solves_the_task():
    r = EnumerativeSearcher().search(_long_positive_part(), LIB, Budget(seconds=None, candidates=100_000))
    assert r.trace[0].startswith("split at map (input 0): its function found in ")
    assert r.solved and r.program_text == r"\x -> map (\y -> if y < 0 then 0 else y) x"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=60), st.integers(0, 12))
def test_the_first_subset_has_distinct_indices_of_the_smallest_examples(sizes, size):
    picked = first_subset(sizes, size)
    assert len(picked) == len(set(picked)) <= size and all(0 <= i < len(sizes) for i in picked)
    assert len(picked) == min(size, len(sizes))
    span = min(len(sizes), max(size, round(len(sizes) * 0.3)))
    smallest = sorted(range(len(sizes)), key=lambda i: (sizes[i], i))[:span]
    assert set(picked) <= set(smallest)


def test_solve_records_the_subset_and_the_option_reaches_the_search(tmp_path):
    import json

    from neurosym.cli import main

    task = _count_odds(30)
    path = tmp_path / "tasks.json"
    ns.save_tasks([task], path)
    out = {}
    for subset in ("8", "0"):
        result = tmp_path / f"{subset}.json"
        argv = ["-q", "solve", str(path), "--candidates", "100000", "--out", str(result)]
        assert main(argv + ([] if subset == "8" else ["--subset", subset])) == 0
        out[subset] = json.loads(result.read_text())
    assert out["8"]["config"]["subset"] == 8 and out["0"]["config"]["subset"] == 0
    assert [t["solved"] for t in out["8"]["tasks"]] == [True] == [t["solved"] for t in out["0"]["tasks"]]
    assert out["8"]["tasks"][0]["candidates"] != out["0"]["tasks"][0]["candidates"]  # searched another way


def test_subset_with_gp_or_negative_is_a_usage_error(capsys):
    from neurosym.cli import main

    assert main(["solve", "examples/tasks/lists.json", "--method", "gp", "--subset", "4"]) == 2
    assert ("--subset is enumeration's setting: --method gp evolves on 8 examples first "
            "(GeneticSearcher(subset=K) sets it from Python)") in capsys.readouterr().err
    assert main(["solve", "examples/tasks/lists.json", "--subset", "-1"]) == 2
    assert "argument --subset: expected an integer >= 0, got '-1'" in capsys.readouterr().err


def test_a_curriculum_saved_before_subsets_resumes_only_without_them(tmp_path):
    import json

    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    tasks = [ns.Task.from_examples("add-3", [([10, 20], [13, 23]), ([7], [10])])]
    config = CurriculumConfig(source="t", iterations=1, budget=None, candidates=2000, executor="serial")
    Curriculum(tasks, tmp_path / "r", config).run()
    record = json.loads((tmp_path / "r" / "config.json").read_text())
    assert record["config"]["subset"] == 8
    del record["config"]["subset"]  # as a run of an earlier version wrote it
    (tmp_path / "r" / "config.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="another configuration"):
        Curriculum(tasks, tmp_path / "r", config).run(resume=True)
    Curriculum(tasks, tmp_path / "r", CurriculumConfig(source="t", iterations=1, budget=None, candidates=2000,
                                                      executor="serial", subset=0)).run(resume=True)


def test_solve_with_gp_records_the_subset_gp_evolves_on(tmp_path):
    import json

    from neurosym.cli import main

    path, result = tmp_path / "tasks.json", tmp_path / "gp.json"
    ns.save_tasks([_count_odds(30)], path)
    assert main(["-q", "solve", str(path), "--method", "gp", "--candidates", "300", "--out", str(result)]) == 0
    record = json.loads(result.read_text())
    assert record["config"]["subset"] == 8 and record["config"]["method"] == "gp"
