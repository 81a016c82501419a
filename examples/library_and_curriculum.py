"""A small wake-sleep curriculum: solve, abstract shared structure into routines, reuse.

Run: python examples/library_and_curriculum.py [RUNDIR]
"""

import sys
import tempfile
from pathlib import Path

import neurosym as ns
from neurosym.library.store import load_library
from neurosym.search.hedge import HedgedSearcher


def affine(k: int, c: int) -> ns.Task:
    xs = [[1, 2], [0, 5, 3], [9], [7, 1, 1, 2]]
    return ns.Task.from_examples(f"affine-{k}-{c}", [(x, [k * v + c for v in x]) for x in xs],
                                 held_out=[(list(range(20)), [k * v + c for v in range(20)])])


# a small grammar keeps the example quick; the shipped library works the same way
grammar = ns.Library.base().only("map", "+", "*", "tail", "reverse", "1", "2", "3", "4", "5")
tasks = [affine(3, 1), affine(3, 2), affine(4, 1),
         ns.Task.from_examples("rev-tail-affine-4-5", [(x, [4 * v + 5 for v in x[1:]][::-1])
                                                      for x in [[1, 2], [0, 5, 3], [9], [7, 1, 1, 2]]])]
rundir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "run"
config = ns.CurriculumConfig(source="example", iterations=2, budget=10, candidates=5000)
figures = ns.Curriculum(tasks, rundir, config, on_event=print, library=grammar).run()

library = load_library(rundir / "library")
for routine in library.routines:
    view = library.show(routine.name)
    print(f"{view.definition}\n    used by: {', '.join(view.used_by)}")
print(f"solved per iteration: {[f.solved_train for f in figures]} (of which with the budget the solved tasks left "
      f"unspent: {[f.pooled_solved for f in figures]}); records and learning_curve.png in {rundir}")

# a hedge for tasks unlike the curriculum's: the learned library for 70% of the budget,
# then the base primitives of the grammar for the other 30%
hedged = ns.solve(ns.Task.from_examples("double-reverse", [([1, 2], [4, 2]), ([0, 5, 3], [6, 10, 0])]),
                  method=HedgedSearcher(fallback_share=0.3, fallback=grammar), library=library,
                  budget=ns.Budget(seconds=10, candidates=5000))
print(f"hedged: {hedged.program_text} ({hedged.trace[0]})")
