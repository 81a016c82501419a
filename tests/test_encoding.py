"""The recognition model's encoding reads values of any type: base ones token by token,
a user's through its type's `encode` or, by default, a stable hashed token."""

from __future__ import annotations

from dataclasses import dataclass

from neurosym.lang.base import base_dsl
from neurosym.lang.data import Char, Pair, Stack
from neurosym.lang.dsl import ValueType
from neurosym.neural.encoding import (
    CHAR, CLOSE, FLOAT, IN, OPEN, OUT, PAIR, STACK, STR, TRUE, USER, VOCABULARY, example_tokens, value_tokens,
)


@dataclass(frozen=True)
class Money:
    cents: int
    currency: str


def tokens(value, dsl=None):
    out: list[int] = []
    value_tokens(value, out, dsl)
    return out


def test_base_values():
    zero = tokens(0)[0]
    assert tokens(True) == [TRUE]
    assert tokens((1, 2)) == [OPEN, zero + 1, zero + 2, CLOSE]
    assert tokens(Stack.from_items([3])) == [STACK, zero + 3, CLOSE]
    assert tokens(Pair(1, "a")) == [PAIR, zero + 1, STR, zero + ord("a"), CLOSE]
    assert tokens("hi") == [STR, zero + ord("h"), zero + ord("i")]
    assert tokens(Char("x")) == [CHAR, zero + ord("x")]
    assert tokens(2.6) == [FLOAT, zero + 3]
    assert example_tokens((1,), 2)[0] == IN and OUT in example_tokens((1,), 2)


def test_any_value_has_a_stable_token_within_the_vocabulary():
    a, b = tokens(Money(100, "EUR")), tokens(Money(100, "USD"))
    assert a[0] == b[0] == USER and len(a) == 2 and a != b
    assert a == tokens(Money(100, "EUR"))  # crc32 of the repr: the same in every process
    assert all(0 <= t < VOCABULARY for t in a + b + tokens("é" * 100))


def test_a_types_own_encoding_is_used():
    dsl = base_dsl().extend(types=[ValueType("money", python=(Money,), encode=lambda m: (m.cents // 100, 7))],
                            name="money")
    out = tokens(Money(500, "EUR"), dsl)
    assert out[0] == USER and len(out) == 3 and out[1] != out[2]
    assert len(example_tokens(("x" * 500,), "y")) == 80  # cut to MAX_TOKENS
