"""Syntax, s-expressions, hashing and types: property-based round trips plus examples."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, apply, primitives_used, spine, subterms
from neurosym.lang.sexpr import canonical_hash
from neurosym.lang.parser import ParseError, parse, parse_module, parse_type
from neurosym.lang.base import base_dsl
from neurosym.lang.printer import format_expr
from neurosym.lang.program import load_program
from neurosym.lang.sexpr import parse_sexpr, to_sexpr
from neurosym.lang.typecheck import TypeCheckError, check_type, infer_type
from neurosym.lang.types import (
    BOOL,
    INT,
    TVar,
    arrow,
    free_vars,
    canonical,
    format_type,
    instance_of,
    list_of,
)

try:
    from tests.strategies import arbitrary_programs, typed_programs, types, well_typed_programs
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from strategies import arbitrary_programs, typed_programs, types, well_typed_programs

ENV = base_dsl().env()
PROPS = settings(max_examples=100, deadline=None)


def rebuild(e: Expr) -> Expr:
    """A structurally equal copy made of fresh node objects."""
    if isinstance(e, Prim):
        return Prim(str(e.name))
    if isinstance(e, Lit):
        return Lit(e.value)
    if isinstance(e, Var):
        return Var(e.index)
    if isinstance(e, Lam):
        return Lam(rebuild(e.body))
    return App(rebuild(e.fn), rebuild(e.arg))


def size_of(e: Expr) -> int:
    if isinstance(e, Lam):
        return 1 + size_of(e.body)
    if isinstance(e, App):
        return 1 + size_of(e.fn) + size_of(e.arg)
    return 1


def depth_of(e: Expr) -> int:
    if isinstance(e, Lam):
        return 1 + depth_of(e.body)
    if isinstance(e, App):
        return 1 + max(depth_of(e.fn), depth_of(e.arg))
    return 1


# -- round trips ----------------------------------------------------------------------


@PROPS
@given(well_typed_programs(max_depth=5))
def test_print_parse_round_trip_well_typed(p):
    text = format_expr(p)
    assert parse(text) == p, text


@PROPS
@given(arbitrary_programs(max_depth=5))
def test_print_parse_round_trip_arbitrary(p):
    text = format_expr(p)
    assert parse(text) == p, text


@PROPS
@given(st.one_of(well_typed_programs(), arbitrary_programs()))
def test_sexpr_round_trip(p):
    assert parse_sexpr(to_sexpr(p)) == p


@PROPS
@given(st.one_of(well_typed_programs(), arbitrary_programs()))
def test_equal_programs_have_equal_canonical_hashes(p):
    q = rebuild(p)
    assert q is not p and q == p
    r = parse(format_expr(p))
    assert r == p
    h = canonical_hash(p)
    assert h == canonical_hash(q) == canonical_hash(r)
    assert h == hashlib.sha256(to_sexpr(p).encode()).hexdigest()
    # the structural hash computed at construction agrees too
    assert p._hash == q._hash == r._hash


@pytest.mark.parametrize("text", ["1", "map", "\\x -> x", "map (\\x -> x + 1) [1, 2]"])
def test_equal_programs_have_equal_hashes(text):
    p, q = parse(text), parse(text)
    assert p is not q and hash(p) == hash(q)
    assert len({p, q}) == 1


@PROPS
@given(arbitrary_programs(max_depth=3), arbitrary_programs(max_depth=3))
def test_equality_agrees_with_sexpr(p, q):
    assert (p == q) == (to_sexpr(p) == to_sexpr(q))
    assert (p == q) == (canonical_hash(p) == canonical_hash(q))


def test_canonical_hash_is_pinned():
    """Stable across processes: the sha256 of the stitch-style s-expression."""
    p = parse("map (\\x -> x + 1)")
    assert to_sexpr(p) == "(map (lam (+ $0 1)))"
    assert canonical_hash(p) == hashlib.sha256(b"(map (lam (+ $0 1)))").hexdigest()
    assert canonical_hash(parse("\\y -> y")) == canonical_hash(parse("\\x -> x"))
    assert canonical_hash(Lit(1)) != canonical_hash(Lit(True))


@PROPS
@given(types())
def test_type_round_trip(t):
    assert parse_type(format_type(t)) == t


@PROPS
@given(types().filter(lambda t: not free_vars(t) & {"a", "b", "c", "d", "a1"}))
def test_canonical_is_a_renaming(t):
    # variable names outside canonical's a, b, c, ... 
    c = canonical(t)
    assert instance_of(c, t) and instance_of(t, c)
    assert free_vars(c) <= {"a", "b", "c", "d", "e", "f", "g", "h"}


@PROPS
@given(types())
def test_instance_of_basics(t):
    assert instance_of(t, t)
    assert instance_of(TVar("zz"), t)


# -- types of generated programs ------------------------------------------------------


@PROPS
@given(typed_programs(max_depth=5))
def test_inferred_type_generalises_the_generated_type(pair):
    t, p = pair
    inferred = infer_type(p, ENV)
    assert instance_of(inferred, t), f"{format_expr(p)} : {format_type(inferred)} vs {format_type(t)}"
    assert free_vars(inferred) <= {"a", "b", "c", "d", "e", "f", "g", "h"}
    check_type(p, t, ENV)


@PROPS
@given(st.one_of(well_typed_programs(max_depth=5), arbitrary_programs()))
def test_size_and_depth(p):
    for node in subterms(p):
        assert node.size == size_of(node)
        assert node.depth == depth_of(node)


# -- the generator reaches every construct --------------------------------------------


def _saturated(name: str, n: int):
    def has(p: Expr) -> bool:
        for node in subterms(p):
            head, args = spine(node)
            if head == Prim(name) and len(args) >= n:
                return True
        return False

    return has


def _nested_lambda(p: Expr) -> bool:
    return any(isinstance(n, Lam) and any(isinstance(m, Lam) for m in subterms(n.body)) for n in subterms(p))


def _list_literal(p: Expr) -> bool:
    return any(isinstance(n, App) and n.arg == Prim("empty") and spine(n)[0] == Prim("cons") for n in subterms(p))


FEATURES = {
    "list literal": _list_literal,
    "if": _saturated("if", 3),
    "nested lambda": _nested_lambda,
    "negative literal": lambda p: any(isinstance(n, Lit) and not isinstance(n.value, bool) and n.value < 0
                                      for n in subterms(p)),
    "partial operator": lambda p: re.search(r"\((\+|-|\*|/|%|==|<)\)", format_expr(p)) is not None,
    "bare and/or/not as a value": lambda p: re.search(r"(^|[ (])(and|or|not)($|[ )])", format_expr(p)) is not None,
    "stack push": lambda p: "push" in primitives_used(p),
    "stack pop/top": lambda p: bool({"pop", "top"} & primitives_used(p)),
    **{f"infix {op}": _saturated(op, 2) for op in ("+", "-", "*", "/", "%", "==", "<", "and", "or")},
    **{name: _saturated(name, 2) for name in ("map", "filter", "fold", "zip_with", "loop")},
}


def test_generator_reaches_every_construct():
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, derandomize=True, database=None)
    @given(well_typed_programs(max_depth=5))
    def collect(p):
        seen.update(name for name, has in FEATURES.items() if name not in seen and has(p))

    collect()
    assert seen == set(FEATURES), f"never generated: {sorted(set(FEATURES) - seen)}"


# -- examples: parsing ----------------------------------------------------------------

P = Prim
plus, minus, times, lt, eq, not_ = P("+"), P("-"), P("*"), P("<"), P("=="), P("not")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", apply(plus, Lit(1), apply(times, Lit(2), Lit(3)))),
        ("(1 + 2) * 3", apply(times, apply(plus, Lit(1), Lit(2)), Lit(3))),
        ("\\a b c -> a - b - c", Lam(Lam(Lam(apply(minus, apply(minus, Var(2), Var(1)), Var(0)))))),
        ("\\a b c -> a - (b - c)", Lam(Lam(Lam(apply(minus, Var(2), apply(minus, Var(1), Var(0))))))),
        ("f x y", App(App(P("f"), P("x")), P("y"))),
        ("f 1 + g 2", apply(plus, App(P("f"), Lit(1)), App(P("g"), Lit(2)))),
        ("\\x y -> x", Lam(Lam(Var(1)))),
        ("\\x -> \\y -> x", Lam(Lam(Var(1)))),
        ("\\x -> \\x -> x", Lam(Lam(Var(0)))),
        ("\\x -> x + 1", Lam(apply(plus, Var(0), Lit(1)))),
        ("\\x -> if x then 1 else 2", Lam(apply(P("if"), Var(0), Lit(1), Lit(2)))),
        ("\\x -> if x < 0 then \\y -> y else \\y -> x", Lam(apply(P("if"), apply(lt, Var(0), Lit(0)), Lam(Var(0)), Lam(Var(1))))),
        ("a > b", apply(lt, P("b"), P("a"))),
        ("a >= b", App(not_, apply(lt, P("a"), P("b")))),
        ("a <= b", App(not_, apply(lt, P("b"), P("a")))),
        ("a != b", App(not_, apply(eq, P("a"), P("b")))),
        ("a < b && b < c || d", apply(P("or"), apply(P("and"), apply(lt, P("a"), P("b")), apply(lt, P("b"), P("c"))), P("d"))),
        ("(+)", plus),
        ("(&&)", P("and")),
        ("(||)", P("or")),
        ("(>)", Lam(Lam(apply(lt, Var(0), Var(1))))),
        ("(!=)", Lam(Lam(App(not_, apply(eq, Var(1), Var(0)))))),
        ("map ((+) 1)", App(P("map"), App(plus, Lit(1)))),
        ("[]", P("empty")),
        ("[1, 2]", apply(P("cons"), Lit(1), apply(P("cons"), Lit(2), P("empty")))),
        ("[[]]", apply(P("cons"), P("empty"), P("empty"))),
        ("(-3)", Lit(-3)),
        ("( - 3 )", Lit(-3)),
        ("f (-3)", App(P("f"), Lit(-3))),
        ("1 - (-3)", apply(minus, Lit(1), Lit(-3))),
        ("true && false", apply(P("and"), Lit(True), Lit(False))),
        ("1 + # a comment\n  2 # another", apply(plus, Lit(1), Lit(2))),
        ("x'", P("x'")),
        ("iffy", P("iffy")),
    ],
)
def test_parse_examples(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text, where, fragments",
    [
        ("1 + * 2", "line 1, column 5", ["unexpected '*'", "an integer", "a name"]),
        ("(3", "line 1, column 3", ["unexpected end of input", "expected ')'"]),
        ("if 1 then 2", "line 1, column ", ["unexpected end of input", "expected 'else'"]),
        ("1 $ 2", "line 1, column 3", ["unexpected character '$'"]),
        (")", "line 1, column 1", ["unexpected ')'", "'('", "an integer"]),
        ("1 +\n\n* 2", "line 3, column 1", ["unexpected '*'"]),
        ("(+3)", "line 1, column 2", ["write a negative number as '(-3)'"]),
        ("[1, ]", "line 1, column 5", ["unexpected ']'", "an integer"]),
    ],
)
def test_parse_errors(text, where, fragments):
    with pytest.raises(ParseError) as info:
        parse(text)
    msg = str(info.value)
    assert msg.startswith(where), msg
    assert "^" in msg.splitlines()[-1], msg
    for f in fragments:
        assert f in msg, msg
    # the caret sits under the reported column of the reported line
    err = info.value
    caret_line = msg.splitlines()[-1]
    assert caret_line.index("^") - 2 == err.column - 1
    assert msg.splitlines()[-2][2:] == text.splitlines()[err.line - 1]


@pytest.mark.parametrize("text, column", [("1 +", 4), ("\\x ->", 6), ("[1, ", 5)])
def test_end_of_input_error_points_at_the_end(text, column):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert "unexpected end of input" in str(info.value)
    assert info.value.column == column, str(info.value)


def test_expected_tokens_include_keywords():
    with pytest.raises(ParseError) as info:
        parse("1 + * 2")  # `1 + true` is valid
    assert "'true'" in str(info.value)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("list", "type constructor 'list' needs 1 argument(s)"),
        ("int int", "'int' takes 0 argument(s), got 1"),
        ("foo a", "unknown type 'foo'"),
        ("a ->", "expected a type"),
        ("string -> int", "unknown type 'string'"),
        ("elem -> int", "unknown type 'elem' (a type variable is one letter with optional digits"),
        ("a b", "'a' is a type variable, not a type constructor"),
        ("(int", "expected ')'"),
    ],
)
def test_type_parse_errors(text, fragment):
    with pytest.raises(ParseError) as info:
        parse_type(text)
    assert fragment in str(info.value)
    assert "line 1, column" in str(info.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("int", INT),
        ("list a", list_of(TVar("a"))),
        ("(a -> b) -> list a -> list b", arrow(arrow(TVar("a"), TVar("b")), list_of(TVar("a")), list_of(TVar("b")))),
        ("a -> b -> c", arrow(TVar("a"), arrow(TVar("b"), TVar("c")))),
        ("list (list int)", list_of(list_of(INT))),
    ],
)
def test_parse_type_examples(text, expected):
    assert parse_type(text) == expected
    assert format_type(expected) == text


# -- examples: printing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1 + 2 * 3",
        "(1 + 2) * 3",
        "\\x y z -> x - y - z",
        "\\x y z -> x - (y - z)",
        "map (\\x -> x + 1) [1, 2, (-3)]",
        "\\x -> if x then \\y -> y else \\y -> 0",
        "(if true then (+) else (-)) 1 2",
        "\\x -> not (x < 0) && (x == 1 || x == 2)",
        "(\\x -> x) 3",
        "cons 1",
        "\\x -> push x empty_stack",
    ],
)
def test_print_examples_are_canonical(text):
    assert format_expr(parse(text)) == text


@pytest.mark.parametrize(
    "p", [apply(Prim("if"), Lit(True), Lit(1)), App(Prim("if"), Lit(True)), Prim("if")], ids=["if2", "if1", "if0"]
)
def test_partial_if_round_trip(p):
    assert parse(format_expr(p)) == p


# -- examples: types ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("map (\\x -> x + 1)", "list int -> list int"),
        ("\\f xs -> map f xs", "(a -> b) -> list a -> list b"),
        ("1 + 2 * 3", "int"),
        ("[1, 2]", "list int"),
        ("[]", "list a"),
        ("\\x -> x", "a -> a"),
        ("\\x y -> x", "a -> b -> a"),
        ("\\f g x -> f (g x)", "(a -> b) -> (c -> a) -> c -> b"),
        ("fold (\\x acc -> cons x acc) []", "list a -> list a"),
        ("(>)", "int -> int -> bool"),
        ("(&&)", "bool -> bool -> bool"),
        ("zip_with (+)", "list int -> list int -> list int"),
        ("\\s -> top (push 1 s)", "stack int -> int"),
        ("loop 3 (\\x -> x * 2)", "int -> int"),
        ("\\x -> if x then [] else [x]", "bool -> list bool"),
        ("filter (\\x -> x > 2)", "list int -> list int"),
        ("\\xs -> fold (\\x acc -> acc + x) 0 xs", "list int -> int"),
        ("map (map not)", "list (list bool) -> list (list bool)"),
    ],
)
def test_infer_examples(text, expected):
    assert format_type(infer_type(parse(text), ENV)) == expected


@pytest.mark.parametrize(
    "text, fragments",
    [
        ("head 3", ["`3`", "int", "list a"]),
        ("1 + true", ["`true`", "bool", "int"]),
        ("3 4", ["`3`", "int", "not a function", "`4`"]),
        ("\\x -> x x", ["`x x`", "infinite type"]),
        ("if 1 then 2 else 3", ["`1`", "int", "bool"]),
        ("map 1 [2]", ["`1`", "int", "->"]),
        ("[1, true]", ["bool", "int"]),
        ("\\x -> x + (x && true)", ["int", "bool"]),
        ("foo 1", ["unknown name 'foo'"]),
    ],
)
def test_type_errors(text, fragments):
    with pytest.raises(TypeCheckError) as info:
        infer_type(parse(text), ENV)
    msg = str(info.value)
    for f in fragments:
        assert f in msg, msg


def test_type_error_attributes():
    with pytest.raises(TypeCheckError) as info:
        infer_type(parse("head 3"), ENV)
    err = info.value
    assert err.subterm == "3" and err.found == INT and format_type(err.expected) == "list a"


def test_check_type():
    assert check_type(parse("\\x -> x"), arrow(INT, INT), ENV) == arrow(INT, INT)
    with pytest.raises(TypeCheckError) as info:
        check_type(parse("\\x -> x + 1"), arrow(INT, BOOL), ENV)
    assert "bool" in str(info.value) and "int" in str(info.value)


# -- core bugs: type-variable renaming chases chains ----------------------------------


@pytest.mark.parametrize("text, expected", [("a", "a"), ("list a -> int", "list a -> int"), ("b -> a", "a -> b")])
def test_canonical_is_idempotent(text, expected):
    assert canonical(parse_type(text)) == parse_type(expected)


def test_instantiate_with_t_names():
    env = dict(ENV, g=parse_type("t1 -> t0"))
    assert format_type(infer_type(parse("\\x -> g x"), env)) == "a -> b"


def test_definition_declared_with_t_names():
    program = load_program("def f : t0 -> t0 = \\x -> x; f 1")
    assert program.type == INT


def test_definitions_with_ordinary_names():
    program = load_program("def f : a -> a = \\x -> x; def g = \\n -> f n + 1; g 2")
    assert program.type == INT
    assert program.compile().run().value == 3
    assert len(parse_module("def f = 1; def g = f; g").definitions) == 2


# -- core bug: to_sexpr recurses ------------------------------------------------------


def test_sexpr_writer_handles_what_the_reader_reads():
    n = 600
    text = "(not " * n + "true" + ")" * n
    p = parse_sexpr(text)  # the reader is iterative
    assert to_sexpr(p) == text
    assert canonical_hash(p) == hashlib.sha256(text.encode()).hexdigest()


def test_canonical_hash_of_a_long_list_literal():
    p = parse("[" + ", ".join(str(i) for i in range(400)) + "]")
    assert len(canonical_hash(p)) == 64
