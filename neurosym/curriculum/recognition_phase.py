"""The second half of sleep: (re)train the recognition model on the solutions so far
and on dreams from the new library, and checkpoint it in the run directory.

The model grows with the library (new routines get new output rows), so one model is
trained across iterations; `RUNDIR/model/recognition.pt` is the latest and
`RUNDIR/model/iteration-K.pt` the one of iteration K.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from neurosym.lang.ast import Expr
from neurosym.library import Library
from neurosym.neural.checkpoints import load_model, save_model
from neurosym.neural.recognition import RecognitionModel, RecognitionReport, train_recognition
from neurosym.search.dreams import dream_tasks
from neurosym.search.executors import Executor
from neurosym.task import Task

#: real solutions are repeated this often per epoch: there are far fewer of them than dreams
REAL_REPEATS = 3
#: one real solution in this many is held out to choose the epoch whose weights are kept
VALIDATION_EVERY = 6


@dataclass(frozen=True)
class RecognitionSettings:
    dreams: int = 10_000  # dreamed tasks per sleep
    epochs: int = 40
    seconds: float | None = 300.0  # training stops after this long (None: all epochs)


def model_path(rundir: Path) -> Path:
    return rundir / "model" / "recognition.pt"


def latest_model(rundir: Path) -> RecognitionModel | None:
    """The run's model, if a sleep has trained one."""
    path = model_path(rundir)
    return load_model(path) if path.exists() else None


def train_in_sleep(rundir: Path, model: RecognitionModel | None, library: Library, tasks: Sequence[Task],
                   solutions: Mapping[str, Expr], iteration: int, seed: int, settings: RecognitionSettings,
                   on_event: Callable[[str], None] = lambda m: None,
                   executor: Executor | None = None) -> tuple[RecognitionModel, RecognitionReport]:
    """Continue training the run's `model` (a new one when None); checkpoints it and
    returns it with its report. Dreams are sampled on `executor` (the wake's processes)
    when given."""
    real = [(t, solutions[t.name]) for t in tasks if t.name in solutions]
    random.Random(seed * 7919 + iteration).shuffle(real)
    held = real[: len(real) // VALIDATION_EVERY]  # keeps the epoch that does best on these
    fit = real[len(held):]
    on_event(f"iteration {iteration}: dreaming {settings.dreams} tasks from the library")
    dreams = dream_tasks(library, tasks, settings.dreams, seed=seed * 7919 + iteration, executor=executor)
    on_event(f"iteration {iteration}: training the recognition model on {len(fit)} solutions "
             f"({len(held)} more held out for validation) and {len(dreams)} dreams")
    if model is None:
        model = RecognitionModel(library.names(), seed=seed)
    report = train_recognition(model, fit * REAL_REPEATS + dreams, library, epochs=settings.epochs,
                               seed=seed + iteration, max_seconds=settings.seconds, validation=held)
    save_model(model, model_path(rundir), library)
    save_model(model, rundir / "model" / f"iteration-{iteration}.pt", library)
    return model, report
