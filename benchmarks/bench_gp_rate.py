"""Genetic search throughput: individuals evaluated per second on a 20-example list task.

Runs `GeneticSearcher` for a fixed number of generations on a list task of 20 examples
(`filter (x % 3 != 0)` then `map (2x + 1)`, inputs of 0-8 elements) with a budget that
does not run out, and reports

  evaluated/s   new programs compiled and run on all 20 examples (clock.candidates),
                over the whole search: initialisation, selection and variation included
  processed/s   individuals given a fitness, cache hits included (what DEAP, which has no
                cache, would have had to evaluate)
  cpu           evaluated per CPU second of this process (robust to a busy machine;
                with --jobs > 1 it leaves out the workers)

The last line is machine-readable: `gp_rate=<evaluated individuals/s>`.
With --profile, the cProfile summary of one run goes to stderr.

Run: python benchmarks/bench_gp_rate.py [--population N] [--generations G] [--jobs J]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time

from neurosym.library import Library
from neurosym.search.base import Budget
from neurosym.search.genetic import GeneticSearcher
from neurosym.task import Task


def make_task(n: int = 20, seed: int = 0) -> Task:
    def sample(rng: random.Random) -> list[int]:
        return [rng.randint(0, 9) for _ in range(rng.randint(0, 8))]

    def reference(xs: list[int]) -> list[int]:
        return [2 * x + 1 for x in xs if x % 3 != 0]

    return Task.from_function(reference, sample, n, name="filter_map_20", seed=seed)


def measure(population: int, generations: int, jobs: int, seed: int) -> tuple[int, int, float, float]:
    """(evaluated, processed, seconds, cpu seconds) of one search of `generations`."""
    task = make_task()
    searcher = GeneticSearcher(population=population, generations=generations, seed=seed, jobs=jobs)
    start, cpu = time.perf_counter(), time.process_time()
    result = searcher.search(task, Library.base(), Budget(seconds=600))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    processed = population * len(result.trace)  # one trace line per generation scored
    return result.candidates, processed, seconds, cpu


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--population", type=int, default=1000)
    ap.add_argument("--generations", type=int, default=8)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(measure, args.population, args.generations, args.jobs, 0)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    rates = []
    for seed in range(args.rounds):
        evaluated, processed, seconds, cpu = measure(args.population, args.generations, args.jobs, seed)
        rates.append(evaluated / seconds)
        print(f"seed={seed} evaluated={evaluated} processed={processed} seconds={seconds:.2f} "
              f"evaluated/s={evaluated / seconds:.0f} processed/s={processed / seconds:.0f} "
              f"cpu={evaluated / cpu:.0f}")
    print(f"gp_rate={sorted(rates)[len(rates) // 2]:.0f}")


if __name__ == "__main__":
    main()
