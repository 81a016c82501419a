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
--install replaces library/index.json, routines/, recognition.pt and shipped.json with
the run's (review first: `neurosym library diff library runs/shipped/library`); an
earlier run in --out is continued, or, complete, only installed. Then the base
primitives and the grown library search the collections no part of it saw (DreamCoder's
test half, PSB1's problems) at --check-candidates a task: `unseen_solved_base=<n>/<N>
unseen_solved_library=<n>/<N> (...)`, and --install is refused (exit 1) if the library
solves fewer of either collection. The figures, the check and the task list are
written to RUNDIR/shipped.json for library/README.md.
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
from neurosym.curriculum.transfer import compare_on_collections, fewer_than_base, figures_line
from neurosym.library import Library
from neurosym.library.store import load_library
from neurosym.search.base import Budget
from neurosym.search.work import LibrarySnapshot
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


def unseen_collections(seen: set[str], seed: int = 0) -> dict[str, list]:
    """Tasks the curriculum never saw: DreamCoder's test half and PSB1's problems, less
    any whose name a training task has (PSB1's `count-odds` is a lists task too)."""
    from neurosym.domains.psb1 import PSB1_PROBLEMS, psb1_problem

    _, test = split_tasks(load_tasks(dreamcoder_tasks_path()), 0.5, seed)
    collections = {"dreamcoder-test-half": test, "psb1": [psb1_problem(name)[0] for name in PSB1_PROBLEMS]}
    return {name: [t for t in ts if t.name not in seen] for name, ts in collections.items()}


def _unseen_check(opts: argparse.Namespace, seen: set[str], earlier: dict | None) -> dict:
    """Base primitives vs the grown library on the unseen collections, by candidates (so
    the same on any machine); an earlier clean check (every search gave a result) of the
    same library and budget is reused."""
    learned = load_library(opts.out / "library")
    budget = Budget(seconds=None, candidates=opts.check_candidates)
    digest = LibrarySnapshot.of(learned).digest
    if (earlier and earlier.get("library_digest") == digest and earlier.get("budget") == budget.describe()
            and earlier.get("without_result") == []):
        return earlier
    figures = compare_on_collections(learned, unseen_collections(seen), budget, jobs=opts.jobs,
                                     on_event=lambda m: print("  unseen " + m, flush=True))
    return {"budget": budget.describe(), "library_digest": digest, "line": figures_line(figures, "unseen"),
            "fewer_than_base": fewer_than_base(figures),
            "without_result": [f"{name}/{search}" for name, f in figures.items() for search in f.failed],
            "collections": {name: f.to_json() for name, f in figures.items()}}


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
    ap.add_argument("--check-candidates", type=positive_int, default=300_000,
                    help="candidates per task of the check on unseen collections (default 300000)")
    ap.add_argument("--install", action="store_true",
                    help="copy the result into library/ (refused if it solves fewer unseen tasks than the base)")
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
    earlier = json.loads((opts.out / "shipped.json").read_text()) if (opts.out / "shipped.json").exists() else {}
    seconds += earlier.get("seconds", 0)  # a resumed run: the time of the parts before too
    record = {"command": "python scripts/regrow_shipped_library.py " + " ".join(argv or sys.argv[1:]),
              "budget": Budget(seconds=opts.budget, candidates=opts.candidates).describe(),
              "seconds": round(seconds), "solved_per_iteration": [f.solved_train for f in figures],
              "total": len(tasks), "recognition_loss": [f.recognition_loss for f in figures],
              "tasks": {k: [t.name for t in v] for k, v in collections.items()}}
    print(f"solved per iteration {record['solved_per_iteration']} of {len(tasks)} in {seconds:.0f} s", flush=True)
    record["unseen"] = _unseen_check(opts, {t.name.split("@")[0] for t in tasks}, earlier.get("unseen"))
    (opts.out / "shipped.json").write_text(json.dumps(record, indent=1) + "\n")
    print(f"{record['unseen']['line']}; {opts.out / 'shipped.json'}")
    if opts.install and record["unseen"]["fewer_than_base"]:
        print(f"not installed: the library solves fewer tasks than the base primitives on "
              f"{', '.join(record['unseen']['fewer_than_base'])}", file=sys.stderr)
        return 1
    if opts.install and record["unseen"]["without_result"]:
        print(f"not installed: searches of the check gave no result (a worker killed or timed out), so its "
              f"figures are not clean: {', '.join(record['unseen']['without_result'])}", file=sys.stderr)
        return 1
    if opts.install:
        target = REPO / "library"
        shutil.rmtree(target / "routines", ignore_errors=True)
        shutil.copy(opts.out / "library" / "index.json", target / "index.json")
        shutil.copytree(opts.out / "library" / "routines", target / "routines")
        shutil.copy(opts.out / "model" / "recognition.pt", target / "recognition.pt")
        shutil.copy(opts.out / "shipped.json", target / "shipped.json")  # what it saw, how it was built
        print(f"installed into {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
