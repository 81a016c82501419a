"""Text benchmark: FlashFill-style string tasks, enumeration vs genetic programming.

Every task of the text domain (neurosym.domains.text_tasks: names, emails, file names,
dates, initials, case changes, word counts, trimming, ...) searched with a library of
the text language (`Library.base(dsl=text_dsl())`, a language built only through the
public API) at the same per-task budget by both methods. A task counts as generalized
when the program found passes every training example and every held-out example, which
are longer text (more and longer words) than any training example. The issue's goal:
at least 75% generalized by the better method.

Run: python benchmarks/bench_text.py [--budget 10] [--jobs 1] [--seed 0] [--methods enum,gp]
Last line: text_enum=<generalized>/<n> text_gp=<generalized>/<n>
"""

from __future__ import annotations

import argparse
import sys
import time

import neurosym as ns
from neurosym.domains.text import text_dsl
from neurosym.domains.text_tasks import text_tasks


def generalized(result: ns.SearchResult) -> bool:
    """Solved, and right on every held-out example."""
    return result.solved and result.held_out_accuracy == 1.0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per task and method (default 10)")
    ap.add_argument("--jobs", type=int, default=1, help="tasks searched in parallel (default 1)")
    ap.add_argument("--seed", type=int, default=0, help="task and search seed (default 0)")
    ap.add_argument("--methods", default="enum,gp", help="comma-separated methods (default enum,gp)")
    opts = ap.parse_args(argv)
    tasks = text_tasks(seed=opts.seed)
    library = ns.Library.base(dsl=text_dsl())
    n = len(tasks)
    print(f"{n} text tasks (seed {opts.seed}), {opts.budget:g} s per task, jobs={opts.jobs}, {library!r}")
    counts: dict[str, int] = {}
    for method in opts.methods.split(","):
        start = time.perf_counter()
        results = ns.solve(tasks, library=library, method=method, budget=opts.budget, seed=opts.seed, jobs=opts.jobs)
        wall = time.perf_counter() - start
        counts[method] = sum(generalized(r) for r in results)
        solved = sum(r.solved for r in results)
        print(f"\n{method}: solved {solved}/{n}, generalized {counts[method]}/{n}, wall {wall:.0f} s")
        for r in results:
            mark = "+" if generalized(r) else ("~" if r.solved else "-")  # ~: fits the examples only
            held = "-" if r.held_out_accuracy is None else f"{r.held_out_accuracy:.2f}"
            print(f"  {mark} {r.task:26} solved={'yes' if r.solved else 'no ':3} held_out={held:4} "
                  f"{r.seconds:6.2f}s {r.candidates:>10,}  {r.program_text or ''}")
        sys.stdout.flush()
    print(" ".join(f"text_{m}={counts[m]}/{n}" for m in counts))


if __name__ == "__main__":
    main()
