"""Every primitive of dsl/primitives.toml against a plain-Python reference.

Each primitive runs two ways on hypothesis-generated inputs: point-free (the compiled
`Prim(name)` applied to runtime values, one curried argument at a time) and saturated
(`name arg1 arg2 ...` built as an AST, which the compiler calls directly and which is
lazy for `if`, `and`, `or`). Both must agree with the reference on status and value.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.compiler import EvalResult, Status, compile_program, evaluate
from neurosym.lang.parser import parse
from neurosym.lang.base import base_dsl, write_reference
from neurosym.lang.primitives import EMPTY_STACK, Limits, Stack, runtime_for
from neurosym.lang.typecheck import infer_type
from neurosym.lang.types import FreshVars, arity, unify
from neurosym.lang.values import value_type
from neurosym.resources import dsl_dir

try:
    from tests.strategies import value_expr
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from strategies import value_expr

LIMITS = Limits()
MAX_INT, MAX_LIST = LIMITS.max_int, LIMITS.max_list
ENV = base_dsl().env()


class Fault(Exception):
    """The reference says: runtime fault (the message is a fragment of the expected text)."""


class Budget(Exception):
    """The reference says: a cap is exceeded."""


def cap(n: int) -> int:
    if not -MAX_INT <= n <= MAX_INT:
        raise Budget()
    return n


def cap_list(xs: tuple) -> tuple:
    if len(xs) > MAX_LIST:
        raise Budget()
    return xs


# -- function arguments: source text, runtime (curried) value, reference ------------


@dataclass(frozen=True)
class Fn:
    src: str
    ref: Callable[..., Any]  # uncurried, applies the reference caps
    n: int  # number of arguments

    @property
    def runtime(self) -> Any:
        """The compiled function value (curried, raising the runtime's own exceptions)."""
        result = evaluate(parse(self.src))
        assert result.ok and callable(result.value)
        return result.value

    def __repr__(self) -> str:
        return self.src


INT_TO_INT = [
    Fn("\\x -> x + 1", lambda x: cap(x + 1), 1),
    Fn("\\x -> x * 2 - 3", lambda x: cap(cap(x * 2) - 3), 1),
    Fn("\\x -> 0 - x", lambda x: cap(-x), 1),
    Fn("(*) 3", lambda x: cap(3 * x), 1),
    Fn("\\x -> x / 2 % 7", lambda x: (x // 2) % 7, 1),
]
INT_TO_BOOL = [
    Fn("\\x -> x < 3", lambda x: x < 3, 1),
    Fn("\\x -> x % 2 == 0", lambda x: x % 2 == 0, 1),
    Fn("\\x -> true", lambda x: True, 1),
    Fn("(>) 0", lambda x: 0 > x, 1),
]
INT_INT_TO_INT = [
    Fn("(+)", lambda x, y: cap(x + y), 2),
    Fn("\\x acc -> acc * 2 + x", lambda x, acc: cap(cap(acc * 2) + x), 2),
    Fn("\\x y -> x - y", lambda x, y: cap(x - y), 2),
    Fn("\\x y -> if x < y then x else y", lambda x, y: x if x < y else y, 2),
]
INT_LIST_TO_LIST = [
    Fn("cons", lambda x, xs: cap_list((x,) + xs), 2),
    Fn("\\x acc -> append acc [x]", lambda x, acc: cap_list(acc + (x,)), 2),
]

big_ints = st.integers(min_value=-MAX_INT, max_value=MAX_INT)
ints = st.one_of(st.integers(min_value=-30, max_value=30), big_ints,
                 st.sampled_from([MAX_INT, -MAX_INT, MAX_INT // 2 + 1, 3037000500, -3037000500]))
small = st.integers(min_value=-40, max_value=40)
count = st.integers(min_value=-3, max_value=10)
bools = st.booleans()
int_lists = st.lists(small, max_size=8).map(tuple)
list_lists = st.lists(int_lists, max_size=4).map(tuple)
stacks = st.lists(small, max_size=6).map(Stack.from_items)


def fns(catalog: list[Fn]) -> st.SearchStrategy[Fn]:
    return st.sampled_from(catalog)


def r_div(a, b):
    if b == 0:
        raise Fault("division by zero")
    return a // b


def r_mod(a, b):
    if b == 0:
        raise Fault("modulo by zero")
    return a - b * (a // b)  # sign of the divisor, spelled without %


def r_head(xs):
    if len(xs) == 0:
        raise Fault("head of the empty list")
    return xs[0]


def r_tail(xs):
    if len(xs) == 0:
        raise Fault("tail of the empty list")
    return tuple(xs[i] for i in range(1, len(xs)))


def r_index(i, xs):
    if i < 0 or i >= len(xs):
        raise Fault(f"index {i} out of range")
    return xs[i]


def r_range(n):
    if n > MAX_LIST:
        raise Budget()
    out, i = [], 0
    while i < n:
        out.append(i)
        i += 1
    return tuple(out)


def r_take(n, xs):
    return tuple(x for i, x in enumerate(xs) if i < n)


def r_drop(n, xs):
    return tuple(x for i, x in enumerate(xs) if i >= n)


def r_sort(xs):
    out = list(xs)
    for i in range(1, len(out)):  # insertion sort: independent of sorted()
        j = i
        while j > 0 and out[j - 1] > out[j]:
            out[j - 1], out[j] = out[j], out[j - 1]
            j -= 1
    return tuple(out)


def r_reverse(xs):
    return tuple(xs[len(xs) - 1 - i] for i in range(len(xs)))


def r_fold(f: Fn, z, xs):
    for x in r_reverse(xs):
        z = f.ref(x, z)
    return z


def r_zip_with(f: Fn, xs, ys):
    return tuple(f.ref(xs[i], ys[i]) for i in range(min(len(xs), len(ys))))


def r_loop(n, f: Fn, x):
    for _ in range(n):
        x = f.ref(x)
    return x


def r_pop(s: Stack):
    items = s.items()
    if not items:
        raise Fault("pop of the empty stack")
    return Stack.from_items(items[:-1])


def r_top(s: Stack):
    items = s.items()
    if not items:
        raise Fault("top of the empty stack")
    return items[-1]


def r_push(x, s: Stack):
    if len(s.items()) >= MAX_LIST:
        raise Budget()
    return Stack.from_items(s.items() + (x,))


#: primitive -> (argument strategies, reference of those arguments)
CASES: dict[str, tuple[tuple[st.SearchStrategy, ...], Callable[..., Any]]] = {
    "+": ((ints, ints), lambda a, b: cap(a + b)),
    "-": ((ints, ints), lambda a, b: cap(a - b)),
    "*": ((ints, ints), lambda a, b: cap(a * b)),
    "/": ((ints, st.one_of(st.just(0), small, ints)), r_div),
    "%": ((ints, st.one_of(st.just(0), small, ints)), r_mod),
    "==": ((small, small), lambda a, b: a == b),
    "<": ((small, small), lambda a, b: a < b),
    "and": ((bools, bools), lambda a, b: a and b),
    "or": ((bools, bools), lambda a, b: a or b),
    "not": ((bools,), lambda a: not a),
    "if": ((bools, ints, ints), lambda c, a, b: a if c else b),
    "empty": ((), lambda: ()),
    "cons": ((small, int_lists), lambda x, xs: cap_list((x,) + xs)),
    "head": ((int_lists,), r_head),
    "tail": ((int_lists,), r_tail),
    "is_empty": ((int_lists,), lambda xs: len(xs) == 0),
    "length": ((st.one_of(int_lists, list_lists),), lambda xs: sum(1 for _ in xs)),
    "index": ((count, int_lists), r_index),
    "range": ((st.integers(min_value=-5, max_value=60),), r_range),
    "append": ((int_lists, int_lists), lambda xs, ys: cap_list(tuple(list(xs) + list(ys)))),
    "reverse": ((st.one_of(int_lists, list_lists),), r_reverse),
    "sort": ((int_lists,), r_sort),
    "take": ((count, int_lists), r_take),
    "drop": ((count, int_lists), r_drop),
    "map": ((fns(INT_TO_INT), int_lists), lambda f, xs: tuple(f.ref(x) for x in xs)),
    "filter": ((fns(INT_TO_BOOL), int_lists), lambda f, xs: tuple(x for x in xs if f.ref(x))),
    "fold": ((st.one_of(st.tuples(fns(INT_INT_TO_INT), small), st.tuples(fns(INT_LIST_TO_LIST), int_lists)),
              int_lists), None),  # unpacked below
    "zip_with": ((fns(INT_INT_TO_INT), int_lists, int_lists), r_zip_with),
    "loop": ((count, fns(INT_TO_INT), st.one_of(small, ints)), r_loop),
    "empty_stack": ((), lambda: EMPTY_STACK),
    "push": ((small, stacks), r_push),
    "pop": ((stacks,), r_pop),
    "top": ((stacks,), r_top),
    "is_empty_stack": ((stacks,), lambda s: len(s.items()) == 0),
}


def _draw_args(data, name: str) -> list:
    strategies, _ = CASES[name]
    if name == "fold":
        (f, z), xs = data.draw(strategies[0]), data.draw(strategies[1])
        return [f, z, xs]
    return [data.draw(s) for s in strategies]


def _reference(name: str, args: list) -> tuple[Status, Any]:
    ref = r_fold if name == "fold" else CASES[name][1]
    try:
        return Status.OK, ref(*args)
    except Fault as f:
        return Status.FAULT, str(f)
    except Budget:
        return Status.BUDGET, None


def strict_equal(a: Any, b: Any) -> bool:
    """Equality that keeps bools and ints apart and compares stacks by content."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, Stack) or isinstance(b, Stack):
        return isinstance(a, Stack) and isinstance(b, Stack) and strict_equal(a.items(), b.items())
    return type(a) is type(b) and a == b


@lru_cache(maxsize=None)
def _fn_expr(src: str) -> Expr:
    return parse(src)


def _arg_expr(a: Any) -> Expr:
    return _fn_expr(a.src) if isinstance(a, Fn) else value_expr(a)


def _runtime_arg(a: Any) -> Any:
    return a.runtime if isinstance(a, Fn) else a


def _check(result: EvalResult, expected: tuple[Status, Any], how: str) -> None:
    status, value = expected
    assert isinstance(result, EvalResult)
    assert result.status is status, f"{how}: {result} but the reference says {expected}"
    if status is Status.OK:
        assert strict_equal(result.value, value), f"{how}: {result.value!r} != {value!r}"
    elif status is Status.FAULT:
        assert value in result.error, f"{how}: {result.error!r} lacks {value!r}"
    else:
        assert result.error, how


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_primitive_matches_reference(name, data):
    args = _draw_args(data, name)
    expected = _reference(name, args)

    pointfree = compile_program(Prim(name)).run(*[_runtime_arg(a) for a in args])
    _check(pointfree, expected, f"point-free {name} {args!r}")

    expr = apply(Prim(name), *[_arg_expr(a) for a in args])
    saturated = evaluate(expr)
    _check(saturated, expected, f"saturated {name} {args!r}")

    # `\x1 ... xn -> name x1 ... xn` run on the arguments: operands are variables
    n = len(args)
    wrapped = apply(Prim(name), *[Var(n - 1 - i) for i in range(n)])
    for _ in range(n):
        wrapped = Lam(wrapped)
    _check(compile_program(wrapped).run(*[_runtime_arg(a) for a in args]), expected, f"lambda-wrapped {name}")

    if n == 2:  # the compiler fuses binary operators by operand shape: try each shape
        x, y = (_arg_expr(a) for a in args)
        slow = lambda e: apply(Prim("if"), Lit(True), e, e)  # noqa: E731 - a node, not a var or constant
        shapes = {
            "var0-const": App(Lam(apply(Prim(name), Var(0), y)), x),
            "const-var0": App(Lam(apply(Prim(name), x, Var(0))), y),
            "node-const": App(Lam(apply(Prim(name), slow(Var(0)), y)), x),
            "const-node": App(Lam(apply(Prim(name), x, slow(Var(0)))), y),
            "node-var0": apply(Lam(Lam(apply(Prim(name), Var(1), Var(0)))), x, y),
            "node-node": apply(Prim(name), slow(x), slow(y)),
        }
        for shape, e in shapes.items():
            _check(evaluate(e), expected, f"{shape} {name} {args!r}")

    if saturated.ok:  # the value has (an instance of) the program's type
        subst: dict = {}
        unify(value_type(saturated.value, FreshVars("v"), subst), infer_type(expr, ENV), subst)


# -- registry -------------------------------------------------------------------------


def test_declared_primitives_equal_implementations():
    declared = set(base_dsl().primitive_names)
    assert declared == set(runtime_for(Limits(), base_dsl()).impls)
    assert declared == set(CASES), "every primitive needs a reference in CASES"


def test_primitives_toml_is_written_from_the_records():
    """dsl/primitives.toml is the readable reference: regenerate it on purpose with
    `python scripts/write_primitives_reference.py`."""
    assert (dsl_dir() / "primitives.toml").read_text() == write_reference(base_dsl())
    data = tomllib.loads((dsl_dir() / "primitives.toml").read_text())
    names = [p["name"] for p in data["primitive"]]
    assert len(names) == len(set(names)) == len(base_dsl().primitives)
    assert all(p["doc"].strip() for p in data["primitive"])
    assert data["dsl_version"] == base_dsl().version


@pytest.mark.parametrize("name", sorted(base_dsl().primitive_names))
def test_arity_matches_declared_type(name):
    n, _ = runtime_for(Limits(), base_dsl()).impls[name]
    record = base_dsl().primitive(name)
    assert n == arity(record.type) == record.arity


# -- faults and caps ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("head []", "head of the empty list"),
        ("tail []", "tail of the empty list"),
        ("index 2 [1, 2]", "index 2 out of range for a list of length 2"),
        ("index (-1) [1]", "index -1 out of range"),
        ("7 / 0", "division by zero"),
        ("7 % 0", "modulo by zero"),
        ("pop empty_stack", "pop of the empty stack"),
        ("top (pop (push 1 empty_stack))", "top of the empty stack"),
        ("map (\\x -> 10 / x) [1, 0]", "division by zero"),
        ("fold (\\x acc -> head acc) [] [1]", "head of the empty list"),
    ],
)
def test_faults(text, fragment):
    r = evaluate(parse(text))
    assert r.status is Status.FAULT and fragment in r.error, r


@pytest.mark.parametrize(
    "name, args, fragment",
    [("head", [()], "head of the empty list"), ("/", [1, 0], "division by zero"), ("top", [EMPTY_STACK], "empty stack")],
)
def test_faults_point_free(name, args, fragment):
    r = compile_program(Prim(name)).run(*args)
    assert r.status is Status.FAULT and fragment in r.error, r


@pytest.mark.parametrize(
    "text, limits, fragment",
    [
        ("9223372036854775807 + 1", LIMITS, "overflow"),
        ("0 - 9223372036854775807 - 1", LIMITS, "underflow"),
        ("3037000500 * 3037000500", LIMITS, "overflow"),
        ("(-3037000500) * 3037000500", LIMITS, "underflow"),
        ("range 10001", LIMITS, "range 10001 longer than the cap of 10000"),
        ("append (range 10000) [1]", LIMITS, "cap of 10000"),
        ("cons 0 (range 10000)", LIMITS, "cap of 10000"),
        ("append [1, 2, 3] [4, 5, 6]", Limits(max_list=5), "list longer than the cap of 5"),
        ("[1, 2, 3, 4, 5, 6]", Limits(max_list=5), "cap of 5"),
        ("push 1 (push 2 (push 3 empty_stack))", Limits(max_list=2), "stack deeper than the cap of 2"),
        ("10 * 10", Limits(max_int=99), "overflow"),
    ],
)
def test_caps(text, limits, fragment):
    r = evaluate(parse(text), limits=limits)
    assert r.status is Status.BUDGET and fragment in r.error, r


@pytest.mark.parametrize(
    "text, limits, value",
    [
        ("9223372036854775806 + 1", LIMITS, MAX_INT),
        ("length (range 10000)", LIMITS, 10000),
        ("length (append (range 5000) (range 5000))", LIMITS, 10000),
        ("[1, 2, 3, 4, 5]", Limits(max_list=5), (1, 2, 3, 4, 5)),
        ("9 * 11", Limits(max_int=99), 99),
    ],
)
def test_just_under_the_caps(text, limits, value):
    r = evaluate(parse(text), limits=limits)
    assert r.status is Status.OK and strict_equal(r.value, value), r


# -- laziness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("if true then 1 else head []", 1),
        ("if false then head [] else 2", 2),
        ("false && head [] == 1", False),
        ("true || head [] == 1", True),
        ("(\\x -> if x then 0 else 1 / 0) true", 0),
        ("(&&) false (1 / 0 == 1)", False),
        ("map (\\x -> if x == 0 then 0 else 10 / x) [0, 5]", (0, 2)),
        ("filter (\\x -> x != 0 && 10 / x > 2) [0, 1, 5]", (1,)),
        ("loop 0 (\\x -> head []) 7", 7),
        ("loop (-5) (\\x -> x + 1) 7", 7),
    ],
)
def test_lazy_semantics(text, value):
    r = evaluate(parse(text))
    assert r.status is Status.OK and strict_equal(r.value, value), r


def test_textual_examples():
    cases = {
        "fold (\\x acc -> x - acc) 0 [1, 2, 3]": 2,  # 1 - (2 - (3 - 0))
        "zip_with (\\x y -> x * y) [1, 2, 3] [4, 5]": (4, 10),
        "sort [3, (-1), 2, (-1)]": (-1, -1, 2, 3),
        "(-7) / 2": -4,
        "(-7) % 2": 1,
        "7 % (-2)": -1,
        "top (push 3 (push 4 empty_stack))": 3,
        "is_empty_stack (pop (push 1 empty_stack))": True,
        "take 2 (drop 1 (range 5))": (1, 2),
        "length [[1], [], [2, 3]]": 3,
        "is_empty []": True,
    }
    for text, value in cases.items():
        r = evaluate(parse(text))
        assert r.ok and strict_equal(r.value, value), (text, r)


@pytest.mark.parametrize("source, args, expected", [
    ("\\xs -> fold (\\a b -> a - b) 0 xs", ((1, 2, 3),), 2),
    ("\\xs -> fold (-) 0 xs", ((1, 2, 3),), 2),
    ("\\xs -> zip_with (\\a b -> a - b) xs (reverse xs)", ((1, 2, 5),), (-4, 0, 4)),
    ("\\xs -> zip_with (\\a -> \\b -> a * 10 + b) xs xs", ((1, 2),), (11, 22)),
    ("\\xs y -> fold (\\a b -> a + b + y) 0 xs", ((1, 2), 10), 23),
])
def test_fold_and_zip_with_call_two_argument_functions_in_order(source: str, args: tuple, expected: Any) -> None:
    """fold and zip_with call operators and two-parameter lambdas with both arguments at
    once (primitives.binary); the order and the captured variables must stay right."""
    assert evaluate(parse(source), *args) == EvalResult(Status.OK, expected, "")


def test_binary_of_a_curried_operator_is_the_operator_itself() -> None:
    from neurosym.lang.primitives import binary, curry

    def sub(a: int, b: int) -> int:
        return a - b

    assert binary(curry(2, sub)) is sub
    assert binary(lambda a: lambda b: a - b)(7, 2) == 5
