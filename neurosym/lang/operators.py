"""Specialised closures for fully applied integer operators, the compiler's hot path.

A generic saturated call costs a closure call per operand plus a call to the primitive
and to its cap check. Arithmetic and comparison dominate real programs (`x + 1`,
`x % 2 == 0`), so here they are fused into one closure per operator and operand shape:
an operand is a constant, the nearest variable (`env[0]`) or any other node. The
semantics are exactly those of the primitives in primitives.py (differentially tested).
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from neurosym.lang.primitives import BudgetExceeded, RuntimeFault

Node = Callable[[Any], Any]

CONST, VAR0, NODE = "const", "var0", "node"
Operand = tuple[str, Any]  # (kind, constant value or node)

_PLAIN = {"==": operator.eq, "<": operator.lt}
_CHECKED = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_DIVIDING = {"/": operator.floordiv, "%": operator.mod}

FUSED = set(_PLAIN) | set(_CHECKED) | set(_DIVIDING)


def _fetch(operand: Operand) -> Node:
    kind, x = operand
    if kind == CONST:
        return lambda env: x
    if kind == VAR0:
        return operator.itemgetter(0)
    return x


def _plain(op: Callable[[Any, Any], Any], left: Operand, right: Operand) -> Node:
    (lk, lx), (rk, rx) = left, right
    if lk == VAR0 and rk == CONST:
        return lambda env: op(env[0], rx)
    if lk == NODE and rk == CONST:
        return lambda env: op(lx(env), rx)
    a, b = _fetch(left), _fetch(right)
    return lambda env: op(a(env), b(env))


def _checked(op: Callable[[Any, Any], Any], left: Operand, right: Operand, max_int: int) -> Node:
    (lk, lx), (rk, rx) = left, right

    def overflow(r: int) -> BudgetExceeded:
        return BudgetExceeded(f"integer {'overflow' if r > 0 else 'underflow'} past {max_int}")

    if lk == VAR0 and rk == CONST:
        def var_const(env: Any) -> int:
            r = op(env[0], rx)
            if -max_int <= r <= max_int:
                return r
            raise overflow(r)

        return var_const
    if lk == NODE and rk == CONST:
        def node_const(env: Any) -> int:
            r = op(lx(env), rx)
            if -max_int <= r <= max_int:
                return r
            raise overflow(r)

        return node_const
    a, b = _fetch(left), _fetch(right)

    def general(env: Any) -> int:
        r = op(a(env), b(env))
        if -max_int <= r <= max_int:
            return r
        raise overflow(r)

    return general


def _dividing(name: str, left: Operand, right: Operand) -> Node:
    op = _DIVIDING[name]
    (rk, rx) = right
    if rk == CONST and rx != 0:
        return _plain(op, left, right)
    message = "division by zero" if name == "/" else "modulo by zero"
    a, b = _fetch(left), _fetch(right)

    def checked(env: Any) -> int:
        n, d = a(env), b(env)
        if d == 0:
            raise RuntimeFault(message)
        return op(n, d)

    return checked


def fused(name: str, left: Operand, right: Operand, max_int: int) -> Node:
    """One closure computing `left NAME right` for a name in FUSED."""
    if name in _PLAIN:
        return _plain(_PLAIN[name], left, right)
    if name in _CHECKED:
        return _checked(_CHECKED[name], left, right, max_int)
    return _dividing(name, left, right)
