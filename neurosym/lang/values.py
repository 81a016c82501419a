"""Conversions between user values (JSON-like Python) and runtime values, and their types.

Users write lists; at run time lists are tuples (hashable, immutable). Stacks are
written as lists bottom first when a type says `stack a`.
"""

from __future__ import annotations

from typing import Any

from neurosym.errors import NeurosymError
from neurosym.lang.primitives import Stack
from neurosym.lang.types import BOOL, INT, FreshVars, Substitution, TCon, Type, list_of, resolve, unify


class ValueTypeError(NeurosymError, ValueError):
    """A value that the language cannot represent (a float, a string, a dict, ...)."""


def value_type(value: Any, fresh: FreshVars, subst: Substitution) -> Type:
    """The type of a user value; the element type of an empty list is a fresh variable.

    Raises ValueTypeError for unsupported values and UnificationError for mixed lists.
    """
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, Stack):
        elem = fresh()
        for x in value.items():
            unify(elem, value_type(x, fresh, subst), subst)
        return TCon("stack", (resolve(elem, subst),))
    if isinstance(value, (list, tuple)):
        elem = fresh()
        for x in value:
            unify(elem, value_type(x, fresh, subst), subst)
        return list_of(resolve(elem, subst))
    raise ValueTypeError(f"unsupported value {value!r} of Python type {type(value).__name__}; "
                         "values are ints, bools and (nested) lists")


def to_runtime(value: Any, type_: Type | None = None) -> Any:
    """Lists become tuples; with a `stack a` type a list (bottom first) becomes a Stack."""
    if isinstance(type_, TCon) and type_.name == "stack" and isinstance(value, (list, tuple)):
        return Stack.from_items(to_runtime(x, type_.args[0]) for x in value)
    if isinstance(value, (list, tuple)):
        elem = type_.args[0] if isinstance(type_, TCon) and type_.name == "list" else None
        return tuple(to_runtime(x, elem) for x in value)
    return value


def to_python(value: Any) -> Any:
    """Runtime values back to JSON-friendly Python: tuples and stacks become lists."""
    if isinstance(value, tuple):
        return [to_python(x) for x in value]
    if isinstance(value, Stack):
        return [to_python(x) for x in value.items()]
    if callable(value):
        return "<function>"
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equality that keeps bools and ints apart (Python says True == 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return a == b


def format_value(value: Any) -> str:
    """A runtime value in the language's own notation: `[1, 2]`, `true`, `<stack [1, 2]>`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(x) for x in value) + "]"
    if isinstance(value, Stack):
        return "<stack " + format_value(value.items()) + ">"
    if callable(value):
        return "<function>"
    return str(value)
