"""The DSL value: building, extending and shrinking a language, user primitives (tuple,
record and decorator forms), collisions refused, versions, references for workers."""

from __future__ import annotations

import pickle

import pytest

import neurosym as ns
from neurosym.lang.base import base_dsl, pair_primitives
from neurosym.lang.compiler import Status, evaluate
from neurosym.lang.data import Pair
from neurosym.lang.dsl import DSL, DSLError, Primitive, ValueType, load_dsl
from neurosym.lang.primitives import Limits

BASE = base_dsl()


def test_the_base_language_is_one_value_built_once():
    assert base_dsl() is BASE and BASE.name == "base" and len(BASE.primitives) == 34
    assert BASE.primitive("map").doc == "Apply a function to every element."
    assert BASE.primitive("+").commutative and BASE.primitive("and").infix == "&&"
    assert BASE.primitive("if").lazy == (1, 2)
    assert load_dsl("neurosym.lang.base:base_dsl") == BASE
    assert pickle.loads(pickle.dumps(BASE)) is BASE  # rebuilt from its reference


def test_extend_with_the_three_forms_of_a_primitive():
    grown = BASE.extend(primitives=[
        ("twice", "int -> int", lambda x: 2 * x, "Double."),
        Primitive("halve", "int -> int", fn=lambda x: x // 2, doc="Half, rounded down.", checked=True, cost=1),
        BASE.primitive_decorator("int -> int -> int", name="biggest", commutative=True)(lambda a, b: max(a, b)),
    ], name="more")
    assert grown.name == "more" and grown.primitive_names[-3:] == ("twice", "halve", "biggest")
    assert grown.primitive("biggest").commutative and BASE.get_primitive("twice") is None
    with pytest.raises(DSLError, match="primitive name '<lambda>' is not a name"):
        BASE.extend(primitives=[BASE.primitive_decorator("int -> int")(lambda a: a)])
    program = ns.load_program("twice (halve 9)", dsl=grown)
    assert program.compile().run().value == 8


def test_a_decorated_function_keeps_its_name_and_docstring():
    @BASE.primitive_decorator("int -> bool")
    def is_even(n):
        """True for even numbers."""
        return n % 2 == 0

    assert (is_even.name, is_even.doc, ns.format_type(is_even.type)) == ("is_even", "True for even numbers.",
                                                                         "int -> bool")


@pytest.mark.parametrize("build, message", [
    (lambda: BASE.extend(primitives=[("map", "int", lambda: 1, "")]), "already has a primitive named 'map'"),
    (lambda: BASE.extend(primitives=[("f", "string -> int", len, "")]), "unknown type 'string'"),
    (lambda: BASE.extend(primitives=[("f", "list -> int", len, "")]), "'list' needs 1 argument"),
    (lambda: BASE.extend(primitives=[Primitive("plus", "int -> int -> int", fn=int.__add__, infix="+")]),
     "infix '+' is taken by another primitive"),
    (lambda: BASE.extend(primitives=[Primitive("f", "int -> int", fn=abs, infix="<>")]), "is not one of"),
    (lambda: BASE.extend(types=[ValueType("int")]), "two value types named 'int'"),
    (lambda: BASE.extend(types=[ValueType("t")]), "type name 't' is not allowed"),
    (lambda: BASE.extend(primitives=[Primitive("f", "int -> int")]), "needs an implementation"),
    (lambda: BASE.without("nope"), "has no primitive(s) ['nope']"),
])
def test_collisions_and_unknown_types_are_errors(build, message):
    with pytest.raises(DSLError) as info:
        build()
    assert message in str(info.value)


def test_without_and_the_version():
    smaller = BASE.without("sort", "reverse", name="smaller")
    assert "sort" not in smaller.primitive_names and smaller.version != BASE.version
    same_signatures = BASE.extend(primitives=[("f", "int -> int", abs, "")], name="x")
    other_code = BASE.extend(primitives=[("f", "int -> int", lambda v: v, "")], name="x")
    assert same_signatures.version == other_code.version  # a store cares about signatures, not code
    assert same_signatures == other_code and same_signatures != BASE


def test_a_language_without_a_reference_cannot_travel():
    local = BASE.extend(primitives=[("f", "int -> int", abs, "")], name="local")
    with pytest.raises(DSLError, match="DSL 'local' has no import path"):
        pickle.dumps(local)
    with pytest.raises(DSLError, match="cannot import 'no_such_module'"):
        load_dsl("no_such_module:X")
    with pytest.raises(DSLError, match="expected an import path"):
        load_dsl("nocolon")


def test_user_primitives_fault_instead_of_escaping():
    dsl = BASE.extend(primitives=[("boom", "int -> int", lambda x: 1 // 0, ""),
                                  ("liar", "int -> int", lambda x: "not an int", ""),
                                  ("big", "int -> int", lambda x: 10 ** 30, "")], name="faulty")
    boom = evaluate(ns.parse("boom 1", dsl), dsl=dsl)
    assert boom.status is Status.FAULT and "division" in boom.error
    liar = evaluate(ns.parse("liar 1", dsl), dsl=dsl)
    assert liar.status is Status.FAULT and liar.error == "primitive 'liar' returned a str, not a int"
    assert "beyond the cap" in evaluate(ns.parse("big 1", dsl), dsl=dsl).error


def test_a_user_primitive_costs_steps_and_may_be_lazy():
    dsl = BASE.extend(primitives=[
        Primitive("first_or", "bool -> int -> int -> int", fn=lambda c, a, b: a() if c else b(), lazy=(1, 2),
                  checked=True, cost=1)], name="lazy")
    assert evaluate(ns.parse("first_or true 1 (1 / 0)", dsl), dsl=dsl).value == 1  # the other branch never runs
    assert evaluate(ns.parse("loop 5 (\\x -> first_or true x x) 0", dsl), dsl=dsl, limits=Limits(steps=9)).status \
        is Status.BUDGET  # 5 iterations + 5 calls of cost 1


def test_pairs_come_as_an_extension():
    dsl = BASE.extend(primitives=pair_primitives(), name="pairs")
    assert evaluate(ns.parse("fst (pair 1 true)", dsl), dsl=dsl).value == 1
    assert evaluate(ns.parse("pair 1 2", dsl), dsl=dsl).value == Pair(1, 2)
    assert ns.format_type(dsl.primitive("snd").type) == "pair a b -> b"


def test_a_fresh_language_need_not_have_lists():
    dsl = DSL.of("tiny", [ValueType("int", python=(int,), samples=(0, 1))],
                 [("inc", "int -> int", lambda x: x + 1, "")], literals=(0,))
    assert dsl.type_names == ("int",) and evaluate(ns.parse("inc (inc 0)", dsl), dsl=dsl).value == 2
    with pytest.raises(ns.ParseError, match="unknown type 'list'"):
        dsl.parse_type("list int")
