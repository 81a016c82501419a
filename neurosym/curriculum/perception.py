"""A HOUDINI-style sequence of perception tasks: each step searches programs with neural
parts over the library so far, trains the best, measures it on unseen images, and
saves its new neural parts into the library (with provenance and validation accuracy)
for the next step, which may reuse them frozen or fine-tuned.

RUNDIR holds `config.json` (the config, seed, versions), `results.jsonl` (one line per
step: program, accuracies, routines reused and saved, times) and `library/` (the store,
neural weights under library/routines/*.pt).
"""

from __future__ import annotations

import json
import logging
import time
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from neurosym.errors import NotFound
from neurosym.lang.printer import format_expr
from neurosym.lang.rewrite import rename_primitives
from neurosym.library import Library
from neurosym.library.store import load_or_base, save_library
from neurosym.neural.modules import default_device
from neurosym.neural.neural_search import SYMBOLS, HoleSpec, neural_search
from neurosym.neural.train import Example, predictions
from neurosym.neural.weights import to_routine
from neurosym.search.work import dsl_record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PerceptionTask:
    """A task over images: its type, examples, and test examples on unseen images
    (`test_long`: lists several times longer than the training ones)."""

    name: str
    type: str
    train: tuple[Example, ...]
    val: tuple[Example, ...]
    test: tuple[Example, ...]
    test_long: tuple[Example, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class PerceptionStep:
    """How to search one task: the holes and symbols allowed, and what to save."""

    task: str
    holes: tuple[HoleSpec, ...] = ()
    symbols: tuple[str, ...] = SYMBOLS
    max_size: int = 7
    max_candidates: int = 40
    probe_epochs: int = 2
    epochs: int = 20
    lr: float = 3e-3
    fine_tune: bool = False
    save_as: tuple[str, ...] = ()  # names for the program's holes, in order, in the library
    save_program_as: str = ""  # keep the program itself as a symbolic routine (its holes saved first)


@dataclass(frozen=True)
class StepResult:
    task: str
    program: str
    val_accuracy: float
    test_accuracy: float
    test_long_accuracy: float | None
    reused: tuple[str, ...]
    saved: tuple[str, ...]
    candidates: int
    seconds: float
    seconds_per_epoch: float
    device: str


def score(expr: Any, parts: Any, examples: Sequence[Example], library: Library) -> float:
    if not examples:
        return float("nan")
    outs = predictions(expr, parts, [ex[0] for ex in examples], library)
    return sum(o == ex[1] for o, ex in zip(outs, examples)) / len(examples)


def run_step(task: PerceptionTask, step: PerceptionStep, library: Library, seed: int = 0) -> tuple[Library, StepResult]:
    """Search, train and measure one task; the library grows by the saved holes and
    records the task under `used_by` of every library routine the program reuses."""
    result = neural_search(task.type, task.train, task.val, library, step.holes, step.symbols, step.max_size,
                           step.max_candidates, step.probe_epochs, step.epochs, step.lr, step.fine_tune, seed)
    reused = tuple(result.routines_used(library))
    test = score(result.expr, result.parts, task.test, library)
    long = score(result.expr, result.parts, task.test_long, library) if task.test_long else None
    new = library
    for name in reused:
        new = new.with_used_by(name, task.name)
    if step.fine_tune:  # the library keeps the fine-tuned weights, as a new version
        for name in reused:
            if name in result.parts:
                old = new.neural_routine(name)
                tuned = to_routine(result.parts[name], name, result.val_accuracy,
                                   f"{old.doc} Fine-tuned on task {task.name} (val_accuracy is that program's).",
                                   old.produced_by + (task.name,))
                new = new.with_neural(replace(tuned, used_by=old.used_by))
    saved = []
    for (hole, spec), name in zip(result.holes, step.save_as):
        doc = (f"{spec.factory} {spec.type}, trained in program `{result.program}` on task {task.name}; "
               f"val_accuracy is that program's")
        new = new.with_neural(to_routine(result.parts[hole], name, result.val_accuracy, doc, (task.name,)))
        saved.append(name)
    if step.save_program_as:
        new = _save_program(new, result, dict(zip((h for h, _ in result.holes), step.save_as)), step, task)
    new = replace(new, version=new.version + 1)
    log.info("%s: %s val %.3f test %.3f", task.name, result.program, result.val_accuracy, test)
    return new, StepResult(task.name, result.program, result.val_accuracy, test, long, reused, tuple(saved),
                           len(result.candidates), result.seconds, result.report.seconds_per_epoch,
                           result.report.device)


def _save_program(library: Library, result: Any, names: dict[str, str], step: PerceptionStep,
                  task: PerceptionTask) -> Library:
    """The found program as a routine over the library's (and its newly saved) neural routines."""
    unnamed = [h for h, _ in result.holes if h not in names]
    if unnamed:
        log.warning("step %s: program not saved: holes %s have no save_as name", step.task, ", ".join(unnamed))
        return library
    body = rename_primitives(result.expr, names)
    grown = library.with_routines(f"def {step.save_program_as} : {task.type} = {format_expr(body)};")
    routine = replace(grown.routine(step.save_program_as), produced_by=(task.name,),
                      doc=f"found and trained on task {task.name} (val accuracy {result.val_accuracy:.3f})")
    return replace(grown, routines=tuple(routine if r.name == routine.name else r for r in grown.routines))


@dataclass(frozen=True)
class PerceptionConfig:
    steps: tuple[PerceptionStep, ...]
    seed: int = 0
    routines: str = ""  # symbolic routines to add first (`def name = body;` text)
    extra: dict = field(default_factory=dict)  # the domain's settings, echoed into config.json


def config_from_dict(data: dict[str, Any]) -> PerceptionConfig:
    """The config that `asdict` (as written into RUNDIR/config.json) describes."""
    def hole(h: dict[str, Any]) -> HoleSpec:
        return HoleSpec(h["type"], h.get("factory", "mlp"), tuple((k, v) for k, v in h.get("config", ())))

    steps = tuple(PerceptionStep(**{**st, "holes": tuple(hole(h) for h in st.get("holes", ())),
                                    "symbols": tuple(st.get("symbols", SYMBOLS)),
                                    "save_as": tuple(st.get("save_as", ()))}) for st in data["steps"])
    return PerceptionConfig(steps, data.get("seed", 0), data.get("routines", ""), dict(data.get("extra", {})))


def load_config(path: str | Path) -> PerceptionConfig:
    """The config of a run directory (its config.json) or of a JSON file holding one."""
    data = json.loads(Path(path).read_text())
    return config_from_dict(data.get("config", data))


def run_sequence(tasks: Sequence[PerceptionTask], config: PerceptionConfig, rundir: str | Path,
                 library: Library | None = None) -> list[StepResult]:
    """Run the steps in order over `tasks` (matched by name), growing RUNDIR/library."""
    folder = Path(rundir)
    folder.mkdir(parents=True, exist_ok=True)
    by_name = {t.name: t for t in tasks}
    missing = [s.task for s in config.steps if s.task not in by_name]
    if missing:
        raise NotFound(f"no task named {', '.join(missing)}; tasks: {', '.join(by_name)}")
    lib = library if library is not None else load_or_base(folder / "library")
    (folder / "config.json").write_text(json.dumps(
        {"config": asdict(config), "seed": config.seed, "dsl": dsl_record(lib.dsl),
         "device": str(default_device())}, indent=1, default=str) + "\n")
    if config.routines and not set(re.findall(r"def\s+([A-Za-z_][\w']*)", config.routines)) <= set(lib.names()):
        lib = lib.with_routines(config.routines)
    results = []
    with open(folder / "results.jsonl", "a") as out:
        for step in config.steps:
            start = time.perf_counter()
            lib, res = run_step(by_name[step.task], step, lib, config.seed)
            save_library(lib, folder / "library")
            out.write(json.dumps(asdict(res)) + "\n")
            out.flush()
            log.info("step %s done in %.1f s", step.task, time.perf_counter() - start)
            results.append(res)
    return results
