"""One wake phase over 40 list tasks on three executors: serial, a local pool of 2
processes and Ray (a local instance with 2 CPUs); wall times and speed-ups.

The wake phase is a run's first (`curriculum run --library base`: the base primitives).
Every task gets a candidates budget (and a generous time cap), so the work, and the
results, are the same on every executor: the speed-up is the parallelism alone. Ray's
start (`ray.init`) is timed apart; its workers' warm-up counts, as the pool's does.

    python benchmarks/bench_scale.py [--tasks 40] [--candidates 60000] [--jobs 2]

Last line: `speedup_pool=<serial/pool> speedup_ray=<serial/ray>`.
"""

from __future__ import annotations

import argparse
import time

from neurosym.domains.registry import get_domain
from neurosym.library import Library
from neurosym.library.store import default_library_path, load_or_base
from neurosym.search.base import Budget
from neurosym.search.executors import make_executor
from neurosym.search.solve import solve


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=40, help="list tasks in the wake phase (default 40)")
    ap.add_argument("--candidates", type=int, default=60_000, help="candidates per task (default 60000)")
    ap.add_argument("--seconds", type=float, default=60.0, help="time cap per task (default 60)")
    ap.add_argument("--jobs", type=int, default=2, help="pool processes and Ray CPUs (default 2)")
    ap.add_argument("--library", choices=("base", "shipped"), default="base",
                    help="the first wake phase of a run from the base primitives (default), or the shipped library")
    ap.add_argument("--no-ray", action="store_true", help="skip Ray (speedup_ray=nan)")
    args = ap.parse_args()

    tasks = get_domain("lists")[: args.tasks]
    library = Library.base() if args.library == "base" else load_or_base(default_library_path())
    budget = Budget(seconds=args.seconds, candidates=args.candidates)
    print(f"wake phase: {len(tasks)} list tasks, {args.candidates:,} candidates per task, "
          f"{len(library.routines)} library routines, {args.jobs} workers")

    walls: dict[str, float] = {}
    keys: dict[str, list] = {}
    for name in ("serial", "pool", "ray"):
        if name == "ray" and args.no_ray:
            continue
        start = time.perf_counter()
        executor = make_executor(name, 1 if name == "serial" else args.jobs)
        ready = time.perf_counter()
        if name == "ray":
            print(f"ray: local instance started in {ready - start:.1f} s (not counted)")
        try:
            ready = time.perf_counter()
            results = solve(tasks, budget=budget, library=library, executor=executor)
            walls[name] = time.perf_counter() - ready
        finally:
            executor.close()
        keys[name] = [(r.task, r.solved, r.program_text, r.candidates) for r in results]
        solved = sum(r.solved for r in results)
        busy = sum(r.seconds for r in results)
        print(f"{name:>6}: wall {walls[name]:7.2f} s   solved {solved}/{len(results)}   "
              f"search time summed over tasks {busy:7.2f} s")
    same = all(k == keys["serial"] for k in keys.values())
    print(f"results identical across executors: {same}")
    pool = walls["serial"] / walls["pool"]
    ray = walls["serial"] / walls["ray"] if "ray" in walls else float("nan")
    print(f"speedup_pool={pool:.2f} speedup_ray={ray:.2f}")


if __name__ == "__main__":
    main()
