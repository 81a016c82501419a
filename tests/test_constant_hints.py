"""Constants by need: what each reading of the examples suggests, and how search prices the rest."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosym.errors import NeurosymError
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.constant_hints import ALWAYS_CHEAP, constants_by_need, suggested_constants
from neurosym.search.costs import production_costs
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.task import Task

LITERALS = range(6)


def hints(examples, name="t") -> list[int]:
    """The suggestions that matter: 0 and 1 are never made dearer."""
    return sorted(suggested_constants(Task.from_examples(name, examples), LITERALS) - ALWAYS_CHEAP)


def test_an_elementwise_difference_is_suggested_and_an_empty_list_does_not_veto_it():
    assert hints([([], []), ([10, 20], [13, 23]), ([7], [10])]) == [3]


def test_an_elementwise_ratio_and_power_are_suggested():
    assert hints([([6, 7], [24, 28]), ([9], [36])]) == [4]
    assert hints([([2, 3], [8, 27]), ([6], [216])]) == [3]


def test_lengths_suggest_take_drop_and_repeat_counts():
    assert hints([([9, 8, 7, 6, 9], [9, 8, 7, 6]), ([6, 7, 8, 9, 6, 7, 8], [6, 7, 8, 9])]) == [4]  # take 4
    assert hints([([6, 7, 8, 9, 6, 7, 8], [6, 7, 8]), ([9, 9, 9, 9, 9, 9], [9, 9])]) == [4]  # drop 4
    assert hints([([7, 8], [7, 8, 7, 8, 7, 8]), ([9], [9, 9, 9])]) == [3]  # repeat 3 times


def test_positions_suggest_the_index_an_output_is_taken_from():
    # the third element (0-based 2, 1-based 3), of distinct values so that no other reading agrees
    assert hints([([11, 12, 13, 14], 13), ([21, 32, 43], 43), ([17, 16, 15, 19, 18], 15)]) == [2, 3]


def test_an_element_added_at_an_end_is_suggested():
    assert hints([([11, 12], [11, 12, 5]), ([30], [30, 5]), ([7, 9, 8], [7, 9, 8, 5])]) == [5]


def test_the_value_a_count_or_a_presence_test_looks_for_is_suggested():
    assert hints([([3, 3, 9], 2), ([9, 8], 0), ([3], 1), ([3, 7, 3, 3], 3)]) == [3]
    assert hints([([4, 9], True), ([9, 8], False), ([8, 4, 4], True), ([], False)]) == [4]


def test_the_constant_of_a_filter_test_is_suggested():
    assert hints([([1, 7, 3, 9], [7, 9]), ([6, 2, 8], [6, 8]), ([5, 6], [6])]) == [5]  # keep > 5


def test_readings_agree_each_on_its_own_and_only_on_a_few_constants():
    # keeps x > 3 (or 4) in the first two examples, x % 3 == 0 in the third: no one test fits all
    assert hints([([1, 7, 3, 9], [7, 9]), ([2, 6, 8], [6, 8]), ([4, 6, 7, 5], [6])]) == []
    # the identity says nothing (x % c == x for every c above the largest element)
    assert hints([([7, 0, 9], [7, 0, 9]), ([6], [6])]) == []
    assert hints([([7, 0, 9], [7, 0, 9]), ([16, 5], [1, 0])]) == [5]  # the second example shows % 5
    assert hints([([16, 17], 33), ([12, 19], 31)]) == []  # a sum: nothing in 0..5


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.lists(st.lists(st.integers(0, 20), min_size=6, max_size=9), min_size=2, max_size=5))
def test_take_k_of_long_enough_lists_always_suggests_k(k, inputs):
    examples = [(xs, xs[:k]) for xs in inputs]
    assert k in suggested_constants(Task.from_examples("take", examples), LITERALS)


@given(st.lists(st.tuples(st.lists(st.integers(-5, 30), max_size=5), st.integers(-5, 30)),
                min_size=1, max_size=4, unique_by=lambda p: tuple(p[0])))
def test_suggestions_are_always_among_the_candidates(pairs):
    task = Task.from_examples("any", pairs)
    assert suggested_constants(task, [2, 3]) <= {2, 3}


def test_by_need_makes_only_the_unsuggested_literals_dearer():
    library = Library.base()
    costs, _ = production_costs(library)
    task = Task.from_examples("add-3", [([10, 20], [13, 23]), ([7], [10])])
    priced = constants_by_need(costs, library, task)
    dearer = {name for name in costs if priced[name] != costs[name]}
    assert dearer == {"2", "4", "5"}
    assert all(priced[n] == costs[n] + 1 for n in dearer)
    assert ALWAYS_CHEAP == {0, 1}


def test_search_by_need_finds_the_same_program_in_fewer_candidates():
    task = Task.from_examples("add-3", [([10, 20], [13, 23]), ([7], [10]), ([], [])])
    library, budget = Library.base(), Budget(candidates=100_000)
    plain = EnumerativeSearcher(constants="all").search(task, library, budget)
    by_need = EnumerativeSearcher().search(task, library, budget)  # the default
    assert plain.program_text == by_need.program_text == r"\x -> map (\y -> y + 3) x"
    assert by_need.candidates < plain.candidates


def test_an_unknown_constants_mode_is_refused_by_name():
    with pytest.raises(NeurosymError, match=r"constants must be one of by-need, all, got 'some'"):
        EnumerativeSearcher(constants="some")


def test_solve_records_how_constants_were_priced(tmp_path, capsys):
    from neurosym.cli import main

    out = {}
    for mode in ("by-need", "all"):
        path = tmp_path / f"{mode}.json"
        argv = ["-q", "solve", "examples/tasks/lists.json", "--candidates", "20000", "--out", str(path)]
        assert main(argv + ([] if mode == "by-need" else ["--constants", "all"])) == 0
        out[mode] = json.loads(path.read_text())
    assert out["by-need"]["config"]["constants"] == "by-need" and out["all"]["config"]["constants"] == "all"
    spent = {mode: sum(t["candidates"] for t in out[mode]["tasks"]) for mode in out}
    assert spent["by-need"] != spent["all"]  # the option reaches the search


def test_constants_with_gp_is_a_usage_error(capsys):
    from neurosym.cli import main

    assert main(["solve", "examples/tasks/lists.json", "--method", "gp", "--constants", "all"]) == 2
    assert "--constants prices the literals of enumeration: it needs --method enum or neural" in capsys.readouterr().err


def test_a_curriculum_saved_before_constants_resumes_only_as_all(tmp_path):
    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    tasks = [Task.from_examples("add-3", [([10, 20], [13, 23]), ([7], [10])])]
    config = CurriculumConfig(source="t", iterations=1, budget=None, candidates=2000, executor="serial")
    Curriculum(tasks, tmp_path / "r", config).run()
    record = json.loads((tmp_path / "r" / "config.json").read_text())
    assert record["config"]["constants"] == "by-need"
    del record["config"]["constants"]  # as a run of an earlier version wrote it
    (tmp_path / "r" / "config.json").write_text(json.dumps(record))
    with pytest.raises(ValueError, match="another configuration"):
        Curriculum(tasks, tmp_path / "r", config).run(resume=True)
    figures = Curriculum(tasks, tmp_path / "r", replace(config, constants="all")).run(resume=True)
    assert [f.iteration for f in figures] == [1]


def test_a_curriculum_refuses_an_unknown_constants_mode():
    from neurosym.curriculum.run import Curriculum, CurriculumConfig

    with pytest.raises(NeurosymError, match="constants must be one of by-need, all, got 'none'"):
        Curriculum([], "unused", CurriculumConfig(constants="none"))


def test_examples_no_reading_applies_to_suggest_nothing_and_change_no_cost():
    from neurosym.domains.registry import get_domain

    task = next(t for t in get_domain("text") if t.name == "abbreviate")  # str -> str
    assert suggested_constants(task, LITERALS) is None
    library = Library.base(dsl=task.dsl)
    costs, _ = production_costs(library)
    assert constants_by_need(costs, library, task) == costs


def test_with_proportional_costs_a_literal_is_a_whole_node_dearer():
    library = Library.base()
    costs, _ = production_costs(library, proportional=3)
    task = Task.from_examples("add-3", [([10, 20], [13, 23]), ([7], [10])])
    priced = constants_by_need(costs, library, task, unit=3)
    assert {n: priced[n] - costs[n] for n in costs if priced[n] != costs[n]} == {"2": 3, "4": 3, "5": 3}
