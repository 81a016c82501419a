"""map, filter, fold and loop with a lambda written in place run its body directly: same values,
statuses and steps as the generic path (the function passed as a value)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from neurosym.lang.base import base_dsl
from neurosym.lang.compiler import Status, compile_program
from neurosym.lang.parser import parse
from neurosym.lang.primitives import Limits, runtime_for

LIMITS = Limits(steps=400)
#: (fused, generic): in the generic program the function reaches the primitive as a
#: variable, one application (one step) away
PROGRAMS = [
    (r"\xs -> map (\x -> x * 2 + 1) xs", r"\xs -> (\f -> map f xs) (\x -> x * 2 + 1)"),
    (r"\xs -> map (\x -> 10 / x) xs", r"\xs -> (\f -> map f xs) (\x -> 10 / x)"),
    (r"\xs -> map (\x -> length (range x)) xs", r"\xs -> (\f -> map f xs) (\x -> length (range x))"),
    (r"\xs -> filter (\x -> x % 3 == 0) xs", r"\xs -> (\p -> filter p xs) (\x -> x % 3 == 0)"),
    (r"\xs -> filter (\x -> head xs < x) xs", r"\xs -> (\p -> filter p xs) (\x -> head xs < x)"),
    (r"\xs -> fold (\x acc -> x - acc) 0 xs", r"\xs -> (\f -> fold f 0 xs) (\x acc -> x - acc)"),
    (r"\xs -> fold (\x acc -> cons x (cons x acc)) [] xs",
     r"\xs -> (\f -> fold f [] xs) (\x acc -> cons x (cons x acc))"),
    (r"\xs -> fold (\x acc -> if x < acc then acc else x) (head xs) xs",
     r"\xs -> (\f -> fold f (head xs) xs) (\x acc -> if x < acc then acc else x)"),
    (r"\xs -> loop (length xs) (\y -> y * 2) 1", r"\xs -> (\f -> loop (length xs) f 1) (\y -> y * 2)"),
    (r"\xs -> loop (head xs) (\y -> cons 0 y) xs", r"\xs -> (\f -> loop (head xs) f xs) (\y -> cons 0 y)"),
]


def _run(source: str, xs: tuple) -> tuple:
    result = compile_program(parse(source), LIMITS).run(xs)
    left = runtime_for(LIMITS, base_dsl()).steps
    return result.status, result.value, LIMITS.steps - left


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(PROGRAMS), st.lists(st.integers(-30, 60), max_size=40))
def test_a_lambda_in_place_gives_the_generic_paths_values_statuses_and_steps(pair, xs):
    fused, generic = pair
    (status, value, steps), (g_status, g_value, g_steps) = _run(fused, tuple(xs)), _run(generic, tuple(xs))
    assert status == g_status and value == g_value
    if status is Status.OK:
        assert steps == g_steps - 1  # the generic program's one application of the function


def test_the_fused_paths_are_taken_and_charge_a_step_per_element():
    assert _run(r"\xs -> map (\x -> x + 1) xs", (1, 2, 3)) == (Status.OK, (2, 3, 4), 3)
    assert _run(r"\xs -> filter (\x -> x < 2) xs", (1, 2, 0)) == (Status.OK, (1, 0), 3)
    assert _run(r"\xs -> fold (\x acc -> x + acc) 0 xs", (1, 2, 3)) == (Status.OK, 6, 3)
    assert _run(r"\xs -> loop (length xs) (\y -> y + 1) 0", (1, 2, 3)) == (Status.OK, 3, 3)
    over = compile_program(parse(r"\xs -> map (\x -> x) xs"), LIMITS).run(tuple(range(401)))
    assert over.status is Status.BUDGET and over.error == "step budget of 400 exceeded"


def test_a_point_free_program_runs_as_the_lambda_over_its_missing_arguments():
    for point_free, expanded in ((r"map (\x -> x * 3)", r"\xs -> map (\x -> x * 3) xs"),
                                 (r"fold (\x acc -> acc - x) 7", r"\xs -> fold (\x acc -> acc - x) 7 xs"),
                                 ("reverse", r"\xs -> reverse xs")):
        for xs in ((), (4, 1, 9), tuple(range(30))):
            assert _run(point_free, xs) == _run(expanded, xs)
    # a primitive alone takes all its arguments, or fewer and gives a function
    bare = compile_program(parse("map"))
    assert bare.run(lambda v: v + 1, (1, 2)).value == (2, 3)
    assert bare.run(lambda v: v * 2).value((3, 4)) == (6, 8)
