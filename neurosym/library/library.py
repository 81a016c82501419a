"""A Library: the productions a searcher may use, each with a type and a weight.

Productions are the base primitives, integer literals, and (once abstraction learning
has run) learned routines. Weights are unnormalised log-probabilities, as in DreamCoder:
searchers turn them into costs, so that a library or a neural model steers search by
supplying weights alone. `variable_log_weight` is the weight of using a bound variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from neurosym.errors import InvalidArgument, NotFound
from neurosym.lang.ast import Expr, Lit, Prim
from neurosym.lang.compiler import RoutineFunction
from neurosym.lang.routine_compiler import compile_routine_functions, compile_routines
from neurosym.lang.base import DEFAULT_LITERALS, base_dsl
from neurosym.lang.dsl import DSL
from neurosym.lang.parser import parse_module
from neurosym.lang.primitives import Limits
from neurosym.lang.printer import format_literal
from neurosym.lang.typecheck import Env, check_definitions
from neurosym.lang.types import Type, split_arrow

__all__ = ["DEFAULT_LITERALS", "Library", "NeuralRoutine", "Production", "Routine"]


@dataclass(frozen=True)
class Production:
    """One thing a program can be built from: a primitive, routine or literal."""

    name: str
    expr: Expr
    type: Type
    log_weight: float = 0.0


@dataclass(frozen=True)
class Routine:
    """A named program that later programs use like a primitive, with its provenance."""

    name: str
    body: Expr
    type: Type
    doc: str = ""
    produced_by: tuple[str, ...] = ()  # tasks whose solutions it was abstracted from
    used_by: tuple[str, ...] = ()  # tasks whose solutions use it
    created: str = ""  # when it was learned (an ISO date, or a run's iteration label)
    version: int = 1  # bumped when a routine of the same name is redefined


@dataclass(frozen=True)
class NeuralRoutine:
    """A trained neural module that programs use like a primitive (`digit : image -> int`).

    The library does not interpret it: `factory` and `config` (JSON text) say how
    neurosym.neural rebuilds the module, `weights` are its serialized parameters (opaque
    bytes, kept in the store as routines/<name>.pt), `val_accuracy` is its accuracy on
    held-out data when it was saved."""

    name: str
    type: Type
    factory: str
    config: str
    weights: bytes = field(repr=False)
    val_accuracy: float | None = None
    doc: str = ""
    produced_by: tuple[str, ...] = ()  # the task it was trained on
    used_by: tuple[str, ...] = ()  # later tasks whose programs use it
    created: str = ""
    version: int = 1


@dataclass(frozen=True)
class Library:
    """Productions with weights. Build the base one with `Library.base()`."""

    productions: tuple[Production, ...]
    variable_log_weight: float = 0.0
    routines: tuple[Routine, ...] = ()
    version: int = 0  # bumped by every round of learning that changes the library
    neural: tuple[NeuralRoutine, ...] = ()  # trained neural routines (weights opaque here)
    dsl: DSL = field(default_factory=base_dsl)  # the language of its primitives, routines and values
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict:
        # compiled routines are closures: they do not pickle, and are rebuilt on demand
        return {**self.__dict__, "_compiled": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        # one line: the field-by-field form runs to tens of thousands of characters
        neural = f", {len(self.neural)} neural" if self.neural else ""
        return (f"Library({len(self.productions)} productions, {len(self.routines)} routines{neural}, "
                f"version {self.version})")

    def _repr_html_(self) -> str:
        """The routines as a small table for notebooks (name, type, definition truncated)."""
        import html

        from neurosym.lang.printer import format_expr
        from neurosym.lang.types import format_type

        def clip(text: str, width: int = 80) -> str:
            return text if len(text) <= width else text[: width - 3] + "..."

        rows = [(r.name, format_type(r.type), clip(format_expr(r.body))) for r in self.routines]
        rows += [(n.name, format_type(n.type), f"neural ({n.factory})") for n in self.neural]
        cells = "".join("<tr>" + "".join(f"<td><code>{html.escape(c)}</code></td>" for c in row) + "</tr>"
                        for row in rows)
        head = "<tr><th>routine</th><th>type</th><th>definition</th></tr>"
        return f"<p>{html.escape(repr(self))}</p>" + (f"<table>{head}{cells}</table>" if rows else "")

    def routine_values(self, limits: Limits) -> Mapping[str, Any]:
        """The routines compiled for runs under `limits` (each runtime counts its own
        steps, so values are compiled, and cached, per limits)."""
        values = self._compiled.get(limits)
        if values is None:
            # a neural routine runs only through neurosym.neural; symbolic search gets a
            # stand-in that faults if it is ever applied (it needs an image or a vector)
            values = compile_routines(((r.name, r.body) for r in self.routines), limits,
                                      {n.name: _NeedsNeural(n.name) for n in self.neural}, dsl=self.dsl)
            self._compiled[limits] = values
        return values

    def routine_functions(self, limits: Limits) -> Mapping[str, RoutineFunction]:
        """The symbolic routines as functions of all their arguments at once (see
        `compile_routine_functions`), for the enumerator; cached per limits."""
        key = ("functions", limits)
        functions = self._compiled.get(key)
        if functions is None:
            definitions = ((r.name, r.body, len(split_arrow(r.type)[0])) for r in self.routines)
            functions = compile_routine_functions(definitions, self.routine_values(limits), limits, dsl=self.dsl)
            self._compiled[key] = functions
        return functions

    def with_routines(self, text: str, log_weight: float = 0.0) -> "Library":
        """A copy with the routines defined in `text` (`def name [: type] = body;` ...)
        added as productions; each is type-checked against the library so far."""
        module = parse_module(text, self.dsl)
        if module.main is not None:
            raise InvalidArgument("routine text must hold only definitions (`def name = body;`)")
        taken = set(self.names())
        for d in module.definitions:
            if d.name in taken:
                raise InvalidArgument(f"a production named {d.name!r} already exists")
            taken.add(d.name)
        types = check_definitions(module.definitions, self.env())
        new = tuple(Routine(d.name, d.body, types[d.name]) for d in module.definitions)
        prods = tuple(Production(r.name, Prim(r.name), r.type, log_weight) for r in new)
        return replace(self, productions=self.productions + prods, routines=self.routines + new, _compiled={})

    def with_neural(self, routine: NeuralRoutine, log_weight: float = 0.0) -> "Library":
        """A copy with neural routine `routine` as a production; one of the same name is
        replaced (its version bumped, its production weight kept)."""
        old = next((n for n in self.neural if n.name == routine.name), None)
        if old is None:
            if routine.name in self.names():
                raise InvalidArgument(f"a production named {routine.name!r} already exists")
            prods = self.productions + (Production(routine.name, Prim(routine.name), routine.type, log_weight),)
            return replace(self, productions=prods, neural=self.neural + (routine,), _compiled={})
        routine = replace(routine, version=max(routine.version, old.version + 1))
        prods = tuple(replace(p, type=routine.type) if p.name == routine.name else p for p in self.productions)
        neural = tuple(routine if n.name == routine.name else n for n in self.neural)
        return replace(self, productions=prods, neural=neural, _compiled={})

    def neural_routine(self, name: str) -> NeuralRoutine:
        for n in self.neural:
            if n.name == name:
                return n
        raise NotFound(f"no neural routine named {name!r}; neural routines: "
                       f"{', '.join(n.name for n in self.neural) or 'none'}")

    def with_used_by(self, name: str, task: str) -> "Library":
        """A copy recording that `task`'s solution uses routine `name` (symbolic or neural)."""
        def add(r: Any) -> Any:
            return replace(r, used_by=r.used_by + (task,)) if r.name == name and task not in r.used_by else r

        if name not in {r.name for r in self.routines} | {n.name for n in self.neural}:
            raise NotFound(f"no routine named {name!r}")
        return replace(self, routines=tuple(add(r) for r in self.routines),
                       neural=tuple(add(n) for n in self.neural), _compiled={})

    @classmethod
    def base(cls, literals: Iterable[Any] | None = None, exclude: Iterable[str] = (), dsl: DSL | None = None
             ) -> "Library":
        """A library of a DSL's primitives (the base language by default) and literals (the
        DSL's own by default: 0..5 for the base language), uniform weights."""
        dsl = dsl if dsl is not None else base_dsl()
        skip = set(exclude)
        prods = [Production(p.name, Prim(p.name), p.type) for p in dsl.primitives if p.name not in skip]
        values = dsl.literals if literals is None else tuple(literals)
        prods += [Production(literal_name(v, dsl), Lit(v), dsl.literal_type(v)) for v in values]
        return cls(tuple(prods), dsl=dsl)

    def env(self) -> Env:
        """Name -> type of every primitive and routine (for type checking), with the DSL."""
        return Env({p.name: p.type for p in self.productions if isinstance(p.expr, Prim)}, self.dsl)

    def routine(self, name: str) -> Routine:
        for r in self.routines:
            if r.name == name:
                return r
        raise NotFound(f"no routine named {name!r}; routines: {', '.join(r.name for r in self.routines) or 'none'}")

    # -- browsing (the functions live in browse.py; these are the short forms) ----------
    def find(self, type: "str | Type", match: str = "usable") -> tuple[Routine, ...]:
        """Routines usable at `type` (e.g. "int -> list int -> int")."""
        from neurosym.library.browse import find

        return find(self, type, match)  # type: ignore[arg-type]

    def show(self, name: str) -> Any:
        """A routine's definition, type, weight, provenance, example of use and dependents."""
        from neurosym.library.browse import show

        return show(self, name)

    def graph(self) -> Any:
        """The routine dependency graph (a networkx DiGraph)."""
        from neurosym.library.browse import graph

        return graph(self)

    def names(self) -> list[str]:
        return [p.name for p in self.productions]

    def production(self, name: str) -> Production:
        for p in self.productions:
            if p.name == name:
                return p
        raise NotFound(f"no production named {name!r} in this library")

    def with_weights(self, log_weights: Mapping[str, float], variable: float | None = None) -> "Library":
        """A copy with some productions re-weighted (unknown names are an error)."""
        unknown = set(log_weights) - set(self.names())
        if unknown:
            raise NotFound(f"unknown production(s) {sorted(unknown)}")
        prods = tuple(replace(p, log_weight=log_weights.get(p.name, p.log_weight)) for p in self.productions)
        return replace(self, productions=prods,
                       variable_log_weight=self.variable_log_weight if variable is None else variable, _compiled={})

    def without(self, *names: str) -> "Library":
        """A copy without these productions (routines that use them stay usable)."""
        return replace(self, productions=tuple(p for p in self.productions if p.name not in names), _compiled={})

    def only(self, *names: str) -> "Library":
        """A copy keeping just these productions: a small grammar for a narrow domain."""
        unknown = set(names) - set(self.names())
        if unknown:
            raise NotFound(f"unknown production(s) {sorted(unknown)}")
        return replace(self, productions=tuple(p for p in self.productions if p.name in names), _compiled={})


class _NeedsNeural:
    """The symbolic value of a neural routine: applying it is a runtime fault."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: Any) -> Any:
        raise RuntimeError(f"neural routine {self.name!r} runs only under neurosym.neural (discrete_program)")


def literal_name(v: Any, dsl: DSL) -> str:
    """The production name of a literal: `3`, `-1`, `true`, `\"ab\"`."""
    if isinstance(v, bool) or not isinstance(v, int):
        return format_literal(v, dsl)
    return str(v)
