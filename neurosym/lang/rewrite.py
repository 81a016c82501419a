"""Syntactic rewrites of programs that preserve meaning: shifting de Bruijn indices and
eta-reduction (`\\x -> f x` is `f` when f does not use x), over `fold_tree`, an
iterative bottom-up fold (programs may nest a thousand deep)."""

from __future__ import annotations

from typing import Callable, Mapping, TypeVar

from neurosym.lang.ast import App, Expr, Lam, Prim, Var, apply, spine

R = TypeVar("R")


def fold_tree(root: Expr, combine: Callable[[Expr, int, list[R]], R], depth: int = 0) -> R:
    """Bottom-up fold without recursion: `combine(node, binder_depth, child_results)`.

    Children are an App's `fn` and `arg` (at the node's depth) and a Lam's `body` (one
    deeper); leaves get an empty list. `depth` is the number of enclosing binders."""
    results: list[R] = []
    stack: list[tuple[Expr, int, bool]] = [(root, depth, False)]
    while stack:
        node, d, expanded = stack.pop()
        if isinstance(node, App):
            if expanded:
                arg = results.pop()
                fn = results.pop()
                results.append(combine(node, d, [fn, arg]))
            else:
                stack += [(node, d, True), (node.arg, d, False), (node.fn, d, False)]
        elif isinstance(node, Lam):
            if expanded:
                results.append(combine(node, d, [results.pop()]))
            else:
                stack += [(node, d, True), (node.body, d + 1, False)]
        else:
            results.append(combine(node, d, []))
    return results[0]


def rebuild(node: Expr, kids: list[Expr]) -> Expr:
    """`node` with new children, reusing the node when they are the same objects."""
    if isinstance(node, App):
        fn, arg = kids
        return node if fn is node.fn and arg is node.arg else App(fn, arg)
    if isinstance(node, Lam):
        return node if kids[0] is node.body else Lam(kids[0])
    return node


def rename_primitives(e: Expr, names: Mapping[str, str]) -> Expr:
    """`e` with every primitive or routine named in `names` renamed (iterative)."""

    def combine(node: Expr, d: int, kids: list[Expr]) -> Expr:
        if isinstance(node, Prim) and node.name in names:
            return Prim(names[node.name])
        return rebuild(node, kids)

    return fold_tree(e, combine)


def shift(e: Expr, by: int, cutoff: int = 0) -> Expr:
    """Add `by` to every free variable index (>= cutoff) of `e` (iterative)."""
    if by == 0:
        return e

    def combine(node: Expr, d: int, kids: list[Expr]) -> Expr:
        if isinstance(node, Var):
            return Var(node.index + by) if node.index >= cutoff + d else node
        return rebuild(node, kids)

    return fold_tree(e, combine)


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


def lambda_body(function: Expr, params: int) -> Expr:
    """The body of a function of `params` parameters, the last as variable 0: its
    lambdas stripped, and applied to the parameters it lacks where it has fewer (an
    eta-reduced function, `not` for `\\x -> not x`)."""
    body, stripped = function, 0
    while stripped < params and isinstance(body, Lam):
        body, stripped = body.body, stripped + 1
    missing = params - stripped
    return apply(shift(body, missing), *[Var(i) for i in reversed(range(missing))])


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

    def combine(node: Expr, d: int, kids: list[Expr]) -> Expr:
        if isinstance(node, Lam):
            body = kids[0]
            if isinstance(body, App) and body.arg == Var(0) and not mentions(body.fn, 0, 1):
                return shift(body.fn, -1, 0)
        return rebuild(node, kids)

    return fold_tree(e, combine)


def eta_expand_primitive(expr: Expr, arity: Callable[[str], int | None]) -> Expr:
    """A primitive given fewer arguments than it takes (`arity` of its name; None for a
    name that is not one), as the whole program (`map f`), as the lambda over the rest
    (`\\x -> map f x`); any other program as it is. The compiler runs the lambda's body
    with a direct call, where the program as written builds a closure per argument."""
    head, args = spine(expr)
    n = arity(head.name) if isinstance(head, Prim) else None
    if n is None or len(args) >= n:
        return expr
    missing = n - len(args)
    program: Expr = apply(expr, *[Var(i) for i in reversed(range(missing))])
    for _ in range(missing):
        program = Lam(program)
    return program
