"""Neural-guided search: a recognition model reads a task's examples and re-weights the
library, so the enumerator tries likely programs first.

Trains a model on the reference solutions of half the DreamCoder list tasks plus
dreamed tasks, then searches the other half with and without its guidance.

Run: python examples/guided_search.py
"""

import os
import statistics

from neurosym.curriculum.run import split_tasks
from neurosym.domains.registry import get_domain, reference_solutions
from neurosym.lang.parser import parse
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.neural.guided import GuidedSearcher
from neurosym.neural.recognition import RecognitionModel, train_recognition
from neurosym.search.base import Budget
from neurosym.search.dreams import dream_tasks
from neurosym.search.enumerative import EnumerativeSearcher

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
library = Library.base()
tasks = get_domain("dreamcoder")
references = reference_solutions("dreamcoder")
train, test = split_tasks(tasks, 0.5, seed=0)
if small:
    train, test = train[:30], test[:6]

solved = [(t, parse(references[t.name])) for t in train if references.get(t.name)]
dreams = dream_tasks(library, train, 20 if small else 300, seed=0)
dream, program = dreams[-1]
print(f"training on {len(solved)} solved tasks and {len(dreams)} dreams, e.g. the dream "
      f"{format_expr(program)}: {dream.examples[0].inputs} -> {dream.examples[0].output}")
model = RecognitionModel(library.names())
report = train_recognition(model, solved * 3 + dreams, library, epochs=3 if small else 40, seed=0)
print(f"{report.epochs} epochs in {report.seconds:.1f} s on {report.device}, loss {report.final_loss:.1f} nats")

budget = Budget(seconds=1 if small else 5)
plain, guided = EnumerativeSearcher(), GuidedSearcher(model)
speedups = []
for task in test:
    a, b = plain.search(task, library, budget), guided.search(task, library, budget)
    print(f"{task.name:28} unguided {a.candidates:>9,} {'solved' if a.solved else '-':6}  "
          f"guided {b.candidates:>9,} {'solved' if b.solved else '-':6} {b.program_text if b.solved else ''}")
    if a.solved and b.solved:
        speedups.append(a.candidates / max(b.candidates, 1))
if speedups:
    print(f"median speed-up in candidates over {len(speedups)} tasks both solve: {statistics.median(speedups):.1f}x")
