"""Typed subtree crossover and mutation over annotated programs (see gp_grammar).

Preorder index `i` of a node spans indices `i .. i + size - 1`, so nodes are found and
replaced by index using the sizes every node caches, and annotations are spliced as
slices. A subtree moves only to a point of the same (interned, ground) type whose
context gives its free variables the same types; inner lambda contexts are rebased.
"""

from __future__ import annotations

import random

from collections.abc import Collection

from neurosym.lang.ast import App, Expr, Lam, Lit, free_index_bound
from neurosym.lang.types import Type
from neurosym.search.gp_grammar import NO_POINT, Ann, Grammar, Typed, rigid

#: steps of a float literal's mutation (an int literal steps by one)
FLOAT_STEPS = (1.0, 0.5, 0.1)


def subtree_at(e: Expr, index: int) -> Expr:
    """The node at preorder `index`."""
    while index:
        index -= 1
        if isinstance(e, Lam):
            e = e.body
        elif index < e.fn.size:  # type: ignore[union-attr]
            e = e.fn  # type: ignore[union-attr]
        else:
            index -= e.fn.size  # type: ignore[union-attr]
            e = e.arg  # type: ignore[union-attr]
    return e


def replace_at(e: Expr, index: int, new: Expr) -> Expr:
    """`e` with the node at preorder `index` replaced by `new` (rebuilds the path only)."""
    path: list[tuple[Expr, bool]] = []  # (ancestor, went into fn / body)
    while index:
        index -= 1
        if isinstance(e, Lam):
            path.append((e, True))
            e = e.body
        elif index < e.fn.size:  # type: ignore[union-attr]
            path.append((e, True))
            e = e.fn  # type: ignore[union-attr]
        else:
            index -= e.fn.size  # type: ignore[union-attr]
            path.append((e, False))
            e = e.arg  # type: ignore[union-attr]
    for node, first in reversed(path):
        if isinstance(node, Lam):
            new = Lam(new)
        else:
            new = App(new, node.arg) if first else App(node.fn, new)  # type: ignore[union-attr]
    return new


def _graft(ann: Ann, index: int, old_size: int, sub_ann: Ann) -> Ann:
    """Annotations after replacing the node at `index`; `sub_ann` must be in its context."""
    return ann[:index] + sub_ann + ann[index + old_size:]


def _recontext(sub_ann: Ann, new_ctx: tuple[Type, ...]) -> Ann:
    """Move a subtree's annotations under another context (inner binders are kept)."""
    base = len(sub_ann[0][1])
    if sub_ann[0][1] == new_ctx:
        return sub_ann
    return tuple(e if e[1] is None else (e[0], e[1][: len(e[1]) - base] + new_ctx) for e in sub_ann)


def random_point(rng: random.Random, a: Typed, first: int) -> int:
    """A random annotated node at or after `first` (the body root always is one)."""
    while True:
        i = rng.randrange(first, a.expr.size)
        if a.ann[i][0] is not None:
            return i


def _fits(sub: Expr, from_ctx: tuple[Type, ...], to_ctx: tuple[Type, ...]) -> bool:
    """True when the free variables of `sub` have the same types in both contexts."""
    if from_ctx is to_ctx or from_ctx == to_ctx:
        return True
    bound = free_index_bound(sub)
    return len(to_ctx) >= bound and from_ctx[:bound] == to_ctx[:bound]


def crossover(rng: random.Random, a: Typed, b: Typed, first: int, tries: int = 4) -> tuple[Typed, Typed] | None:
    """Swap two subtrees of equal type whose variables fit both places (None if none found).

    `first` is the first index open to variation (after the task's argument lambdas).
    """
    if a.expr.size <= first or b.expr.size <= first:
        return None
    for _ in range(tries):
        i = random_point(rng, a, first)
        ti, ci = a.ann[i]
        js = [j for j in range(first, b.expr.size) if b.ann[j][0] is ti]  # types are interned
        if not js:
            continue
        j = js[rng.randrange(len(js))]
        cj = b.ann[j][1]
        si, sj = subtree_at(a.expr, i), subtree_at(b.expr, j)
        if si == sj or not _fits(sj, cj, ci) or not _fits(si, ci, cj):
            continue
        ann_i, ann_j = a.ann[i:i + si.size], b.ann[j:j + sj.size]
        child_a = Typed(replace_at(a.expr, i, sj), _graft(a.ann, i, si.size, _recontext(ann_j, ci)))
        child_b = Typed(replace_at(b.expr, j, si), _graft(b.ann, j, sj.size, _recontext(ann_i, cj)))
        return child_a, child_b
    return None


def mutate_subtree(rng: random.Random, grammar: Grammar, a: Typed, first: int, max_depth: int = 3) -> Typed | None:
    """Replace a random subtree by a fresh one of the same type in the same context."""
    if a.expr.size <= first:
        return None
    i = random_point(rng, a, first)
    t, ctx = a.ann[i]
    sub = grammar.random_subtree(rng, t, ctx, rng.randint(1, max_depth), full=False)
    if sub is None:
        return None
    old = subtree_at(a.expr, i)
    return Typed(replace_at(a.expr, i, sub.expr), _graft(a.ann, i, old.size, sub.ann))


def mutate_literal(rng: random.Random, a: Typed, types: Collection[Type] | None = None) -> Typed | None:
    """Step a random numeric literal: an int by one up or down, a float by one of
    FLOAT_STEPS (None if there is none). Only nodes annotated with one of `types` are
    looked at (`Grammar.literal_types`: the types of the library's numeric literals),
    every node when None; a literal keeps its type, so annotations stay right."""
    spots = [i for i, (t, _) in enumerate(a.ann) if t is not None and (types is None or t in types)]
    rng.shuffle(spots)
    for i in spots:
        node = subtree_at(a.expr, i)
        if not isinstance(node, Lit):
            continue
        kind = type(node.value)  # the literal's Python class: bools and user values have no steps
        if kind is int:
            return Typed(replace_at(a.expr, i, Lit(node.value + rng.choice((-1, 1)))), a.ann)
        if kind is float:
            step = rng.choice((-1, 1)) * rng.choice(FLOAT_STEPS)
            return Typed(replace_at(a.expr, i, Lit(node.value + step)), a.ann)
    return None


__all__ = ["NO_POINT", "Grammar", "Typed", "crossover", "mutate_literal", "mutate_subtree", "random_point",
           "replace_at", "rigid", "subtree_at"]
