"""A small user language for the tests: the base one plus points and float arithmetic.

At module level of an importable module (tests/ is on sys.path under pytest), so the
DSL has an import path, "dsl_points:POINTS", that task files and workers name it by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import LiteralSyntax, ValueType


@dataclass(frozen=True)
class Point:
    """A point; its label is no part of its value (the key leaves it out)."""

    x: int
    y: int
    label: str = ""


def _read_point(text: str) -> Point:
    x, y = text.split(",")
    return Point(int(x), int(y))


def _point_from_user(value: Any, items: Any) -> Point:
    """A task file writes a point as an object, `{"x": 1, "y": 2}`, or as text, `"1,2"`."""
    if isinstance(value, dict):
        return Point(value["x"], value["y"], value.get("label", ""))
    if isinstance(value, str):
        return _read_point(value)
    raise ValueError(f"a point is written as {{\"x\": .., \"y\": ..}} or \"x,y\", not {value!r}")


def _point_to_user(p: Point) -> dict:
    return {"x": p.x, "y": p.y, "label": p.label} if p.label else {"x": p.x, "y": p.y}


POINT = ValueType(
    "point", python=(Point,), key=lambda p: (p.x, p.y), samples=(Point(0, 0), Point(1, 2)),
    literal=LiteralSyntax(show=lambda p: f"{p.x},{p.y}", read=_read_point),
    from_user=_point_from_user, to_user=_point_to_user, doc="A point of the plane.",
)

POINTS = base_dsl().extend(
    types=[POINT],
    primitives=[
        ("px", "point -> int", lambda p: p.x, "The x coordinate."),
        ("py", "point -> int", lambda p: p.y, "The y coordinate."),
        ("mkpoint", "int -> int -> point", Point, "The point (x, y)."),
        ("fmul", "float -> float -> float", lambda a, b: a * b, "Float multiplication."),
        ("fadd", "float -> float -> float", lambda a, b: a + b, "Float addition."),
    ],
    name="points",
    reference="dsl_points:POINTS",
)
