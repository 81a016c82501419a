"""Compiler fast paths for map, filter, fold and loop applied to a lambda written in place.

`map (\\x -> x + 1) xs` compiled generically builds a function value for the lambda and
calls it per element, and the function calls its body: two Python calls an element.
Written in place, the lambda's body can be run directly on each element's environment:
one call. Steps are charged as the primitives charge them (one per element visited or
iteration), so
budgets, faults and values are the same as the generic path's (differentially tested).
Any other function argument takes the generic path.
"""

from __future__ import annotations

from typing import Any, Callable

from neurosym.lang.ast import Expr, Lam
from neurosym.lang.primitives import BudgetExceeded

Node = Callable[[Any], Any]


def charger(rt: Any) -> Callable[[tuple], tuple]:
    """Charge a step per element a higher-order primitive visits (the primitives' own
    implementations in base.py use it too)."""
    def charge(xs: tuple) -> tuple:
        rt.steps -= len(xs)
        if rt.steps < 0:
            raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
        return xs

    return charge


def _generic(c: Any, name: str, args: list[Expr]) -> Node:
    return c.call(c.rt.impls[name][1], args)


def compile_map(c: Any, args: list[Expr]) -> Node:
    """`map f xs`, f's body run in place when f is a one-parameter lambda."""
    f, xs_expr = args
    if not isinstance(f, Lam) or isinstance(f.body, Lam):
        return _generic(c, "map", args)
    body, xs, charge = c.node(f.body), c.node(xs_expr), charger(c.rt)
    return lambda env: tuple([body((v, env)) for v in charge(xs(env))])


def compile_filter(c: Any, args: list[Expr]) -> Node:
    """`filter p xs`, p's body run in place when p is a one-parameter lambda."""
    p, xs_expr = args
    if not isinstance(p, Lam) or isinstance(p.body, Lam):
        return _generic(c, "filter", args)
    body, xs, charge = c.node(p.body), c.node(xs_expr), charger(c.rt)
    return lambda env: tuple([v for v in charge(xs(env)) if body((v, env))])


def compile_fold(c: Any, args: list[Expr]) -> Node:
    """`fold f z xs`, f's body run in place when f is a two-parameter lambda (the element
    as variable 1, the accumulator as variable 0)."""
    f, z_expr, xs_expr = args
    if not (isinstance(f, Lam) and isinstance(f.body, Lam)):
        return _generic(c, "fold", args)
    body, z, xs, charge = c.node(f.body.body), c.node(z_expr), c.node(xs_expr), charger(c.rt)

    def fold(env: Any) -> Any:
        acc = z(env)
        for x in reversed(charge(xs(env))):
            acc = body((acc, (x, env)))
        return acc

    return fold


def compile_loop(c: Any, args: list[Expr]) -> Node:
    """`loop n f x`, f's body run in place when f is a one-parameter lambda."""
    n_expr, f, x_expr = args
    if not isinstance(f, Lam) or isinstance(f.body, Lam):
        return _generic(c, "loop", args)
    n, body, x, rt = c.node(n_expr), c.node(f.body), c.node(x_expr), c.rt

    def loop(env: Any) -> Any:
        times, value = n(env), x(env)
        if times > 0:
            rt.charge(times)
            for _ in range(times):
                value = body((value, env))
        return value

    return loop
