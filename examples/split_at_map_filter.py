"""Splitting a task at map or filter, or around a count, sum, any or all: the function
the task comes down to, and what searching for that function alone saves the enumerator.

Run: python examples/split_at_map_filter.py
"""

import os

import neurosym as ns
from neurosym.domains.registry import get_domain
from neurosym.search.deduction import splits
from neurosym.search.enumerative import EnumerativeSearcher
from neurosym.search.sketches import sketch_splits

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
names = (["add-3", "evens", "count-evens"] if small else
         ["add-3", "evens", "clamp-3", "abs-each", "keep-gt-6", "sort", "count-evens", "sum-odds", "has-odd"])
tasks = [t for t in get_domain("lists") if t.name in names]
library, budget = ns.Library.base(), ns.Budget(seconds=None, candidates=30_000 if small else 300_000)

for task in tasks:
    found, sketches = splits(task, library), sketch_splits(task, library)
    if found:
        split = found[0]
        shown = ", ".join(f"{ex.inputs[-1]} -> {ex.output}" for ex in split.task.examples[:6])
        print(f"{task.name}: split at {split.primitive}, {len(split.task.examples)} examples of the function: {shown}, ...")
    elif sketches:
        print(f"{task.name}: sketches {', '.join(s.sketch.name for s in sketches)}, each a predicate over "
              f"{len(sketches[0].task.examples)} distinct elements, tested by the sketch's outputs")
    else:
        print(f"{task.name}: no split (no map or filter of the element alone gives these outputs)")
    whole = EnumerativeSearcher(split_share=0.0).search(task, library, budget)
    both = EnumerativeSearcher().search(task, library, budget)
    for label, r in (("whole program only", whole), ("split first", both)):
        outcome = f"{r.program_text}" if r.solved else "unsolved"
        print(f"    {label:18} {r.candidates:>9,} candidates  {outcome}")
