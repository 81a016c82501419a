"""The base language: its value types and primitives, one record each.

Implementations enforce the caps of a run (`Limits`) through its `Runtime`, which also
counts steps: every element a higher-order primitive (map, filter, fold, zip_with)
visits and every iteration of `loop` costs one, and so does every element a list
primitive copies (cons, append, tail, take, drop, range, reverse, sort), which bounds
all work; exceeding a cap raises `BudgetExceeded`, any other fault `RuntimeFault` or a
plain Python error, and the compiler turns all of these into a status.

dsl/primitives.toml is the readable reference of these records, written from them by
`python scripts/write_primitives_reference.py` (a test checks that it is up to date).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from neurosym.lang.data import EMPTY_STACK, Char, Pair, Stack
from neurosym.lang.deduce_rules import filter_examples, fold_examples, map_examples
from neurosym.lang.dsl import DSL, Primitive, ValueType
from neurosym.lang.fused_loops import charger as _charge
from neurosym.lang.fused_loops import compile_filter, compile_fold, compile_loop, compile_map
from neurosym.lang.operators import fused
from neurosym.lang.primitives import BudgetExceeded, RuntimeFault, binary

#: integer literals a library starts with (DreamCoder's list DSL has 0..5 as well)
DEFAULT_LITERALS = (0, 1, 2, 3, 4, 5)


def _float_key(x: float) -> float:
    """Floats are equal when they agree to 9 significant digits (a relative tolerance of
    about 1e-9), which is what observational equivalence and scoring compare."""
    return float(f"{x:.9g}")


def _list_samples(args: list[tuple]) -> tuple:
    return ((),)


def _stack_samples(args: list[tuple]) -> tuple:
    elems = args[0]
    if not elems:  # an element type without samples (a task's type variable): the empty stack alone
        return (EMPTY_STACK,)
    return (EMPTY_STACK,) + tuple(Stack.from_items(items) for items in ([elems[0]], [elems[-1]], [elems[-1]] * 2))


def _pair_samples(args: list[tuple]) -> tuple:
    return tuple(Pair(a, b) for a in args[0][:2] for b in args[1][:1])


def _to_pair(value: Any, items: Any) -> Pair:
    if len(items) != 2:
        raise ValueError(f"a pair has 2 items, this value has {len(items)}")
    return Pair(items[0], items[1])


def _to_char(value: Any, items: Any) -> Char:
    if not isinstance(value, str):
        raise ValueError(f"a char is written as a one-character string, not {type(value).__name__}")
    return Char(value)


def _to_float(value: Any, items: Any) -> float:
    """An int where a float is declared (JSON writes 2.0 as 2) reads as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"a float is written as a number, not {type(value).__name__}")
    return float(value)


VALUE_TYPES: tuple[ValueType, ...] = (
    ValueType("int", python=(int,), samples=(0, 1), doc="Integers, capped at Limits.max_int in magnitude."),
    ValueType("bool", python=(bool,), samples=(False, True), doc="true and false."),
    ValueType("list", 1, python=(tuple,), samples=_list_samples, parts=lambda xs: ((x, 0) for x in xs),
              to_user=list, doc="Lists, `[1, 2, 3]` (tuples at run time)."),
    ValueType("stack", 1, python=(Stack,), samples=_stack_samples, parts=lambda s: ((x, 0) for x in s.items()),
              from_user=lambda value, items: Stack.from_items(items), to_user=lambda s: list(s.items()),
              doc="Stacks, written as lists bottom first in task files."),
    ValueType("pair", 2, python=(Pair,), samples=_pair_samples,
              parts=lambda p: ((p.first, 0), (p.second, 1)), from_user=_to_pair,
              to_user=lambda p: [p.first, p.second], doc="Pairs; a Python tuple of two, a two-item list in task files."),
    ValueType("str", python=(str,), samples=("", "a"), doc="Text, `\"ab\"`."),
    ValueType("char", python=(Char,), samples=(Char("a"), Char(" ")), from_user=_to_char, to_user=str,
              doc="One character, `'a'`; a one-character string in task files."),
    ValueType("float", python=(float,), key=_float_key, samples=(0.0, 1.0), from_user=_to_float,
              doc="Floating-point numbers, equal when they agree to 9 significant digits."),
    ValueType("image", doc="An image, read by neural routines only."),
    ValueType("vector", doc="A vector, read by neural routines only."),
)


# -- the caps of a run ------------------------------------------------------------------


def _int_ok(rt: Any) -> Callable[[int], int]:
    max_int = rt.limits.max_int

    def ok(r: int) -> int:
        if -max_int <= r <= max_int:
            return r
        raise BudgetExceeded(f"integer {'overflow' if r > 0 else 'underflow'} past {max_int}")

    return ok


def _list_ok(rt: Any) -> Callable[[tuple], tuple]:
    """Cap the length of a new list and charge a step per element it copies."""
    max_list = rt.limits.max_list

    def ok(xs: tuple) -> tuple:
        n = len(xs)
        if n > max_list:
            raise BudgetExceeded(f"list longer than the cap of {max_list}")
        rt.steps -= n
        if rt.steps < 0:
            raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
        return xs

    return ok


# -- implementations that need the run ----------------------------------------------------


def _arith(op: Callable[[int, int], int]) -> Callable[[Any], Callable[[int, int], int]]:
    def bind(rt: Any) -> Callable[[int, int], int]:
        ok = _int_ok(rt)
        return lambda a, b: ok(op(a, b))

    return bind


def _div(a: int, b: int) -> int:
    if b == 0:
        raise RuntimeFault("division by zero")
    return a // b


def _mod(a: int, b: int) -> int:
    if b == 0:
        raise RuntimeFault("modulo by zero")
    return a % b


def _head(xs: tuple) -> Any:
    if not xs:
        raise RuntimeFault("head of the empty list")
    return xs[0]


def _index(i: int, xs: tuple) -> Any:
    if not 0 <= i < len(xs):
        raise RuntimeFault(f"index {i} out of range for a list of length {len(xs)}")
    return xs[i]


def _bind_list(make: Callable[[Callable[[tuple], tuple]], Callable[..., Any]]) -> Callable[[Any], Callable[..., Any]]:
    """An implementation `make(list_ok)` whose results are capped and charged."""
    return lambda rt: make(_list_ok(rt))


def _bind_tail(rt: Any) -> Callable[[tuple], tuple]:
    ok = _list_ok(rt)

    def tail(xs: tuple) -> tuple:
        if not xs:
            raise RuntimeFault("tail of the empty list")
        return ok(xs[1:])

    return tail


def _bind_range(rt: Any) -> Callable[[int], tuple]:
    ok, max_list = _list_ok(rt), rt.limits.max_list

    def range_(n: int) -> tuple:
        if n > max_list:
            raise BudgetExceeded(f"range {n} longer than the cap of {max_list}")
        return ok(tuple(range(n)))

    return range_


def _bind_map(rt: Any) -> Callable[..., tuple]:
    charge = _charge(rt)
    return lambda f, xs: tuple(map(f, charge(xs)))


def _bind_filter(rt: Any) -> Callable[..., tuple]:
    charge = _charge(rt)
    return lambda f, xs: tuple(filter(f, charge(xs)))


def _bind_fold(rt: Any) -> Callable[..., Any]:
    charge = _charge(rt)

    def fold(f: Callable, z: Any, xs: tuple) -> Any:
        charge(xs)
        call = binary(f)
        for x in reversed(xs):
            z = call(x, z)
        return z

    return fold


def _bind_zip_with(rt: Any) -> Callable[..., tuple]:
    charge = _charge(rt)

    def zip_with(f: Callable, xs: tuple, ys: tuple) -> tuple:
        charge(xs if len(xs) < len(ys) else ys)
        call = binary(f)
        return tuple([call(x, y) for x, y in zip(xs, ys)])

    return zip_with


def _bind_loop(rt: Any) -> Callable[..., Any]:
    def loop(n: int, f: Callable, x: Any) -> Any:
        if n > 0:
            rt.charge(n)
            for _ in range(n):
                x = f(x)
        return x

    return loop


def _bind_push(rt: Any) -> Callable[[Any, Stack], Stack]:
    max_list = rt.limits.max_list

    def push(x: Any, s: Stack) -> Stack:
        if s.size >= max_list:
            raise BudgetExceeded(f"stack deeper than the cap of {max_list}")
        return Stack(x, s, s.size + 1)

    return push


def _pop(s: Stack) -> Stack:
    if not s.size:
        raise RuntimeFault("pop of the empty stack")
    return s.rest  # type: ignore[return-value]


def _top(s: Stack) -> Any:
    if not s.size:
        raise RuntimeFault("top of the empty stack")
    return s.top


# -- compiler and enumerator fast paths ---------------------------------------------------


def _compile_fused(name: str) -> Callable[..., Any]:
    """`a + b` and friends as one closure per operand shape (see operators.py)."""
    return lambda c, args: fused(name, c.operand(args[0]), c.operand(args[1]), c.rt.limits.max_int)


def _compile_if(c: Any, args: list) -> Callable[[Any], Any]:
    cond, then, other = (c.node(a) for a in args)
    return lambda env: then(env) if cond(env) else other(env)


def _compile_and(c: Any, args: list) -> Callable[[Any], Any]:
    a, b = (c.node(x) for x in args)
    return lambda env: a(env) and b(env)


def _compile_or(c: Any, args: list) -> Callable[[Any], Any]:
    a, b = (c.node(x) for x in args)
    return lambda env: a(env) or b(env)


def _columns_if(columns: list[tuple], fault: Any) -> tuple:
    return tuple(fault if c is fault else (a if c else b) for c, a, b in zip(*columns))


def _columns_and(columns: list[tuple], fault: Any) -> tuple:
    return tuple(fault if a is fault else (b if a else False) for a, b in zip(*columns))


def _columns_or(columns: list[tuple], fault: Any) -> tuple:
    return tuple(fault if a is fault else (True if a else b) for a, b in zip(*columns))


def _lazy_if(c: bool, a: Callable[[], Any], b: Callable[[], Any]) -> Any:
    return a() if c else b()


_RELAXED = "neurosym.neural.relaxed:"


def _primitives() -> list[Primitive]:
    P = Primitive
    return [
        P("+", "int -> int -> int", bind=_arith(lambda a, b: a + b), commutative=True, infix="+", word="add",
          compile=_compile_fused("+"), relaxed=_RELAXED + "relaxed_add", source="({0} + {1})",
          doc="Addition (overflow past the integer cap is a budget failure)."),
        P("-", "int -> int -> int", bind=_arith(lambda a, b: a - b), infix="-", word="sub",
          compile=_compile_fused("-"), relaxed=_RELAXED + "relaxed_sub", source="({0} - {1})", doc="Subtraction."),
        P("*", "int -> int -> int", bind=_arith(lambda a, b: a * b), commutative=True, infix="*", word="mul",
          compile=_compile_fused("*"), source="({0} * {1})", doc="Multiplication."),
        P("/", "int -> int -> int", fn=_div, infix="/", word="div", compile=_compile_fused("/"),
          source="({0} // {1})", doc="Floor division; dividing by zero is a runtime fault."),
        P("%", "int -> int -> int", fn=_mod, infix="%", word="mod", compile=_compile_fused("%"),
          source="({0} % {1})",
          doc="Remainder with the sign of the divisor (Python's %); modulo zero is a runtime fault."),
        P("==", "int -> int -> bool", fn=lambda a, b: a == b, commutative=True, infix="==", word="eq",
          compile=_compile_fused("=="), relaxed=_RELAXED + "relaxed_eq", source="({0} == {1})",
          doc="Integer equality."),
        P("<", "int -> int -> bool", fn=lambda a, b: a < b, infix="<", word="lt", compile=_compile_fused("<"),
          relaxed=_RELAXED + "relaxed_lt", source="({0} < {1})", doc="Less than."),
        P("and", "bool -> bool -> bool", fn=lambda a, b: a and b(), lazy=(1,), commutative=True, infix="&&",
          compile=_compile_and, columns=_columns_and, relaxed=_RELAXED + "relaxed_and", source="({0} and {1})",
          doc="Conjunction, written `a && b`; the second operand is evaluated only when needed."),
        P("or", "bool -> bool -> bool", fn=lambda a, b: a or b(), lazy=(1,), commutative=True, infix="||",
          compile=_compile_or, columns=_columns_or, relaxed=_RELAXED + "relaxed_or", source="({0} or {1})",
          doc="Disjunction, written `a || b`; the second operand is evaluated only when needed."),
        P("not", "bool -> bool", fn=lambda a: not a, relaxed=_RELAXED + "relaxed_not", source="(not {0})",
          doc="Negation."),
        P("if", "bool -> a -> a -> a", fn=_lazy_if, lazy=(1, 2), compile=_compile_if, columns=_columns_if,
          relaxed=_RELAXED + "relaxed_if", source="({1} if {0} else {2})",
          doc="Branch, written `if c then a else b`; only the chosen branch is evaluated."),
        P("empty", "list a", fn=lambda: (), relaxed=_RELAXED + "relaxed_empty", source="[]",
          doc="The empty list, written `[]`."),
        P("cons", "a -> list a -> list a", bind=_bind_list(lambda ok: lambda x, xs: ok((x,) + xs)),
          source="[<0>, *{1}]", doc="Prepend an element; `[a, b]` is `cons a (cons b [])`."),
        P("head", "list a -> a", fn=_head, source="_head(<0>)", helpers=("_head",),
          doc="First element; a runtime fault on the empty list."),
        P("tail", "list a -> list a", bind=_bind_tail, source="_tail(<0>)", helpers=("_tail",),
          doc="All but the first element; a runtime fault on the empty list."),
        P("is_empty", "list a -> bool", fn=lambda xs: not xs, relaxed=_RELAXED + "relaxed_is_empty",
          source="(not {0})", doc="True for the empty list."),
        P("length", "list a -> int", fn=len, relaxed=_RELAXED + "relaxed_length", source="len(<0>)",
          doc="Number of elements."),
        P("index", "int -> list a -> a", fn=_index, source="_index(<0>, <1>)", helpers=("_index",),
          doc="Element at a 0-based position; a runtime fault when out of range."),
        P("range", "int -> list int", bind=_bind_range, source="list(range(<0>))",
          doc="`range n` is [0, 1, ..., n-1] (empty for n <= 0)."),
        P("append", "list a -> list a -> list a", bind=_bind_list(lambda ok: lambda xs, ys: ok(xs + ys)),
          source="[*{0}, *{1}]", doc="Concatenation."),
        P("reverse", "list a -> list a", bind=_bind_list(lambda ok: lambda xs: ok(xs[::-1])),
          source="list(reversed(<0>))", doc="The elements in reverse order."),
        P("sort", "list int -> list int", bind=_bind_list(lambda ok: lambda xs: ok(tuple(sorted(xs)))),
          source="sorted(<0>)", doc="Ascending order."),
        P("take", "int -> list a -> list a", bind=_bind_list(lambda ok: lambda n, xs: ok(xs[: max(n, 0)])),
          source="list({1}[:max(<0>, 0)])", doc="The first n elements (all of them when the list is shorter)."),
        P("drop", "int -> list a -> list a", bind=_bind_list(lambda ok: lambda n, xs: ok(xs[max(n, 0):])),
          source="list({1}[max(<0>, 0):])", doc="All but the first n elements (empty when the list is shorter)."),
        P("map", "(a -> b) -> list a -> list b", bind=_bind_map, compile=compile_map,
          relaxed=_RELAXED + "relaxed_map", source="list(map(<0>, <1>))", deduce=map_examples,
          doc="Apply a function to every element."),
        P("filter", "(a -> bool) -> list a -> list a", bind=_bind_filter, compile=compile_filter,
          relaxed=_RELAXED + "relaxed_filter",
          source="list(filter(<0>, <1>))", deduce=filter_examples,
          doc="Keep the elements for which the predicate holds."),
        P("fold", "(a -> b -> b) -> b -> list a -> b", bind=_bind_fold, compile=compile_fold,
          relaxed=_RELAXED + "relaxed_fold",
          source="_fold(<0>, <1>, <2>)", helpers=("_fold",), deduce=fold_examples,
          doc="Right fold: `fold f z [x1, x2]` is `f x1 (f x2 z)`."),
        P("zip_with", "(a -> b -> c) -> list a -> list b -> list c", bind=_bind_zip_with,
          source="_zip_with(<0>, <1>, <2>)", helpers=("_zip_with",),
          doc="Combine two lists element by element, stopping at the shorter."),
        P("loop", "int -> (a -> a) -> a -> a", bind=_bind_loop, compile=compile_loop, source="_loop(<0>, <1>, <2>)",
          helpers=("_loop",),
          doc="`loop n f x` applies f to x n times (none when n <= 0); each iteration costs a step."),
        P("empty_stack", "stack a", fn=lambda: EMPTY_STACK, source="_EMPTY_STACK", helpers=("_Stack",),
          doc="The empty stack."),
        P("push", "a -> stack a -> stack a", bind=_bind_push, source="_push(<0>, <1>)", helpers=("_Stack",),
          doc="Push an element on top."),
        P("pop", "stack a -> stack a", fn=_pop, source="_pop(<0>)", helpers=("_Stack",),
          doc="Remove the top element; a runtime fault on the empty stack."),
        P("top", "stack a -> a", fn=_top, source="_top(<0>)", helpers=("_Stack",),
          doc="The top element; a runtime fault on the empty stack."),
        P("is_empty_stack", "stack a -> bool", fn=lambda s: not s.size, source="({0}.size == 0)",
          helpers=("_Stack",), doc="True for the empty stack."),
    ]


def pair_primitives() -> list[Primitive]:
    """`pair`, `fst` and `snd`: add them (`base_dsl().extend(primitives=pair_primitives())`)
    for tasks over pairs; the base language leaves them out, since bottom-up search
    would otherwise build pairs of everything for tasks that have none."""
    return [
        Primitive("pair", "a -> b -> pair a b", fn=Pair, source="_Pair(<0>, <1>)", helpers=("_Pair",),
                  doc="The pair of two values."),
        Primitive("fst", "pair a b -> a", fn=lambda p: p.first, source="{0}[0]", doc="The first of a pair."),
        Primitive("snd", "pair a b -> b", fn=lambda p: p.second, source="{0}[1]", doc="The second of a pair."),
    ]


@lru_cache(maxsize=1)
def base_dsl() -> DSL:
    """The base language (an immutable value, built once)."""
    return DSL.of("base", VALUE_TYPES, _primitives(), DEFAULT_LITERALS, reference="neurosym.lang.base:base_dsl")


def write_reference(dsl: DSL) -> str:
    """dsl/primitives.toml: every primitive's name, type and doc, in order."""
    from neurosym.lang.types import format_type

    lines = ["# The base primitives of the neurosym language: name, type, one-line doc.",
             "# Written from the records in neurosym/lang/base.py by scripts/write_primitives_reference.py;",
             "# a test checks that it is up to date, and tests every primitive against plain Python.",
             "# Type variables are one letter with optional digits (a, b, t0); other names are types:",
             f"# {', '.join(dsl.type_names)}.",
             "# Infix operators are sugar: `a > b` is `b < a`, `a >= b` is `not (a < b)`,",
             "# `a <= b` is `not (b < a)`, `a != b` is `not (a == b)`.",
             "", f'dsl_version = "{dsl.version}"', ""]
    for p in dsl.primitives:
        lines += ["[[primitive]]", f"name = {_toml(p.name)}", f"type = {_toml(format_type(p.type))}",
                  f"doc = {_toml(p.doc)}", ""]
    return "\n".join(lines)


def _toml(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
