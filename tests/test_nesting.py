"""Deep and long programs: up to the documented cap (MAX_NESTING) every tool works; past
it, a ParseError, TypeCheckError or SexprError says so; never a RecursionError.

The reproducers are those of issue 11, item 3."""

from __future__ import annotations

import pytest

from neurosym import load_program
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var
from neurosym.lang.compiler import Status, evaluate
from neurosym.lang.nesting import MAX_NESTING
from neurosym.lang.parser import ParseError, parse
from neurosym.lang.primitives import Limits, LimitsError
from neurosym.lang.printer import format_expr
from neurosym.lang.sexpr import SexprError, parse_sexpr, to_sexpr
from neurosym.lang.typecheck import TypeCheckError, infer_type
from neurosym.lang.types import format_type
from neurosym.library import Library

ENV = Library.base().env()


def sum_of_xs(n: int) -> str:
    return r"\x -> " + " + ".join(["x"] * n)


@pytest.mark.parametrize("n", [250, 499])
def test_long_infix_chains_load_type_and_run(n):
    program = load_program(sum_of_xs(n))
    assert format_type(program.type) == "int -> int"
    assert program.compile().run(3).value == 3 * n
    assert parse(format_expr(program.main)) == program.main


def test_a_long_application_spine():
    text = r"\f x -> f " + " ".join(["x"] * 330)
    program = load_program(text)
    assert format_type(program.type).count("->") == 332  # f's 330 arguments, then x and the result
    consumer = "".join(f"\\a{i} -> " for i in range(330)) + "a0 + a329"
    applied = load_program(f"({text}) ({consumer}) 2")
    assert applied.compile().run().value == 4


@pytest.mark.parametrize("n", [490, 990])
def test_long_list_literals(n):
    text = "[" + ", ".join(str(i) for i in range(n)) + "]"
    program = load_program(f"length {text}")
    assert program.compile().run().value == n
    assert load_program(text).compile().run().value == tuple(range(n))
    assert parse(format_expr(parse(text))) == parse(text)


@pytest.mark.parametrize("n", [250, 500, 990])
@pytest.mark.parametrize("shape", ["lambdas", "nots", "ifs"])
def test_nested_lambdas_nots_and_if_chains(shape, n):
    if shape == "lambdas":
        text, args, expected = "".join(f"\\x{i} -> " for i in range(n)) + "x0", list(range(n)), 0
    elif shape == "nots":
        text, args, expected = "not (" * n + "true" + ")" * n, [], n % 2 == 0
    else:
        text, args, expected = "if false then 0 else " * n + "7", [], 7
    program = load_program(text)
    result = program.compile().run(*args)
    assert result.ok and result.value == expected, result
    assert parse(format_expr(program.main)) == program.main


def test_past_the_cap_is_a_parse_error_that_says_so():
    text = "not (" * (MAX_NESTING + 5) + "true" + ")" * (MAX_NESTING + 5)
    with pytest.raises(ParseError, match=f"nests {MAX_NESTING + 6} levels deep; the cap is {MAX_NESTING}"):
        parse(text)
    with pytest.raises(ParseError, match="the cap is"):
        load_program(sum_of_xs(MAX_NESTING))


def deep_nots(depth: int) -> Expr:
    e: Expr = Lit(True)
    for _ in range(depth - 1):  # built bottom-up: no recursion anywhere
        e = App(Prim("not"), e)
    return e


def test_an_ast_past_the_cap_is_a_type_error_and_still_prints():
    e = deep_nots(5000)
    with pytest.raises(TypeCheckError, match="nests 5000 levels deep; the cap is 1000"):
        infer_type(e, ENV)
    text = format_expr(e)
    assert text.startswith("not (not (") and text.count("not") == 4999
    assert to_sexpr(e).count("not") == 4999
    with pytest.raises(SexprError, match="nests 5000 levels deep"):
        parse_sexpr(to_sexpr(e))
    assert evaluate(e).status is Status.BUDGET


def test_at_the_cap_every_tool_works():
    e = deep_nots(MAX_NESTING)
    assert format_type(infer_type(e, ENV)) == "bool"
    assert parse(format_expr(e)) == e
    assert parse_sexpr(to_sexpr(e)) == e
    assert evaluate(e).value is (MAX_NESTING % 2 == 1)


def test_a_deep_type_prints():
    e: Expr = Var(0)
    for _ in range(400):
        e = App(App(Prim("cons"), e), Prim("empty"))
    t = infer_type(Lam(e), ENV)
    assert format_type(t) == "a -> " + "list (" * 399 + "list a" + ")" * 399


def test_huge_integer_literals_are_parse_errors():
    with pytest.raises(ParseError, match="integer literal of 5000 digits is too long"):
        parse("1" * 5000)
    with pytest.raises(ParseError, match="integer literal of 4400 digits"):
        parse("(-" + "2" * 4400 + ")")
    with pytest.raises(SexprError, match="integer literal of 5000 digits is too long"):
        parse_sexpr("(+ 1 " + "1" * 5000 + ")")


def test_limits_are_checked():
    with pytest.raises(LimitsError, match="max_depth 5000 is past the language's nesting cap of 1000"):
        Limits(max_depth=5000)
    with pytest.raises(LimitsError, match="Limits.steps must be a positive integer, got -1"):
        Limits(steps=-1)
