"""Values and tasks know their DSL: a user's own value type (a frozen dataclass with a key,
samples and literal syntax, tests/dsl_points.py) types, converts, scores, solves and
goes through task files; pairs, chars and floats come from JSON as declared types read
them; floats agree to 9 significant digits; and values no type can hold are refused
naming the task, the example, the Python class and the DSL's types."""

import json
import math
from dataclasses import dataclass, replace

import numpy as np
import pytest
from dsl_points import POINTS, Point
from hypothesis import given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.base import VALUE_TYPES, base_dsl, pair_primitives
from neurosym.lang.compiler import compile_program
from neurosym.lang.data import Char, Pair, Stack
from neurosym.lang.dsl import DSL, ValueType
from neurosym.lang.parser import parse
from neurosym.lang.types import TCon, format_type, list_of
from neurosym.lang.values import (
    format_value,
    same_value,
    to_python,
    to_runtime,
    value_hash,
)
from neurosym.library.library import Library
from neurosym.task import Task, TaskError
from neurosym.task_io import load_tasks, save_tasks, tasks_from_json

# `pair` is also the type's name, which extend refuses (reported); the constructor is renamed here
PAIRS = base_dsl().extend(primitives=[replace(p, name="mkpair") if p.name == "pair" else p for p in pair_primitives()],
                          name="pairs")
BASE_TYPES = "int, bool, list, stack, pair, str, char, float, image, vector"


def run(text, dsl=POINTS):
    return compile_program(parse(text, dsl), dsl=dsl)


def swap_task():
    return Task.from_examples("swap", [(Point(1, 2), Point(2, 1)), (Point(3, 5, "a"), Point(5, 3)),
                                       (Point(0, 7), Point(7, 0))], dsl=POINTS)


# ---- a user's value type ----------------------------------------------------------------

def test_a_user_type_types_converts_and_scores_by_its_key():
    task = swap_task()
    assert format_type(task.type) == "point -> point" and task.dsl is POINTS
    assert task.examples[1].inputs == (Point(3, 5, "a"),)
    assert repr(task) == "Task('swap', 'point -> point', examples=3, held_out=0, dsl='points')"
    assert task.score(run(r"\p -> mkpoint (py p) (px p)")).solved  # Point(5, 3) matches Point(5, 3, "a")'s key
    score = task.score(run(r"\p -> p"))
    assert score.first_failure == 'example 0: expected @point"2,1", got @point"1,2"'
    assert same_value(Point(1, 2, "a"), Point(1, 2, "b"), POINTS) and not same_value(Point(1, 2), Point(2, 1), POINTS)
    assert value_hash(Point(1, 2, "a"), POINTS) == value_hash(Point(1, 2, "b"), POINTS)
    assert format_value((Point(1, 2),), dsl=POINTS) == '[@point"1,2"]'
    assert format_value(Point(1, 2)).startswith("Point(x=1, y=2")  # a DSL that has no point: a bounded repr


def test_a_user_type_is_solved_by_search():
    result = ns.solve(swap_task(), library=Library.base(dsl=POINTS), budget=10)
    assert result.solved and result.program_text == r"\x -> mkpoint (py x) (px x)"


def test_from_function_and_declared_types_are_in_the_tasks_dsl():
    task = Task.from_function(lambda p: p.x + p.y, lambda rng: Point(rng.randint(0, 9), rng.randint(0, 9)), 4,
                              name="sum", dsl=POINTS)
    assert task.dsl is POINTS and format_type(task.type) == "point -> int"
    declared = POINTS.parse_type("point -> int")
    assert Task.from_examples("t", [(Point(1, 2), 1)], type=declared, dsl=POINTS).type == declared
    with pytest.raises(TaskError, match=r"task 't': bad type 'point -> int': in type 'point -> int': unknown type"):
        Task.from_examples("t", [(1, 1)], type="point -> int")
    with pytest.raises(TaskError, match=r"task 't': type point -> int: unknown type 'point'"):
        Task.from_examples("t", [(1, 1)], type=declared)


def test_examples_that_differ_only_outside_the_key_contradict():
    with pytest.raises(TaskError, match=r"task 'k': example 0 and example 1 have the same inputs \(@point\"1,2\"\) "
                                        r"but different outputs, 1 and 2"):
        Task.from_examples("k", [(Point(1, 2, "a"), 1), (Point(1, 2, "b"), 2)], dsl=POINTS)


def test_a_declared_user_type_reads_the_values_its_from_user_reads():
    task = Task.from_examples("sum", [({"x": 1, "y": 2}, 3), ("4,5", 9)], type="point -> int", dsl=POINTS)
    assert task.examples[0].inputs == (Point(1, 2),) and task.examples[1].inputs == (Point(4, 5),)
    assert task.score(run(r"\p -> px p + py p")).solved
    with pytest.raises(TaskError, match=r"task 'sum', example 0: input 0 7: it cannot be read as a point "
                                        r"\(a point is written as"):
        Task.from_examples("sum", [(7, 7)], type="point -> int", dsl=POINTS)


def test_user_values_go_through_task_files_with_their_dsl(tmp_path):
    tasks = [swap_task(), Task.from_examples("sum", [({"x": 1, "y": 2}, 3)], type="point -> int", dsl=POINTS)]
    path = tmp_path / "points.json"
    save_tasks(tasks, path)
    data = json.loads(path.read_text())
    assert data["dsl"] == "dsl_points:POINTS"
    assert data["tasks"][0]["examples"][1] == {"input": [{"x": 3, "y": 5, "label": "a"}], "output": {"x": 5, "y": 3}}
    loaded = load_tasks(path)
    assert loaded == tasks and loaded[0].dsl == POINTS and loaded[0].examples[1].inputs == (Point(3, 5, "a"),)
    assert load_tasks(path, dsl=POINTS) == tasks
    with pytest.raises(TaskError, match=rf"{path.name}: the tasks are over DSL 'dsl_points:POINTS', points \(version "
                                        r"\w+\), but DSL base \(version \w+\) at 'neurosym.lang.base:base_dsl' "
                                        r"was given"):
        load_tasks(path, dsl=base_dsl())


def test_base_task_files_name_no_dsl_and_load_into_a_given_one(tmp_path):
    path = tmp_path / "base.json"
    save_tasks([Task.from_examples("inc", [(1, 2)])], path)
    assert "dsl" not in json.loads(path.read_text())
    loaded = load_tasks(path, dsl=POINTS)
    assert loaded[0].dsl is POINTS and format_type(loaded[0].type) == "int -> int"


def test_task_files_refuse_what_cannot_name_or_load_a_dsl(tmp_path):
    path = tmp_path / "t.json"
    anonymous = POINTS.extend(name="anonymous")  # no import path
    with pytest.raises(TaskError, match=r"t.json: the tasks are over DSL anonymous \(version \w+\), which has no "
                                        r"import path, so the file cannot name it"):
        save_tasks([Task.from_examples("one", [(1, 1)], dsl=anonymous)], path)
    with pytest.raises(TaskError, match=r"t.json: a task file holds tasks of one DSL; these are over base \(version "
                                        r"\w+\) \(task 'a'\), points \(version \w+\) \(task 'b'\)"):
        save_tasks([Task.from_examples("a", [(1, 1)]), Task.from_examples("b", [(1, 1)], dsl=POINTS)], path)
    entry = {"name": "x", "examples": [{"input": [1], "output": 1}]}
    path.write_text(json.dumps({"dsl": "no_such_module_here:LANG", "tasks": [entry]}))
    with pytest.raises(TaskError, match=r"t.json: the file's DSL 'no_such_module_here:LANG' cannot be loaded: "
                                        r"cannot import 'no_such_module_here'"):
        load_tasks(path)
    with pytest.raises(TaskError, match=r"'dsl' must be an import path such as \"mypackage.langs:MY_DSL\", got int"):
        tasks_from_json({"dsl": 3, "tasks": [entry]})


# ---- pairs, chars and floats -------------------------------------------------------------

def test_pairs_chars_and_floats_come_from_json_as_declared_types_read_them(tmp_path):
    data = {"tasks": [
        {"name": "first", "type": "pair int str -> char",
         "examples": [{"input": [[1, "a"]], "output": "a"}, {"input": [[2, "bc"]], "output": "b"}]},
        {"name": "halve", "type": "list float -> stack float",
         "examples": [{"input": [[1.5, 3.0]], "output": [0.75, 1.5]}]},
    ]}
    first, halve = tasks_from_json(data)
    assert first.examples[0].inputs == (Pair(1, "a"),) and type(first.examples[1].output) is Char
    assert halve.examples[0].output == Stack.from_items([0.75, 1.5])
    path = tmp_path / "t.json"
    save_tasks([first, halve], path)
    assert json.loads(path.read_text())["tasks"] == data["tasks"]
    assert load_tasks(path) == [first, halve]


@pytest.mark.parametrize("entry, message", [
    ({"type": "pair int str -> int", "examples": [{"input": [[1, "a", 2]], "output": 1}]},
     r"task 't', example 0: input 0 \[1, \"a\", 2\]: it cannot be read as a pair int str \(a pair has 2 items, "
     r"this value has 3\)"),
    ({"type": "int -> char", "examples": [{"input": [1], "output": "ab"}]},
     r"task 't', example 0: output \"ab\": it cannot be read as a char \(a char is one character, got 'ab'\)"),
    ({"type": "list (pair int int) -> int", "examples": [{"input": [[[1, 2], [3]]], "output": 1}]},
     r"task 't', example 0: input 0 \[\[1, 2\], \[3\]\]: it holds \[3\], which cannot be read as a pair int int"),
    ({"type": "float -> float", "examples": [{"input": [1.5], "output": [1.5]}]},
     r"task 't', example 0: output \[1.5\] has type list float, but the task's output has type float"),
])
def test_values_a_declared_type_cannot_read_are_refused(entry, message):
    with pytest.raises(TaskError, match=message):
        tasks_from_json({"tasks": [{"name": "t", **entry}]})


def test_a_type_whose_from_user_reads_ints_turns_them_into_floats():
    """Conversion follows the ValueType's `from_user`, not a list of special cases."""
    def to_float(value, items):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"not a number: {value!r}")
        return float(value)

    types = [replace(vt, from_user=to_float) if vt.name == "float" else vt for vt in VALUE_TYPES]
    floaty = DSL.of("floaty", types, base_dsl().primitives)
    task = Task.from_examples("f", [(2, 4), (1.5, 3.0)], type="float -> float", dsl=floaty)
    assert task.examples[0].inputs == (2.0,) and type(task.examples[0].output) is float
    with pytest.raises(TaskError, match=r"example 0: input 0 true: it cannot be read as a float \(not a number"):
        Task.from_examples("f", [(True, 4)], type="float -> float", dsl=floaty)


def test_pairs_of_any_values_score_with_pair_primitives():
    task = Task.from_examples("swap", [(((1, "a"),), ("a", 1)), ((Pair(2, "b"),), ["b", 2])],
                              type="pair int str -> pair str int", dsl=PAIRS)
    assert task.examples[1].output == Pair("b", 2)
    assert task.score(run(r"\p -> mkpair (snd p) (fst p)", PAIRS)).solved


def test_a_float_task_is_solved_within_nine_significant_digits():
    task = Task.from_examples("triple", [(0.1, 0.3), (1.0, 3.0), (0.7, 2.1)], held_out=[(2.5, 7.5)], dsl=POINTS)
    assert 0.1 * 3.0 != 0.3 and 0.7 * 3.0 != 2.1  # exact equality would fail
    assert task.score(run(r"\x -> fmul x 3.0")).solved
    assert task.score(run(r"\x -> fmul x 3.0001")).passed == 0
    result = ns.solve(task, library=Library.base(dsl=POINTS), budget=10)
    assert result.solved and result.held_out_accuracy == 1.0


# ---- refusals -----------------------------------------------------------------------------

class Unclaimed:
    def __repr__(self):
        return "Unclaimed()"


@dataclass
class Box:  # eq without frozen: unhashable
    items: list


BOXES = base_dsl().extend(types=[ValueType("box", python=(Box,))], name="boxes")


@pytest.mark.parametrize("examples, dsl, message", [
    ([(Unclaimed(), 1)], None,
     rf"task 'bad', example 0: input 0 Unclaimed\(\): it is a test_user_values.Unclaimed, which no value type of "
     rf"DSL 'base' claims \(its types: {BASE_TYPES}\)"),
    ([(1, [1]), (2, [Unclaimed()])], POINTS,
     rf"task 'bad', example 1: output \[Unclaimed\(\)\]: it holds Unclaimed\(\), a test_user_values.Unclaimed, "
     rf"which no value type of DSL 'points' claims \(its types: {BASE_TYPES}, point\)"),
    ([(np.zeros(2), 1)], None, r"input 0 array\(\[0., 0.\]\): it is a numpy.ndarray, which no value type"),
    ([(1, Box([1]))], BOXES, r"task 'bad', example 0: output Box\(items=\[1\]\): it is a box value that cannot be "
                             r"hashed \(unhashable type: 'Box'\); values of user types must be hashable"),
    ([([Point(1, 2)], 1), ([(Point(1, 2), 1, 2)], 1)], POINTS,
     r"task 'bad', example 1: input 0 \[\(Point\(.*\), 1, 2\)\]: it holds \(Point\(.*\), 1, 2\), which is a tuple of "
     r"3 items; write lists as lists"),
    ([(math.nan, 1)], None, r"task 'bad', example 0: input 0 nan: it is NaN, which equals nothing"),
    ([("x" * 10_001, 1)], None, r"task 'bad', example 0: input 0 \"x.*\": it has 10001 characters, more than the "
                               r"cap of 10000 \(Limits\(\).max_list\)"),
    ([(["x" * 10_001], 1)], None, r"it holds a string that has 10001 characters, more than the cap"),
    ([(np.uint64(2**64 - 1), 1)], None, r"input 0 18446744073709551615: it is beyond the cap of 9223372036854775807"),
])
def test_values_no_type_can_hold_are_refused_naming_task_example_and_class(examples, dsl, message):
    with pytest.raises(TaskError, match=message):
        Task.from_examples("bad", examples, dsl=dsl)


def test_numpy_integers_are_ints_and_the_default_dsl_is_the_base_one():
    task = Task.from_examples("np", [(np.int64(3), [np.int32(1), np.int8(2)])])
    assert task.examples[0].inputs == (3,) and type(task.examples[0].inputs[0]) is int
    assert all(type(x) is int for x in task.examples[0].output) and format_type(task.type) == "int -> list int"
    assert task.dsl is base_dsl() and Task("t", task.type, task.examples).dsl is base_dsl()


# ---- round trips ----------------------------------------------------------------------------

leaves = (st.integers(-(2**63) + 1, 2**63 - 1) | st.booleans() | st.floats(allow_nan=False)
          | st.text(max_size=4))
user_values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner),
                           max_leaves=20)


def as_lists(v):
    """What `to_python` gives back for a user value: tuples (pairs) as lists."""
    return [as_lists(x) for x in v] if isinstance(v, (list, tuple)) else v


def strict_equal(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


@settings(max_examples=200, deadline=None)
@given(user_values)
def test_user_values_come_back_from_to_runtime_and_to_python(v):
    runtime = to_runtime(v)
    assert strict_equal(to_python(runtime), as_lists(v))
    assert same_value(to_runtime(v), runtime) and value_hash(to_runtime(v)) == value_hash(runtime)


def typed_values():
    """(type, runtime value of that type) for nested lists, stacks and pairs of base leaves."""
    leaf = st.sampled_from([
        (TCon("int"), st.integers(-5, 5)), (TCon("bool"), st.booleans()), (TCon("float"), st.floats(-1e6, 1e6)),
        (TCon("str"), st.text("ab", max_size=3)), (TCon("char"), st.sampled_from("xyz").map(Char)),
    ])

    def extend(inner):
        def lists(ts):
            return list_of(ts[0]), st.lists(ts[1], max_size=3).map(tuple)

        def stacks(ts):
            return TCon("stack", (ts[0],)), st.lists(ts[1], max_size=3).map(Stack.from_items)

        def pairs(two):
            (ta, va), (tb, vb) = two
            return TCon("pair", (ta, tb)), st.tuples(va, vb).map(lambda p: Pair(*p))

        return inner.map(lists) | inner.map(stacks) | st.tuples(inner, inner).map(pairs)

    return st.recursive(leaf, extend, max_leaves=6).flatmap(lambda tv: st.tuples(st.just(tv[0]), tv[1]))


@settings(max_examples=200, deadline=None)
@given(typed_values())
def test_runtime_values_come_back_through_their_user_form_and_type(typed):
    t, v = typed
    user = to_python(v)
    back = to_runtime(user, t)
    assert same_value(back, v) and strict_equal(to_python(back), user)
    assert format_value(back) == format_value(v)  # the same kinds of values: chars stay chars, pairs pairs
