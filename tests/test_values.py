"""Runtime values: conversion, equality, hashing and rendering stay right, bounded and
free of recursion on the values programs really build: shared structure (a 3000x3000
list of one tuple, 2**30 leaves in 30 tuples), deep nesting and huge ints.

No timing assertions: the sizes are such that the old code (which expanded shared
values and recursed) would hang, exhaust memory or raise RecursionError, so returning
at all is the test.
"""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import neurosym as ns
from neurosym.lang.data import Char, Pair
from neurosym.lang.primitives import Stack
from neurosym.lang.types import FreshVars, UnificationError, format_type
from neurosym.lang.values import (
    MAX_VALUE_DEPTH,
    ValueTypeError,
    describe_value,
    format_value,
    int_digits,
    same_value,
    to_python,
    to_runtime,
    value_hash,
    value_type,
)

SQUARE = r"\n -> (\ys -> map (\x -> ys) ys) (range n)"  # n lists, all the same tuple
DOUBLING = r"\n -> " + r"(\x -> [x, x]) (" * 30 + "n" + ")" * 30  # 2**30 leaves in 30 tuples

SQUARE_TEXT = ("[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, "
               "25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, ... (3000 items)], "
               "... (3000 items)]")
DOUBLING_TEXT = "[" * 20 + "..." + "], ..." * 13 + "], ... (2 items)" * 6 + "]"


def square(n=3000):
    ys = tuple(range(n))
    return tuple(ys for _ in ys)


def doubling(leaf=0, times=30, make=tuple):
    v = leaf
    for _ in range(times):
        v = make((v, v))
    return v


def nested(depth, leaf=0, make=tuple):
    v = leaf
    for _ in range(depth):
        v = make((v,))
    return v


# ---- rendering -------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    ((1, 2), "[1, 2]"), ((), "[]"), (True, "true"), (False, "false"), (-3, "-3"),
    (((), ((True,),)), "[[], [[true]]]"), (Stack.from_items([1, 2]), "<stack [1, 2]>"),
    ((Stack.from_items([]),), "[<stack []>]"), (len, "<function>"),
    (Pair(1, "a"), '<pair 1, "a">'), ((Pair(Pair(1, True), ()),), "[<pair <pair 1, true>, []>]"),
    (Char("c"), "'c'"), (Char("'"), r"'\''"), ("a\"b", r'"a\"b"'), (2.0, "2.0"), (-0.5, "-0.5"),
    (1e20, "1.0e+20"), (1.5e-7, "1.5e-07"), ((1.0, float("inf")), "[1.0, inf]"),
])
def test_short_values_render_in_full(value, text):
    assert format_value(value) == text


def test_a_long_list_ends_with_its_count():
    assert format_value(tuple(range(3000))) == (
        "[" + ", ".join(map(str, range(48))) + ", ... (3000 items)]")
    assert format_value(tuple(range(3000)), limit=20) == "[0, 1, 2, 3, 4, ...]"
    assert format_value(tuple(range(10)), limit=30) == "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"  # fits exactly
    assert format_value(tuple(range(10)), limit=29) == "[0, 1, 2, 3, 4, 5, 6, 7, ...]"
    assert format_value((1, 2, 3), limit=2) == "..."


def test_shared_square_renders_without_expanding():
    direct = square()
    assert format_value(direct) == SQUARE_TEXT
    result = ns.load_program(SQUARE).compile().run(3000)
    assert result.ok and result.value[0] is result.value[1]  # the reproducer does share
    assert format_value(result.value) == SQUARE_TEXT
    assert len(format_value(direct)) <= 200


def test_two_to_the_thirty_leaves_render_without_expanding():
    assert format_value(doubling()) == DOUBLING_TEXT
    result = ns.load_program(DOUBLING).compile().run(0)
    assert result.ok and format_value(result.value) == DOUBLING_TEXT
    assert format_value(doubling(), limit=40) == "[[[[...], ...], ...], ... (2 items)]"


def test_ten_thousand_levels_render_without_recursion():
    assert format_value(nested(10_000)) == "[" * 20 + "..." + "]" * 20
    assert describe_value(nested(10_000, make=list), 20) == "[[...]]"


def test_ints_too_long_for_str_show_their_length():
    assert format_value(10**4999) == "<int of 5000 digits>"
    assert format_value((1, -(10**4999))) == "[1, -<int of 5000 digits>]"
    assert format_value(10**150, limit=100) == "<int of 151 digits>"  # longer than the limit
    assert format_value(10**150, limit=200) == "1" + "0" * 150
    for k in (1, 18, 19, 200, 4300, 4301, 20_000):
        assert int_digits(10**k - 1) == k and int_digits(10**k) == k + 1 and int_digits(-(10**k)) == k + 1


def test_a_long_pair_is_cut_like_a_list():
    assert format_value(Pair(tuple(range(100)), "x"), limit=30) == "<pair [0, 1, 2, 3, ...], ...>"


def test_describe_value_writes_user_values_as_json_would_except_tuples():
    assert describe_value([1, "a", True, None]) == '[1, "a", true, None]'
    assert describe_value([(1, 2), (3,)]) == "[(1, 2), (3,)]"
    assert describe_value(1.5) == "1.5"
    assert describe_value("x" * 500, 10) == '"xxxxx..."'
    assert len(describe_value({i: list(range(100)) for i in range(100)})) <= 80


# ---- equality and hashing ----------------------------------------------------------------

def test_same_value_keeps_bools_and_ints_apart_and_compares_stacks_by_items():
    assert not same_value(True, 1) and not same_value(0, False) and not same_value((1,), (True,))
    assert same_value((1, (2, True)), (1, (2, True))) and not same_value((1, (2,)), (1, (3,)))
    assert not same_value((1,), (1, 2)) and not same_value((1,), [1]) and not same_value((), 0)
    assert same_value(Stack.from_items([1, (2,)]), Stack.from_items([1, (2,)]))
    assert not same_value(Stack.from_items([1]), Stack.from_items([True]))  # Stack == says equal
    assert not same_value(Stack.from_items([1]), (1,))
    assert not same_value(Stack.from_items([1]), Stack.from_items([1, 1]))
    base = Stack.from_items(range(5000))
    assert same_value(Stack(7, base, 5001), Stack(7, base, 5001))  # shared tails are not walked


def test_same_value_compares_floats_to_nine_digits_and_keeps_types_apart():
    assert same_value(0.1 + 0.2, 0.3) and same_value((1e20 + 1e4,), (1e20,)) and same_value(-0.0, 0.0)
    assert not same_value(0.3, 0.3001) and not same_value(1.0, 1) and not same_value(1, 1.0)
    assert value_hash(0.1 + 0.2) == value_hash(0.3) and value_hash((1.0, 2.5)) == value_hash((1.0, 2.5000000001))
    assert same_value(Pair(1, (0.1 + 0.2,)), Pair(1, (0.3,))) and not same_value(Pair(1, 2), Pair(2, 1))
    assert not same_value(Pair(1, 2), (1, 2)) and not same_value(Pair(True, 2), Pair(1, 2))
    assert not same_value(Char("a"), "a") and same_value(Char("a"), Char("a")) and same_value("ab", "ab")
    assert value_hash(Pair(1, 2)) == value_hash(Pair(1, 2)) and value_hash(Pair(1, 2)) != value_hash((1, 2))


def test_same_value_on_shared_structure_compares_each_pair_once():
    a, b = doubling(), doubling()  # equal, built separately: 30 distinct pairs, 2**30 leaves
    assert a is not b and same_value(a, b)
    assert not same_value(a, doubling(leaf=1)) and not same_value(a, doubling(leaf=True))
    assert same_value(square(), square())
    result = ns.load_program(DOUBLING).compile().run(0)
    assert same_value(result.value, a)


def test_deep_values_compare_hash_and_convert_without_recursion():
    a, b = nested(10_000), nested(10_000)
    assert same_value(a, b) and not same_value(a, nested(10_000, leaf=1))
    assert value_hash(a) == value_hash(b)
    assert same_value(to_runtime(nested(10_000, make=list)), a)
    back = to_python(a)
    for _ in range(10_000):
        assert isinstance(back, list) and len(back) == 1
        back = back[0]
    assert back == 0


def test_value_hash_follows_same_value():
    assert value_hash((1, (2,))) == value_hash((1, (2,)))
    assert value_hash((True,)) != value_hash((1,))  # not required, but the point of the key
    assert value_hash(doubling()) == value_hash(doubling())
    assert value_hash(Stack.from_items([1, 2])) == value_hash(Stack.from_items([1, 2]))


def test_to_python_keeps_its_meaning_and_shares_what_was_shared():
    assert to_python((1, (True, Stack.from_items([2, 3])), len)) == [1, [True, [2, 3]], "<function>"]
    out = to_python(doubling())
    assert out[0] is out[1]  # 30 lists, not 2**30 leaves
    assert to_python(square())[5][2999] == 2999


# ---- types -------------------------------------------------------------------------------

def test_value_type_refuses_values_nested_past_the_cap():
    ok = nested(MAX_VALUE_DEPTH, make=list)
    assert format_type(value_type(ok, FreshVars("v"), {})).count("list") == MAX_VALUE_DEPTH
    for depth in (MAX_VALUE_DEPTH + 1, 900, 10_000):
        with pytest.raises(ValueTypeError, match=rf"nested more than {MAX_VALUE_DEPTH} levels"):
            value_type(nested(depth, make=list), FreshVars("v"), {})


def test_value_type_of_shared_values_and_of_empty_lists():
    assert format_type(value_type(doubling(), FreshVars("v"), {})) == "list (" * 29 + "list int" + ")" * 29
    empty = ()
    # one empty tuple at two depths: its element type must not be shared
    assert format_type(value_type((empty, (empty,)), FreshVars("v"), {})) == "list (list (list v1))"
    assert format_type(value_type(Stack.from_items([True]), FreshVars("v"), {})) == "stack bool"
    pairs = (Pair(1, Char("a")), Pair(2, Char("b")))
    assert format_type(value_type(pairs, FreshVars("v"), {})) == "list (pair int char)"
    assert format_type(value_type([1.5, 2.0], FreshVars("v"), {})) == "list float"
    with pytest.raises(ValueTypeError, match=r"it holds \{1: 2\}, a dict, which no value type of DSL 'base' claims"):
        value_type([1, [{1: 2}]], FreshVars("v"), {})
    with pytest.raises(UnificationError):
        value_type([1, 1.5], FreshVars("v"), {})


# ---- properties --------------------------------------------------------------------------

atoms = st.integers(-1000, 1000) | st.booleans()
values = st.recursive(
    atoms,
    lambda inner: st.lists(inner, max_size=4).map(tuple) | st.lists(inner, max_size=3).map(Stack.from_items),
    max_leaves=25,
)
#: every base runtime value: floats, text, chars and pairs too (mixed lists included)
all_atoms = atoms | st.floats(allow_nan=False, width=32) | st.text("ab", max_size=3) | st.sampled_from("xy").map(Char)
all_values = st.recursive(
    all_atoms,
    lambda inner: (st.lists(inner, max_size=4).map(tuple) | st.lists(inner, max_size=3).map(Stack.from_items)
                   | st.tuples(inner, inner).map(lambda p: Pair(*p))),
    max_leaves=25,
)


def ref_same(a, b):
    """Plain recursive equality, bools apart from ints, floats to 9 significant digits."""
    if isinstance(a, Stack) and isinstance(b, Stack):
        return ref_same(a.items(), b.items())
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(ref_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Pair) and isinstance(b, Pair):
        return ref_same(a.first, b.first) and ref_same(a.second, b.second)
    if isinstance(a, (tuple, Stack, Pair)) or isinstance(b, (tuple, Stack, Pair)):
        return False
    if type(a) is float and type(b) is float:
        return float(f"{a:.9g}") == float(f"{b:.9g}")
    return type(a) is type(b) and a == b


def ref_format(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return "[" + ", ".join(ref_format(x) for x in v) + "]"
    if isinstance(v, Stack):
        return "<stack " + ref_format(v.items()) + ">"
    if isinstance(v, Pair):
        return f"<pair {ref_format(v.first)}, {ref_format(v.second)}>"
    if isinstance(v, Char):
        return f"'{v}'"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, float):
        text = repr(v)
        return text.replace("e", ".0e") if "e" in text and "." not in text.split("e")[0] else text
    return str(v)


def rebuild(v):
    """An equal value made of new containers."""
    if isinstance(v, Stack):
        return Stack.from_items(rebuild(x) for x in v.items())
    if isinstance(v, tuple):
        return tuple(rebuild(x) for x in v)
    if isinstance(v, Pair):
        return Pair(rebuild(v.first), rebuild(v.second))
    return v


@settings(max_examples=200, deadline=None)
@given(all_values, all_values)
def test_same_value_agrees_with_plain_recursion(a, b):
    assert same_value(a, b) == ref_same(a, b)
    assert same_value(a, rebuild(a))
    assert value_hash(a) == value_hash(rebuild(a))


@settings(max_examples=200, deadline=None)
@given(all_values, st.integers(3, 120))
def test_format_value_is_the_full_text_when_it_fits_and_a_true_prefix_otherwise(v, limit):
    full, text = ref_format(v), format_value(v, limit)
    if len(full) <= limit:
        assert text == full
    else:
        assert len(text) <= limit and "..." in text
        assert full.startswith(text[: text.index("...")])


@settings(max_examples=100, deadline=None)
@given(values)
def test_to_python_and_back_is_the_same_value(v):
    try:
        t = value_type(v, FreshVars("v"), {})
    except UnificationError:  # a mixed list: no type, nothing to convert back to
        assume(False)
    assert same_value(to_runtime(to_python(v), t), v)
