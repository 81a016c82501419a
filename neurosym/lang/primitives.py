"""The base primitives: their declared types (from dsl/primitives.toml) and implementations.

Values at run time are Python ints and bools, tuples for lists (immutable and hashable,
so outputs can be compared and deduplicated cheaply), `Stack` for stacks, and one-argument
callables for functions (curried).

Implementations enforce the caps of a `Limits` through a `Runtime`, which also counts
steps: every element a higher-order primitive (map, filter, fold, zip_with) visits and
every iteration of `loop` costs one, and so does every element a list primitive copies
(cons, append, tail, take, drop, range, reverse, sort), which bounds all work; exceeding a cap raises `BudgetExceeded`, any other fault raises `RuntimeFault` or
a plain Python error, and the compiler turns all of these into a status.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from neurosym.errors import NeurosymError
from neurosym.lang.nesting import MAX_NESTING
from neurosym.lang.types import Type, arity
from neurosym.resources import dsl_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class BudgetExceeded(Exception):
    """A step budget or a size cap was exceeded."""


class RuntimeFault(Exception):
    """A primitive was used outside its domain (head of [], division by zero, ...)."""


class LimitsError(NeurosymError, ValueError):
    """Caps that cannot be enforced (non-positive, or deeper than the language allows)."""


@dataclass(frozen=True)
class Limits:
    """Resource caps for one program run on one example.

    `steps`: every lambda call, every element a higher-order primitive visits, every
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


class Stack:
    """An immutable stack (a linked list of cells), cheap to push and pop."""

    __slots__ = ("top", "rest", "size", "_hash")

    def __init__(self, top: Any = None, rest: "Stack | None" = None, size: int = 0) -> None:
        self.top, self.rest, self.size = top, rest, size
        self._hash: int | None = None

    @staticmethod
    def from_items(items: Any) -> "Stack":
        """Build from a sequence listed bottom first."""
        s = EMPTY_STACK
        for x in items:
            s = Stack(x, s, s.size + 1)
        return s

    def items(self) -> tuple:
        """Elements bottom first."""
        out = []
        s = self
        while s.size:
            out.append(s.top)
            s = s.rest  # type: ignore[assignment]
        return tuple(reversed(out))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stack) and self.items() == other.items()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(("stack", self.items()))
        return self._hash

    def __reduce__(self) -> tuple:
        # rebuilt (the empty stack stays EMPTY_STACK); the cached hash is salted per process
        return (Stack.from_items, (self.items(),))

    def __repr__(self) -> str:
        return f"Stack({list(self.items())!r})"


EMPTY_STACK = Stack()


@dataclass(frozen=True)
class PrimitiveSpec:
    """A base primitive as declared in dsl/primitives.toml."""

    name: str
    type: Type
    doc: str

    @property
    def arity(self) -> int:
        return arity(self.type)


@lru_cache(maxsize=1)
def load_primitive_specs() -> dict[str, PrimitiveSpec]:
    """The primitives declared in dsl/primitives.toml, by name, in file order."""
    from neurosym.lang.parser import parse_type

    path = dsl_dir() / "primitives.toml"
    data = tomllib.loads(path.read_text())
    specs: dict[str, PrimitiveSpec] = {}
    for i, entry in enumerate(data.get("primitive", [])):
        missing = {"name", "type", "doc"} - set(entry)
        if missing:
            raise ValueError(f"{path}: primitive #{i} lacks {sorted(missing)}")
        specs[entry["name"]] = PrimitiveSpec(entry["name"], parse_type(entry["type"]), entry["doc"])
    return specs


def dsl_version() -> str:
    return str(tomllib.loads((dsl_dir() / "primitives.toml").read_text())["dsl_version"])


def primitive_types() -> dict[str, Type]:
    return {name: spec.type for name, spec in load_primitive_specs().items()}


class Runtime:
    """Step counter and capped primitive implementations for one `Limits`.

    Compiled programs share the runtime of their limits; `reset()` starts a new run.
    Not thread-safe: parallel evaluation uses processes.
    """

    __slots__ = ("limits", "steps", "impls")  # `steps` is read and written on every lambda call

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = limits.steps
        self.impls: dict[str, tuple[int, Callable[..., Any]]] = _implementations(self)

    def reset(self) -> None:
        self.steps = self.limits.steps

    def charge(self, n: int) -> None:
        self.steps -= n
        if self.steps < 0:
            raise BudgetExceeded(f"step budget of {self.limits.steps} exceeded")


@lru_cache(maxsize=16)
def runtime_for(limits: Limits) -> Runtime:
    return Runtime(limits)


def _implementations(rt: Runtime) -> dict[str, tuple[int, Callable[..., Any]]]:
    """name -> (arity, function of that many positional arguments)."""
    max_int, max_list = rt.limits.max_int, rt.limits.max_list

    def int_ok(r: int) -> int:
        if -max_int <= r <= max_int:
            return r
        raise BudgetExceeded(f"integer {'overflow' if r > 0 else 'underflow'} past {max_int}")

    def list_ok(xs: tuple) -> tuple:
        """Cap the length of a new list and charge a step per element it copies."""
        n = len(xs)
        if n > max_list:
            raise BudgetExceeded(f"list longer than the cap of {max_list}")
        rt.steps -= n
        if rt.steps < 0:
            raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
        return xs

    def div(a: int, b: int) -> int:
        if b == 0:
            raise RuntimeFault("division by zero")
        return a // b

    def mod(a: int, b: int) -> int:
        if b == 0:
            raise RuntimeFault("modulo by zero")
        return a % b

    def head(xs: tuple) -> Any:
        if not xs:
            raise RuntimeFault("head of the empty list")
        return xs[0]

    def tail(xs: tuple) -> tuple:
        if not xs:
            raise RuntimeFault("tail of the empty list")
        return list_ok(xs[1:])

    def index(i: int, xs: tuple) -> Any:
        if not 0 <= i < len(xs):
            raise RuntimeFault(f"index {i} out of range for a list of length {len(xs)}")
        return xs[i]

    def range_(n: int) -> tuple:
        if n > max_list:
            raise BudgetExceeded(f"range {n} longer than the cap of {max_list}")
        return list_ok(tuple(range(n)))

    def take(n: int, xs: tuple) -> tuple:
        return list_ok(xs[: max(n, 0)])

    def drop(n: int, xs: tuple) -> tuple:
        return list_ok(xs[max(n, 0):])

    def charge(xs: tuple) -> tuple:
        rt.steps -= len(xs)
        if rt.steps < 0:
            raise BudgetExceeded(f"step budget of {rt.limits.steps} exceeded")
        return xs

    def fold(f: Callable, z: Any, xs: tuple) -> Any:
        charge(xs)
        for x in reversed(xs):
            z = f(x)(z)
        return z

    def zip_with(f: Callable, xs: tuple, ys: tuple) -> tuple:
        charge(xs if len(xs) < len(ys) else ys)
        return tuple([f(x)(y) for x, y in zip(xs, ys)])

    def loop(n: int, f: Callable, x: Any) -> Any:
        if n > 0:
            rt.charge(n)
            for _ in range(n):
                x = f(x)
        return x

    def push(x: Any, s: Stack) -> Stack:
        if s.size >= max_list:
            raise BudgetExceeded(f"stack deeper than the cap of {max_list}")
        return Stack(x, s, s.size + 1)

    def pop(s: Stack) -> Stack:
        if not s.size:
            raise RuntimeFault("pop of the empty stack")
        return s.rest  # type: ignore[return-value]

    def top(s: Stack) -> Any:
        if not s.size:
            raise RuntimeFault("top of the empty stack")
        return s.top

    return {
        "+": (2, lambda a, b: int_ok(a + b)),
        "-": (2, lambda a, b: int_ok(a - b)),
        "*": (2, lambda a, b: int_ok(a * b)),
        "/": (2, div),
        "%": (2, mod),
        "==": (2, lambda a, b: a == b),
        "<": (2, lambda a, b: a < b),
        "and": (2, lambda a, b: a and b),
        "or": (2, lambda a, b: a or b),
        "not": (1, lambda a: not a),
        "if": (3, lambda c, a, b: a if c else b),
        "empty": (0, ()),
        "cons": (2, lambda x, xs: list_ok((x,) + xs)),
        "head": (1, head),
        "tail": (1, tail),
        "is_empty": (1, lambda xs: not xs),
        "length": (1, len),
        "index": (2, index),
        "range": (1, range_),
        "append": (2, lambda xs, ys: list_ok(xs + ys)),
        "reverse": (1, lambda xs: list_ok(xs[::-1])),
        "sort": (1, lambda xs: list_ok(tuple(sorted(xs)))),
        "take": (2, take),
        "drop": (2, drop),
        "map": (2, lambda f, xs: tuple(map(f, charge(xs)))),
        "filter": (2, lambda f, xs: tuple(filter(f, charge(xs)))),
        "fold": (3, fold),
        "zip_with": (3, zip_with),
        "loop": (3, loop),
        "empty_stack": (0, EMPTY_STACK),
        "push": (2, push),
        "pop": (1, pop),
        "top": (1, top),
        "is_empty_stack": (1, lambda s: not s.size),
    }


def curry(n: int, fn: Callable[..., Any]) -> Any:
    """A one-argument-at-a-time version of an n-ary function (the value itself for n=0)."""
    if n == 0:
        return fn
    if n == 1:
        return fn
    if n == 2:
        return lambda a: lambda b: fn(a, b)
    if n == 3:
        return lambda a: lambda b: lambda c: fn(a, b, c)

    def collect(args: tuple) -> Any:
        if len(args) == n:
            return fn(*args)
        return lambda x: collect(args + (x,))

    return collect(())
