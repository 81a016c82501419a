"""Splitting a task at map or filter: the function's own examples, read off the task's,
and what searching for that function alone saves the enumerator.

Run: python examples/split_at_map_filter.py
"""

import os

import neurosym as ns
from neurosym.domains.registry import get_domain
from neurosym.search.deduction import splits
from neurosym.search.enumerative import EnumerativeSearcher

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
names = ["add-3", "evens"] if small else ["add-3", "evens", "clamp-3", "abs-each", "keep-gt-6", "sort"]
tasks = [t for t in get_domain("lists") if t.name in names]
library, budget = ns.Library.base(), ns.Budget(seconds=None, candidates=30_000 if small else 300_000)

for task in tasks:
    found = splits(task, library)
    if found:
        split = found[0]
        shown = ", ".join(f"{ex.inputs[-1]} -> {ex.output}" for ex in split.task.examples[:6])
        print(f"{task.name}: split at {split.primitive}, {len(split.task.examples)} examples of the function: {shown}, ...")
    else:
        print(f"{task.name}: no split (no map or filter of the element alone gives these outputs)")
    whole = EnumerativeSearcher(split_share=0.0).search(task, library, budget)
    both = EnumerativeSearcher().search(task, library, budget)
    for label, r in (("whole program only", whole), ("split first", both)):
        outcome = f"{r.program_text}" if r.solved else "unsolved"
        print(f"    {label:18} {r.candidates:>9,} candidates  {outcome}")
