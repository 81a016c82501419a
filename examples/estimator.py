"""Program synthesis as a scikit-learn style estimator: fit, predict, score.

Run: python examples/estimator.py   (NEUROSYM_EXAMPLE_SMALL=1: a smaller budget)
"""

import os

import neurosym as ns

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"

# keep the numbers greater than 2: four examples are enough
X = [[1, 5, 3, 4], [], [6, 0], [2, 8, 1]]
y = [[5, 3, 4], [], [6], [8]]

model = ns.ProgramSynthesizer(budget=3 if small else 10)
print(model)
model.fit(X, y)
print("program:", model.program_text_)
print("candidates tried:", model.result_.candidates)

X_test = [list(range(20)), [100, 101, -4]]
print("predict:", model.predict(X_test))
print("score on held-out lists:", model.score(X_test, [[v for v in xs if v > 2] for xs in X_test]))

# several arguments: each input is a tuple
adder = ns.ProgramSynthesizer(budget=3 if small else 10).fit([(1, 2), (5, 3), (0, 0), (4, -1)], [3, 8, 0, 3])
print("two arguments:", adder.program_text_, adder.predict([(10, 20), (-5, 5)]))

# nothing fits noise: the error says how far the best program got
try:
    ns.ProgramSynthesizer(budget=0.5).fit([1, 2, 3, 4, 5], [9, -2, 40, 7, 7])
except ns.FitError as err:
    print("no fit:", err)
