"""Tasks with many examples: searched on a few of them first, counterexamples added as needed.

PSB1's problems come with 100-200 training cases. The enumerator searches 8 small ones
first; a program that fits them is run on all, and the smallest cases it gets wrong join
the next round. Each round's line in the trace says what happened. `smallest` and
`median` also show the split of several arguments of one type into a function of their
list, `sum-of-squares` a running total's term and `last-index-of-zero` a position sketch.
The program is then checked on PSB1's 100-2,000 test cases.

Run: python examples/many_examples.py
"""

import os

import neurosym as ns
from neurosym.domains.psb1 import psb1_problem
from neurosym.search.enumerative import EnumerativeSearcher

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
names = ["count-odds", "smallest"] if small else ["count-odds", "negative-to-zero", "smallest", "median",
                                                  "vectors-summed", "sum-of-squares", "last-index-of-zero"]
library = ns.Library.base()

for name in names:
    task, test = psb1_problem(name, seed=0)
    test_task = ns.Task.from_examples(f"{name} (test cases)", test, type=task.type)
    for label, searcher in (("subsets", EnumerativeSearcher()), ("all at once", EnumerativeSearcher(subset=0))):
        r = searcher.search(task, library, ns.Budget(seconds=10 if small else 30))
        right = test_task.score(ns.load_program(r.program_text).compile()).passed if r.program else 0
        print(f"{name} ({len(task.examples)} cases), {label}: {r.program_text or 'no program'}  "
              f"[{r.candidates:,} candidates, {r.seconds:.1f} s, test {right}/{len(test)}]")
        for line in r.trace:
            if line.startswith(("on ", "split at the arguments", "split at a running", "sketch last")):
                print(f"    {line}")
