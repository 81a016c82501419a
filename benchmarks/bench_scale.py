"""One wake phase over 40 list tasks on three executors: serial, a local pool of 2
processes and Ray (a local instance with 2 CPUs); wall times and speed-ups.

The wake phase is a run's first (`curriculum run --library base`: the base primitives).
Every task gets a candidates budget (and a generous time cap), so the work, and the
results, are the same on every executor: the speed-up is the parallelism alone. Ray's
start (`ray.init`) is timed apart, and Ray runs after the others, alone (its raylet and
GCS processes would otherwise slow them). The first round includes the workers' warm-up
(spawn, imports). With --repeat N each executor runs N times (serial and pool taking
turns) and its best wall time counts (robust to other work on the machine).

    python benchmarks/bench_scale.py [--tasks 40] [--candidates 60000] [--jobs 2] [--repeat N]

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
    ap.add_argument("--repeat", type=int, default=1, help="rounds, interleaved; the best wall time counts (default 1)")
    ap.add_argument("--no-ray", action="store_true", help="skip Ray (speedup_ray=nan)")
    args = ap.parse_args()

    tasks = get_domain("lists")[: args.tasks]
    library = Library.base() if args.library == "base" else load_or_base(default_library_path())
    budget = Budget(seconds=args.seconds, candidates=args.candidates)
    print(f"wake phase: {len(tasks)} list tasks, {args.candidates:,} candidates per task, "
          f"{len(library.routines)} library routines, {args.jobs} workers")

    walls: dict[str, float] = {}
    cold: dict[str, float] = {}  # round 1: workers start cold
    keys: dict[str, list] = {}
    names = [n for n in ("serial", "pool", "ray") if not (n == "ray" and args.no_ray)]

    def rounds(group: list[str]) -> None:
        executors = {}
        try:
            for name in group:  # started once; after round 1 the workers are warm
                start = time.perf_counter()
                executors[name] = make_executor(name, 1 if name == "serial" else args.jobs)
                if name == "ray":
                    print(f"ray: local instance started in {time.perf_counter() - start:.1f} s (not counted)")
            for round_ in range(1, args.repeat + 1):
                for name, executor in executors.items():  # interleaved: a busy spell hits them alike
                    start = time.perf_counter()
                    results = solve(tasks, budget=budget, library=library, executor=executor)
                    wall = time.perf_counter() - start
                    walls[name] = min(wall, walls.get(name, wall))
                    cold.setdefault(name, wall)
                    keys.setdefault(name, [(r.task, r.solved, r.program_text, r.candidates) for r in results])
                    print(f"round {round_} {name:>6}: wall {wall:7.2f} s   solved {sum(r.solved for r in results)}/"
                          f"{len(results)}   search time summed over tasks {sum(r.seconds for r in results):7.2f} s")
        finally:
            for executor in executors.values():
                executor.close()

    # Ray's own processes (raylet, GCS, its driver threads) would slow the others: it runs alone
    rounds([n for n in names if n != "ray"])
    if "ray" in names:
        rounds(["ray"])
    for name, wall in walls.items():
        print(f"{name:>6}: best wall {wall:7.2f} s")
    same = all(k == keys["serial"] for k in keys.values())
    print(f"results identical across executors: {same}")
    if args.repeat > 1:
        print("round 1 (cold workers): " + " ".join(f"{n}={cold['serial'] / cold[n]:.2f}" for n in cold if n != "serial"))
    pool = walls["serial"] / walls["pool"]
    ray = walls["serial"] / walls["ray"] if "ray" in walls else float("nan")
    print(f"speedup_pool={pool:.2f} speedup_ray={ray:.2f}")


if __name__ == "__main__":
    main()
