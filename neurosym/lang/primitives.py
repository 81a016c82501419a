"""Runs of programs: caps (`Limits`), the step counter and implementations (`Runtime`).

Values at run time are Python ints and bools, tuples for lists (immutable and hashable,
so outputs can be compared and deduplicated cheaply), `Stack`, `Pair` and `Char`
(neurosym.lang.data), strings and floats, and one-argument callables for functions
(curried). A Runtime holds one DSL's implementations bound to one Limits (the base
ones charge steps and enforce caps, see neurosym.lang.base); user primitives are
wrapped so that a wrong result type is a fault naming them. Exceeding a cap raises
`BudgetExceeded`, any other fault `RuntimeFault` or a plain Python error, and the
compiler turns all of these into a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from neurosym.errors import NeurosymError
from neurosym.lang.data import EMPTY_STACK, Char, Pair, Stack  # noqa: F401 - runtime values, re-exported
from neurosym.lang.nesting import MAX_NESTING


class BudgetExceeded(Exception):
    """A step budget or a size cap was exceeded."""


class RuntimeFault(Exception):
    """A primitive was used outside its domain (head of [], division by zero, ...)."""


class LimitsError(NeurosymError, ValueError):
    """Caps that cannot be enforced (non-positive, or deeper than the language allows)."""


@dataclass(frozen=True)
class Limits:
    """Resource caps for one program run on one example.

    `steps`: every application in the program, every element a higher-order primitive visits, every
    loop iteration and every element a list primitive copies costs one step.
    `max_depth`: the deepest program that may be compiled (at most MAX_NESTING)."""

    steps: int = 100_000
    max_list: int = 10_000
    max_int: int = 2**63 - 1
    max_depth: int = MAX_NESTING

    def __post_init__(self) -> None:
        for name in ("steps", "max_list", "max_int", "max_depth"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise LimitsError(f"Limits.{name} must be a positive integer, got {value!r}")
        if self.max_depth > MAX_NESTING:
            raise LimitsError(f"Limits.max_depth {self.max_depth} is past the language's nesting cap of {MAX_NESTING}")




class Runtime:
    """Step counter and capped primitive implementations for one `Limits` and one DSL.

    `impls` maps a primitive's name to (arity, implementation taking that many values;
    for a nullary primitive, its value); `thunked` holds, for primitives with lazy
    arguments, the implementation that takes those arguments as thunks. Compiled
    programs share the runtime of their limits and DSL; `reset()` starts a new run.
    Not thread-safe: parallel evaluation uses processes.
    """

    __slots__ = ("limits", "steps", "impls", "thunked", "dsl")  # `steps`: read and written on every application

    def __init__(self, limits: Limits, dsl: Any) -> None:
        self.limits, self.dsl = limits, dsl
        self.steps = limits.steps
        self.impls: dict[str, tuple[int, Any]] = {}
        self.thunked: dict[str, Callable[..., Any]] = {}
        for p in dsl.primitives:
            fn = p.bind(self) if p.bind is not None else p.fn
            if fn is None:  # only a compiler fast path: the value form is built from it by the caller
                continue
            if p.checked:
                fn = _checked(fn, p, self)
            if p.lazy:
                self.thunked[p.name] = fn
                fn = _with_values(fn, p.lazy)
            self.impls[p.name] = (p.arity, fn() if p.arity == 0 else fn)

    def reset(self) -> None:
        self.steps = self.limits.steps

    def charge(self, n: int) -> None:
        self.steps -= n
        if self.steps < 0:
            raise BudgetExceeded(f"step budget of {self.limits.steps} exceeded")


def runtime_for(limits: Limits, dsl: Any) -> Runtime:
    """The runtime of `limits` for `dsl`, made once per pair and kept on the DSL (a DSL
    is immutable; its runtimes are caches)."""
    cache = dsl.runtimes
    rt = cache.get(limits)
    if rt is None:
        rt = cache[limits] = Runtime(limits, dsl)
    return rt


def _with_values(fn: Callable[..., Any], lazy: tuple[int, ...]) -> Callable[..., Any]:
    """The form of a lazy implementation that takes values (for a curried use, where
    the arguments are already evaluated)."""
    def call(*args: Any) -> Any:
        return fn(*[(lambda v=v: v) if i in lazy else v for i, v in enumerate(args)])

    return call


def _checked(fn: Callable[..., Any], p: Any, rt: Runtime) -> Callable[..., Any]:
    """A user primitive: its step cost is charged, a list it returns becomes a tuple,
    and a result of the wrong type (or beyond the caps) is a fault naming it."""
    from neurosym.lang.types import TCon, split_arrow

    result = split_arrow(p.type)[1]
    vt = rt.dsl.value_type_named(result.name) if isinstance(result, TCon) else None
    expected: tuple[type, ...] = vt.python if vt is not None else ()
    is_list = isinstance(result, TCon) and result.name == "list"
    no_bools = int in expected and bool not in expected
    max_int, max_list, cost, name = rt.limits.max_int, rt.limits.max_list, p.cost, p.name

    def call(*args: Any) -> Any:
        if cost:
            rt.charge(cost)
        try:
            value = fn(*args)
        except StopIteration:  # would silently end the iteration of map or filter around it
            raise RuntimeFault(f"primitive {name!r} raised StopIteration") from None
        if is_list and isinstance(value, list):
            value = tuple(value)
        if expected and (not isinstance(value, expected) or (no_bools and type(value) is bool)):
            raise RuntimeFault(f"primitive {name!r} returned a {type(value).__name__}, not a {result}")
        if type(value) is int and not -max_int <= value <= max_int:
            raise BudgetExceeded(f"primitive {name!r} returned an integer beyond the cap of {max_int}")
        if isinstance(value, (str, tuple)) and len(value) > max_list:
            raise BudgetExceeded(f"primitive {name!r} returned a value of {len(value)} items, past the cap "
                                 f"of {max_list}")
        return value

    return call


def binary(f: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    """A curried function of two arguments called with both at once: `binary(f)(x, y)` is
    `f(x)(y)`. Operators (`curry`) and two-parameter lambdas (the compiler) carry that form
    as `f.binary`, which saves fold and zip_with a closure and two calls per element."""
    return getattr(f, "binary", None) or (lambda x, y: f(x)(y))


def curry(n: int, fn: Callable[..., Any]) -> Any:
    """A one-argument-at-a-time version of an n-ary function (the value itself for n=0)."""
    if n == 0:
        return fn
    if n == 1:
        return fn
    if n == 2:
        def curried(a: Any) -> Callable[[Any], Any]:
            return lambda b: fn(a, b)

        curried.binary = fn  # type: ignore[attr-defined]  # see `binary`
        return curried
    if n == 3:
        return lambda a: lambda b: lambda c: fn(a, b, c)

    def collect(args: tuple) -> Any:
        if len(args) == n:
            return fn(*args)
        return lambda x: collect(args + (x,))

    return collect(())
