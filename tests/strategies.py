"""Hypothesis strategies for neurosym programs, types and values.

The central one is `well_typed_programs`: type-directed generation of closed programs.
To build an expression of a requested (ground) type in a context of lambda-bound
variable types it picks among literals, variables of that type, primitives whose result
(after some number of arguments, so partial applications included) unifies with the
requested type, lambdas when the type is an arrow, and applications of a generated
function to a generated argument. Any type variable left open by a primitive's type is
grounded to a random small type, so every sub-term has a ground type and the whole
program type-checks at the requested type by construction.
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import strategies as st

from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.base import base_dsl
from neurosym.lang.primitives import Stack
from neurosym.lang.types import (
    TYPE_VARIABLE,
    BOOL,
    INT,
    FreshVars,
    TCon,
    TVar,
    Type,
    UnificationError,
    arrow,
    free_vars,
    instantiate,
    is_arrow,
    list_of,
    resolve,
    split_arrow,
    stack_of,
    unify,
)

PRIMITIVE_NAMES: tuple[str, ...] = tuple(base_dsl().env())

# -- types ----------------------------------------------------------------------------

#: names a type variable may have: lower-case and never a constructor name
TYPE_VAR_NAMES = ("a", "b", "c", "d", "t0", "t1", "e", "a1")
assert all(TYPE_VARIABLE.match(n) for n in TYPE_VAR_NAMES)


def types(max_leaves: int = 8, allow_vars: bool = True) -> st.SearchStrategy[Type]:
    """Random types: variables, nullary constructors, `list`, `stack` and arrows."""
    leaves = [st.sampled_from([INT, BOOL, TCon("image"), TCon("vector")])]
    if allow_vars:
        leaves.append(st.sampled_from(TYPE_VAR_NAMES).map(TVar))
    return st.recursive(
        st.one_of(*leaves),
        lambda inner: st.one_of(
            inner.map(list_of),
            inner.map(stack_of),
            st.tuples(inner, inner).map(lambda ab: arrow(*ab)),
        ),
        max_leaves=max_leaves,
    )


#: small ground types used to fill in type variables a primitive leaves open
FILLER_TYPES: tuple[Type, ...] = (INT, BOOL, list_of(INT))

#: ground types programs are commonly generated at
TARGET_TYPES: tuple[Type, ...] = (
    INT,
    BOOL,
    list_of(INT),
    list_of(BOOL),
    list_of(list_of(INT)),
    stack_of(INT),
    arrow(INT, INT),
    arrow(INT, BOOL),
    arrow(INT, INT, INT),
    arrow(list_of(INT), INT),
    arrow(list_of(INT), list_of(INT)),
    arrow(list_of(INT), BOOL),
    arrow(arrow(INT, INT), INT),
    arrow(stack_of(INT), INT),
)


def ground_types(max_leaves: int = 4) -> st.SearchStrategy[Type]:
    """Random types without variables (no perception types: nothing produces them)."""
    return types(max_leaves=max_leaves, allow_vars=False).filter(
        lambda t: "image" not in str(t) and "vector" not in str(t)
    )


# -- well-typed programs --------------------------------------------------------------

_FRESH_PREFIX = "g"


@lru_cache(maxsize=None)
def _candidates(want: Type, allow_partial_if: bool) -> tuple[tuple[str, int], ...]:
    """(primitive, number of arguments) pairs whose result type unifies with `want`."""
    out = []
    for name, t in base_dsl().env().items():
        params, _ = split_arrow(t)
        for k in range(len(params) + 1):
            if name == "if" and k < 3 and not allow_partial_if:
                continue  # the printer cannot write a partial `if` (see test_syntax_properties)
            if _instantiate_at(name, k, want) is not None:
                out.append((name, k))
    return tuple(out)


def _instantiate_at(name: str, k: int, want: Type) -> tuple[list[Type], dict] | None:
    """Parameter types of `name` applied to `k` arguments giving `want`, or None."""
    fresh = FreshVars(_FRESH_PREFIX)
    t = instantiate(base_dsl().env()[name], fresh)
    params = []
    for _ in range(k):
        if not is_arrow(t):
            return None
        params.append(t.args[0])  # type: ignore[union-attr]
        t = t.args[1]  # type: ignore[union-attr]
    subst: dict = {}
    try:
        unify(t, want, subst)
    except UnificationError:
        return None
    return params, subst


def _leaf(t: Type, ctx: tuple[Type, ...]) -> Expr | None:
    """A small expression of type `t` that needs no choices, or None for arrows."""
    if t == INT:
        return Lit(0)
    if t == BOOL:
        return Lit(False)
    if isinstance(t, TCon) and t.name == "list":
        return Prim("empty")
    if isinstance(t, TCon) and t.name == "stack":
        return Prim("empty_stack")
    return None


def _minimal(t: Type, ctx: tuple[Type, ...]) -> Expr:
    """The smallest expression of ground type `t` (a variable when one fits)."""
    for i, vt in enumerate(ctx):
        if vt == t:
            return Var(i)
    leaf = _leaf(t, ctx)
    if leaf is not None:
        return leaf
    if is_arrow(t):
        param, result = t.args  # type: ignore[union-attr]
        return Lam(_minimal(result, (param,) + ctx))
    raise ValueError(f"no expression of type {t}")


ints = st.integers(min_value=-6, max_value=12)


@lru_cache(maxsize=None)
def _weighted(cands: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    """Favour primitives whose result is a specific type (`length`, `map`, `+`) over
    those whose result is a bare type variable (`head`, `fold`, `if`), which fit any type
    and would otherwise crowd the rest out."""
    out = []
    for name, k in cands:
        rest = base_dsl().env()[name]
        for _ in range(k):
            rest = rest.args[1]  # type: ignore[union-attr]
        out += [(name, k)] * (1 if isinstance(rest, TVar) else 3)
    return out


@lru_cache(maxsize=None)
def _index_strategy(n: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=n - 1)


def _choose(draw, options):
    """Like draw(st.sampled_from(options)) without building a strategy per call (this
    is the generator's inner loop); shrinks towards the first option."""
    return options[draw(_index_strategy(len(options)))] if len(options) > 1 else options[0]


def _expr_of(draw, want: Type, ctx: tuple[Type, ...], budget: int, allow_partial_if: bool) -> Expr:
    var_indices = [i for i, vt in enumerate(ctx) if vt == want]
    cands = _candidates(want, allow_partial_if)
    options: list[str] = []
    if want == INT:
        options.append("int")
    if want == BOOL:
        options.append("bool")
    if var_indices:
        options += ["var", "var"]
    if is_arrow(want):
        options += ["lam", "lam"]
    if budget <= 0:  # leaves only (a lambda's body is drawn at a smaller type)
        if any(k == 0 for _, k in cands):
            options.append("nullary")
        if not options:
            return _minimal(want, ctx)
    else:
        options += ["prim"] * 6
        options.append("apply")
    kind = _choose(draw, options)
    if kind == "int":
        return Lit(draw(ints))
    if kind == "bool":
        return Lit(draw(st.booleans()))
    if kind == "var":
        return Var(_choose(draw, var_indices))
    if kind == "lam":
        param, result = want.args  # type: ignore[union-attr]
        return Lam(_expr_of(draw, result, (param,) + ctx, budget - 1, allow_partial_if))
    if kind == "nullary":
        return Prim(_choose(draw, [name for name, k in cands if k == 0]))
    if kind == "apply":
        arg_t = _choose(draw, FILLER_TYPES)
        fn = _expr_of(draw, arrow(arg_t, want), ctx, budget - 1, allow_partial_if)
        return App(fn, _expr_of(draw, arg_t, ctx, budget - 1, allow_partial_if))
    if not cands:
        return _minimal(want, ctx)
    name, k = _choose(draw, _weighted(cands))
    params, subst = _instantiate_at(name, k, want)  # type: ignore[misc]
    # ground whatever the result type left open (e.g. the element type of `length`)
    for v in sorted(set().union(*(free_vars(resolve(p, subst)) for p in params)) if params else ()):
        if v not in subst:
            subst[v] = _choose(draw, FILLER_TYPES)
    args = [_expr_of(draw, resolve(p, subst), ctx, budget - 1, allow_partial_if) for p in params]
    return apply(Prim(name), *args)


@st.composite
def typed_programs(
    draw, target_type: Type | None = None, max_depth: int = 4, allow_partial_if: bool = False
) -> tuple[Type, Expr]:
    """(ground type, closed program of that type).

    `max_depth` bounds the generation recursion (the AST is a little deeper: applications
    and lambdas of minimal fillers). `allow_partial_if` admits `if` applied to fewer than
    three arguments, which the printer cannot write back (see test_syntax_properties).
    """
    t = target_type if target_type is not None else draw(st.sampled_from(TARGET_TYPES))
    assert not free_vars(t), "target types must be ground"
    return t, _expr_of(draw, t, (), max_depth, allow_partial_if)


def well_typed_programs(
    target_type: Type | None = None, max_depth: int = 4, allow_partial_if: bool = False
) -> st.SearchStrategy[Expr]:
    """Random well-typed closed programs (of `target_type`, or of a random common type)."""
    return typed_programs(target_type, max_depth, allow_partial_if).map(lambda pair: pair[1])


# -- arbitrary (not necessarily well-typed) closed ASTs -------------------------------


def _arbitrary(draw, bound: int, budget: int, prim_names: tuple[str, ...]) -> Expr:
    leaves = ["prim", "int", "bool"] + (["var", "var"] if bound else [])
    kinds = leaves if budget <= 0 else leaves + ["lam", "app", "app", "app", "if", "list"]
    kind = _choose(draw, kinds)
    if kind == "prim":
        return Prim(_choose(draw, prim_names))
    if kind == "int":
        return Lit(draw(st.integers(min_value=-1000, max_value=1000)))
    if kind == "bool":
        return Lit(draw(st.booleans()))
    if kind == "var":
        return Var(_choose(draw, range(bound)))
    sub = lambda b=bound: _arbitrary(draw, b, budget - 1, prim_names)  # noqa: E731
    if kind == "lam":
        return Lam(sub(bound + 1))
    if kind == "if":  # saturated `if`, sometimes applied to one more argument
        args = [sub(), sub(), sub()] + ([sub()] if draw(st.booleans()) else [])
        return apply(Prim("if"), *args)
    if kind == "list":
        items = [sub() for _ in range(_choose(draw, (0, 1, 2, 3)))]
        out: Expr = Prim("empty")
        for x in reversed(items):
            out = apply(Prim("cons"), x, out)
        return out
    fn = sub()
    return App(fn, sub())


def arbitrary_programs(max_depth: int = 5, include_bare_if: bool = False) -> st.SearchStrategy[Expr]:
    """Random closed ASTs from Prim (real primitive names), Lit, bound Var, Lam and App.

    They need not type-check. `Prim("if")` appears only saturated unless
    `include_bare_if` (the printer cannot write a partial `if`).
    """
    names = PRIMITIVE_NAMES if include_bare_if else tuple(n for n in PRIMITIVE_NAMES if n != "if")
    return st.composite(lambda draw: _arbitrary(draw, 0, max_depth, names))()


# -- runtime values -------------------------------------------------------------------


def runtime_values(t: Type, max_int: int = 20, max_len: int = 6) -> st.SearchStrategy:
    """Runtime values of ground type `t` (tuples for lists, Stack for stacks).

    Functions are not generated (pass a catalog function instead)."""
    if t == INT:
        return st.integers(min_value=-max_int, max_value=max_int)
    if t == BOOL:
        return st.booleans()
    if isinstance(t, TCon) and t.name == "list":
        return st.lists(runtime_values(t.args[0], max_int, max_len), max_size=max_len).map(tuple)
    if isinstance(t, TCon) and t.name == "stack":
        return st.lists(runtime_values(t.args[0], max_int, max_len), max_size=max_len).map(Stack.from_items)
    raise ValueError(f"no value strategy for {t}")


def value_expr(value) -> Expr:
    """An AST that evaluates to a runtime value (int, bool, tuple, Stack)."""
    if isinstance(value, bool) or isinstance(value, int):
        return Lit(value)
    if isinstance(value, tuple):
        out: Expr = Prim("empty")
        for x in reversed(value):
            out = apply(Prim("cons"), value_expr(x), out)
        return out
    if isinstance(value, Stack):
        out = Prim("empty_stack")
        for x in value.items():
            out = apply(Prim("push"), value_expr(x), out)
        return out
    raise TypeError(f"no literal form for {value!r}")
