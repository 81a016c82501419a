"""Values as tokens for the recognition model, for any DSL.

An example is `IN x1 IN x2 ... OUT y`. Ints from -32 to 127 are tokens of their own
(smaller and larger ones share two), booleans two more; lists, stacks and pairs are
bracketed (`OPEN ... CLOSE`, a stack marked STACK, a pair PAIR); a string is STR then
its characters (a character's code point as the int of that number when below 128,
else a hashed token), a char CHAR then its character, a float FLOAT then its rounded
value. A value of a user's type is its type's own `encode` (small ints, folded into
the hashed bank) or, by default, hashed tokens of its bounded repr: a generic encoding
that works for any value, and stable across processes (crc32, not Python's salted hash).
"""

from __future__ import annotations

import zlib
from typing import Any

from neurosym.lang.data import Char, Pair, Stack

PAD, IN, OUT, OPEN, CLOSE, TRUE, FALSE, SMALLER, LARGER, STACK, PAIR, STR, CHAR, FLOAT, USER = range(15)
INT_LOW, INT_HIGH = -32, 127
_INT0 = 15 - INT_LOW  # token of the int 0
HASHED = 64  # tokens for everything else
_HASH0 = _INT0 + INT_HIGH + 1
VOCABULARY = _HASH0 + HASHED
MAX_TOKENS = 80  # per example


def _int_token(value: int) -> int:
    return SMALLER if value < INT_LOW else LARGER if value > INT_HIGH else _INT0 + value


def _hashed(text: str) -> int:
    return _HASH0 + zlib.crc32(text.encode("utf-8", "backslashreplace")) % HASHED


def _char_token(c: str) -> int:
    return _INT0 + ord(c) if ord(c) <= INT_HIGH else _hashed(c)


def value_tokens(value: Any, out: list[int], dsl: Any = None) -> None:
    """Append `value`'s tokens to `out` (stops growing past MAX_TOKENS)."""
    if len(out) > MAX_TOKENS:
        return
    if isinstance(value, bool):
        out.append(TRUE if value else FALSE)
    elif isinstance(value, int):
        out.append(_int_token(value))
    elif isinstance(value, float):
        out += [FLOAT, _int_token(round(value)) if abs(value) < 1e6 else LARGER if value > 0 else SMALLER]
    elif isinstance(value, Char):
        out += [CHAR, _char_token(value)]
    elif isinstance(value, str):
        out.append(STR)
        out += [_char_token(c) for c in value[:MAX_TOKENS]]
    elif isinstance(value, (Stack, Pair, tuple, list)):
        items = value.items() if isinstance(value, Stack) else (value.first, value.second) if isinstance(
            value, Pair) else value
        out.append(STACK if isinstance(value, Stack) else PAIR if isinstance(value, Pair) else OPEN)
        for x in items:
            value_tokens(x, out, dsl)
            if len(out) > MAX_TOKENS:
                break
        out.append(CLOSE)
    else:
        out.append(USER)
        vt = dsl.type_of_value_class(type(value)) if dsl is not None else None
        if vt is not None and vt.encode is not None:
            out += [_HASH0 + int(k) % HASHED for k in list(vt.encode(value))[:MAX_TOKENS]]
        else:
            out.append(_hashed(f"{type(value).__qualname__}:{repr(value)[:200]}"))


def example_tokens(inputs: tuple, output: Any, dsl: Any = None) -> list[int]:
    """One example as tokens: `IN x1 IN x2 ... OUT y`, cut to MAX_TOKENS."""
    out: list[int] = []
    for x in inputs:
        out.append(IN)
        value_tokens(x, out, dsl)
    out.append(OUT)
    value_tokens(output, out, dsl)
    return out[:MAX_TOKENS]
