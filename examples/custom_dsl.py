"""Your own language from scratch: 2-D vectors, a search, one curriculum iteration, a store.

Run: python examples/custom_dsl.py [RUNDIR]   (NEUROSYM_EXAMPLE_SMALL=1: a smaller budget)
"""

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import neurosym as ns
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import LiteralSyntax, ValueType
from neurosym.library.store import load_library


@dataclass(frozen=True)
class Vec:
    x: int
    y: int


VEC = ValueType("vec", python=(Vec,), samples=(Vec(0, 0), Vec(1, 2)), doc="A 2-D integer vector.",
                literal=LiteralSyntax(show=lambda v: f"{v.x},{v.y}", read=lambda t: Vec(*map(int, t.split(",")))))
VECTORS = base_dsl().extend(
    types=[VEC], name="vectors", reference="custom_dsl:VECTORS",
    primitives=[("vec", "int -> int -> vec", Vec, "A vector from its coordinates."),
                ("vx", "vec -> int", lambda v: v.x, "The x coordinate."),
                ("vy", "vec -> int", lambda v: v.y, "The y coordinate."),
                ("vadd", "vec -> vec -> vec", lambda a, b: Vec(a.x + b.x, a.y + b.y), "The sum of two vectors."),
                ("vscale", "int -> vec -> vec", lambda k, v: Vec(k * v.x, k * v.y), "A vector times a number.")])

if __name__ == "__main__":
    small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
    vs = [[Vec(1, 2)], [Vec(0, 5), Vec(3, 1)], [], [Vec(2, 2), Vec(1, 0), Vec(4, 4)]]
    tasks = [ns.Task.from_examples("double-all", [(v, [Vec(2 * a.x, 2 * a.y) for a in v]) for v in vs], dsl=VECTORS),
             ns.Task.from_examples("triple-all", [(v, [Vec(3 * a.x, 3 * a.y) for a in v]) for v in vs], dsl=VECTORS),
             ns.Task.from_examples("manhattan", [(v, v.x + v.y) for v in (Vec(1, 2), Vec(5, 0), Vec(3, 3))],
                                   dsl=VECTORS)]
    library = ns.Library.base(dsl=VECTORS)
    for r in ns.solve(tasks, library=library, budget=ns.Budget(candidates=12000 if small else 30000)):
        print(f"{r.task}: {r.program_text}")
    rundir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "run"
    config = ns.CurriculumConfig(source="vectors", iterations=1, budget=None, candidates=12000 if small else 30000)
    ns.Curriculum(tasks, rundir, config, library=library).run()
    stored = load_library(rundir / "library", dsl=VECTORS)  # the store refuses any other DSL
    print(f"{stored.dsl.describe()}: routines {[r.name for r in stored.routines]}")
    print(ns.format_expr(ns.load_program('vadd @vec"1,2"', dsl=VECTORS).main, dsl=VECTORS))
