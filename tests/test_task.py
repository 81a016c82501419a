"""Tasks: construction, type inference from values, scoring, and task files with their errors."""

import pytest

from conftest import DREAMCODER_TASKS

from neurosym.lang.data import Pair
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
        ([([1, "a"], 3)], r"task 'bad', example 0: input 0 \[1, \"a\"\]: it mixes elements of different types"),
        ([([1, [2]], 3)], r"task 'bad', example 0: input 0 \[1, \[2\]\]: it mixes elements of different types"),
        ([({"a": 1}, 3)], r"task 'bad', example 0: input 0 \{'a': 1\}: it is a dict, which no value type of DSL "
                          r"'base' claims \(its types: int, bool, list, stack, pair, str, char, float, image, "
                          r"vector\)"),
        ([([1, 2], [{3}])], r"task 'bad', example 0: output \[\{3\}\]: it holds \{3\}, a set, which no value type"),
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


# ---- silently wrong tasks are refused -----------------------------------------------------

TUPLE_HINT = (r"is a tuple of 3 items; write lists as lists \(\[3, 2, 1\]\)\. A tuple of two inside a value is a "
              r"pair; a tuple is otherwise read only as an example's inputs \(the arguments\)")


@pytest.mark.parametrize("examples, held_out, message", [
    ([((1, 2), (3, 2, 1))], [], rf"task 'tup', example 0: output \(3, 2, 1\): it {TUPLE_HINT}"),
    ([([(3, 2, 1)], 3)], [],
     rf"task 'tup', example 0: input 0 \[\(3, 2, 1\)\]: it holds \(3, 2, 1\), which {TUPLE_HINT}"),
    ([(((3, 2, 1),), 3)], [], rf"task 'tup', example 0: input 0 \(3, 2, 1\): it {TUPLE_HINT}"),
    ([([1], [1])], [([2], [[0], (3, 2, 1)])],
     r"task 'tup', held-out example 0: output \[\[0\], \(3, 2, 1\)\]: it holds"),
    ([([(1,)], 3)], [], r"task 'tup', example 0: input 0 \[\(1,\)\]: it holds \(1,\), which is a tuple of 1 item; "),
    ([([()], 3)], [], r"task 'tup', example 0: input 0 \[\(\)\]: it holds \(\), which is a tuple of 0 items; "),
])
def test_tuples_of_other_than_two_inside_values_are_refused(examples, held_out, message):
    with pytest.raises(TaskError, match=message):
        Task.from_examples("tup", examples, held_out=held_out)


def test_a_tuple_of_two_inside_a_value_is_a_pair():
    task = Task.from_examples("swap", [(((2, 1),), (1, 2)), (((5, 7),), (7, 5))])
    assert format_type(task.type) == "pair int int -> pair int int"
    assert task.examples[0].inputs == (Pair(2, 1),) and task.examples[0].output == Pair(1, 2)
    tagged = Task.from_examples("tagged", [([(1, "a"), (2, "b")], ["a", "b"])])
    assert format_type(tagged.type) == "list (pair int str) -> list str"
    assert repr(tagged.examples[0]) == 'Example(([<pair 1, "a">, <pair 2, "b">],) -> ["a", "b"])'


def test_a_tuple_of_inputs_still_means_several_arguments():
    task = Task.from_examples("pair", [((1, [2]), [1, 2]), ((3, []), [3])])
    assert format_type(task.type) == "int -> list int -> list int"
    assert task.examples[0].inputs == (1, (2,))


def test_from_function_refuses_a_reference_that_returns_tuples():
    with pytest.raises(TaskError, match=r"task 'rev', example 0: output \(.*\): it is a tuple"):
        Task.from_function(lambda xs: tuple(reversed(xs)), lambda rng: [rng.randint(0, 9) for _ in range(3)], 3,
                           name="rev")


def test_contradictory_examples_are_refused_naming_both():
    with pytest.raises(TaskError, match=r"task 'c': example 1 and example 3 have the same inputs \(\[1, 2\]\) "
                                        r"but different outputs, \[2\] and \[3\]"):
        Task.from_examples("c", [([0], [0]), ([1, 2], [2]), ([5], [5]), ([1, 2], [3])])
    with pytest.raises(TaskError, match=r"task 'c': example 0 and held-out example 1 have the same inputs "
                                        r"\(1, 2\) but different outputs, 3 and 4"):
        Task.from_examples("c", [((1, 2), 3)], held_out=[((2, 2), 4), ((1, 2), 4)])
    with pytest.raises(TaskError, match=r"held-out example 0 and held-out example 1 have the same inputs"):
        Task.from_examples("c", [([0], True)], held_out=[([1], True), ([1], False)])


def test_repeated_examples_that_agree_are_fine():
    task = Task.from_examples("d", [([1], [2]), ([1], [2])], held_out=[([1], [2])])
    assert len(task.examples) == 2 and len(task.held_out) == 1
    stacks = Task.from_examples("s", [(([1],), 1), (([1],), 1)], type="stack int -> int")
    assert len(stacks.examples) == 2


def test_values_beyond_the_run_caps_are_refused_naming_the_cap():
    with pytest.raises(TaskError, match=r"task 'big', example 0: input 0 1000000000000000000000000000000: "
                                        r"it is beyond the cap of 9223372036854775807 in magnitude on integers "
                                        r"\(Limits\(\).max_int\)"):
        Task.from_examples("big", [(10**30, 1)])
    with pytest.raises(TaskError, match=r"task 'big', held-out example 0: output \[1, -<int of 5000 digits>\]: "
                                        r"it holds -<int of 5000 digits>, which is beyond the cap"):
        Task.from_examples("big", [([1], [1])], held_out=[([1], [1, -(10**4999)])])
    with pytest.raises(TaskError, match=r"task 'long', example 0: input 0 \[0, 0, .*\(10001 items\)\]: it has "
                                        r"10001 items, more than the cap of 10000 \(Limits\(\).max_list\)"):
        Task.from_examples("long", [([0] * 10_001, 1)])
    assert Task.from_examples("edge", [([2**63 - 1] * 10_000, -(2**63 - 1))]).examples[0].output == -(2**63 - 1)


def deep_list(depth):
    v = 0
    for _ in range(depth):
        v = [v]
    return v


@pytest.mark.parametrize("depth", [101, 900, 10_000])
def test_values_nested_past_the_cap_are_refused_without_recursion_error(depth):
    with pytest.raises(TaskError, match=r"task 'deep', example 0: input 0 \[\[\[.*: it is nested more than 100 "
                                        r"levels deep \(the cap on nested lists\)"):
        Task.from_examples("deep", [(deep_list(depth), 1)])
    with pytest.raises(TaskError, match=r"task 'deep', example 0: output .*nested more than 100 levels"):
        Task.from_examples("deep", [(1, deep_list(depth))])


def test_values_nested_up_to_the_cap_are_fine():
    task = Task.from_examples("deep", [(deep_list(100), 1)])
    assert format_type(task.type).count("list") == 100


def test_bools_and_ints_stay_apart_in_tasks():
    with pytest.raises(TaskError, match=r"example 1: input 0 \[1\] has type list int, but the task's input 0 "
                                        r"has type list bool"):
        Task.from_examples("b", [([True], 1), ([1], 1)])
    task = Task.from_examples("b", [([1], True), ([2], False)])  # 1 and True: different, no clash
    assert task.examples[0].output is True


# ---- scoring shared values is cheap -------------------------------------------------------

SQUARE = r"\n -> (\ys -> map (\x -> ys) ys) (range n)"
DOUBLING = r"\n -> " + r"(\x -> [x, x]) (" * 30 + "n" + ")" * 30


def doubling(leaf):
    v = leaf
    for _ in range(30):
        v = [v, v]  # Python lists sharing structure: 2**30 leaves in 30 lists
    return v


def test_score_does_not_expand_a_shared_3000_by_3000_output():
    task = Task.from_examples("square", [(2, [[0, 1], [0, 1]]), (3000, [[0, 1], [2, 4]])])
    score = task.score(load_program(SQUARE).compile())
    assert (score.passed, score.total) == (1, 2)
    assert score.first_failure == ("example 1: expected [[0, 1], [2, 4]], got [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
                                   "11, 12, ... (3000 items)], ... (3000 items)]")


def test_tasks_with_two_to_the_thirty_leaves_build_and_score():
    program = load_program(DOUBLING).compile()
    task = Task.from_examples("doubling", [(0, doubling(0)), (1, doubling(1))])
    assert task.score(program).solved
    wrong = Task.from_examples("doubling", [(0, doubling(1))])
    shown = "[" * 8 + "..." + "], ..." * 5 + "], ... (2 items)" * 2 + "]"
    assert wrong.score(program).first_failure == f"example 0: expected {shown}, got {shown}"
    assert len(repr(wrong)) < 150 and len(repr(wrong.examples[0])) < 200


def test_failure_messages_show_language_notation_truncated():
    task = Task.from_examples("flags", [([1], [True]), (list(range(500)), [False])])
    score = task.score(load_program(r"map (\x -> x > 0)").compile())
    assert score.passed == 1
    long_failure = score.first_failure
    assert long_failure.startswith("example 1: expected [false], got [false, true, true, ")
    assert long_failure.endswith(", ... (500 items)]") and len(long_failure) < 120


# ---- short reprs and notebook views ---------------------------------------------------------

def test_reprs_are_short():
    task = Task.from_examples("<b>sum</b>", [(list(range(5000)), sum(range(5000)))] * 3, held_out=[([1], 1)])
    assert repr(task) == "Task('<b>sum</b>', 'list int -> int', examples=3, held_out=1)"
    score = task.score(load_program("length").compile())
    assert repr(score).startswith("TaskScore(passed=0/3, held_out=1/1, first_failure='example 0: expected ")
    assert len(repr(score)) < 250
    assert repr(Task.from_examples("one", [([1], 1)]).examples[0]) == "Example(([1],) -> 1)"
    assert repr(Task.from_examples("two", [((1, 2), 3)]).examples[0]) == "Example((1, 2) -> 3)"


def test_html_view_is_a_small_escaped_table():
    task = Task.from_examples("<i>add</i>", [((k, [k] * 1000), k) for k in range(8)])
    view = task._repr_html_()
    assert "&lt;i&gt;add&lt;/i&gt;" in view and "<i>" not in view
    assert "<code>int -&gt; list int -&gt; int</code>" in view
    assert view.count("<tr>") == 1 + 5 + 1  # header, five examples, "... 3 more"
    assert "... 3 more" in view and "(1000 items)" in view and len(view) < 3000
