"""Neural routines: a digit reader learned on labels, kept in the library, reused by a program.

1. train `digit_reader : image -> int` on labelled 8x8 digits (scikit-learn's bundled set)
2. save it in a library folder (weights in routines/digit_reader.pt beside index.json)
3. reload it and let the neural-part search find a program for the sum of a list of
   digit images, trained only on the sums; run it on lists 5x longer than in training

Run: python examples/neural_routines.py [RUNDIR]   (NEUROSYM_EXAMPLE_SMALL=1: tiny settings)
"""

import os
import sys
import tempfile
from pathlib import Path

from neurosym.curriculum.perception import PerceptionStep, run_step
from neurosym.domains.digits import classify_task, list_task, sklearn_available
from neurosym.library import Library
from neurosym.library.store import load_library, save_library
from neurosym.neural.neural_search import HoleSpec
from neurosym.neural.train import accuracy
from neurosym.neural.weights import library_parts

if not sklearn_available():
    print("this example needs scikit-learn: pip install 'neurosym[vision]'")
    sys.exit(0)

small = os.environ.get("NEUROSYM_EXAMPLE_SMALL") == "1"
epochs, n_lists = (15, 60) if small else (30, 300)
folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "library"

# 1. the reader: a fresh neural hole of type image -> int, trained on labels
reader = HoleSpec("image -> int", "mlp", (("values", [0, 9]), ("hidden", [128])))
classify = classify_task(n_train=200 if small else 500)
library, step = run_step(classify, PerceptionStep("classify_digit", (reader,), (), max_size=1, epochs=epochs,
                                                  save_as=("digit_reader",)), Library.base())
print(f"classify_digit: `{step.program}`, test accuracy {step.test_accuracy:.3f} on unseen images")

# 2. into the store and back (on the GPU when there is one)
save_library(library, folder)
library = load_library(folder)
stored = library.neural_routine("digit_reader")
print(f"saved {stored.name} : image -> int ({stored.factory}, val accuracy {stored.val_accuracy:.3f}) in {folder}")

# 3. the sum of a list: search programs over the library (reader frozen) and fresh holes
task = list_task("sum_digits", n_train=n_lists, length=3, n_test=100)
library, step = run_step(task, PerceptionStep("sum_digits", (reader,), max_size=7, max_candidates=8 if small else 40,
                                              probe_epochs=1, epochs=epochs), library)
print(f"sum_digits: `{step.program}` (reuses {', '.join(step.reused) or 'nothing'})")
print(f"  exact sums: {step.test_accuracy:.3f} on lists of 3, {step.test_long_accuracy:.3f} on lists of 15")
print(f"  provenance: digit_reader used by {library.neural_routine('digit_reader').used_by}")
parts = library_parts(library)
print(f"  reader alone on unseen images: {accuracy(library.production('digit_reader').expr, parts, classify.test):.3f}")
