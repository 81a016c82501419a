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
    assert [functions[n].arity for n in ("count", "twice", "inc_all", "pick")] == [2, 2, 1, 4]
    assert functions["count"].fn(2, (1, 2, 2)) == values["count"](2)((1, 2, 2)) == 2
    assert functions["twice"].fn(values["inc_all"], (1, 5)) == (3, 7)
    assert functions["inc_all"].fn((0, 9)) == (1, 10)
    assert functions["pick"].fn(1, 2, "yes", "no") == "yes" and functions["pick"].fn(3, 2, "yes", "no") == "no"
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


def test_compiled_code_calls_a_routine_once_with_the_same_value_and_steps():
    """`compile_closure(..., functions=)` calls a routine given all its arguments
    directly; the value and the steps charged are those of the curried applications."""
    from neurosym.lang.compiler import compile_closure
    from neurosym.lang.primitives import runtime_for

    lib = Library.base().with_routines(ROUTINES)
    limits = Limits()
    term = ns.parse(r"\xs -> twice (\ys -> cons (count 2 ys) ys) xs")
    rt = runtime_for(limits, lib.dsl)
    outcomes = []
    for functions in (None, lib.routine_functions(limits)):
        fn = compile_closure(term, limits, lib.routine_values(limits), lib.dsl, functions)(())
        rt.steps = limits.steps
        outcomes.append((fn((2, 1, 2)), rt.steps))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == (3, 2, 2, 1, 2)


def test_an_alias_of_a_production_is_not_a_routine():
    from neurosym.library.compression import is_alias

    aliases = [r"\x -> take x", "index 2", r"\xs -> index 2 xs", r"\xs -> cons 0 xs", "map"]
    routines = [r"\a xs -> take a (drop 4 xs)", r"\k xs -> length (filter (\y -> y == k) xs)", r"\x -> x",
                r"\f xs -> f (reverse xs)"]
    assert [is_alias(ns.parse(t)) for t in aliases] == [True] * len(aliases)
    assert [is_alias(ns.parse(t)) for t in routines] == [False] * len(routines)


def test_abstraction_learning_drops_a_production_with_constants():
    from neurosym.library.compression import learn_abstractions

    corpus = {"a": r"\xs -> cons (index 2 xs) xs", "b": r"\xs -> append xs [index 2 xs]",
              "c": r"\xs -> index 2 xs + length xs", "d": r"\xs -> map (\y -> y * index 2 xs) xs"}
    lib, rewritten, report = learn_abstractions(Library.base(), {k: ns.parse(v) for k, v in corpus.items()})
    assert report.routines == () and len(report.dropped) == 1  # `index 2` is no routine
    assert lib.routines == () and ns.format_expr(rewritten["c"]) == r"\x -> index 2 x + length x"
