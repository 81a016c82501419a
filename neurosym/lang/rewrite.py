"""Syntactic rewrites of programs that preserve meaning: shifting de Bruijn indices and
eta-reduction (`\\x -> f x` is `f` when f does not use x)."""

from __future__ import annotations

from neurosym.lang.ast import App, Expr, Lam, Var
from neurosym.lang.nesting import SHALLOW, recursion_room


def shift(e: Expr, by: int, cutoff: int = 0) -> Expr:
    """Add `by` to every free variable index (>= cutoff) of `e`."""
    if e.depth <= SHALLOW:
        return _shift(e, by, cutoff)
    with recursion_room(e.depth):
        return _shift(e, by, cutoff)


def _shift(e: Expr, by: int, cutoff: int) -> Expr:
    if isinstance(e, Var):
        return Var(e.index + by) if e.index >= cutoff else e
    if isinstance(e, Lam):
        return Lam(_shift(e.body, by, cutoff + 1))
    if isinstance(e, App):
        return App(_shift(e.fn, by, cutoff), _shift(e.arg, by, cutoff))
    return e


def mentions(e: Expr, lowest: int, below: int, depth: int = 0) -> bool:
    """Does `e` use a variable with index in [lowest, below) (relative to depth 0)?
    (Iterative: it runs on every lambda the enumerator builds.)"""
    stack = [(e, depth)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, Var):
            if lowest + d <= node.index < below + d:
                return True
        elif isinstance(node, Lam):
            stack.append((node.body, d + 1))
        elif isinstance(node, App):
            stack.append((node.arg, d))
            stack.append((node.fn, d))
    return False


def eta_reduce(body: Expr, arity: int) -> Expr:
    """`\\x y -> f x y` becomes `f` when f uses neither x nor y; else the lambda itself."""
    fn, args = body, []
    while isinstance(fn, App) and len(args) < arity:
        args.append(fn.arg)
        fn = fn.fn
    if len(args) == arity and all(a == Var(i) for i, a in enumerate(args)) and not mentions(fn, 0, arity):
        return shift(fn, -arity, 0)
    term = body
    for _ in range(arity):
        term = Lam(term)
    return term


def eta_normalize(e: Expr) -> Expr:
    """Eta-reduce every lambda that can be, innermost first: `\\x -> map f x` is `map f`."""
    if e.depth <= SHALLOW:
        return _eta_normalize(e)
    with recursion_room(e.depth):
        return _eta_normalize(e)


def _eta_normalize(e: Expr) -> Expr:
    if isinstance(e, App):
        return App(_eta_normalize(e.fn), _eta_normalize(e.arg))
    if isinstance(e, Lam):
        body = _eta_normalize(e.body)
        if isinstance(body, App) and body.arg == Var(0) and not mentions(body.fn, 0, 1):
            return shift(body.fn, -1, 0)
        return Lam(body)
    return e
