"""Does learning pay off on tasks it never saw? A curriculum with learning curves.

Half of DreamCoder's list tasks train a library and a recognition model (wake-sleep,
method "neural": abstraction learning, then the model on the solutions and on dreams);
the other half, never searched during training, is searched after every iteration
with the learned library, unguided and guided by the model, and once with the starting
library (the base primitives): the baseline. The curves are in
RUNDIR/learning_curve.png; the routines learned are printed with their docs.

Run: python examples/learning_curves.py [RUNDIR]
     (about 40 minutes on 2 cores; NEUROSYM_EXAMPLE_SMALL=1: about 20 s)
"""

import os
import sys
import tempfile
from pathlib import Path

import neurosym as ns
from neurosym.domains.registry import get_domain
from neurosym.library.store import load_library


def main() -> None:
    small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
    tasks = get_domain("dreamcoder")[: 24 if small else None]
    rundir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "run"
    config = ns.CurriculumConfig(source="dreamcoder", iterations=2, test_fraction=0.5, seed=0, method="neural",
                                 budget=1 if small else 10, jobs=2, executor="pool",
                                 dreams=40 if small else 10_000, recognition_epochs=2 if small else 40)
    figures = ns.Curriculum(tasks, rundir, config, on_event=print, library=ns.Library.base()).run()

    print("\ntest tasks solved (never trained on):")
    for f in figures:
        print(f"  iteration {f.iteration}: starting library {f.solved_test_base}/{f.total_test}, "
              f"learned library {f.solved_test}/{f.total_test}, with the model {f.solved_test_guided}/{f.total_test}")
    library = load_library(rundir / "library")
    print(f"\n{len(library.routines)} routines learned:")
    for routine in library.routines:
        view = library.show(routine.name)
        print(f"  {view.definition}\n      {routine.doc}")
    print(f"\nlearning curves: {rundir / 'learning_curve.png'}")


if __name__ == "__main__":  # the pool executor starts worker processes that import this file
    main()
