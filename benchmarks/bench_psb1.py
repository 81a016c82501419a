"""PSB1 success rates of our searchers against published PushGP figures.

Problems: eight integer/vector problems of the General Program Synthesis Benchmark Suite
(T. Helmuth and L. Spector, "General Program Synthesis Benchmark Suite", GECCO 2015;
data: thelmuth/program-synthesis-benchmark-datasets, MIT licence), loaded by
neurosym.domains.psb1 with train/test sizes from each problem's README. Reference:
PushGP with lexicase selection, successful runs out of 100 (same paper, Table 3; copied
in data/README.md).

For each problem, N seeded runs of the chosen searcher (`--method`: `enum`, the default
searcher of `ns.solve` and `neurosym solve`, or `gp`, `GeneticSearcher`; run i: data seed
i, search seed i, since each PushGP run drew its own random cases; enumeration itself is
deterministic, so its runs differ by their cases). A run succeeds when its best program
passes every test case, not just the training ones, as in the paper. Our runs are far
shorter than PushGP's (1000 individuals x 200-300 generations), so this is a floor.

The last line is machine-readable: `psb1_beats=<problems where our success rate >=
the published rate>/<problems run>`; the first line names the method.

Run: python benchmarks/bench_psb1.py [--method enum|gp] [--runs N] [--first-seed S] [--budget S] [--jobs J] [--problems a,b]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from dataclasses import dataclass
from typing import Any

from neurosym.cli_options import non_negative_int, positive_float, positive_int
from neurosym.domains.psb1 import PSB1_PROBLEMS, PUBLISHED, psb1_problem
from neurosym.lang.compiler import compile_program
from neurosym.lang.printer import format_expr
from neurosym.lang.types import split_arrow
from neurosym.lang.values import same_value, to_runtime
from neurosym.library import Library
from neurosym.search.base import SEARCH_LIMITS, Budget
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.genetic import GeneticSearcher

METHODS = ("enum", "gp")


@dataclass(frozen=True)
class RunResult:
    """One seeded run: did it fit the training cases, and how many test cases passed."""

    problem: str
    seed: int
    train_solved: bool
    test_passed: int
    test_total: int
    seconds: float
    program: str | None
    error: str = ""

    @property
    def success(self) -> bool:
        return not self.error and self.test_total > 0 and self.test_passed == self.test_total


def count_test_passes(program: Any, task: Any, test: list[tuple[tuple, Any]], library: Library) -> int:
    """How many test cases the program gets exactly right (under the search limits)."""
    compiled = compile_program(program, SEARCH_LIMITS, library.routine_values(SEARCH_LIMITS), library.dsl)
    arg_types, ret = split_arrow(task.type)
    inputs = [tuple(to_runtime(v, t) for v, t in zip(args, arg_types)) for args, _ in test]
    results = compiled.run_many(inputs)
    return sum(r.ok and same_value(r.value, to_runtime(out, ret)) for r, (_, out) in zip(results, test))


def one_run(job: tuple[str, int, float, str]) -> RunResult:
    """One run on one problem; errors become a failed result carrying the message."""
    name, seed, budget, method = job
    start = time.perf_counter()
    task, test = psb1_problem(name, seed=seed)
    try:
        library = Library.base()
        searcher = GeneticSearcher(seed=seed) if method == "gp" else EnumerativeSearcher()
        result = searcher.search(task, library, Budget(seconds=budget))
        passed = 0 if result.program is None else count_test_passes(result.program, task, test, library)
        text = None if result.program is None else format_expr(result.program)
        return RunResult(name, seed, result.solved, passed, len(test), time.perf_counter() - start, text)
    except Exception as err:  # report the failure precisely and keep the other runs going
        return RunResult(name, seed, False, 0, len(test), time.perf_counter() - start, None,
                         f"{type(err).__name__}: {err}")


def run_all(problems: list[str], runs: int, budget: float, jobs: int, method: str = "enum",
            first_seed: int = 0) -> list[RunResult]:
    work = [(name, seed, budget, method) for name in problems for seed in range(first_seed, first_seed + runs)]
    if jobs <= 1:
        return [one_run(job) for job in work]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        return pool.map(one_run, work, chunksize=1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--method", choices=METHODS, default="enum",
                    help="enum (bottom-up enumeration, the default searcher) or gp (genetic programming)")
    ap.add_argument("--runs", type=positive_int, default=10, help="seeded runs per problem")
    ap.add_argument("--first-seed", type=non_negative_int, default=0,
                    help="seed of the first run (default 0; runs use first-seed, first-seed + 1, ...)")
    ap.add_argument("--budget", type=positive_float, default=60.0, help="seconds per run")
    ap.add_argument("--jobs", type=positive_int, default=2, help="runs in parallel (processes)")
    ap.add_argument("--problems", default=",".join(PSB1_PROBLEMS), help="comma-separated names")
    ap.add_argument("--verbose", action="store_true", help="print every run")
    args = ap.parse_args(argv)
    problems = [p.strip() for p in args.problems.split(",") if p.strip()]
    unknown = [p for p in problems if p not in PUBLISHED]
    if unknown:
        ap.error(f"unknown problem(s) {unknown}; valid: {', '.join(PSB1_PROBLEMS)}")

    results = run_all(problems, args.runs, args.budget, args.jobs, args.method, args.first_seed)
    beats = 0
    print(f"PSB1, method={args.method}: {args.runs} run(s) (seeds {args.first_seed}-{args.first_seed + args.runs - 1}) "
          f"x {args.budget:g} s per problem; "
          f"PushGP (lexicase) out of 100")
    for name in problems:
        mine = [r for r in results if r.problem == name]
        wins = sum(r.success for r in mine)
        train = sum(r.train_solved for r in mine)
        rate, published = wins / len(mine), PUBLISHED[name] / 100
        beats += rate >= published
        best = max(mine, key=lambda r: r.test_passed)
        print(f"{name:20s} successes {wins}/{len(mine)} ({100 * rate:.0f}%)  train-solved {train}/{len(mine)}  "
              f"best test {best.test_passed}/{best.test_total}  PushGP {PUBLISHED[name]}/100 "
              f"({100 * published:.0f}%)  {'>=' if rate >= published else '<'}")
        for r in mine:
            if r.error:
                print(f"  seed {r.seed}: ERROR {r.error}")
            elif args.verbose:
                print(f"  seed {r.seed}: test {r.test_passed}/{r.test_total} {r.seconds:.1f}s {r.program}")
    print(f"psb1_beats={beats}/{len(problems)}")


if __name__ == "__main__":
    main()
