"""Walking values: the one bottom-up fold every value function uses, and each DSL's shapes.

Programs build values that share structure (`map (\\x -> ys) ys` holds one tuple many
times; applying `\\x -> [x, x]` 30 times gives 2**30 leaves in 30 tuples), and users can
write lists nested deeper than Python's recursion limit. So no walk recurses or expands
shared structure: `fold_value` uses an explicit stack and visits each distinct container
once (memoized by `id`, safe because the root keeps every part alive for the walk).

What a runtime value is (a container and its parts, a leaf compared through a key) is
the DSL's to say, through its `ValueType` records; `shapes_for(dsl)` answers that per
runtime class, once per class, so walks over large values pay one dict lookup a node.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Callable, Hashable, Sequence

from neurosym.lang.base import base_dsl
from neurosym.lang.data import Pair, Stack
from neurosym.lang.dsl import DSL, ValueType

MAX_VALUE_DEPTH = 100
"""The deepest nesting of containers (lists, stacks, pairs) a value may have: `[[1]]` is
2 levels.

Types of deeper values would be deeper than the (recursive) type machinery handles
comfortably, and no task needs them; `value_type` refuses them, and tasks say so."""


def fold_value(
    root: Any,
    children: Callable[[Any], Sequence | None],
    leaf: Callable[[Any], Any],
    combine: Callable[[Any, list], Any],
    *,
    key: Callable[[Any], Hashable] = id,
    keep: Callable[[Any], bool] | None = None,
    max_depth: int | None = None,
    too_deep: Callable[[], Exception] | None = None,
) -> Any:
    """Bottom-up over a value without recursion, each distinct container once.

    `children(node)` lists a container's parts (None for a leaf, whose result is
    `leaf(node)`); `combine(node, results)` makes a container's result from its parts'.
    Containers' results are memoized by `key(node)` (when `keep(result)` allows), so
    shared structure costs its distinct objects only. A container nested more than
    `max_depth` deep raises `too_deep()`; heights are memoized alongside, so sharing
    cannot hide depth.
    """
    memo: dict = {}
    done: list[tuple[Any, int]] = []  # (result, height) of finished nodes, in order
    work: list[tuple[Any, Sequence | None]] = [(root, None)]
    depth = 0  # containers open above the node being looked at
    while work:
        node, parts = work.pop()
        if parts is not None:  # every part is finished: the last len(parts) entries of `done`
            n = len(parts)
            finished = done[len(done) - n:] if n else []
            del done[len(done) - n:]
            height = 1 + max((h for _, h in finished), default=0)
            result = combine(node, [r for r, _ in finished])
            if keep is None or keep(result):
                memo[key(node)] = (result, height)
            done.append((result, height))
            depth -= 1
            continue
        hit = memo.get(key(node))
        if hit is not None:
            if max_depth is not None and depth + hit[1] > max_depth:
                raise too_deep()  # type: ignore[misc]
            done.append(hit)
            continue
        parts = children(node)
        if parts is None:
            done.append((leaf(node), 0))
            continue
        depth += 1
        if max_depth is not None and depth > max_depth:
            raise too_deep()  # type: ignore[misc]
        work.append((node, parts))
        work.extend((p, None) for p in reversed(parts))
    return done[0][0]


@dataclass(frozen=True)
class Shape:
    """What the walks need of one runtime class: the value type that claims it (None:
    no type does), its parts in order (None: a leaf) and its equality key (None: the
    value itself)."""

    vt: ValueType | None
    parts: Callable[[Any], Sequence] | None
    key: Callable[[Any], Hashable] | None

    @property
    def name(self) -> str | None:
        return None if self.vt is None else self.vt.name


def _stack_parts(s: Stack) -> tuple:
    return s.items()


def _pair_parts(p: Pair) -> tuple:
    return (p.first, p.second)


#: neurosym's own runtime containers, read directly rather than through `parts`
_FAST_PARTS: dict[type, Callable[[Any], Sequence]] = {tuple: lambda xs: xs, Stack: _stack_parts, Pair: _pair_parts}
_UNCLAIMED = Shape(None, None, None)


class Shapes:
    """The shapes of one DSL's runtime classes, looked up once per class."""

    def __init__(self, dsl: DSL) -> None:
        self._dsl = weakref.ref(dsl)  # the cache must not keep its DSL alive
        self._table: dict[type, Shape] = {}

    def of(self, cls: type) -> Shape:
        shape = self._table.get(cls)
        if shape is None:
            shape = self._table[cls] = self._make(cls)
        return shape

    def _make(self, cls: type) -> Shape:
        dsl = self._dsl()
        vt = dsl.type_of_value_class(cls) if dsl is not None else None
        if vt is None:
            return _UNCLAIMED
        parts: Callable[[Any], Sequence] | None = None
        if cls in _FAST_PARTS:
            parts = _FAST_PARTS[cls]
        elif vt.parts is not None:
            vt_parts = vt.parts
            parts = lambda v: tuple(x for x, _ in vt_parts(v))
        return Shape(vt, parts, vt.key)


_SHAPES: dict[int, Shapes] = {}


def shapes_for(dsl: DSL | None = None) -> Shapes:
    """The shapes of `dsl`'s values (the base language by default), made once per DSL
    object: keyed by identity, since two DSLs equal by name and version may still hold
    different classes and keys."""
    dsl = dsl if dsl is not None else base_dsl()
    shapes = _SHAPES.get(id(dsl))
    if shapes is None or shapes._dsl() is not dsl:
        shapes = _SHAPES[id(dsl)] = Shapes(dsl)
        weakref.finalize(dsl, _SHAPES.pop, id(dsl), None)
    return shapes
