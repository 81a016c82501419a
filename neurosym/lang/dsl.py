"""A language is a value: its value types and primitives, each one record.

A `DSL` holds `ValueType`s (a type name with its Python class and what the system needs
of its values: an equality key, literal syntax, an encoding for the recognition model,
sample values for probes and dreams) and `Primitive`s (name, type, implementation, doc,
and how each layer treats it: commutative, lazy arguments, infix spelling, a compiler
fast path, a relaxed implementation, a Python source form for export). Nothing in
neurosym keys behaviour on a primitive's name outside its record.

The base language is `neurosym.lang.base.base_dsl()`; a user extends it
(`base_dsl().extend(types=..., primitives=...)`) or builds another, and passes it
explicitly: to the Library (which every searcher, the store and the workers read it
from), to `Task.from_examples`, `parse`, `parse_type` and `load_program`. Workers
rebuild a DSL from its import path (`reference`, `package.module:attr`), so a DSL made
at module level of an importable module travels to pool and Ray workers.
"""

from __future__ import annotations


import hashlib
import importlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable, Hashable, Iterable, Sequence

from neurosym.errors import NeurosymError, ParseError
from neurosym.lang.types import (
    ARROW,
    TYPE_VARIABLE,
    TCon,
    TVar,
    Type,
    arity,
    format_type,
    free_vars,
    read_type,
    split_arrow,
)

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_']*\Z")
#: the infix symbols of the grammar a primitive may take (dsl/grammar.lark), with their
#: precedence level (loosest first) and the levels of their left and right operands
INFIX_LEVELS: dict[str, tuple[int, int, int]] = {
    "||": (1, 1, 2), "&&": (2, 2, 3), "==": (3, 4, 4), "<": (3, 4, 4),
    "+": (4, 4, 5), "-": (4, 4, 5), "*": (5, 5, 6), "/": (5, 5, 6), "%": (5, 5, 6),
}


class DSLError(NeurosymError, ValueError):
    """A DSL that cannot be built as asked: a name or type that collides, a type text
    naming an unknown type, a reference that cannot be imported."""


@dataclass(frozen=True)
class LiteralSyntax:
    """How a value type's literals read and print: `@name"text"` in programs."""

    show: Callable[[Any], str]
    read: Callable[[str], Any]


@dataclass(frozen=True, eq=False)
class ValueType:
    """A type of values: a name, its number of type parameters, and its values' needs.

    `python`: the runtime classes of its values (what `Task` types values by; empty for
    types only neural routines read, such as images). `key`: maps a value to what
    equality and hashing use (observational equivalence; None: the value itself).
    `literal`: how literals print and read (None: no literals). `encode`: a value as
    small non-negative ints for the recognition model (None: a generic encoding).
    `samples`: a few values to probe lambda bodies with. `parts`: a container's items
    with the index of the type parameter each has. `from_user` / `to_user`: conversion
    from and to the plain Python values users write (lists for stacks and pairs)."""

    name: str
    params: int = 0
    python: tuple[type, ...] = ()
    key: Callable[[Any], Hashable] | None = None
    literal: LiteralSyntax | None = None
    encode: Callable[[Any], Sequence[int]] | None = None
    samples: tuple = ()
    parts: Callable[[Any], Iterable[tuple[Any, int]]] | None = None
    from_user: Callable[[Any, Sequence[Any]], Any] | None = None
    to_user: Callable[[Any], Any] | None = None
    doc: str = ""

    def signature(self) -> str:
        return f"type {self.name}/{self.params} {','.join(c.__qualname__ for c in self.python)}"


@dataclass(frozen=True)
class Deduced:
    """What a splitting primitive's function argument must give (a `Primitive.deduce`
    answer): `rows` of (arguments, result), the arguments a tuple with one value per
    parameter of the function; `fixed`, the values of the primitive's arguments between
    the function and the list (fold's seed), which search writes as a nullary primitive
    or a literal."""

    rows: tuple[tuple[tuple, Any], ...]
    fixed: tuple = ()


@dataclass(frozen=True, eq=False)
class Primitive:
    """One primitive: everything neurosym knows about it lives here.

    `fn` takes the primitive's arguments at once (uncurried) and returns its value; a
    primitive that needs the run's caps and step counter gives `bind` instead, which
    makes `fn` for a Runtime. A fault is any exception. `commutative`: its two arguments
    commute (search enumerates one order). `lazy`: argument positions it receives as
    thunks (zero-argument callables), evaluated only if needed. `cost`: steps charged
    per call. `infix`: its symbol among INFIX_LEVELS. `word`: an identifier for names of
    routines built from it. `compile`: a compiler fast path for full applications,
    `columns`: an enumerator fast path over value columns (both optional). `relaxed`:
    import path of a tensor implementation for neurosym.neural. `source`: a Python
    expression template for export ({0}, {1}: the arguments) and `helpers`, the source
    of functions it needs. `deduce`, for a primitive whose first argument is a function and last a list
    (`(a -> b) -> list a -> r`, `(a -> b -> b) -> b -> list a -> b`): given the list
    and the output, a `Deduced` (what the function must give on which arguments), or
    for a one-parameter function simply the (element, result) pairs, or None when no
    function gives that output; search then looks for the function alone
    (neurosym/search/deduction.py)."""

    name: str
    type: Type
    fn: Callable[..., Any] | None = None
    doc: str = ""
    bind: Callable[[Any], Callable[..., Any]] | None = None
    commutative: bool = False
    lazy: tuple[int, ...] = ()
    cost: int = 0
    infix: str | None = None
    word: str | None = None
    compile: Callable[..., Any] | None = None
    columns: Callable[..., Any] | None = None
    relaxed: str | None = None
    source: str | None = None
    helpers: tuple[str, ...] = ()
    deduce: Callable[[Any, Any], Any] | None = None
    checked: bool = False  # results are checked against the declared type (user primitives)

    @cached_property
    def arity(self) -> int:
        """Its number of arguments (read per application the compiler meets: kept)."""
        return arity(self.type)

    def signature(self) -> str:
        return f"prim {self.name} : {format_type(self.type)}"


@dataclass(frozen=True, eq=False)
class DSL:
    """A language: value types, primitives and the literals a library starts with.

    Build with `DSL.of(...)`, `base_dsl()`, `extend` and `without`. `reference` is the
    import path workers rebuild it from (`package.module:attr`, an attribute or a
    function of no arguments); a DSL without one can be used in this process only.
    Two DSLs are equal when their names and versions are."""

    name: str
    types: tuple[ValueType, ...]
    primitives: tuple[Primitive, ...]
    literals: tuple[Any, ...] = ()
    reference: str | None = None
    #: Runtime per Limits (neurosym.lang.primitives.runtime_for): caches, never copied
    runtimes: dict = field(init=False, default_factory=dict, compare=False, repr=False)

    # -- construction ---------------------------------------------------------------
    @classmethod
    def of(cls, name: str, types: Iterable[ValueType], primitives: Iterable[Primitive | tuple] = (),
           literals: Iterable[Any] = (), reference: str | None = None) -> "DSL":
        """A DSL; primitives may be given as records or as `(name, type_text, fn, doc)`."""
        dsl = cls(name, tuple(types), (), tuple(literals), reference)
        dsl._check_types()
        return dsl._with_primitives(primitives)

    def _check_types(self) -> None:
        seen: set[str] = set()
        for t in self.types:
            if not NAME.match(t.name) or TYPE_VARIABLE.match(t.name) or t.name == ARROW:
                raise DSLError(f"type name {t.name!r} is not allowed: one letter (with digits) names a type "
                               "variable; use a word such as 'point'")
            if t.name in seen:
                raise DSLError(f"DSL {self.name!r}: two value types named {t.name!r}")
            seen.add(t.name)

    def _with_primitives(self, primitives: Iterable[Primitive | tuple]) -> "DSL":
        records = list(self.primitives)
        for item in primitives:
            p = item if isinstance(item, Primitive) else self.primitive_record(*item)
            if not isinstance(p.type, (TCon, TVar)):
                p = replace(p, type=self._primitive_type(p.name, p.type))  # type: ignore[arg-type]
            self._check_primitive(p, records)
            records.append(p)
        return replace(self, primitives=tuple(records))

    def _check_primitive(self, p: Primitive, earlier: list[Primitive]) -> None:
        if not NAME.match(p.name) and p.infix is None and p.name not in INFIX_LEVELS:
            raise DSLError(f"primitive name {p.name!r} is not a name (letters, digits, _ and ')")
        if any(q.name == p.name for q in earlier):
            raise DSLError(f"DSL {self.name!r} already has a primitive named {p.name!r}")
        if (p.fn is None) == (p.bind is None) and p.compile is None:
            raise DSLError(f"primitive {p.name!r} needs an implementation: fn or bind")
        if p.infix is not None:
            if p.infix not in INFIX_LEVELS:
                raise DSLError(f"primitive {p.name!r}: infix {p.infix!r} is not one of {', '.join(INFIX_LEVELS)}")
            if p.arity != 2:
                raise DSLError(f"primitive {p.name!r}: an infix primitive takes two arguments")
            if any(q.infix == p.infix for q in earlier):
                raise DSLError(f"infix {p.infix!r} is taken by another primitive")
        if any(i >= p.arity or i < 0 for i in p.lazy):
            raise DSLError(f"primitive {p.name!r}: lazy positions {p.lazy} beyond its {p.arity} arguments")
        self._check_type_names(p.type, f"primitive {p.name!r}")

    def _check_type_names(self, t: Type, where: str) -> None:
        if isinstance(t, TVar):
            return
        if t.name != ARROW:
            vt = self.value_type_named(t.name)
            if vt is None:
                raise DSLError(f"{where}: unknown type {t.name!r}; types: {', '.join(self.type_names)}")
            if vt.params != len(t.args):
                raise DSLError(f"{where}: type {t.name!r} takes {vt.params} argument(s), got {len(t.args)}")
        for a in t.args:
            self._check_type_names(a, where)

    def primitive_record(self, name: str, type_text: str, fn: Callable[..., Any], doc: str = "",
                         **options: Any) -> Primitive:
        """A user primitive from a plain Python function (its results are checked)."""
        return Primitive(name, self._primitive_type(name, type_text), fn=fn, doc=doc, checked=True,
                         cost=options.pop("cost", 1),
                         **options)

    def _primitive_type(self, name: str, text: str) -> Type:
        try:
            return self.parse_type(text)
        except ParseError as err:
            raise DSLError(f"primitive {name!r}: {err.reason}") from None

    def extend(self, types: Iterable[ValueType] = (), primitives: Iterable[Primitive | tuple] = (),
               literals: Iterable[Any] = (), name: str | None = None, reference: str | None = None) -> "DSL":
        """A new DSL with more value types, primitives and literals (a new name, else
        `<name>+`); every addition is checked (collisions, unknown types)."""
        grown = replace(self, name=name or f"{self.name}+", types=self.types + tuple(types),
                        literals=self.literals + tuple(literals), reference=reference)
        grown._check_types()
        return grown._with_primitives(primitives)

    def without(self, *names: str, name: str | None = None, reference: str | None = None) -> "DSL":
        """A new DSL without these primitives."""
        unknown = set(names) - set(self.primitive_names)
        if unknown:
            raise DSLError(f"DSL {self.name!r} has no primitive(s) {sorted(unknown)}")
        return replace(self, name=name or f"{self.name}-", reference=reference,
                       primitives=tuple(p for p in self.primitives if p.name not in names))

    def with_reference(self, reference: str) -> "DSL":
        """The same DSL, told the import path that workers rebuild it from."""
        return replace(self, reference=reference)

    def primitive_decorator(self, type_text: str, name: str | None = None, doc: str | None = None,
                            **options: Any) -> Callable[[Callable[..., Any]], Primitive]:
        """`@dsl.primitive_decorator("str -> int")` over a function gives its record
        (add it with `extend(primitives=[...])`); the docstring's first line is its doc."""
        def make(fn: Callable[..., Any]) -> Primitive:
            text = doc if doc is not None else (fn.__doc__ or "").strip().splitlines()[0:1]
            return self.primitive_record(name or fn.__name__, type_text, fn,
                                         text if isinstance(text, str) else "".join(text), **options)

        return make

    # -- lookups --------------------------------------------------------------------
    @cached_property
    def _lookup(self) -> dict:
        table: dict = {("p", p.name): p for p in self.primitives}
        table.update({("t", t.name): t for t in self.types})
        table.update({("i", p.infix): p for p in self.primitives if p.infix})
        return table

    @property
    def primitive_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.primitives)

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.types)

    def primitive(self, name: str) -> Primitive:
        p = self._lookup.get(("p", name))
        if p is None:
            from neurosym.errors import NotFound

            raise NotFound(f"DSL {self.name!r} has no primitive {name!r}")
        return p

    def get_primitive(self, name: str) -> Primitive | None:
        return self._lookup.get(("p", name))

    def value_type_named(self, name: str) -> ValueType | None:
        return self._lookup.get(("t", name))

    def infix(self, symbol: str) -> Primitive | None:
        """The primitive spelled `symbol` between its arguments, if any."""
        return self._lookup.get(("i", symbol))

    def env(self) -> dict[str, Type]:
        """Name -> type of every primitive (for the type checker)."""
        return {p.name: p.type for p in self.primitives}

    # -- types ----------------------------------------------------------------------
    def parse_type(self, text: str) -> Type:
        """A type in this DSL: `(a -> b) -> list a -> point`; unknown names are errors."""
        return read_type(text, self._params)

    def type_of_value_class(self, cls: type) -> ValueType | None:
        """The value type whose runtime class `cls` is (exactly, else by subclass: a numpy
        integer is an int), None when no type claims it."""
        return self._classes.get(cls) or next(
            (vt for vt in self.types if vt.python and issubclass(cls, vt.python) and cls is not bool), None)

    @cached_property
    def _classes(self) -> dict[type, ValueType]:
        table: dict[type, ValueType] = {}
        for vt in self.types:
            for cls in vt.python:
                table.setdefault(cls, vt)
        return table

    def literal_type(self, value: Any) -> Type:
        """The type of a literal (a value of a type without parameters)."""
        vt = self.type_of_value_class(type(value))
        if vt is None or vt.params:
            raise DSLError(f"DSL {self.name!r} has no value type for the literal {value!r}")
        return TCon(vt.name)

    def _params(self, name: str) -> int | None:
        vt = self.value_type_named(name)
        return None if vt is None else vt.params

    def check_type(self, t: Type, where: str = "type") -> Type:
        """`t` if every name in it is a value type of this DSL with the right arity."""
        self._check_type_names(t, where)
        return t

    @cached_property
    def version(self) -> str:
        """A content hash of the value types and primitive signatures (not their code):
        what a store written for this language must match."""
        text = "\n".join([t.signature() for t in self.types] + [p.signature() for p in self.primitives])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, DSL) and other.name == self.name and other.version == self.version)

    def __hash__(self) -> int:
        return hash((self.name, self.version))

    def __repr__(self) -> str:
        return f"DSL({self.name!r}, {len(self.types)} types, {len(self.primitives)} primitives, version {self.version})"

    def __reduce__(self) -> tuple:
        # workers rebuild it from its import path; functions in records do not pickle
        if self.reference is None:
            raise DSLError(f"DSL {self.name!r} has no import path (reference='package.module:attr'), so it "
                           "cannot be sent to worker processes; define it at module level of an importable "
                           "module and give that path, or search in this process (executor='serial')")
        return (load_dsl, (self.reference,))

    def describe(self) -> str:
        """Name and version, for messages and records: `base (version 1a2b...)`."""
        return f"{self.name} (version {self.version})"


def load_dsl(reference: str) -> DSL:
    """The DSL at import path `package.module:attr` (an attribute, or a function of no
    arguments that returns one)."""
    module_name, _, attr = reference.partition(":")
    if not module_name or not attr:
        raise DSLError(f"DSL reference {reference!r}: expected an import path such as 'mypackage.langs:MY_DSL'")
    try:
        module = importlib.import_module(module_name)
    except Exception as err:  # ImportError, or whatever the module raises while it runs
        raise DSLError(f"DSL reference {reference!r}: cannot import {module_name!r} "
                       f"({type(err).__name__}: {err})") from None
    value: Any = module
    for part in attr.split("."):
        value = getattr(value, part, None)
        if value is None:
            raise DSLError(f"DSL reference {reference!r}: {module_name!r} has no attribute {attr!r}")
    if callable(value) and not isinstance(value, DSL):
        value = value()
    if not isinstance(value, DSL):
        raise DSLError(f"DSL reference {reference!r} is a {type(value).__name__}, not a DSL")
    return value if value.reference == reference else value.with_reference(reference)


def ground_types(t: Type) -> set[Type]:
    """The non-arrow type constructors applied anywhere in `t` (with their arguments)."""
    out: set[Type] = set()
    stack = [t]
    while stack:
        u = stack.pop()
        if isinstance(u, TCon):
            if u.name != ARROW and not free_vars(u):
                out.add(u)
            stack.extend(u.args)
    return out


__all__ = ["DSL", "DSLError", "INFIX_LEVELS", "LiteralSyntax", "Primitive", "TYPE_VARIABLE", "ValueType",
           "ground_types", "load_dsl", "split_arrow"]
