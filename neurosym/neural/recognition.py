"""The recognition model: reads a task's examples, predicts production weights.

Each example becomes a token sequence (`IN` value... `OUT` value, with brackets for
lists and small ints as their own tokens); a GRU reads every example, the final states
are averaged over the task's examples, and two heads predict:

- unigram log-probabilities over the productions (and "$var"): what the enumerator
  takes as the library's weights for this task;
- contextual log-probabilities, conditioned on the parent production and the argument
  position (embeddings added to the task's state), as in DreamCoder's bigram grammar.

The vocabulary is the library's production names: `grow` adds output rows for routines
learned later and keeps everything trained so far. Training maximises the
log-probability of known solutions (real and dreamed) under the predicted weights,
normalised over all productions (not only the type-correct ones: simpler, and the
enumerator only ever uses the ranking).
"""

from __future__ import annotations

import logging
import math
import random
import time
from dataclasses import dataclass
from typing import Any, Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from neurosym.lang.ast import Expr
from neurosym.neural.encoding import PAD, VOCABULARY, example_tokens
from neurosym.neural.features import FEATURES, task_features
from neurosym.lang.types import arity
from neurosym.library import Library
from neurosym.neural.torch_setup import default_device, one_cpu_thread
from neurosym.search.dreams import ROOT, VARIABLE, Choice, production_choices
from neurosym.task import Task

log = logging.getLogger(__name__)

MAX_EXAMPLES = 10  # per task
MAX_POSITION = 4  # argument positions beyond 3 share an embedding
CONTEXT_SHARE = 0.5  # contextual rows are averaged with the unigram, half and half
MIXINGS = ("linear", "geometric")


def task_tokens(task: Task) -> list[list[int]]:
    """A task's first examples as token sequences (neurosym.neural.encoding), with its DSL
    for values of a user's types."""
    dsl = getattr(task, "dsl", None)
    return [example_tokens(ex.inputs, ex.output, dsl) for ex in task.examples[:MAX_EXAMPLES]]


@dataclass(frozen=True)
class Reading:
    """What the model reads of a task: its examples' tokens and their features (computed
    once per task: training reads every task in every epoch)."""

    tokens: tuple[tuple[int, ...], ...]
    features: tuple[float, ...]

    @classmethod
    def of(cls, task: Task) -> "Reading":
        return cls(tuple(map(tuple, task_tokens(task))), tuple(task_features(task.examples[:MAX_EXAMPLES])))


# -- the model -------------------------------------------------------------------------
class RecognitionModel(nn.Module):
    """Examples -> production log-weights (unigram and conditioned on parent/position)."""

    def __init__(self, names: Sequence[str], hidden: int = 64, embedding: int = 32, context: int = 32,
                 seed: int = 0, features: int = FEATURES) -> None:
        super().__init__()
        if features not in (0, FEATURES):
            raise ValueError(f"features must be 0 (tokens only) or {FEATURES}, not {features}")
        with torch.random.fork_rng(devices=[]):  # the same initial weights for the same seed
            torch.manual_seed(seed)
            self._build(names, hidden, embedding, context, features)

    def _build(self, names: Sequence[str], hidden: int, embedding: int, context: int, features: int) -> None:
        self.names: list[str] = list(dict.fromkeys([*names, VARIABLE]))
        self.config = {"hidden": hidden, "embedding": embedding, "context": context, "features": features}
        n = len(self.names)
        self.embed = nn.Embedding(VOCABULARY, embedding, padding_idx=PAD)
        self.gru = nn.GRU(embedding, hidden, batch_first=True)
        # the examples' features (neurosym.neural.features) beside the GRU's reading of their tokens
        self.feature_layer = nn.Sequential(nn.Linear(features, hidden), nn.ReLU()) if features else None
        self.task_layer = nn.Sequential(nn.Linear(hidden * (2 if features else 1), hidden), nn.ReLU())
        self.unigram_weight = nn.Parameter(torch.randn(n, hidden) * 0.01)
        self.unigram_bias = nn.Parameter(torch.zeros(n))
        self.context_in = nn.Linear(hidden, context)
        self.parent_embed = nn.Parameter(torch.randn(n + 1, context) * 0.1)  # row 0: the root
        self.position_embed = nn.Embedding(MAX_POSITION, context)
        self.context_weight = nn.Parameter(torch.randn(n, context) * 0.01)
        self.context_bias = nn.Parameter(torch.zeros(n))
        self.index = {name: i for i, name in enumerate(self.names)}
        self.last_loss = float("nan")  # mean loss of the last training epoch

    @property
    def device(self) -> torch.device:
        return self.unigram_bias.device

    def grow(self, names: Sequence[str]) -> list[str]:
        """Add output rows for names not yet known (new routines); returns those added."""
        new = [name for name in dict.fromkeys(names) if name not in self.index]
        if not new:
            return []
        k = len(new)

        def extend(p: nn.Parameter, scale: float, zero: bool = False) -> nn.Parameter:
            shape = (k,) + tuple(p.shape[1:])
            rows = torch.zeros(shape, device=p.device) if zero else torch.randn(shape, device=p.device) * scale
            return nn.Parameter(torch.cat([p.data, rows]))

        self.unigram_weight = extend(self.unigram_weight, 0.01)
        self.unigram_bias = extend(self.unigram_bias, 0, zero=True)
        self.parent_embed = extend(self.parent_embed, 0.1)
        self.context_weight = extend(self.context_weight, 0.01)
        self.context_bias = extend(self.context_bias, 0, zero=True)
        self.names += new
        self.index = {name: i for i, name in enumerate(self.names)}
        return new

    def encode(self, tasks: Sequence[Task | Reading]) -> torch.Tensor:
        """One state per task (tasks x hidden): the mean over its examples' GRU states,
        beside the mean of their features."""
        readings = [t if isinstance(t, Reading) else Reading.of(t) for t in tasks]
        seqs, owner = [], []
        for t, reading in enumerate(readings):
            for tokens in reading.tokens:
                seqs.append(torch.tensor(tokens, dtype=torch.long))
                owner.append(t)
        lengths = torch.tensor([len(s) for s in seqs])
        padded = pad_sequence(seqs, batch_first=True, padding_value=PAD).to(self.device)
        packed = pack_padded_sequence(self.embed(padded), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.gru(packed)
        owner_t = torch.tensor(owner, device=self.device)
        sums = torch.zeros(len(tasks), h.shape[-1], device=self.device).index_add_(0, owner_t, h[-1])
        counts = torch.bincount(owner_t, minlength=len(tasks)).clamp(min=1).unsqueeze(1)
        state = sums / counts
        if self.feature_layer is not None:
            features = torch.tensor([r.features for r in readings], dtype=torch.float32, device=self.device)
            state = torch.cat([state, self.feature_layer(features)], dim=1)
        return self.task_layer(state)

    def unigram(self, state: torch.Tensor) -> torch.Tensor:
        """Log-probabilities over the names (tasks x names)."""
        return torch.log_softmax(state @ self.unigram_weight.T + self.unigram_bias, dim=-1)

    def contextual(self, state: torch.Tensor, parents: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Log-probabilities over the names for each (task state, parent row, position)."""
        hidden = torch.tanh(self.context_in(state) + self.parent_embed[parents] + self.position_embed(positions))
        logits = hidden @ self.context_weight.T + self.context_bias + state @ self.unigram_weight.T
        return torch.log_softmax(logits, dim=-1)

    def parent_row(self, parent: str) -> int:
        return 0 if parent == ROOT else 1 + self.index[parent]

    # -- use ---------------------------------------------------------------------------
    @torch.no_grad()
    def predict(self, task: Task, contextual: bool = True) -> "Guidance":
        """The predicted weights for one task (`contextual=False`: the per-production
        ones alone, which is all unigram-guided search reads; the table is ~200 rows)."""
        was_training = self.training
        self.eval()
        try:
            with one_cpu_thread(self.device):
                return self._predict(task, contextual)
        finally:
            self.train(was_training)

    def _predict(self, task: Task, with_contextual: bool) -> "Guidance":
        state = self.encode([task])
        unigram = self.unigram(state)[0].tolist()
        if not with_contextual:
            return Guidance(dict(zip(self.names, unigram)), {})
        n = len(self.names)
        parents = torch.arange(n + 1, device=self.device).repeat_interleave(MAX_POSITION)
        positions = torch.arange(MAX_POSITION, device=self.device).repeat(n + 1)
        table = self.contextual(state.expand(len(parents), -1), parents, positions).tolist()
        contextual: dict[tuple[str, int], dict[str, float]] = {}
        for row, (p, pos) in enumerate(zip(parents.tolist(), positions.tolist())):
            parent = ROOT if p == 0 else self.names[p - 1]
            contextual[(parent, pos)] = dict(zip(self.names, table[row]))
        return Guidance(dict(zip(self.names, unigram)), contextual)

    def guide(self, task: Task, library: Library, prior: float = 0.3, mixing: str = "geometric") -> Library:
        """`library` re-weighted for `task`: the model's probabilities mixed with a share
        `prior` of the library's own (so nothing the model rules out becomes unreachable)."""
        return self.predict(task, contextual=False).weighted(library, prior, mixing)


@dataclass(frozen=True)
class Guidance:
    """Predicted log-probabilities: per production, and per (parent, position)."""

    unigram: dict[str, float]
    contextual: dict[tuple[str, int], dict[str, float]]

    def weighted(self, library: Library, prior: float = 0.3, mixing: str = "geometric") -> Library:
        """The library with the predicted unigram weights (mixed with `prior` of its own)."""
        mixed = _mix(self.unigram, _library_log_probabilities(library), prior, mixing)
        variable = mixed.pop(VARIABLE)
        return library.with_weights(mixed, variable=variable)

    def contextual_weights(self, library: Library, prior: float = 0.3,
                           mixing: str = "geometric") -> dict[tuple[str, int], dict[str, float]]:
        """Log-weights per (parent, argument position) that exist in `library` (the root,
        and each position of each production that takes arguments), mixed like `weighted`."""
        if not self.contextual:
            raise ValueError("this guidance was predicted without its contextual table (predict(contextual=True))")
        own = _library_log_probabilities(library)
        out = {}
        for p in library.productions:
            for position in range(min(arity(p.type), MAX_POSITION)):
                row = self.contextual.get((p.name, position))
                if row is not None:
                    out[(p.name, position)] = _mix(self._smoothed(row), own, prior, mixing)
        out[(ROOT, 0)] = _mix(self._smoothed(self.contextual[(ROOT, 0)]), own, prior, mixing)
        return out

    def _smoothed(self, row: dict[str, float]) -> dict[str, float]:
        """A contextual row averaged with the unigram (rows seen in few solutions are noisy)."""
        return {name: math.log(CONTEXT_SHARE * math.exp(w) + (1 - CONTEXT_SHARE) * math.exp(self.unigram[name]))
                for name, w in row.items() if name in self.unigram}

    def log_probability(self, choices: Sequence[Choice]) -> float:
        """The contextual log-probability of a program's choices (unknown heads skipped)."""
        total = 0.0
        for c in choices:
            row = self.contextual.get((c.parent, min(c.position, MAX_POSITION - 1)))
            if row is not None and c.head in row:
                total += row[c.head]
        return total


def _library_log_probabilities(library: Library) -> dict[str, float]:
    """The library's own weights normalised over its productions and "$var"."""
    names = library.names() + [VARIABLE]
    own = [p.log_weight for p in library.productions] + [library.variable_log_weight]
    top = max(own)
    total = math.log(sum(math.exp(w - top) for w in own)) + top
    return {name: w - total for name, w in zip(names, own)}


def _mix(predicted: dict[str, float], own: dict[str, float], prior: float, mixing: str = "linear") -> dict[str, float]:
    """For every production and "$var" of `own` (the library's log-probabilities):
    log((1 - prior) p_model + prior p_library) ("linear"), or (1 - prior) log p_model +
    prior log p_library ("geometric": the model's prediction adjusts the library's own
    weights rather than replacing them)."""
    if mixing not in MIXINGS:
        raise ValueError(f"unknown mixing {mixing!r}; choose one of {', '.join(MIXINGS)}")
    floor = min(predicted.values())
    if mixing == "geometric":
        return {name: (1 - prior) * predicted.get(name, floor) + prior * w for name, w in own.items()}
    return {name: math.log((1 - prior) * math.exp(predicted.get(name, floor)) + prior * math.exp(w))
            for name, w in own.items()}


# -- training ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RecognitionReport:
    """How training went."""

    epochs: int
    examples: int
    seconds: float
    seconds_per_epoch: float
    final_loss: float  # mean negative log-probability of a solution (nats)
    device: str
    validation_loss: float | None = None  # the best epoch's, when validation pairs were given
    best_epoch: int | None = None  # whose weights were kept


def _targets(model: RecognitionModel, choices: Sequence[Choice]) -> tuple[list[int], list[int], list[int]]:
    heads, parents, positions = [], [], []
    for c in choices:
        if c.head not in model.index or (c.parent != ROOT and c.parent not in model.index):
            continue
        heads.append(model.index[c.head])
        parents.append(model.parent_row(c.parent))
        positions.append(min(c.position, MAX_POSITION - 1))
    return heads, parents, positions


def train_recognition(model: RecognitionModel, pairs: Sequence[tuple[Task, Expr]], library: Library, *,
                      epochs: int = 20, batch_size: int = 32, lr: float = 3e-3, seed: int = 0,
                      max_seconds: float | None = None, device: str | torch.device | None = None,
                      on_epoch: Any = None, validation: Sequence[tuple[Task, Expr]] = ()) -> RecognitionReport:
    """Fit the model to (task, solution) pairs: maximise each solution's log-probability,
    unigram and contextual. Grows the model to the library's names first. With
    `validation` pairs, the weights of the epoch with the lowest validation loss are
    kept (few solved tasks overfit quickly)."""
    if not pairs:
        raise ValueError("no (task, program) pairs to train the recognition model on")
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model.grow(library.names())
    model.to(default_device(device))
    data = _prepared(model, pairs, library)
    held = _prepared(model, validation, library)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    start = time.perf_counter()
    model.train()
    with one_cpu_thread(model.device):
        epoch, best = _fit(model, data, held, optimiser, rng, epochs, batch_size, max_seconds, on_epoch, start)
    seconds = time.perf_counter() - start
    model.eval()
    return RecognitionReport(epoch, len(data), round(seconds, 3), round(seconds / max(epoch, 1), 4),
                             round(model.last_loss, 4), str(model.device),
                             None if best is None else round(best[0], 4), None if best is None else best[1])


def _prepared(model: RecognitionModel, pairs: Sequence[tuple[Task, Expr]], library: Library) -> list:
    """(reading, targets) for every pair whose program has a choice the model knows; a
    task met several times (real solutions are repeated) is read once."""
    readings: dict[int, Reading] = {}
    out = []
    for task, program in pairs:
        targets = _targets(model, production_choices(program, library))
        if targets[0]:
            reading = readings.get(id(task))
            if reading is None:
                reading = readings[id(task)] = Reading.of(task)
            out.append((reading, targets))
    return out


def _batch_loss(model: RecognitionModel, batch: list) -> torch.Tensor:
    """Mean negative log-probability (unigram + contextual) of a batch's solutions."""
    state = model.encode([task for task, _ in batch])
    owner = torch.tensor([i for i, (_, t) in enumerate(batch) for _ in t[0]], device=model.device)
    heads = torch.tensor([h for _, t in batch for h in t[0]], device=model.device)
    parents = torch.tensor([p for _, t in batch for p in t[1]], device=model.device)
    positions = torch.tensor([p for _, t in batch for p in t[2]], device=model.device)
    uni = model.unigram(state)[owner, heads]
    ctx = model.contextual(state[owner], parents, positions).gather(1, heads.unsqueeze(1)).squeeze(1)
    return -(uni.sum() + ctx.sum()) / len(batch)


def _fit(model: RecognitionModel, data: list, held: list, optimiser: torch.optim.Optimizer, rng: random.Random,
         epochs: int, batch_size: int, max_seconds: float | None, on_epoch: Any,
         start: float) -> tuple[int, tuple[float, int] | None]:
    epoch, best, best_state = 0, None, None
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(data)
        total, count = 0.0, 0
        for b in range(0, len(data), batch_size):
            batch = data[b : b + batch_size]
            loss = _batch_loss(model, batch)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
            count += len(batch)
        model.last_loss = total / max(count, 1)
        if held:
            model.eval()
            with torch.no_grad():
                value = sum(_batch_loss(model, held[b : b + batch_size]).item() * len(held[b : b + batch_size])
                            for b in range(0, len(held), batch_size)) / len(held)
            if best is None or value < best[0]:
                best = (value, epoch)
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if on_epoch:
            on_epoch(epoch, model.last_loss)
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    return epoch, best
