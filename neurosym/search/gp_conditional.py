"""A GP mutation that wraps a subtree in a small conditional.

Subtree mutation and crossover seldom build `if a < b then a else b`: the branch, its
test and both arms must appear together, and each alone rarely lowers the error (PSB1's
`smallest`, the least of four integers, was never solved by GP). This operator makes
such conditionals one step away, as PushGP's exec-stack conditionals make them cheap
(the size limit mattered as much: genetic.size_limit):
a subtree `old` of ordered type becomes `if old < w then old else w` (or its mirror
image, a maximum), where `w` is a small random term; any other subtree becomes
`if c then old else w` (or `if c then w else old`) with a small random test `c`.

The library's `if` (`bool -> a -> a -> a`) and `<` (`t -> t -> bool`) are looked up by
name; a library without `if` has no conditional mutation (`Conditionals.of` is None).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from neurosym.lang.ast import App, Expr
from neurosym.lang.types import TVar, Type, split_arrow
from neurosym.library import Library
from neurosym.search.gp_grammar import NO_POINT, Grammar, Typed
from neurosym.search.gp_ops import random_point, replace_at, subtree_at


@dataclass(frozen=True)
class Conditionals:
    """The library's branch and comparison, with the (interned) types they take."""

    branch: Expr  # `if`
    boolean: Type  # its test's type
    less: Expr | None = None  # `<`, where the library has one of type `t -> t -> bool`
    ordered: Type | None = None  # the `t` that `<` compares

    @classmethod
    def of(cls, library: Library, grammar: Grammar) -> "Conditionals | None":
        names = set(library.names())
        if "if" not in names:
            return None
        branch = library.production("if")
        args, ret = split_arrow(branch.type)
        if len(args) != 3 or not isinstance(ret, TVar) or args[1:] != (ret, ret) or isinstance(args[0], TVar):
            return None  # not `bool -> a -> a -> a`
        boolean = grammar.intern(args[0])
        if "<" in names:
            less = library.production("<")
            compared, result = split_arrow(less.type)
            if len(compared) == 2 and compared[0] == compared[1] and result == args[0] and \
                    not isinstance(compared[0], TVar):
                return cls(branch.expr, boolean, less.expr, grammar.intern(compared[0]))  # type: ignore[arg-type]
        return cls(branch.expr, boolean)  # type: ignore[arg-type]


def _apply(head: Expr, args: list[Typed], t: Type, ctx: tuple) -> Typed:
    """`head a1 .. an` at type `t` in `ctx`, annotated as generation annotates it."""
    expr = head
    for a in args:
        expr = App(expr, a.expr)
    ann = ((t, ctx),) + (NO_POINT,) * len(args)
    for a in args:
        ann += a.ann
    return Typed(expr, ann)


def mutate_conditional(rng: random.Random, grammar: Grammar, conditionals: Conditionals, a: Typed, first: int,
                       max_depth: int = 2) -> Typed | None:
    """`a` with a random subtree (at or after index `first`) wrapped in a small
    conditional, or None where no term the conditional needs could be built."""
    if a.expr.size <= first:
        return None
    i = random_point(rng, a, first)
    t, ctx = a.ann[i]
    if t is conditionals.boolean and rng.random() < 0.5:
        return None  # a test of a test: leave it to the other operators half the time
    node = subtree_at(a.expr, i)
    old = Typed(node, a.ann[i:i + node.size])
    extremum = conditionals.less is not None and t is conditionals.ordered and rng.random() < 0.5
    other = grammar.random_subtree(rng, t, ctx, 1 if extremum else rng.randint(1, max_depth))
    if other is None:
        return None
    if extremum:
        pair = [old, other] if rng.random() < 0.5 else [other, old]  # the least, or the greatest
        test = _apply(conditionals.less, pair, conditionals.boolean, ctx)
        arms = [old, other]
    else:
        test = grammar.random_subtree(rng, conditionals.boolean, ctx, rng.randint(1, max_depth))
        if test is None:
            return None
        arms = [old, other] if rng.random() < 0.5 else [other, old]
    wrapped = _apply(conditionals.branch, [test, *arms], t, ctx)
    return Typed(replace_at(a.expr, i, wrapped.expr), a.ann[:i] + wrapped.ann + a.ann[i + node.size:])
