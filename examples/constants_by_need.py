"""Constants by need: which integers a task's examples point at, and what pricing the rest
dearer saves the enumerator.

Run: python examples/constants_by_need.py
"""

import os

import neurosym as ns
from neurosym.domains.registry import get_domain
from neurosym.search.constant_hints import suggested_constants
from neurosym.search.enumerative import EnumerativeSearcher

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
names = ["add-3", "take-2", "count-3"] if small else ["add-3", "take-2", "count-3", "has-4", "repeat-3", "keep-gt-4"]
tasks = [t for t in get_domain("lists") if t.name in names]
library, budget = ns.Library.base(), ns.Budget(candidates=200_000)

print(f"{'task':10} {'suggested':10} {'all alike':>10} {'by need':>10}  program")
for task in tasks:
    shown = sorted(suggested_constants(task, range(6)) or ())
    # split_share=0: the whole program searched, so the figures show the pricing alone
    alike = EnumerativeSearcher(constants="all", split_share=0.0).search(task, library, budget)
    by_need = EnumerativeSearcher(constants="by-need", split_share=0.0).search(task, library, budget)
    print(f"{task.name:10} {str(shown):10} {alike.candidates:>10,} {by_need.candidates:>10,}  {by_need.program_text}")
