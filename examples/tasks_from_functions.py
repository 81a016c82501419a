"""Build tasks from a Python reference function, save them as a task file, load them back.

Run: python examples/tasks_from_functions.py [OUT.json]
"""

import sys
import tempfile
from pathlib import Path

import neurosym as ns


def short_list(rng):
    return [rng.randint(0, 9) for _ in range(rng.randint(0, 5))]


def long_list(rng):
    return [rng.randint(0, 9) for _ in range(40)]


tasks = [
    ns.Task.from_function(lambda xs: sum(xs), short_list, 8, name="sum",
                          held_out_sampler=long_list, n_held_out=4, seed=0),
    ns.Task.from_function(lambda xs: [x for x in xs if x % 2 == 0], short_list, 8, name="evens",
                          held_out_sampler=long_list, n_held_out=4, seed=1),
]
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "tasks.json"
ns.save_tasks(tasks, out)
print(f"wrote {len(tasks)} tasks to {out}")

for task, text in zip(ns.load_tasks(out), [r"fold (+) 0", r"filter (\x -> x % 2 == 0)"]):
    score = task.score(ns.load_program(text).compile())
    print(f"{task.name:6} {ns.format_expr(ns.parse(text)):28} : {task.type}  "
          f"train {score.passed}/{score.total}  held-out {score.held_out_passed}/{score.held_out_total}")
