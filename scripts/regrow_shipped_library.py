"""Regrow the shipped library (and its recognition model) from a broad training curriculum.

The tasks: the project's lists, integers and formal domains, and the training half of
DreamCoder's list tasks (the split bench_library.py and bench_guidance.py use, seed 0),
so that the DreamCoder test half stays unseen and those benchmarks' test figures stay
honest for the shipped library too. The text domain is left out: its tasks are in the
text language, and a library holds one language. The run starts from the base
primitives, with method "neural" (abstraction learning, then the recognition model on
the solutions and 10,000 dreams per sleep).

Run: python scripts/regrow_shipped_library.py [--out runs/shipped] [--iterations 3] [--candidates 150000]
     [--budget SECONDS] [--jobs 2] [--install]
The budget is candidates alone by default (150,000 a task and iteration, about 5 s at the
2-core reference machine's rate), so the wake solves the same tasks with the same
programs on any machine and under any load; --budget adds a limit in seconds. The
recognition model's sleeps are bounded in seconds too (300 s), so the model, and what
the guided wake of a later iteration finds with it, can differ on a faster machine.
--install replaces library/index.json, library/routines/ and library/recognition.pt with
the run's (review first: `neurosym library diff library runs/shipped/library`); an
earlier run in --out is continued, or, complete, only installed. The figures and the
task list are written to RUNDIR/shipped.json for library/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

from neurosym.cli_options import positive_float, positive_int
from neurosym.curriculum.run import Curriculum, CurriculumConfig, split_tasks
from neurosym.domains.lists import dreamcoder_tasks_path
from neurosym.domains.registry import get_domain
from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.task_io import load_tasks

REPO = Path(__file__).resolve().parent.parent


def training_tasks(seed: int = 0) -> dict[str, list]:
    """The curriculum's tasks by collection; a name that an earlier collection has
    (`sum` is a lists task and a DreamCoder one, with other examples) gets the
    collection's name appended."""
    dreamcoder_train, _ = split_tasks(load_tasks(dreamcoder_tasks_path()), 0.5, seed)
    collections = {"lists": get_domain("lists"), "integers": get_domain("integers"), "formal": get_domain("formal"),
                   "dreamcoder-train-half": dreamcoder_train}
    taken: set[str] = set()
    for name, tasks in collections.items():
        collections[name] = [t if t.name not in taken else replace(t, name=f"{t.name}@{name}") for t in tasks]
        taken |= {t.name for t in collections[name]}
    return collections


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("runs/shipped"), help="the run directory (default runs/shipped)")
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--candidates", type=positive_int, default=150_000,
                    help="candidates per task and iteration (default 150000)")
    ap.add_argument("--budget", type=positive_float, default=None,
                    help="seconds per task and iteration as well (default: none, candidates alone)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dreams", type=int, default=10_000)
    ap.add_argument("--epochs", type=int, default=40, help="recognition epochs per sleep (default 40)")
    ap.add_argument("--limit", type=int, default=0, help="only this many tasks of each collection (a smoke test)")
    ap.add_argument("--install", action="store_true", help="copy the result into library/")
    opts = ap.parse_args(argv)
    if opts.install and opts.limit:
        raise SystemExit("--install with --limit would ship a library grown on a few tasks; drop --limit")
    collections = training_tasks()
    if opts.limit:
        collections = {k: v[: opts.limit] for k, v in collections.items()}
    tasks = [t for ts in collections.values() for t in ts]
    print(f"{len(tasks)} training tasks: " + ", ".join(f"{k} {len(v)}" for k, v in collections.items()), flush=True)
    config = CurriculumConfig(source="shipped: " + ", ".join(collections), iterations=opts.iterations,
                              budget=opts.budget, candidates=opts.candidates, seed=0, jobs=opts.jobs,
                              method="neural", dreams=opts.dreams,
                              recognition_epochs=opts.epochs, executor="pool" if opts.jobs > 1 else "serial")
    start = time.perf_counter()
    resume = (opts.out / "state.json").exists()  # a run of this command there: continue it (or just install it)
    figures = Curriculum(tasks, opts.out, config, on_event=lambda m: print("  " + m, flush=True),
                         library=Library.base(), library_source=("base", None)).run(resume=resume)
    seconds = time.perf_counter() - start
    record = {"command": "python scripts/regrow_shipped_library.py " + " ".join(argv or sys.argv[1:]),
              "budget": Budget(seconds=opts.budget, candidates=opts.candidates).describe(),
              "seconds": round(seconds), "solved_per_iteration": [f.solved_train for f in figures],
              "total": len(tasks), "recognition_loss": [f.recognition_loss for f in figures],
              "tasks": {k: [t.name for t in v] for k, v in collections.items()}}
    (opts.out / "shipped.json").write_text(json.dumps(record, indent=1) + "\n")
    print(f"solved per iteration {record['solved_per_iteration']} of {len(tasks)} in {seconds:.0f} s; "
          f"{opts.out / 'shipped.json'}")
    if opts.install:
        target = REPO / "library"
        shutil.rmtree(target / "routines", ignore_errors=True)
        shutil.copy(opts.out / "library" / "index.json", target / "index.json")
        shutil.copytree(opts.out / "library" / "routines", target / "routines")
        shutil.copy(opts.out / "model" / "recognition.pt", target / "recognition.pt")
        print(f"installed into {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
