"""A user language for the search tests: the base language plus 2-D vectors of floats.

It lives in an importable module, at module level, with its import path as its
reference ("dsl_vectors:VECTORS"; tests/ is on sys.path under pytest), so that pool
and Ray workers can rebuild it; a DSL made inside a test function has no such path.
Vectors are equal when their coordinates agree to 9 significant digits (`vec_key`),
as the base language's floats are.
"""

from __future__ import annotations

from dataclasses import dataclass

from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import Primitive, ValueType


@dataclass(frozen=True)
class Vec:
    """A 2-D vector (a plain frozen dataclass: hashable, picklable by its class's path)."""

    x: float
    y: float


def round9(x: float) -> float:
    """A float to 9 significant digits: what the base language's float key does."""
    return float(f"{x:.9g}")


def vec_key(v: Vec) -> tuple[float, float]:
    return (round9(v.x), round9(v.y))


VEC = ValueType("vec", python=(Vec,), key=vec_key, samples=(Vec(0.0, 0.0), Vec(1.0, 2.0)),
                doc="A 2-D vector of floats, equal to 9 significant digits per coordinate.")


def _user(name: str, type_text: str, fn, doc: str, **options) -> Primitive:
    """A user primitive as `DSL.primitive_record` makes one: results checked, one step."""
    return Primitive(name, type_text, fn=fn, doc=doc, checked=True, cost=1, **options)  # type: ignore[arg-type]


PRIMITIVES = [
    _user("vadd", "vec -> vec -> vec", lambda a, b: Vec(a.x + b.x, a.y + b.y), "Vector sum.", commutative=True),
    _user("vscale", "float -> vec -> vec", lambda k, v: Vec(k * v.x, k * v.y), "A vector times a number."),
    _user("norm2", "vec -> float", lambda v: v.x * v.x + v.y * v.y, "The squared length."),
    _user("vx", "vec -> float", lambda v: v.x, "The first coordinate."),
    _user("fadd", "float -> float -> float", lambda a, b: a + b, "Float addition.", commutative=True),
]

VECTORS = base_dsl().extend(types=[VEC], primitives=PRIMITIVES, literals=(0.5, 2.0), name="vectors",
                            reference="dsl_vectors:VECTORS")
