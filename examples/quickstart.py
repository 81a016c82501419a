"""Define a task from examples, check a program on it, and see it generalize.

Run: python examples/quickstart.py
"""

import neurosym as ns

task = ns.Task.from_examples(
    "double",
    [([1, 2, 3], [2, 4, 6]), ([], []), ([5], [10])],
    held_out=[(list(range(50)), [2 * x for x in range(50)])],  # far longer than training inputs
)
print("task type inferred from the examples:", task.type)

program = ns.load_program(r"map (\x -> x * 2)")
program.check(task.type)
score = task.score(program.compile())
print(f"examples {score.passed}/{score.total}, held-out accuracy {score.held_out_accuracy:.0%}")

# a wrong program fails with a readable reason, never an exception
wrong = ns.load_program(r"map (\x -> x + x + 1)")
print("wrong program:", task.score(wrong.compile()).first_failure)

# budgets: an exploding program comes back with a status
exploding = ns.load_program(r"\xs -> loop 1000000000 (\ys -> append ys ys) xs").compile()
print("exploding program:", exploding.run((1, 2)).status.value)
