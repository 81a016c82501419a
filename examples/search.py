"""Synthesize programs from examples with both searchers, on built-in list tasks; simplify one.

Run: python examples/search.py
"""

import os
import random

import neurosym as ns
from neurosym.domains.registry import get_domain

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
names = ["add-2", "sum", "keep-gt-4"] if small else ["add-2", "sum", "keep-gt-4", "count-gt-2", "max", "reverse"]
tasks = [t for t in get_domain("lists") if t.name in names]

for method in ("enum", "gp"):
    print(f"--- {method}")
    for result in ns.solve(tasks, method=method, budget=3 if small else 10, seed=0):
        held = "-" if result.held_out_accuracy is None else f"{result.held_out_accuracy:.0%}"
        print(f"{result.task:12} solved={result.solved!s:5} held-out={held:5} "
              f"{result.candidates:>8,} candidates {result.seconds:5.2f}s  {result.program_text}")

# GP wraps subtrees in small conditionals (if a < b then a else b): the least of three,
# from 40 cases (evolved on 8 of them first, growing), checked on 100 held-out ones
rng = random.Random(0)
cases = [tuple(rng.randint(-20, 20) for _ in range(3)) for _ in range(140)]
least = ns.Task.from_examples("least-of-three", [((x, y, z), min(x, y, z)) for x, y, z in cases[:40]],
                              held_out=[((x, y, z), min(x, y, z)) for x, y, z in cases[40:]],
                              type="int -> int -> int -> int")
(result,) = ns.solve([least], method="gp", budget=10, seed=3)
print(f"--- gp, {least.name}: solved={result.solved} held-out={result.held_out_accuracy:.0%} {result.program_text}")

# GP's best program comes back simplified; the trace keeps the evolved one
from neurosym.search.simplify import simplify  # noqa: E402

padded = ns.parse(r"\xs -> fold (+) (0 * 4 % loop 1 (\y -> 4) 2) xs")
total = next(t for t in tasks if t.name == "sum")
print(f"--- simplify\n{ns.format_expr(padded)}\n  -> {ns.format_expr(simplify(padded, total, ns.Library.base()))}")
