"""Values as text for people: bounded, in the language's notation, fast on any value.

A program's output can be a huge value that shares structure, or an int too long for
`str`; every message, repr and view shows values through `format_value` (runtime values
in the language's notation) or `describe_value` (user values as the user wrote them),
both of which stop after `limit` characters and take time bounded by `limit`.
"""

from __future__ import annotations

import json
import math
import numbers
import reprlib
from typing import Any, Sequence

from neurosym.lang.data import Char, Pair, Stack
from neurosym.lang.dsl import DSL
from neurosym.lang.printer import format_literal
from neurosym.lang.walk import shapes_for

INT_DIGITS_SHOWN = 4300
"""Longer ints are shown as `<int of N digits>` (Python's `str(int)` refuses them)."""

FORMAT_LIMIT = 200
"""Default length cap of `format_value`."""


def format_value(value: Any, limit: int = FORMAT_LIMIT, dsl: DSL | None = None) -> str:
    """A runtime value in the language's own notation: `[1, 2]`, `true`, `<stack [1, 2]>`,
    `<pair 1, "a">`, `'c'`, `"text"`, `1.0`, and a user type's literal, `@point"1,2"`
    (values of a type without literals show as a bounded repr).

    At most about `limit` characters, in time bounded by `limit` (not by the value's
    size): a long list ends `... (3000 items)]`, an int too long to print reads
    `<int of 5000 digits>`.
    """
    return (_render(value, limit, ("[", "]"), True, dsl)
            or _render(value, limit, ("[", "]"), False, dsl))


def describe_value(value: Any, limit: int = 80, dsl: DSL | None = None) -> str:
    """A user value for an error message, as JSON would write it where it can.

    Like `format_value` (bounded, `true`/`false`), but tuples show as tuples, `(1, 2)`,
    so that a message about a tuple shows one.
    """
    return (_render(value, limit, ("(", ")"), True, dsl)
            or _render(value, limit, ("(", ")"), False, dsl))


def _render(value: Any, limit: int, tuples: tuple[str, str], exact: bool, dsl: DSL | None) -> str:
    """Pre-order rendering that stops once `limit` characters are used.

    `exact`: the whole rendering, or "" if it does not fit in `limit`. Otherwise each
    open container reserves room for its shortest ending (`, ...]`), so the result
    never exceeds `limit` (except the lone `...` of a value that cannot start within
    it); item counts (`, ... (3000 items)]`) are added, innermost first, where room is
    left. Every emitted piece is at least one character: the work is O(limit).
    """
    out: list[str] = []
    used = 0
    reserved = 0
    frames: list[list] = []  # [items, rendered count, closer, reserve]
    node = value
    while True:
        parent = frames[-1] if frames else None
        prefix = ", " if parent is not None and parent[1] > 0 else ""
        opened = _opening(node, tuples)
        if opened is None:
            text = prefix + _atom(node, limit, dsl)
            if used + len(text) + reserved > limit:
                break
            out.append(text)
            used += len(text)
        else:
            start, items, closer = opened
            reserve = len(closer)
            if items and not exact:  # room for `, ... (N items)` while that leaves half the limit
                full = len(", " + _more(len(items)))
                reserve += full if reserved + reserve + full <= limit // 2 else len(", ...")
            text = prefix + start
            if used + len(text) + reserve + reserved > limit:
                break
            out.append(text)
            used += len(text)
            reserved += reserve
            frames.append([items, 0, closer, reserve])
        if parent is not None:
            parent[1] += 1
        while frames and frames[-1][1] == len(frames[-1][0]):
            _, _, closer, reserve = frames.pop()
            out.append(closer)
            used += len(closer)
            reserved -= reserve
        if not frames:
            return "".join(out)
        node = frames[-1][0][frames[-1][1]]
    if exact:
        return ""
    if not frames:
        return "..."
    spare = limit - used - reserved  # room for more item counts, given innermost first
    for items, count, closer, reserve in reversed(frames):
        if count < len(items):  # always so for the innermost frame: it stopped at one of its items
            more = (", " if count else "") + _more(len(items))
            extra = len(more) - (reserve - len(closer))  # <= 0 where the count was reserved
            if extra <= spare:
                spare -= max(extra, 0)
            else:
                more = ", ..." if count else "..."
            out.append(more)
        out.append(closer)
    return "".join(out)


def _more(n: int) -> str:
    return f"... ({n} item{'' if n == 1 else 's'})"


def _opening(node: Any, tuples: tuple[str, str]) -> tuple[str, Sequence, str] | None:
    kind = type(node)
    if kind is tuple:
        return tuples[0], node, (",)" if len(node) == 1 and tuples[1] == ")" else tuples[1])
    if kind is list:
        return "[", node, "]"
    if kind is Stack:
        return "<stack [", node.items(), "]>"
    if kind is Pair:
        return "<pair ", (node.first, node.second), ">"
    return None


def _atom(x: Any, limit: int, dsl: DSL | None) -> str:
    kind = type(x)
    if kind is bool:
        return "true" if x else "false"
    if kind is int and -_SMALL < x < _SMALL:
        return str(x)
    if isinstance(x, numbers.Integral) and kind is not bool:
        x = int(x)
        digits = int_digits(x)
        if digits > INT_DIGITS_SHOWN or digits > limit:
            about = "about " if x.bit_length() > _EXACT_BITS else ""
            return f"{'-' if x < 0 else ''}<int of {about}{digits} digits>"
        return str(x)
    if isinstance(x, float):
        return _float_text(x)
    if isinstance(x, Char):
        return _bounded(format_literal(x), limit)
    if isinstance(x, str):
        text = json.dumps(x[: limit + 1])
        if len(text) <= limit:
            return text
        return json.dumps(x[: max(limit - 5, 1)])[:-1] + '..."'
    vt = shapes_for(dsl).of(type(x)).vt
    if vt is not None and vt.literal is not None:
        try:
            shown = vt.literal.show(x)
            return _bounded(f"@{vt.name}{json.dumps(shown[: limit + 1], ensure_ascii=False)}", limit)
        except Exception:  # a user's show that fails on this value: fall back to the repr
            pass
    if vt is None and callable(x):
        return "<function>"
    return _bounded(brief_repr(x), limit)


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= max(limit, 3) else text[: max(limit, 3) - 3] + "..."


def _float_text(x: float) -> str:
    """A float as the language writes it, always with a dot (`2.0`, `1.0e+20`); `inf`
    and `nan` have no literal and show as Python writes them."""
    text = repr(x)
    if "e" in text and "." not in text.split("e")[0]:
        text = text.replace("e", ".0e")
    return text


_SMALL = 10**18  # ints shorter than this print at once
_EXACT_BITS = 1 << 20  # past about 315,000 digits the count is estimated from the bit length


def int_digits(n: int) -> int:
    """The number of decimal digits of `n` (sign not counted), without `str` (which
    refuses ints of more than 4,300 digits); past about 315,000 digits it may be one
    too many (the exact count would cost a large power of ten)."""
    n = abs(n)
    if n < 10**18:
        return len(str(n))
    digits = int(n.bit_length() * math.log10(2)) + 1  # exact or one too many
    if n.bit_length() > _EXACT_BITS:
        return digits
    return digits if n >= 10 ** (digits - 1) else digits - 1


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60


def brief_repr(x: Any) -> str:
    """A bounded repr of an arbitrary object, for messages."""
    try:
        return _REPR.repr(x)
    except Exception:  # a repr that fails (a huge int inside a dict, a broken __repr__)
        return f"<{type(x).__name__}>"
