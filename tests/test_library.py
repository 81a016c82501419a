"""Library: base productions, weights, routines defined in the language."""

import pytest

import neurosym as ns
from neurosym.lang.parser import ParseError
from neurosym.lang.primitives import Limits
from neurosym.lang.typecheck import TypeCheckError
from neurosym.lang.types import format_type
from neurosym.library import Library

ROUTINES = r"def count = \k xs -> length (filter (\y -> y == k) xs); def twice = \f x -> f (f x);"


def test_base_has_every_primitive_and_literals():
    lib = Library.base()
    names = lib.names()
    assert {"map", "fold", "loop", "push", "if"} <= set(names)
    assert [n for n in names if n.isdigit()] == ["0", "1", "2", "3", "4", "5"]
    assert format_type(lib.env()["map"]) == "(a -> b) -> list a -> list b"


def test_routines_are_typed_compiled_and_usable():
    lib = Library.base().with_routines(ROUTINES, log_weight=1.5)
    assert format_type(lib.env()["count"]) == "int -> list int -> int"
    assert format_type(lib.env()["twice"]) == "(a -> a) -> a -> a"
    assert lib.production("count").log_weight == 1.5
    values = lib.routine_values(Limits())
    assert values["count"](2)((1, 2, 2)) == 2
    program = ns.Program(ns.parse("\\xs -> twice (count 2) 2"), (), lib.env())
    assert ns.format_expr(program.main) == "\\x -> twice (count 2) 2"


def test_routine_functions_take_every_argument_at_once():
    """Search calls a routine as it calls a primitive: one call with all the arguments,
    whether the body binds them all (`count`, `twice`), fewer (`inc_all`, point-free)
    or more than three (`pick`, the generic path); same values as the curried form."""
    text = ROUTINES + (r"def inc_all = map (\y -> y + 1);"
                       r"def pick = \a b c d -> if a < b then c else d;")
    lib = Library.base().with_routines(text)
    functions, values = lib.routine_functions(Limits()), lib.routine_values(Limits())
    assert functions["count"](2, (1, 2, 2)) == values["count"](2)((1, 2, 2)) == 2
    assert functions["twice"](values["inc_all"], (1, 5)) == (3, 7)
    assert functions["inc_all"]((0, 9)) == (1, 10)
    assert functions["pick"](1, 2, "yes", "no") == "yes" and functions["pick"](3, 2, "yes", "no") == "no"
    assert lib.routine_functions(Limits()) is functions  # compiled once per limits


def test_search_uses_routines():
    lib = Library.base().with_routines(ROUTINES)
    task = ns.Task.from_examples("c3", [([3, 1, 3], 2), ([3], 1), ([], 0), ([1, 2], 0)])
    result = ns.solve(task, library=lib, budget=5)
    assert result.program_text == "\\x -> count 3 x"


@pytest.mark.parametrize(
    "text, error, message",
    [
        ("def map = \\x -> x;", ValueError, "a production named 'map' already exists"),
        ("def bad = head 3;", TypeCheckError, "in definition 'bad'"),
        ("def f = \\x -> x; f", ValueError, "only definitions"),
        ("def f = ", ParseError, "unexpected end of input"),
    ],
)
def test_bad_routines_are_refused(text, error, message):
    with pytest.raises(error, match=message):
        Library.base().with_routines(text)


def test_with_weights_only_and_without():
    lib = Library.base()
    assert lib.with_weights({"map": -2.0}).production("map").log_weight == -2.0
    with pytest.raises(KeyError, match="nope"):
        lib.with_weights({"nope": 1.0})
    assert lib.only("map", "0").names() == ["map", "0"]
    assert "map" not in lib.without("map").names()
