"""Routines compiled for the interpreter and for search.

`compile_routines` turns each routine body into the curried runtime value programs call
one argument at a time; `compile_routine_functions` turns it into a plain function of all
its arguments, which the enumerator calls as it calls a primitive's implementation. Kept
apart from the compiler proper, which compiles one program.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from neurosym.lang.ast import Expr, Lam
from neurosym.lang.compiler import CompileError, Node, RoutineFunction, _Compiler, _runtime, environment
from neurosym.lang.nesting import recursion_room
from neurosym.lang.primitives import Limits


def compile_routines(definitions: Iterable[tuple[str, Expr]], limits: Limits = Limits(),
                     initial: Mapping[str, Any] | None = None, dsl: Any = None) -> dict[str, Any]:
    """Compile routine bodies in order (each may use the earlier ones, and the values in
    `initial`, e.g. neural routines) to runtime values; the result includes `initial`."""
    runtime = _runtime(limits, dsl)
    values: dict[str, Any] = dict(initial or {})
    for name, body in definitions:
        if body.depth > limits.max_depth:
            raise CompileError(f"routine '{name}' nests {body.depth} deep; the cap is {limits.max_depth}")
        runtime.reset()
        with recursion_room(body.depth):
            values[name] = _Compiler(runtime, values).compile(body)(())
    return values


def compile_routine_functions(definitions: Iterable[tuple[str, Expr, int]], values: Mapping[str, Any],
                              limits: Limits = Limits(), dsl: Any = None) -> dict[str, RoutineFunction]:
    """Routines (name, body, arity) as plain Python functions of `arity` arguments, for
    search to call as it calls a primitive's implementation: the body under its leading
    lambdas runs in one environment built from the arguments, where the curried value
    (`compile_routines`) makes a closure per argument. `values` are the compiled
    routines (and neural stand-ins) that bodies refer to; a body calls the routines
    defined before it in the same way."""
    runtime = _runtime(limits, dsl)
    functions: dict[str, RoutineFunction] = {}
    for name, body, arity in definitions:
        inner, bound = body, 0
        while bound < arity and isinstance(inner, Lam):
            inner, bound = inner.body, bound + 1
        with recursion_room(body.depth):
            node = _Compiler(runtime, values, functions).compile(inner)  # the routines before it
        functions[name] = RoutineFunction(arity, _n_ary(node, bound, arity))
    return functions


def _n_ary(node: Node, bound: int, arity: int) -> Callable[..., Any]:
    """`node` (a body under `bound` lambdas) as a function of `arity` arguments; those
    past `bound` are applied to the function value the body returns."""
    if bound == arity == 1:
        return lambda a: node((a, ()))
    if bound == arity == 2:
        return lambda a, b: node((b, (a, ())))
    if bound == arity == 3:
        return lambda a, b, c: node((c, (b, (a, ()))))

    def call(*args: Any) -> Any:
        result = node(environment(args[:bound]))
        for a in args[bound:]:
            result = result(a)
        return result

    return call
