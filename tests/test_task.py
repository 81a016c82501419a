"""Tasks: construction, type inference from values, scoring, and task files with their errors."""

import json
import random

import pytest

from conftest import DREAMCODER_TASKS

from neurosym.lang.parser import parse_type
from neurosym.lang.primitives import Stack
from neurosym.lang.program import load_program
from neurosym.lang.types import format_type
from neurosym.task import Task, TaskError
from neurosym.task_io import load_tasks, save_tasks, tasks_from_json

DREAMCODER = DREAMCODER_TASKS


def test_type_inferred_from_values_and_lists_become_tuples():
    task = Task.from_examples("double", [([1, 2], [2, 4]), ([], [])], held_out=[([3], [6])])
    assert format_type(task.type) == "list int -> list int"
    assert task.examples[0].inputs == ((1, 2),)
    assert task.held_out[0].output == (6,)


def test_several_arguments_are_given_as_a_tuple():
    task = Task.from_examples("add", [((1, 2), 3), ((5, 5), 10)])
    assert format_type(task.type) == "int -> int -> int"
    assert task.examples[1].inputs == (5, 5)


def test_empty_lists_alone_leave_a_type_variable():
    task = Task.from_examples("len", [([], 0)])
    assert format_type(task.type) == "list a -> int"


def test_nested_lists_and_bools():
    task = Task.from_examples("flags", [([[1], []], [True, False])])
    assert format_type(task.type) == "list (list int) -> list bool"


def test_declared_type_is_checked_against_values():
    with pytest.raises(TaskError, match=r"task 't', example 0: output 3 has type int, but the task's output has type bool"):
        Task.from_examples("t", [([1], 3)], type="list int -> bool")


def test_declared_type_makes_stacks():
    task = Task.from_examples("top", [(([1, 2],), 2)], type="stack int -> int")
    assert task.examples[0].inputs == (Stack.from_items([1, 2]),)
    assert task.score(load_program("top").compile()).solved


@pytest.mark.parametrize(
    "examples, message",
    [
        ([([1, 2], [2, 4]), ([1], True)], r"task 'bad', example 1: output true has type bool"),
        ([([1, 2], 3), ((1, 2), 3)], r"task 'bad', example 1: has 2 input\(s\) but example 0 has 1"),
        ([([1, "a"], 3)], r"task 'bad', example 0: input 0 \[1, \"a\"\]: unsupported value 'a'"),
        ([([1, [2]], 3)], r"task 'bad', example 0: input 0 \[1, \[2\]\]: it mixes elements of different types"),
        ([(1.5, 3)], r"task 'bad', example 0: input 0 1.5: unsupported value"),
        ([], r"task 'bad': no examples"),
        ([(1, 2, 3)], r"task 'bad', example 0: expected an \(inputs, output\) pair"),
    ],
)
def test_inconsistent_examples_name_task_example_and_problem(examples, message):
    with pytest.raises(TaskError, match=message):
        Task.from_examples("bad", examples)


def test_held_out_examples_are_checked_too():
    with pytest.raises(TaskError, match=r"task 'h', held-out example 1: output \[1\] has type list int"):
        Task.from_examples("h", [([1], 1)], held_out=[([2], 2), ([3], [1])])


def test_bad_declared_type_text():
    with pytest.raises(TaskError, match=r"task 't': bad type 'list ->'"):
        Task.from_examples("t", [([1], 1)], type="list ->")
    with pytest.raises(TaskError, match=r"takes 2 argument\(s\) but example 0 has 1 input"):
        Task.from_examples("t", [([1], 1)], type="int -> int -> int")


def test_from_function_is_reproducible_and_held_out_uses_its_sampler():
    def short(rng):
        return [rng.randint(0, 9) for _ in range(rng.randint(0, 4))]

    def long(rng):
        return [rng.randint(0, 9) for _ in range(20)]

    a = Task.from_function(lambda xs: sorted(xs), short, 5, name="sort", held_out_sampler=long, n_held_out=3, seed=7)
    b = Task.from_function(lambda xs: sorted(xs), short, 5, name="sort", held_out_sampler=long, n_held_out=3, seed=7)
    assert a == b
    assert all(len(e.inputs[0]) == 20 for e in a.held_out)
    assert all(list(e.output) == sorted(e.inputs[0]) for e in a.examples)
    assert format_type(a.type) in {"list int -> list int"}


def test_score_counts_examples_and_held_out():
    task = Task.from_examples("double", [([1], [2]), ([2], [5])], held_out=[([3, 4], [6, 8])])
    score = task.score(load_program(r"map (\x -> x * 2)").compile())
    assert (score.passed, score.total, score.held_out_passed, score.held_out_total) == (1, 2, 1, 1)
    assert not score.solved
    assert score.held_out_accuracy == 1.0
    assert score.first_failure == "example 1: expected [5], got [4]"


def test_score_reports_faults():
    task = Task.from_examples("first", [([], 0)])
    score = task.score(load_program("head").compile())
    assert score.first_failure == "example 0: expected 0, got fault (head of the empty list)"


def test_bools_are_not_ints_when_scoring():
    bool_task = Task.from_examples("c", [([1], True)])
    one = load_program(r"\xs -> 1 == length xs").compile()
    assert bool_task.score(one).solved
    int_task = Task.from_examples("i", [([1], 1)])
    assert int_task.score(load_program(r"\xs -> length xs").compile()).solved
    from neurosym.lang.values import same_value
    assert not same_value(True, 1) and not same_value((1,), (True,))


def test_task_file_round_trip(tmp_path):
    tasks = [
        Task.from_examples("double", [([1], [2])], held_out=[([2, 3], [4, 6])]),
        Task.from_examples("add", [((1, 2), 3)]),
    ]
    path = tmp_path / "t.json"
    save_tasks(tasks, path)
    assert load_tasks(path) == tasks


def test_dreamcoder_file_loads_as_is():
    tasks = load_tasks(DREAMCODER)
    assert len(tasks) == 217
    by_name = {t.name: t for t in tasks}
    assert format_type(by_name["len"].type) == "list int -> int"
    assert format_type(by_name["range"].type) == "int -> list int"
    assert len(by_name["sum"].examples) == 15


@pytest.mark.parametrize(
    "data, message",
    [
        ({"tasks": [{"examples": []}]}, r"task #0: missing 'name'"),
        ({"tasks": [{"name": "x"}]}, r"task 'x': missing 'examples'"),
        ({"tasks": [{"name": "x", "examples": [{"input": 1, "output": 1}]}]},
         r"task 'x', example 0: 'input' must be a list, got int"),
        ({"tasks": [{"name": "x", "examples": [{"input": [1]}]}]}, r"task 'x', example 0: missing 'output'"),
        ({"tasks": [{"name": "x", "examples": [{"input": [1], "output": 1}], "hold": []}]},
         r"task 'x': unknown field\(s\) \['hold'\]"),
        ({"tasks": [{"name": "x", "type": 3, "examples": [{"input": [1], "output": 1}]}]},
         r"task 'x': 'type' must be a string"),
        ({"tasks": [{"name": "x", "examples": [{"input": [1], "output": 1}]}] * 2}, r"task 'x' appears twice"),
        ([{"name": "d", "type": {"input": "list-of-int", "output": "float"}, "examples": []}],
         r"task 'd': unsupported DreamCoder type"),
        ([{"name": "d", "type": {"input": "int", "output": "int"}, "examples": [{"i": 1}]}],
         r"task 'd', example 0: expected an object with 'i' and 'o'"),
        ("hello", r"expected \{\"tasks\": \[...\]\}"),
    ],
)
def test_malformed_task_files_are_refused_with_a_clear_message(data, message):
    with pytest.raises(TaskError, match=message):
        tasks_from_json(data)


def test_bad_json_names_file_and_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"tasks": [\n  {"name": }]}')
    with pytest.raises(TaskError, match=r"broken.json: not valid JSON \(line 2, column 12"):
        load_tasks(path)
