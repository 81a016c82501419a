"""A Library: the productions a searcher may use, each with a type and a weight.

Productions are the base primitives, integer literals, and (once abstraction learning
has run) learned routines. Weights are unnormalised log-probabilities, as in DreamCoder:
searchers turn them into costs, so that a library or a neural model steers search by
supplying weights alone. `variable_log_weight` is the weight of using a bound variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from neurosym.lang.ast import Expr, Lit, Prim
from neurosym.lang.primitives import load_primitive_specs
from neurosym.lang.types import BOOL, INT, Type

#: integer literals in the base library (DreamCoder's list DSL has 0..5 as well)
DEFAULT_LITERALS = (0, 1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Production:
    """One thing a program can be built from: a primitive, routine or literal."""

    name: str
    expr: Expr
    type: Type
    log_weight: float = 0.0


@dataclass(frozen=True)
class Library:
    """Productions with weights. Build the base one with `Library.base()`."""

    productions: tuple[Production, ...]
    variable_log_weight: float = 0.0
    routine_values: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def base(cls, literals: Iterable[int | bool] = DEFAULT_LITERALS, exclude: Iterable[str] = ()) -> "Library":
        """The base primitives of dsl/primitives.toml plus integer literals, uniform weights."""
        skip = set(exclude)
        prods = [Production(s.name, Prim(s.name), s.type) for s in load_primitive_specs().values() if s.name not in skip]
        prods += [Production(_literal_name(v), Lit(v), BOOL if isinstance(v, bool) else INT) for v in literals]
        return cls(tuple(prods))

    def env(self) -> dict[str, Type]:
        """Name -> type of every primitive and routine (for type checking)."""
        return {p.name: p.type for p in self.productions if isinstance(p.expr, Prim)}

    def names(self) -> list[str]:
        return [p.name for p in self.productions]

    def production(self, name: str) -> Production:
        for p in self.productions:
            if p.name == name:
                return p
        raise KeyError(f"no production named {name!r} in this library")

    def with_weights(self, log_weights: Mapping[str, float], variable: float | None = None) -> "Library":
        """A copy with some productions re-weighted (unknown names are an error)."""
        unknown = set(log_weights) - set(self.names())
        if unknown:
            raise KeyError(f"unknown production(s) {sorted(unknown)}")
        prods = tuple(replace(p, log_weight=log_weights.get(p.name, p.log_weight)) for p in self.productions)
        return replace(self, productions=prods,
                       variable_log_weight=self.variable_log_weight if variable is None else variable)

    def without(self, *names: str) -> "Library":
        return replace(self, productions=tuple(p for p in self.productions if p.name not in names))


def _literal_name(v: int | bool) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
