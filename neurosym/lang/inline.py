"""Inlining: a program over library routines rewritten over the base primitives alone.

A found program such as `map_add 1` means nothing without the library that defines
`map_add`; `inline(program, library)` replaces every routine it uses (transitively:
routines are built from earlier routines) by its definition, so the result runs with
`Library.base()` and can be exported (`neurosym.lang.export`) or read on its own.

Routine bodies are closed terms, so replacing `Prim(name)` by the body never captures a
variable. The redexes this creates, `(\\x -> body) arg`, are then beta-reduced where
that cannot change what the evaluator computes nor make it slower: when `arg` is a
variable, literal or primitive; when `x` occurs at most once and either `arg` is a
value (a lambda, or a primitive applied to too few values) or the occurrence is not
inside a lambda (so `arg` is still evaluated at most once); or when `arg` is a small
value (copying it costs nothing at run time). Substituting into a branch may skip
evaluating `arg`; that can only turn a fault into a value, never a value into another.

Every traversal here is iterative (`fold_tree`), so deep programs do not hit Python's
recursion limit (fold_tree and shift live in neurosym.lang.rewrite). The library is duck-typed (anything with `routines`, each with `name`
and `body`, or a mapping from names to bodies): `lang` imports nothing above itself.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, primitives_used, spine
from neurosym.lang.base import base_dsl
from neurosym.lang.rewrite import fold_tree, rebuild, shift

#: a value this small may be copied into every place its variable is used
SMALL = 8

#: at most this many rounds of beta-reduction (each round reduces every safe redex)
MAX_ROUNDS = 64


class InlineError(NeurosymError, ValueError):
    """Routines that cannot be inlined (a routine that uses itself)."""


def substitute(body: Expr, arg: Expr) -> Expr:
    """`body[0 := arg]`, the body of `\\x -> body` applied to `arg`, with the other free
    variables of `body` shifted down (the binder is gone)."""
    shifted: dict[int, Expr] = {}

    def combine(node: Expr, d: int, kids: list[Expr]) -> Expr:
        if isinstance(node, Var):
            if node.index == d:
                if d not in shifted:
                    shifted[d] = shift(arg, d)
                return shifted[d]
            return Var(node.index - 1) if node.index > d else node
        return rebuild(node, kids)

    return fold_tree(body, combine)


def _uses(body: Expr) -> tuple[int, int]:
    """(occurrences of the variable bound just outside `body`, those inside a lambda)."""
    def combine(node: Expr, d: int, kids: list[tuple[int, int]]) -> tuple[int, int]:
        if isinstance(node, Var):
            return (1, 1 if d > 0 else 0) if node.index == d else (0, 0)
        return (sum(k[0] for k in kids), sum(k[1] for k in kids))

    return fold_tree(body, combine)


def _is_value(e: Expr, dsl: Any) -> bool:
    """Is `e` a value whose evaluation cannot fail nor cost anything: a variable, literal,
    primitive, lambda, or a primitive of the DSL applied to fewer such values than it takes?"""
    if isinstance(e, (Var, Lit, Prim, Lam)):
        return True
    head, args = spine(e)
    record = dsl.get_primitive(head.name) if isinstance(head, Prim) else None
    return record is not None and len(args) < record.arity and all(_is_value(a, dsl) for a in args)


def _safe_redex(fn: Expr, arg: Expr, dsl: Any) -> bool:
    if not isinstance(fn, Lam):
        return False
    if isinstance(arg, (Var, Lit, Prim)):
        return True
    count, under_lambda = _uses(fn.body)
    if count == 0:
        return True
    value = _is_value(arg, dsl)
    if count == 1:
        return value or under_lambda == 0
    return value and arg.size <= SMALL


def beta_reduce(e: Expr, max_rounds: int = MAX_ROUNDS, dsl: Any = None) -> Expr:
    """Reduce the safe redexes of `e` (see the module docstring) until none is left."""
    dsl = dsl if dsl is not None else base_dsl()
    cap = max(1000, 8 * e.size)  # copies of small values must not make it blow up
    for _ in range(max_rounds):
        changed = False

        def combine(node: Expr, d: int, kids: list[Expr]) -> Expr:
            nonlocal changed
            if isinstance(node, App) and _safe_redex(kids[0], kids[1], dsl):
                changed = True
                return substitute(kids[0].body, kids[1])  # type: ignore[union-attr]
            return rebuild(node, kids)

        reduced = fold_tree(e, combine)
        if not changed or reduced.size > cap:
            break
        e = reduced
    return e


def _dsl_of(library: Any) -> Any:
    return getattr(library, "dsl", None) or base_dsl()


def _bodies(library: Any) -> dict[str, Expr]:
    if isinstance(library, Mapping):
        return dict(library)
    return {r.name: r.body for r in getattr(library, "routines", ())}


def expand_routines(bodies: Mapping[str, Expr]) -> dict[str, Expr]:
    """Each routine's body with the routines it uses expanded, transitively (in any
    definition order; a routine that uses itself, directly or not, is an InlineError)."""
    done: dict[str, Expr] = {}
    for name in bodies:
        pending, visiting = [(name, False)], set()
        while pending:
            current, ready = pending.pop()
            if current in done:
                continue
            deps = [n for n in primitives_used(bodies[current]) if n in bodies and n not in done]
            if not ready:
                if current in visiting:
                    raise InlineError(f"routine {current!r} uses itself; it cannot be inlined")
                visiting.add(current)
                pending.append((current, True))
                pending += [(n, False) for n in deps]
                continue
            if deps:  # a dependency is still on the way: it reached `current` in a cycle
                raise InlineError(f"routine {current!r} uses itself; it cannot be inlined")
            done[current] = _replace_prims(bodies[current], done)
    return done


def _replace_prims(e: Expr, expanded: Mapping[str, Expr]) -> Expr:
    def combine(node: Expr, d: int, kids: list[Expr]) -> Expr:
        if isinstance(node, Prim) and node.name in expanded:
            return expanded[node.name]  # closed: no shift needed under binders
        return rebuild(node, kids)

    return fold_tree(e, combine)


def routines_used(expr: Expr, library: Any) -> list[str]:
    """The library routines `expr` uses directly, sorted."""
    return sorted(primitives_used(expr) & set(_bodies(library)))


def inline(expr: Expr, library: "Any | Mapping[str, Expr]", beta: bool = True) -> Expr:
    """`expr` with every routine of `library` it uses replaced by the routine's body,
    transitively, so that it runs against the base primitives; with `beta`, the redexes
    this creates are reduced where that is safe. Names that are not routines (base
    primitives, neural routines) are left as they are."""
    bodies = _bodies(library)
    used = primitives_used(expr) & set(bodies)
    if not used:
        return expr
    expanded = expand_routines(bodies)
    out = _replace_prims(expr, expanded)
    return beta_reduce(out, dsl=_dsl_of(library)) if beta else out


def inline_all(exprs: Iterable[Expr], library: Any, beta: bool = True) -> list[Expr]:
    """`inline` over many programs, expanding the library once."""
    bodies = _bodies(library)
    expanded = expand_routines(bodies)
    out = []
    for e in exprs:
        if primitives_used(e) & set(bodies):
            e = _replace_prims(e, expanded)
            e = beta_reduce(e, dsl=_dsl_of(library)) if beta else e
        out.append(e)
    return out
