"""What the enumerator must do to a type's values before it hashes them to prune
equivalent terms: compare them under the value type's key (floats to 9 digits), and
replace values too large to hash (nested containers that share rows) by FAULT.
Decided once per type (`TypeNeeds`), so plain types pay one lookup."""

from __future__ import annotations

from typing import Any, Callable, Hashable

from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.types import TCon, Type
from neurosym.search.bank import FAULT


def value_key(dsl: DSL, t: Type) -> Callable[[Any], Hashable] | None:
    """What values of ground type `t` are compared and hashed by: the value type's `key`,
    or for a container of keyed values its parts' keys (a list of floats); None when
    the values themselves serve (every type of the base language but float), so that
    callers pay nothing for keys where no type has one."""
    vt = dsl.value_type_named(t.name) if isinstance(t, TCon) else None
    if vt is None:
        return None
    if vt.key is not None:
        return vt.key
    if vt.parts is None or not t.args:  # type: ignore[union-attr]
        return None
    inner = [value_key(dsl, a) for a in t.args]  # type: ignore[union-attr]
    if all(k is None for k in inner):
        return None
    keys = [k if k is not None else _same for k in inner]
    parts = vt.parts
    return lambda v: tuple([keys[i](x) for x, i in parts(v)])


def _same(x: Any) -> Any:
    return x


#: a value of a nested type larger than this (counting shared parts as often as they
#: occur) is treated as a fault: hashing it, to prune it, would cost its full size
MAX_LOGICAL_SIZE = 200_000


class TypeNeeds(dict):
    """type -> what the enumerator must do to a tuple of its values before hashing them:
    None for a type whose values compare and hash as they are (one lookup is all they
    pay), else (for values that nest containers in containers, which may share
    structure, what replaces the huge ones by FAULT: see `without_huge`, or None; the key
    over a tuple of values, or None)."""

    def __init__(self, dsl: DSL) -> None:
        super().__init__()
        self.dsl = dsl

    def __missing__(self, t: Type) -> tuple[Callable[[tuple], tuple] | None, Callable[[tuple], tuple] | None] | None:
        nested = self._container(t) and any(self._container(a) for a in t.args)  # type: ignore[union-attr]
        sizer = None
        if nested:
            sizer = without_huge_rows if self._rows_of_base_lists(t) else without_huge
        key = value_key(self.dsl, t)
        needs = (sizer, _keyed(key) if key is not None else None) if nested or key is not None else None
        self[t] = needs
        return needs

    def _rows_of_base_lists(self, t: Type) -> bool:
        """`list (list a)` of the base language's lists, `a` a value type of the DSL and
        no container (not a task's type variable, which could hold lists): a value is a
        tuple of flat tuples, sized without walking it."""
        lists = base_dsl().value_type_named("list")
        return (isinstance(t, TCon) and self.dsl.value_type_named(t.name) is lists and len(t.args) == 1
                and isinstance(t.args[0], TCon) and self.dsl.value_type_named(t.args[0].name) is lists
                and all(isinstance(a, TCon) and self.dsl.value_type_named(a.name) is not None
                        and not self._container(a) for a in t.args[0].args))

    def _container(self, t: Type) -> bool:
        vt = self.dsl.value_type_named(t.name) if isinstance(t, TCon) else None
        return vt is not None and vt.parts is not None and vt.params > 0


def _keyed(key: Callable[[Any], Any]) -> Callable[[tuple], tuple]:
    """Values under `key`, FAULT kept (a value the key cannot read stands for itself)."""
    def one(v: Any) -> Any:
        try:
            return key(v)
        except Exception:
            return v

    def keyed(values: tuple) -> tuple:
        try:
            return tuple([v if v is FAULT else key(v) for v in values])
        except Exception:
            return tuple([v if v is FAULT else one(v) for v in values])

    return keyed


def without_huge(values: tuple) -> tuple:
    """`values` with FAULT for every value whose size, with shared parts counted as often
    as they occur, exceeds MAX_LOGICAL_SIZE (`map (\\x -> xs) xs` is n*n elements built
    from one row; two more levels and hashing it would not end). Costs what the values
    occupy in memory, since shared parts are sized once."""
    out, sizes = [], {}
    for v in values:
        out.append(FAULT if _logical_size(v, sizes) > MAX_LOGICAL_SIZE else v)
    return tuple(out)


def without_huge_rows(values: tuple) -> tuple:
    """`without_huge` for values that are tuples of flat tuples (lists of lists of
    numbers): the same sizes, computed in C (a row counts its length, the list its own
    length and its rows')."""
    try:
        if all(v is FAULT or len(v) + sum(map(len, v)) < MAX_LOGICAL_SIZE for v in values):
            return values
    except TypeError:  # a user primitive's value that is not rows of rows: sized the long way
        pass
    return without_huge(values)  # some value is huge: the walk marks which


def _logical_size(value: Any, sizes: dict[int, int]) -> int:
    if type(value) is not tuple:
        return 1
    known = sizes.get(id(value))
    if known is None:
        known = 1 + len(value)
        if tuple in set(map(type, value)):  # a flat tuple (the common case) is sized in C
            for x in value:
                if type(x) is tuple:
                    inner = sizes.get(id(x))
                    if inner is None:  # a flat row (a list of lists' rows) without a call
                        inner = _logical_size(x, sizes) if tuple in set(map(type, x)) else 1 + len(x)
                        sizes[id(x)] = inner
                    known += inner - 1
                    if known > MAX_LOGICAL_SIZE:
                        break
        sizes[id(value)] = known
    return known
