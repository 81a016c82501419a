"""Programs as frozen dataclasses.

Variables are de Bruijn indices (`Var(0)` is the nearest enclosing lambda's argument),
so that programs equal up to renaming are equal objects with equal hashes, and so that
the s-expression form matches stitch-core's `$i` convention. Application is curried
(`App(App(f, x), y)`); `if`, infix operators and list literals are concrete syntax over
primitives (`if`, those the DSL spells with the operator, `cons` and `empty`), so the
AST has only five node kinds.

Every node computes its size, depth and structural hash once at construction (children
exist before parents, so this is iterative by nature and never recurses).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any, Iterator


@dataclass(frozen=True, eq=False)
class _Node:
    size: int = field(init=False, repr=False, compare=False)
    depth: int = field(init=False, repr=False, compare=False)
    _hash: int = field(init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple:
        # rebuilt from the fields, not restored: the cached hash is salted per process
        return (type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init))

    def _set(self, size: int, depth: int, key: tuple) -> None:
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "depth", depth)
        object.__setattr__(self, "_hash", hash(key))


@dataclass(frozen=True, eq=False)
class Prim(_Node):
    """A named primitive or library routine."""

    __hash__ = _Node.__hash__  # defining __eq__ would otherwise remove it

    name: str

    def __post_init__(self) -> None:
        self._set(1, 1, ("P", self.name))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Prim) and other.name == self.name


@dataclass(frozen=True, eq=False)
class Lit(_Node):
    """A literal: an int, bool, float, str or char, or a hashable value of a user's type
    (the DSL says how it prints and reads)."""

    __hash__ = _Node.__hash__

    value: Any

    def __post_init__(self) -> None:
        v = self.value
        if isinstance(v, float) and not math.isfinite(v):
            raise TypeError(f"a float literal must be finite, got {v!r}")
        if callable(v) or isinstance(v, (list, dict, set)):
            raise TypeError(f"literal must be a hashable value such as an int or a string, got {v!r}")
        self._set(1, 1, ("L", type(v), v))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Lit)
            and type(other.value) is type(self.value)
            and other.value == self.value
        )


@dataclass(frozen=True, eq=False)
class Var(_Node):
    """A variable as a de Bruijn index."""

    __hash__ = _Node.__hash__

    index: int

    def __post_init__(self) -> None:
        if self.index < 0:
            raise ValueError("de Bruijn index must be >= 0")
        self._set(1, 1, ("V", self.index))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Var) and other.index == self.index


@dataclass(frozen=True, eq=False)
class Lam(_Node):
    """A one-argument lambda; its argument is `Var(0)` in the body."""

    __hash__ = _Node.__hash__

    body: "Expr"

    def __post_init__(self) -> None:
        self._set(1 + self.body.size, 1 + self.body.depth, ("F", self.body._hash))

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Lam) and other._hash == self._hash and _same_tree(self, other))


@dataclass(frozen=True, eq=False)
class App(_Node):
    """Application of `fn` to one argument."""

    __hash__ = _Node.__hash__

    fn: "Expr"
    arg: "Expr"

    def __post_init__(self) -> None:
        self._set(
            1 + self.fn.size + self.arg.size,
            1 + max(self.fn.depth, self.arg.depth),
            ("A", self.fn._hash, self.arg._hash),
        )

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, App) and other._hash == self._hash and _same_tree(self, other))


Expr = Prim | Lit | Var | Lam | App


def _same_tree(a: Expr, b: Expr) -> bool:
    """Structural equality of two trees, iteratively (programs may nest a thousand deep);
    equal hashes are checked first at every node, so unequal trees part at once."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is y:
            continue
        if type(x) is not type(y) or x._hash != y._hash:
            return False
        if isinstance(x, App):
            stack.append((x.arg, y.arg))  # type: ignore[union-attr]
            stack.append((x.fn, y.fn))  # type: ignore[union-attr]
        elif isinstance(x, Lam):
            stack.append((x.body, y.body))  # type: ignore[union-attr]
        elif not x == y:  # leaves compare their own fields
            return False
    return True


@dataclass(frozen=True)
class Definition:
    """A named routine definition `def name : type = body` (the type is optional)."""

    name: str
    body: Expr
    type: object = None  # a neurosym.lang.types.Type, or None to infer


def apply(fn: Expr, *args: Expr) -> Expr:
    """`apply(f, a, b)` is `App(App(f, a), b)`."""
    for a in args:
        fn = App(fn, a)
    return fn


def spine(e: Expr) -> tuple[Expr, list[Expr]]:
    """Split `f a b c` into `(f, [a, b, c])`."""
    args: list[Expr] = []
    while isinstance(e, App):
        args.append(e.arg)
        e = e.fn
    args.reverse()
    return e, args


def list_items(e: Expr) -> list[Expr] | None:
    """The elements of a cons chain ending in `empty` (a list literal), or None if `e`
    is not one (iterative: literals of thousands of items are deep chains)."""
    items = []
    while True:
        if isinstance(e, Prim) and e.name == "empty":
            return items
        if not (isinstance(e, App) and isinstance(e.fn, App) and isinstance(e.fn.fn, Prim) and e.fn.fn.name == "cons"):
            return None
        items.append(e.fn.arg)
        e = e.arg


def subterms(e: Expr) -> Iterator[Expr]:
    """Every node of `e`, parents before children (iterative)."""
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, App):
            stack.append(node.arg)
            stack.append(node.fn)
        elif isinstance(node, Lam):
            stack.append(node.body)


def primitives_used(e: Expr) -> set[str]:
    return {n.name for n in subterms(e) if isinstance(n, Prim)}


def free_index_bound(e: Expr) -> int:
    """Smallest n such that every free variable of `e` has index < n (0 when closed)."""
    best = 0
    stack = [(e, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Var):
            best = max(best, node.index - depth + 1)
        elif isinstance(node, App):
            stack.append((node.fn, depth))
            stack.append((node.arg, depth))
        elif isinstance(node, Lam):
            stack.append((node.body, depth + 1))
    return best
