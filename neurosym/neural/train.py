"""Training the neural parts of a program by backprop through its relaxed execution.

Examples are (arguments tuple, output) pairs. They are grouped by the shape of their
arguments (list lengths), so every batch runs the relaxed program once; the loss is the
negative log-likelihood of the supervised outputs (`relaxed.log_likelihood`).
Evaluation runs the discrete program (argmax readings), the program a user would run.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence

import torch

from neurosym.lang.ast import Expr
from neurosym.library.library import Library
from neurosym.neural.modules import NeuralPart, default_device, one_cpu_thread
from neurosym.neural.relaxed import RelaxedProgram, batch_value, discrete_program, log_likelihood

log = logging.getLogger(__name__)

Example = tuple[tuple, Any]


@dataclass(frozen=True)
class TrainReport:
    """What one training run did."""

    epochs: int
    steps: int
    final_loss: float
    seconds: float
    seconds_per_epoch: float
    device: str


def _shape(args: tuple) -> tuple:
    return tuple(len(a) if isinstance(a, (tuple, list)) else -1 for a in args)


def batches(examples: Sequence[Example], batch_size: int, rng: random.Random) -> Iterator[list[Example]]:
    """Shuffled batches of examples whose arguments have one shape."""
    groups: dict[tuple, list[Example]] = {}
    for ex in examples:
        groups.setdefault(_shape(ex[0]), []).append(ex)
    chunks = []
    for group in groups.values():
        group = list(group)
        rng.shuffle(group)
        chunks += [group[i:i + batch_size] for i in range(0, len(group), batch_size)]
    rng.shuffle(chunks)
    yield from chunks


def batch_loss(program: RelaxedProgram, batch: Sequence[Example], device: torch.device) -> torch.Tensor:
    """Mean negative log-likelihood of the batch's outputs under the relaxed program."""
    n_args = len(batch[0][0])
    args = [batch_value([ex[0][i] for ex in batch], device) for i in range(n_args)]
    return -log_likelihood(program(*args), [ex[1] for ex in batch]).mean()


def train_program(expr: Expr, parts: Mapping[str, NeuralPart], examples: Sequence[Example],
                  library: Library | None = None, epochs: int = 10, lr: float = 3e-3, batch_size: int = 32,
                  seed: int = 0, max_seconds: float | None = None) -> TrainReport:
    """Train the trainable parameters of `parts` so that `expr` maps the examples'
    arguments to their outputs (only the program's output is supervised)."""
    device = next(iter(parts.values())).device if parts else default_device()
    params = [p for part in parts.values() for p in part.parameters() if p.requires_grad]
    program = RelaxedProgram(expr, parts, library)
    rng = random.Random(seed)
    torch.manual_seed(seed)
    opt = torch.optim.Adam(params, lr=lr) if params else None
    start = time.perf_counter()
    for part in parts.values():
        part.train(any(p.requires_grad for p in part.parameters()))
    with one_cpu_thread(device):
        done, steps, loss_value = _epochs(program, opt, examples, epochs, batch_size, rng, device, max_seconds, start)
    for part in parts.values():
        part.eval()
    seconds = time.perf_counter() - start
    log.debug("trained %d epochs, loss %.4f, %.2f s", done, loss_value, seconds)
    return TrainReport(done, steps, loss_value, seconds, seconds / max(done, 1), str(device))


def _epochs(program: RelaxedProgram, opt: Any, examples: Sequence[Example], epochs: int, batch_size: int,
            rng: random.Random, device: torch.device, max_seconds: float | None,
            start: float) -> tuple[int, int, float]:
    steps, loss_value, done = 0, float("nan"), 0
    for _ in range(epochs):
        total, count = 0.0, 0
        for batch in batches(examples, batch_size, rng):
            loss = batch_loss(program, batch, device)
            if opt is not None and loss.requires_grad:  # (a batch of empty lists has nothing to learn)
                opt.zero_grad()
                loss.backward()
                opt.step()
            total, count, steps = total + float(loss.detach()) * len(batch), count + len(batch), steps + 1
        loss_value, done = total / max(count, 1), done + 1
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            break
    return done, steps, loss_value


def predictions(expr: Expr, parts: Mapping[str, NeuralPart], inputs: Sequence[tuple],
                library: Library | None = None) -> list[Any]:
    """The discrete program's outputs (None where a run fails)."""
    program = discrete_program(expr, parts, library)
    device = next(iter(parts.values())).device if parts else None
    with one_cpu_thread(device):
        return [r.value if r.ok else None for r in program.run_many(inputs)]


def accuracy(expr: Expr, parts: Mapping[str, NeuralPart], examples: Sequence[Example],
             library: Library | None = None) -> float:
    """Fraction of examples whose output the discrete program gets exactly right."""
    if not examples:
        return 0.0
    outs = predictions(expr, parts, [ex[0] for ex in examples], library)
    return sum(o == ex[1] for o, ex in zip(outs, examples)) / len(examples)
