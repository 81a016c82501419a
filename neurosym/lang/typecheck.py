"""Hindley-Milner type inference over the AST.

Primitives and routines are let-bound with polymorphic types (each use instantiates
fresh variables); lambda-bound variables are monomorphic. A type error names the
offending sub-term and both types. Inference recurses over the program; programs up to
MAX_NESTING levels (neurosym.lang.nesting) are given the stack room they need, deeper
ones are refused with a TypeCheckError.
"""

from __future__ import annotations

from typing import Any, Mapping

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Definition, Expr, Lam, Lit, Prim, Var
from neurosym.lang.base import base_dsl
from neurosym.lang.nesting import MAX_NESTING, nesting_message, recursion_room
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


class TypeCheckError(NeurosymError, ValueError):
    """A program that does not type; names the sub-term and the two types that clash."""

    def __init__(self, message: str, subterm: str = "", expected: Type | None = None, found: Type | None = None):
        super().__init__(message)
        self.subterm, self.expected, self.found = subterm, expected, found


class Env(dict):
    """Name -> type of every primitive and routine in scope, and the DSL (for the types
    of literals and the spelling of programs in messages)."""

    __slots__ = ("dsl",)

    def __init__(self, names: Mapping[str, Type], dsl: Any) -> None:
        super().__init__(names)
        self.dsl = dsl


def as_env(env: Mapping[str, Type], dsl: Any = None) -> Env:
    """`env` with its DSL: the one given, the one `env` carries, or the base language."""
    if isinstance(env, Env) and (dsl is None or dsl is env.dsl):
        return env
    if dsl is None:
        dsl = env.dsl if isinstance(env, Env) else base_dsl()
    return Env(env, dsl)


def _readable(*types: Type) -> tuple[Type, ...]:
    """Resolve and rename variables jointly (a, b, ...) so that messages are stable."""
    joined = canonical(TCon("tuple", tuple(types)))
    return joined.args  # type: ignore[union-attr]


def _mismatch(e: Expr, depth: int, found: Type, expected: Type, subst: Substitution, env: Env) -> TypeCheckError:
    found, expected = _readable(resolve(found, subst), resolve(expected, subst))
    text = format_expr(e, depth, env.dsl)
    return TypeCheckError(
        f"type error: `{text}` has type {format_type(found)}, but {format_type(expected)} is needed here",
        subterm=text, expected=expected, found=found,
    )


def _infer(
    e: Expr, ctx: tuple[Type, ...], env: "Env", subst: Substitution, fresh: FreshVars,
    expected: Type | None = None,
) -> Type:
    """Infer the type of `e`; a known `expected` type is pushed down (bidirectionally) so
    that a mismatch is reported at the smallest sub-term that causes it."""
    if isinstance(e, Lam):
        want = resolve(expected, subst) if expected is not None else None
        if want is not None and is_arrow(want):
            param, body_expected = want.args  # type: ignore[union-attr]
        else:
            param, body_expected = fresh(), None
        body = _infer(e.body, (param,) + ctx, env, subst, fresh, body_expected)
        t = arrow(param, body)
    elif isinstance(e, App):
        t = _infer_app(e, ctx, env, subst, fresh, expected)
    else:
        t = _infer_leaf(e, ctx, env, fresh)
    if expected is not None:
        try:
            unify(t, expected, subst)
        except UnificationError:
            raise _mismatch(e, len(ctx), t, expected, subst, env) from None
    return t


def _infer_leaf(e: Expr, ctx: tuple[Type, ...], env: "Env", fresh: FreshVars) -> Type:
    if isinstance(e, Lit):
        if type(e.value) is bool:
            return BOOL
        if type(e.value) is int:
            return INT
        try:
            return env.dsl.literal_type(e.value)
        except NeurosymError as err:
            raise TypeCheckError(str(err), subterm=repr(e.value)) from None
    if isinstance(e, Var):
        if e.index >= len(ctx):
            raise TypeCheckError(f"unbound variable ${e.index - len(ctx)}", subterm=f"${e.index}")
        return ctx[e.index]
    assert isinstance(e, Prim)
    if e.name not in env:
        raise TypeCheckError(f"unknown name '{e.name}': not a primitive, routine or bound variable", subterm=e.name)
    return instantiate(env[e.name], fresh)


def _infer_app(
    e: App, ctx: tuple[Type, ...], env: "Env", subst: Substitution, fresh: FreshVars,
    expected: Type | None,
) -> Type:
    depth = len(ctx)
    fn_type = _infer(e.fn, ctx, env, subst, fresh)
    arg_expected = None
    fn_now = resolve(fn_type, subst)
    if is_arrow(fn_now):
        arg_expected = fn_now.args[0]  # type: ignore[union-attr]
        if expected is not None:
            try:
                unify(fn_now.args[1], expected, subst)  # type: ignore[union-attr]
            except UnificationError:
                raise _mismatch(e, depth, fn_now.args[1], expected, subst, env) from None  # type: ignore[union-attr]
    arg_type = _infer(e.arg, ctx, env, subst, fresh, arg_expected)
    result = fresh()
    try:
        unify(fn_type, arrow(arg_type, result), subst)
    except UnificationError:
        fn_shown, arg_shown = _readable(resolve(fn_type, subst), resolve(arg_type, subst))
        fn_text, arg_text = format_expr(e.fn, depth, env.dsl), format_expr(e.arg, depth, env.dsl)
        if isinstance(fn_shown, TCon) and not is_arrow(fn_shown):
            raise TypeCheckError(
                f"type error in `{format_expr(e, depth, env.dsl)}`: `{fn_text}` has type {format_type(fn_shown)}, "
                f"which is not a function, but is applied to `{arg_text}`",
                subterm=fn_text, expected=arrow(arg_shown, result), found=fn_shown,
            ) from None
        raise TypeCheckError(
            f"type error in `{format_expr(e, depth, env.dsl)}`: applying `{fn_text}` ({format_type(fn_shown)}) "
            f"to `{arg_text}` ({format_type(arg_shown)}) gives an infinite type",
            subterm=format_expr(e, depth, env.dsl), expected=fn_shown, found=arg_shown,
        ) from None
    return result


def _nesting_ok(e: Expr) -> None:
    if e.depth > MAX_NESTING:
        raise TypeCheckError(nesting_message("the program", e.depth))


def infer_type(e: Expr, env: Mapping[str, Type], dsl: Any = None) -> Type:
    """The most general type of a closed program, with variables renamed a, b, c, ...
    `env` maps the names in scope to their types (a Library's `env()`, or a DSL's)."""
    _nesting_ok(e)
    env = as_env(env, dsl)
    subst: Substitution = {}
    with recursion_room(e.depth):
        t = _infer(e, (), env, subst, FreshVars())
        return canonical(resolve(t, subst))


def check_type(e: Expr, expected: Type, env: Mapping[str, Type], dsl: Any = None) -> Type:
    """Check that `e` can be used at type `expected`; return the type it is used at."""
    _nesting_ok(e)
    env = as_env(env, dsl)
    subst: Substitution = {}
    fresh = FreshVars()
    with recursion_room(e.depth):
        _infer(e, (), env, subst, fresh, instantiate(expected, fresh))
        return resolve(expected, subst)


def check_definitions(defs: tuple[Definition, ...], env: Mapping[str, Type], dsl: Any = None) -> Env:
    """Type the definitions in order (each may use earlier ones); returns env extended."""
    extended = Env(env, as_env(env, dsl).dsl)
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
