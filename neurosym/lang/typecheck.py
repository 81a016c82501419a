"""Hindley-Milner type inference over the AST.

Primitives and routines are let-bound with polymorphic types (each use instantiates
fresh variables); lambda-bound variables are monomorphic. A type error names the
offending sub-term and both types.
"""

from __future__ import annotations

from typing import Mapping

from neurosym.lang.ast import App, Definition, Expr, Lam, Lit, Prim, Var
from neurosym.lang.printer import format_expr
from neurosym.lang.types import (
    BOOL,
    INT,
    FreshVars,
    Substitution,
    TCon,
    Type,
    UnificationError,
    arrow,
    canonical,
    format_type,
    instance_of,
    instantiate,
    is_arrow,
    resolve,
    unify,
)


class TypeCheckError(ValueError):
    """A program that does not type; names the sub-term and the two types that clash."""

    def __init__(self, message: str, subterm: str = "", expected: Type | None = None, found: Type | None = None):
        super().__init__(message)
        self.subterm, self.expected, self.found = subterm, expected, found


def _show(t: Type, subst: Substitution) -> Type:
    return resolve(t, subst)


def _infer(e: Expr, ctx: tuple[Type, ...], env: Mapping[str, Type], subst: Substitution, fresh: FreshVars) -> Type:
    if isinstance(e, Lit):
        return BOOL if isinstance(e.value, bool) else INT
    if isinstance(e, Var):
        if e.index >= len(ctx):
            raise TypeCheckError(f"unbound variable ${e.index - len(ctx)}", subterm=f"${e.index}")
        return ctx[e.index]
    if isinstance(e, Prim):
        if e.name not in env:
            raise TypeCheckError(f"unknown name '{e.name}': not a primitive, routine or bound variable",
                                 subterm=e.name)
        return instantiate(env[e.name], fresh)
    if isinstance(e, Lam):
        param = fresh()
        body = _infer(e.body, (param,) + ctx, env, subst, fresh)
        return arrow(param, body)
    assert isinstance(e, App)
    fn_type = _infer(e.fn, ctx, env, subst, fresh)
    arg_type = _infer(e.arg, ctx, env, subst, fresh)
    result = fresh()
    try:
        unify(fn_type, arrow(arg_type, result), subst)
    except UnificationError:
        depth = len(ctx)
        fn_shown = _show(fn_type, subst)
        arg_shown = _show(arg_type, subst)
        fn_text, arg_text = format_expr(e.fn, depth), format_expr(e.arg, depth)
        if is_arrow(fn_shown):
            expected = fn_shown.args[0]  # type: ignore[union-attr]
            raise TypeCheckError(
                f"type error in `{format_expr(e, depth)}`: `{fn_text}` expects an argument of type "
                f"{format_type(expected)}, but `{arg_text}` has type {format_type(arg_shown)}",
                subterm=arg_text, expected=expected, found=arg_shown,
            ) from None
        if isinstance(fn_shown, TCon):
            raise TypeCheckError(
                f"type error in `{format_expr(e, depth)}`: `{fn_text}` has type {format_type(fn_shown)}, "
                f"which is not a function, but is applied to `{arg_text}`",
                subterm=fn_text, expected=arrow(arg_shown, result), found=fn_shown,
            ) from None
        raise TypeCheckError(
            f"type error in `{format_expr(e, depth)}`: applying `{fn_text}` ({format_type(fn_shown)}) "
            f"to `{arg_text}` ({format_type(arg_shown)}) gives an infinite type",
            subterm=format_expr(e, depth), expected=fn_shown, found=arg_shown,
        ) from None
    return result


def infer_type(e: Expr, env: Mapping[str, Type]) -> Type:
    """The most general type of a closed program, with variables renamed a, b, c, ..."""
    subst: Substitution = {}
    t = _infer(e, (), env, subst, FreshVars())
    return canonical(resolve(t, subst))


def check_type(e: Expr, expected: Type, env: Mapping[str, Type]) -> Type:
    """Check that `e` can be used at type `expected`; return the type it is used at."""
    subst: Substitution = {}
    fresh = FreshVars()
    t = _infer(e, (), env, subst, fresh)
    try:
        unify(t, expected, subst)
    except UnificationError:
        raise TypeCheckError(
            f"type error: `{format_expr(e)}` has type {format_type(canonical(resolve(t, subst)))}, "
            f"but {format_type(expected)} is needed",
            subterm=format_expr(e), expected=expected, found=canonical(resolve(t, subst)),
        ) from None
    return resolve(expected, subst)


def check_definitions(defs: tuple[Definition, ...], env: Mapping[str, Type]) -> dict[str, Type]:
    """Type the definitions in order (each may use earlier ones); returns env extended."""
    extended = dict(env)
    for d in defs:
        try:
            inferred = infer_type(d.body, extended)
        except TypeCheckError as err:
            raise TypeCheckError(f"in definition '{d.name}': {err}", err.subterm, err.expected, err.found) from None
        if d.type is not None:
            declared: Type = d.type  # type: ignore[assignment]
            if not instance_of(inferred, declared):
                raise TypeCheckError(
                    f"definition '{d.name}' is declared {format_type(declared)} but its body has type "
                    f"{format_type(inferred)}",
                    subterm=d.name, expected=declared, found=inferred,
                )
            inferred = declared
        extended[d.name] = inferred
    return extended
