"""Search benchmark: enumeration vs genetic programming on 40 DreamCoder list tasks.

A fixed, seeded sample of 40 tasks from DreamCoder's list_tasks.json (EC2, Ellis et
al. 2021, repository ellisk42/ec, data/list_tasks.json, MIT licence), both methods at
the same per-task budget, in one run. Rates are per core: candidates (enumeration,
pruned ones included) or individuals evaluated (GP, cache hits excluded) divided by the
search time of the process that did the work, so `--jobs` changes wall time only.

Reference points: EC2's plain enumeration solved 37% of the list test tasks (with
7-minute timeouts on 64 CPUs); neurosym-lib's enumeration runs about 4,700 programs/s
and DEAP's GP 2,800-6,600 individuals/s on this kind of machine.

Run: python benchmarks/bench_search.py [--budget 10] [--tasks 40] [--jobs 2] [--seed 0]
Last line: solved_enum=<n>/40 solved_gp=<n>/40 enum_rate=<candidates/s> gp_rate=<individuals/s>
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from neurosym.search.solve import solve
from neurosym.task_io import load_tasks
from neurosym.domains.lists import dreamcoder_tasks_path

#: the vendored copy of DreamCoder's list tasks (data/README.md)
DEFAULT_TASKS = dreamcoder_tasks_path()


def sample_tasks(path: Path, n: int, seed: int) -> list:
    tasks = load_tasks(path)
    return sorted(random.Random(seed).sample(tasks, n), key=lambda t: t.name)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per task and method (default 10)")
    ap.add_argument("--tasks", type=int, default=40, help="number of tasks in the sample (default 40)")
    ap.add_argument("--jobs", type=int, default=1, help="tasks searched in parallel (default 1)")
    ap.add_argument("--seed", type=int, default=0, help="sample and GP seed (default 0)")
    ap.add_argument("--methods", default="enum,gp", help="comma-separated methods (default enum,gp)")
    ap.add_argument("--data", type=Path, default=DEFAULT_TASKS, help="DreamCoder list_tasks.json")
    opts = ap.parse_args(argv)
    tasks = sample_tasks(opts.data, opts.tasks, opts.seed)
    n = len(tasks)
    print(f"{n} DreamCoder list tasks (seed {opts.seed}), {opts.budget:g} s per task, jobs={opts.jobs}")
    figures = {}
    for method in opts.methods.split(","):
        start = time.perf_counter()
        results = solve(tasks, method=method, budget=opts.budget, seed=opts.seed, jobs=opts.jobs)
        wall = time.perf_counter() - start
        solved = [r for r in results if r.solved]
        search_time = sum(r.seconds for r in results)
        rate = sum(r.candidates for r in results) / search_time if search_time else 0.0
        median = statistics.median(r.seconds for r in solved) if solved else float("nan")
        figures[method] = (len(solved), rate)
        print(f"\n{method}: solved {len(solved)}/{n}, median time to solution {median:.2f} s, "
              f"{rate:,.0f} candidates/s per core, wall {wall:.0f} s")
        for r in results:
            print(f"  {'+' if r.solved else '-'} {r.task:45} {r.seconds:6.2f}s {r.candidates:>10,}  {r.program_text or ''}")
        sys.stdout.flush()
    enum_solved, enum_rate = figures.get("enum", (0, 0.0))
    gp_solved, gp_rate = figures.get("gp", (0, 0.0))
    print(f"solved_enum={enum_solved}/{n} solved_gp={gp_solved}/{n} enum_rate={enum_rate:.0f} gp_rate={gp_rate:.0f}")


if __name__ == "__main__":
    main()
