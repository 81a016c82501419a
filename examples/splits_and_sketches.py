"""Splitting a task at map, filter or fold, at the positions it keeps or moves or at a map
after a filter, or around a count, sum, any or all: the function the task comes down to, and
what searching for that function alone saves the enumerator.

Run: python examples/splits_and_sketches.py
"""

import os

import neurosym as ns
from neurosym.domains.registry import get_domain
from neurosym.search.deduction import splits
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.filter_map import filter_map_splits
from neurosym.search.permutations import permutation_splits
from neurosym.search.positions import position_splits
from neurosym.search.sketches import sketch_splits

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
names = (["add-3", "evens", "count-evens", "even-positions"] if small else
         ["add-3", "evens", "clamp-3", "abs-each", "keep-gt-6", "sort", "count-evens", "sum-odds", "has-odd",
          "all-equal", "suffix-sums", "prefix-max", "dup-each", "even-positions", "square-evens", "rotate-right-1"])
tasks = [t for t in get_domain("lists") if t.name in names]
library, budget = ns.Library.base(), ns.Budget(seconds=None, candidates=60_000 if small else 300_000)

for task in tasks:
    found, sketches = splits(task, library), sketch_splits(task, library)
    if found:
        split = found[0]
        shown = ", ".join(f"{' '.join(map(str, ex.inputs[-split.params:]))} -> {ex.output}"
                          for ex in split.task.examples[:4])
        what = "the element put before the accumulator" if split.cons_onto is not None else "the function"
        print(f"{split.describe()} of {task.name}, {len(split.task.examples)} examples of {what}: {shown}, ...")
    elif position_splits(task, library) or permutation_splits(task, library) or filter_map_splits(task, library):
        other = (position_splits(task, library) or permutation_splits(task, library)
                 or filter_map_splits(task, library))[0]
        print(f"{other.describe()} of {task.name}: a function with {len(other.task.examples)} examples")
    elif sketches:
        print(f"{task.name}: sketches {', '.join(s.describe() for s in sketches)}, each a predicate "
              f"tested by the sketch's outputs")
    else:
        print(f"{task.name}: no split (no map, filter or fold of the element gives these outputs)")
    whole = EnumerativeSearcher(split_share=0.0).search(task, library, budget)
    both = EnumerativeSearcher().search(task, library, budget)
    for label, r in (("whole program only", whole), ("split first", both)):
        outcome = f"{r.program_text}" if r.solved else "unsolved"
        print(f"    {label:18} {r.candidates:>9,} candidates  {outcome}")
