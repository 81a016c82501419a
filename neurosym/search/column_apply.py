"""How the enumerator applies a primitive to columns of values, one per example.

Three strategies, chosen from the primitive's record: strict (every argument
evaluated; a fault in one gives a fault), the primitive's own column fast path (if,
and, or), and lazy instance by instance (a fault in an argument the primitive does
not look at is no fault of the result). A value that raised on an example is FAULT.
"""

from __future__ import annotations

from typing import Any, Callable

from neurosym.search.bank import FAULT

ColumnCompute = Callable[[Callable[..., Any], list[tuple]], tuple]


def apply_strict(fn: Callable[..., Any], columns: list[tuple]) -> tuple:
    """Apply `fn` instance by instance; a fault in an argument or in the call gives FAULT."""
    out: list = []
    append = out.append
    for args in zip(*columns):
        if FAULT in args:
            append(FAULT)
            continue
        try:
            append(fn(*args))
        except Exception:
            append(FAULT)
    return tuple(out)


def column_hook(hook: Callable[[list[tuple], Any], tuple]) -> ColumnCompute:
    """A lazy primitive's own fast path over value columns (if, and, or)."""
    return lambda fn, columns: hook(columns, FAULT)


def apply_lazy(fn: Callable[..., Any], lazy: tuple[int, ...]) -> ColumnCompute:
    """Any other lazy primitive, instance by instance: a lazy argument is a thunk that
    raises where that argument faulted, so a fault the primitive does not look at is
    no fault of the result."""
    def thunk(v: Any) -> Callable[[], Any]:
        def get() -> Any:
            if v is FAULT:
                raise ValueError("a lazy argument faulted")
            return v

        return get

    def compute(_: Callable[..., Any], columns: list[tuple]) -> tuple:
        out: list = []
        for args in zip(*columns):
            if any(a is FAULT for i, a in enumerate(args) if i not in lazy):
                out.append(FAULT)
                continue
            try:
                out.append(fn(*[thunk(a) if i in lazy else a for i, a in enumerate(args)]))
            except Exception:
                out.append(FAULT)
        return tuple(out)

    return compute


def uncurried(value: Any, arity: int) -> Callable[..., Any]:
    """A curried routine (one argument at a time) called with all its arguments at once."""
    def call(*args: Any) -> Any:
        result = value
        for a in args:
            result = result(a)
        return result

    return call
