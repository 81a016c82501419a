"""Types of the language and Hindley-Milner unification.

A type is a frozen dataclass: `TVar` (a type variable) or `TCon` (a constructor applied
to arguments: `int`, `bool`, `list a`, `stack a`, `a -> b`, and opaque perception
types). Substitutions are plain dicts from variable name to type, applied lazily
(`resolve`) so that unification stays near-linear on the small types of this language.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping

from neurosym.errors import ParseError

ARROW = "->"


@dataclass(frozen=True)
class TVar:
    """A type variable such as `a`."""

    name: str

    def __str__(self) -> str:
        return format_type(self)


@dataclass(frozen=True, eq=False)
class TCon:
    """A type constructor applied to its arguments: `int`, `list a`, `a -> b`.

    The hash is computed once (types are dictionary keys in search's inner loops)."""

    name: str
    args: tuple["Type", ...] = ()
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.name, self.args)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple:
        # rebuilt, not restored: the cached hash is salted per process
        return (TCon, (self.name, self.args))

    def __eq__(self, other: object) -> bool:
        return self is other or (
            isinstance(other, TCon) and other._hash == self._hash and other.name == self.name and other.args == self.args
        )

    def __str__(self) -> str:
        return format_type(self)


Type = TVar | TCon

INT = TCon("int")
BOOL = TCon("bool")
#: a type variable is one lower-case letter with optional digits (`a`, `b2`, `t0`); every
#: other name in a type text must be a value type of the DSL (neurosym.lang.dsl)
TYPE_VARIABLE = re.compile(r"[a-z][0-9]*\Z")


def list_of(t: Type) -> TCon:
    return TCon("list", (t,))


def stack_of(t: Type) -> TCon:
    return TCon("stack", (t,))


def arrow(*ts: Type) -> Type:
    """`arrow(a, b, c)` is `a -> b -> c` (right-associated, curried)."""
    if not ts:
        raise ValueError("arrow() needs at least one type")
    result = ts[-1]
    for t in reversed(ts[:-1]):
        result = TCon(ARROW, (t, result))
    return result


def is_arrow(t: Type) -> bool:
    return isinstance(t, TCon) and t.name == ARROW


def split_arrow(t: Type) -> tuple[tuple[Type, ...], Type]:
    """`a -> b -> c` gives `((a, b), c)`: argument types and the final return type."""
    args = []
    while is_arrow(t):
        args.append(t.args[0])
        t = t.args[1]
    return tuple(args), t


def arity(t: Type) -> int:
    return len(split_arrow(t)[0])


def free_vars(t: Type) -> set[str]:
    if isinstance(t, TVar):
        return {t.name}
    out: set[str] = set()
    for a in t.args:
        out |= free_vars(a)
    return out


def format_type(t: Type) -> str:
    """Readable form: `(a -> b) -> list a -> list b` (iterative: types of any depth print)."""
    out: list[str] = []
    work: list[Type | str] = [t]
    while work:
        item = work.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, TVar):
            out.append(item.name)
        elif item.name == ARROW:
            left, right = item.args
            pieces: list[Type | str] = ["(", left, ")"] if is_arrow(left) else [left]
            work.extend(reversed(pieces + [" -> ", right]))
        elif not item.args:
            out.append(item.name)
        else:
            pieces = [item.name]
            for a in item.args:
                pieces += [" ", "(", a, ")"] if isinstance(a, TCon) and a.args else [" ", a]
            work.extend(reversed(pieces))
    return "".join(out)


class UnificationError(Exception):
    """Two types cannot be made equal."""

    def __init__(self, left: Type, right: Type, reason: str = "") -> None:
        super().__init__(left, right, reason)
        self.left, self.right, self.reason = left, right, reason

    def __str__(self) -> str:  # formatted only when shown: search fails to unify often
        return self.reason or f"cannot unify {format_type(self.left)} with {format_type(self.right)}"


Substitution = dict[str, Type]


def resolve(t: Type, subst: Mapping[str, Type]) -> Type:
    """Apply a substitution fully."""
    if isinstance(t, TVar):
        bound = subst.get(t.name)
        return t if bound is None else resolve(bound, subst)
    if not t.args:
        return t
    return TCon(t.name, tuple(resolve(a, subst) for a in t.args))


def _walk(t: Type, subst: Mapping[str, Type]) -> Type:
    while isinstance(t, TVar) and t.name in subst:
        t = subst[t.name]
    return t


def _occurs(name: str, t: Type, subst: Mapping[str, Type]) -> bool:
    t = _walk(t, subst)
    if isinstance(t, TVar):
        return t.name == name
    return any(_occurs(name, a, subst) for a in t.args)


def unify(a: Type, b: Type, subst: Substitution) -> None:
    """Extend `subst` in place so that `a` and `b` become equal, or raise UnificationError."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        x, y = _walk(x, subst), _walk(y, subst)
        if x == y:
            continue
        if isinstance(x, TVar):
            if _occurs(x.name, y, subst):
                raise UnificationError(a, b, "infinite type")
            subst[x.name] = y
        elif isinstance(y, TVar):
            stack.append((y, x))
        elif x.name != y.name or len(x.args) != len(y.args):
            raise UnificationError(a, b)
        else:
            stack.extend(zip(x.args, y.args))


class FreshVars:
    """Source of fresh type variable names (`t0`, `t1`, ...) for one inference run."""

    def __init__(self, prefix: str = "t") -> None:
        self._counter: Iterator[int] = itertools.count()
        self._prefix = prefix

    def __call__(self) -> TVar:
        return TVar(f"{self._prefix}{next(self._counter)}")


def rename(t: Type, mapping: Mapping[str, Type]) -> Type:
    """Substitute variables simultaneously, without following chains (unlike `resolve`),
    so that renamings such as a -> b, b -> a are safe."""
    if isinstance(t, TVar):
        return mapping.get(t.name, t)
    if not t.args:
        return t
    return TCon(t.name, tuple(rename(a, mapping) for a in t.args))


def instantiate(t: Type, fresh: FreshVars) -> Type:
    """Replace every variable of a (implicitly universally quantified) type by a fresh one."""
    mapping: dict[str, Type] = {name: fresh() for name in sorted(free_vars(t))}
    return rename(t, mapping) if mapping else t


def canonical(t: Type) -> Type:
    """Rename variables to a, b, c, ... in order of first appearance."""
    order: list[str] = []

    def visit(u: Type) -> None:
        if isinstance(u, TVar):
            if u.name not in order:
                order.append(u.name)
        else:
            for arg in u.args:
                visit(arg)

    visit(t)
    names = _pretty_names()
    return rename(t, {old: TVar(next(names)) for old in order})


def _pretty_names() -> Iterator[str]:
    for letter in "abcdefgh":
        yield letter
    for i in itertools.count(1):
        for letter in "abcdefgh":
            yield f"{letter}{i}"


def instance_of(general: Type, specific: Type) -> bool:
    """True when `specific` can be obtained from `general` by substituting its variables."""
    subst: Substitution = {}
    fixed = {name: TCon(f"#{name}") for name in free_vars(specific)}
    try:
        unify(general, rename(specific, fixed), subst)
    except UnificationError:
        return False
    return True


_TYPE_TOKEN = re.compile(r"\s*(?:(->)|(\()|(\))|([A-Za-z_][A-Za-z0-9_']*)|(\S))")
#: the deepest nesting of parentheses and arrows a type text may have
MAX_TYPE_NESTING = 200


def read_type(text: str, params: Callable[[str], int | None]) -> Type:
    """A type from its text: `(a -> b) -> list a -> list b`.

    `params(name)` is the number of type arguments of value type `name`, or None when
    there is no such type (then `name` must be a type variable: one letter with optional
    digits). Errors are ParseErrors naming the column. A small hand-written reader: the
    same syntax for a user's type text, declared types in definitions and store files."""
    tokens = [(m.start(), next(g for g in m.groups() if g is not None)) for m in _TYPE_TOKEN.finditer(text)
              if any(m.groups())]
    reader = _TypeReader(text, tokens, params)
    t = reader.arrow(0)
    if reader.pos < len(tokens):
        reader.fail(f"unexpected {tokens[reader.pos][1]!r} after the type")
    return t


class _TypeReader:
    def __init__(self, text: str, tokens: list[tuple[int, str]], params: Callable[[str], int | None]) -> None:
        self.text, self.tokens, self.params, self.pos = text, tokens, params, 0

    def fail(self, message: str, at: int | None = None) -> None:
        offset = at if at is not None else (self.tokens[self.pos][0] if self.pos < len(self.tokens) else len(self.text))
        column = offset + 1
        raise ParseError(f"in type {self.text.strip()!r}: {message}", 1, column,
                         f"  {self.text}\n  {' ' * offset}^")

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def arrow(self, depth: int) -> Type:
        if depth > MAX_TYPE_NESTING:
            self.fail(f"the type nests more than {MAX_TYPE_NESTING} levels deep")
        left = self.application(depth)
        if self.peek() == "->":
            self.pos += 1
            return TCon(ARROW, (left, self.arrow(depth + 1)))
        return left

    def application(self, depth: int) -> Type:
        token = self.peek()
        if token is not None and _is_name(token):
            at = self.tokens[self.pos][0]
            self.pos += 1
            args = []
            while self.peek() is not None and (self.peek() == "(" or _is_name(self.peek())):  # type: ignore[arg-type]
                args.append(self.atom(depth))
            return self.named(token, args, at)
        return self.atom(depth)

    def atom(self, depth: int) -> Type:
        token = self.peek()
        if token == "(":
            self.pos += 1
            t = self.arrow(depth + 1)
            if self.peek() != ")":
                self.fail("expected ')'")
            self.pos += 1
            return t
        if token is not None and _is_name(token):
            at = self.tokens[self.pos][0]
            self.pos += 1
            return self.named(token, [], at)
        self.fail("expected a type" if token is None else f"unexpected {token!r}; expected a type")
        raise AssertionError  # unreachable: fail raises

    def named(self, name: str, args: list[Type], at: int) -> Type:
        arity_ = self.params(name)
        if arity_ is None:
            if not TYPE_VARIABLE.match(name):
                self.fail(f"unknown type {name!r} (a type variable is one letter with optional digits: a, b, t0)", at)
            if args:
                self.fail(f"{name!r} is a type variable, not a type constructor", at)
            return TVar(name)
        if arity_ != len(args):
            what = f"needs {arity_} argument(s)" if not args else f"takes {arity_} argument(s), got {len(args)}"
            self.fail(f"type constructor {name!r} {what}", at)
        return TCon(name, tuple(args))


def _is_name(token: str) -> bool:
    return token[0].isalpha() or token[0] == "_"
