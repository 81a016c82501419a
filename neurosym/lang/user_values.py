"""User values (plain Python) to runtime values and back, and the types of values.

Users write ints (numpy integers too), bools, floats, strings, lists, a tuple of two
inside a value for a pair, `Stack`, `Pair` and `Char`, and values of their own value
types (`dsl.type_of_value_class`). At run time lists are tuples (hashable, immutable)
and integers plain `int`s. A declared type guides conversion: where it names a type
whose `ValueType` reads user values (`from_user`), a list becomes that container (a
stack bottom first, a pair from two items) and a plain value becomes that type's value
(a one-character string a `char`). A container type is read from a list of its parts;
a type without parameters from any value that is not a list or a tuple (so a task file
can hold it as a JSON number, string or object).

Every walk is `fold_value`'s: iterative, each shared part once.
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

from neurosym.errors import NeurosymError
from neurosym.lang.base import base_dsl
from neurosym.lang.data import Char, Pair, Stack
from neurosym.lang.dsl import DSL, ValueType
from neurosym.lang.types import (
    BOOL,
    INT,
    FreshVars,
    Substitution,
    TCon,
    Type,
    format_type,
    free_vars,
    list_of,
    resolve,
    unify,
)
from neurosym.lang.value_text import describe_value
from neurosym.lang.walk import MAX_VALUE_DEPTH, fold_value, shapes_for


class ValueTypeError(NeurosymError, ValueError):
    """A value that the language cannot represent: one no value type claims, an
    unhashable value of a user type, a tuple of other than two items inside a value,
    a value its declared type cannot read."""


def python_class_name(cls: type) -> str:
    """`dict`, `numpy.ndarray`, `mymodule.Point`: a class as a message names it."""
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _unclaimed(x: Any, root: bool, dsl: DSL) -> ValueTypeError:
    what = "it is" if root else f"it holds {describe_value(x, 40, dsl)},"
    return ValueTypeError(f"{what} a {python_class_name(type(x))}, which no value type of DSL {dsl.name!r} claims "
                          f"(its types: {', '.join(dsl.type_names)})")


def value_type(value: Any, fresh: FreshVars, subst: Substitution, dsl: DSL | None = None) -> Type:
    """The type of a runtime value (Python lists are read as lists too); the element type
    of an empty container is a fresh variable.

    Raises ValueTypeError for values no type of `dsl` claims and values nested more
    than MAX_VALUE_DEPTH deep, and UnificationError for mixed lists.
    """
    dsl = dsl if dsl is not None else base_dsl()
    shapes = shapes_for(dsl)

    def children(x: Any) -> Sequence | None:
        kind = type(x)
        if kind is tuple or kind is list:
            return x
        if kind is int or kind is bool:
            return None
        parts = shapes.of(kind).parts
        return parts(x) if parts is not None else None

    def leaf(x: Any) -> Type:
        kind = type(x)
        if kind is bool:
            return BOOL
        if kind is int:
            return INT
        vt = shapes.of(kind).vt
        if vt is None:
            raise _unclaimed(x, x is value, dsl)
        return TCon(vt.name, tuple(fresh() for _ in range(vt.params)))

    def combine(node: Any, parts: list[Type]) -> Type:
        kind = type(node)
        if kind is tuple or kind is list or kind is Stack:
            elem = fresh()
            for t in parts:
                unify(elem, t, subst)
            elem = resolve(elem, subst)
            return TCon("stack", (elem,)) if kind is Stack else list_of(elem)
        vt: ValueType = shapes.of(kind).vt  # type: ignore[assignment]
        args = [fresh() for _ in range(vt.params)]
        for (_, index), t in zip(vt.parts(node), parts):  # type: ignore[misc]
            unify(args[index], t, subst)
        return TCon(vt.name, tuple(resolve(a, subst) for a in args))

    def too_deep() -> ValueTypeError:
        return ValueTypeError(f"nested more than {MAX_VALUE_DEPTH} levels deep (the cap on nested lists)")

    # only ground types are shared: an empty list's fresh variable must stay its own
    return fold_value(value, children, leaf, combine, keep=lambda t: not free_vars(t),
                      max_depth=MAX_VALUE_DEPTH, too_deep=too_deep)


def to_runtime(value: Any, type_: Type | None = None, dsl: DSL | None = None) -> Any:
    """A user value as a runtime value of `dsl` (the base language by default).

    Lists become tuples, a tuple of two inside a value a Pair, numpy integers ints;
    where `type_` names a type that reads user values (`from_user`), a list or a plain
    value becomes that type's value (see the module's doc). Raises ValueTypeError for a
    value no type claims, an unhashable value of a user type, a tuple of other than two
    items, and a value its declared type cannot read.
    """
    dsl = dsl if dsl is not None else base_dsl()
    shapes = shapes_for(dsl)
    root = (value, type_)
    readers = {vt.name: vt for vt in dsl.types if vt.from_user is not None}

    def reader(v: Any, t: Type | None) -> ValueType | None:
        """The declared type's value type when it is to read `v` (`from_user`), else None."""
        vt = readers.get(t.name) if type(t) is TCon else None  # type: ignore[union-attr]
        if vt is None or (vt.python and isinstance(v, vt.python)):
            return None
        kind = type(v)
        if vt.params:
            return vt if kind is list else None
        return None if kind is list or kind is tuple else vt

    def arg(t: Type | None, name: str, i: int) -> Type | None:
        return t.args[i] if isinstance(t, TCon) and t.name == name and len(t.args) > i else None

    def children(node: tuple[Any, Type | None]) -> list | None:
        v, t = node
        kind = type(v)
        if kind is list:
            vt = reader(v, t)
            if vt is None:
                elem = arg(t, "list", 0)
                return [(x, elem) for x in v]
            args, n = t.args, len(v)  # type: ignore[union-attr]
            return [(x, args[0] if vt.params == 1 else args[i] if vt.params == n else None) for i, x in enumerate(v)]
        if kind is tuple:
            if len(v) != 2:
                what = "it is" if node is root else f"it holds {describe_value(v, 40, dsl)}, which is"
                raise ValueTypeError(f"{what} a tuple of {len(v)} item{'' if len(v) == 1 else 's'}; write lists as "
                                     "lists (a tuple of two inside a value is a pair)")
            return [(v[0], arg(t, "pair", 0)), (v[1], arg(t, "pair", 1))]
        if kind is Stack:
            elem = arg(t, "stack", 0)
            return [(x, elem) for x in v.items()]
        if kind is Pair:
            return [(v.first, arg(t, "pair", 0)), (v.second, arg(t, "pair", 1))]
        return None

    def read(vt: ValueType, node: tuple[Any, Type], items: Sequence) -> Any:
        v, t = node
        try:
            return vt.from_user(v, items)  # type: ignore[misc]
        except Exception as err:
            what = "it" if node is root else f"it holds {describe_value(v, 40, dsl)}, which"
            raise ValueTypeError(f"{what} cannot be read as a {format_type(t)} ({err})") from None

    def leaf(node: tuple[Any, Type | None]) -> Any:
        v, t = node
        kind = type(v)
        if t is not None:
            vt = reader(v, t)
            if vt is not None:
                return read(vt, node, ())  # type: ignore[arg-type]
        if kind is int or kind is bool or kind is str or kind is float or kind is Char:
            return v
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            return int(v)
        if isinstance(v, float):
            return float(v)
        if isinstance(v, str) and not isinstance(v, Char):
            return str(v)
        shape = shapes.of(kind)
        if shape.vt is None:
            raise _unclaimed(v, node is root, dsl)
        try:
            hash(shape.key(v) if shape.key is not None else v)
        except TypeError as err:
            what = "it is" if node is root else f"it holds {describe_value(v, 40, dsl)},"
            raise ValueTypeError(f"{what} a {shape.vt.name} value that cannot be hashed ({err}); values of user "
                                 "types must be hashable (a frozen dataclass, or a `key` that is)") from None
        return v

    def combine(node: tuple[Any, Type | None], parts: list) -> Any:
        v, t = node
        vt = reader(v, t)
        if vt is not None:
            return read(vt, node, tuple(parts))  # type: ignore[arg-type]
        kind = type(v)
        if kind is list:
            return tuple(parts)
        if kind is Stack:
            return Stack.from_items(parts)
        return Pair(parts[0], parts[1])  # a tuple of two, or a Pair

    return fold_value(root, children, leaf, combine, key=lambda node: (id(node[0]), id(node[1])))


def to_python(value: Any, dsl: DSL | None = None) -> Any:
    """A runtime value as the plain Python a user writes (and JSON holds): lists, stacks
    (bottom first) and pairs become lists, and a value of another type its type's
    `to_user` form (a char a one-character string); functions read `<function>`.

    Shared parts of `value` come back as one shared list (so this is fast on shared
    structure); treat the result as read-only.
    """
    shapes = shapes_for(dsl)

    def children(x: Any) -> Sequence | None:
        kind = type(x)
        if kind is tuple or kind is list:
            return x
        if kind is Stack:
            return x.items()
        if kind is Pair:
            return (x.first, x.second)
        return None

    def leaf(x: Any) -> Any:
        kind = type(x)
        if kind is int or kind is bool or kind is str or kind is float:
            return x
        vt = shapes.of(kind).vt
        if vt is None:
            return "<function>" if callable(x) else x
        return vt.to_user(x) if vt.to_user is not None else x

    return fold_value(value, children, leaf, lambda _, parts: parts)
