"""An LSTM baseline for the formal-language recognisers (symbol lists -> bool).

Joulin & Mikolov (2015, Table 2) show that recurrent nets trained on short words of
a^n b^n and its kin fail on long ones. `train_lstm_recognizer` fits a small LSTM to the
same few examples a synthesized program sees; `lstm_accuracy` measures it on any words
(lengths in the hundreds are fine), so the two can be compared length by length.

Words are lists of symbols 0..3 (a, b, c, d). Every word is read after a start token,
so the empty word is accepted too; batches are padded and packed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from neurosym.errors import InvalidArgument
from neurosym.neural.torch_setup import default_device, one_cpu_thread

log = logging.getLogger(__name__)

N_SYMBOLS = 4
_START = N_SYMBOLS  # token read before every word
_PAD = N_SYMBOLS + 1  # padding (never read: sequences are packed)


@dataclass(frozen=True)
class TrainingReport:
    """How training went: epochs run, wall time, final training accuracy, and why it stopped."""

    epochs: int
    seconds: float
    train_accuracy: float
    stopped_because: str  # "converged", "epochs" or "time"
    device: str


class LSTMRecognizer(nn.Module):
    """Embedding of the symbols, one LSTM layer, a linear head to one logit (> 0: accept)."""

    def __init__(self, hidden: int = 32, embedding: int = 8, n_symbols: int = N_SYMBOLS) -> None:
        super().__init__()
        self.n_symbols = n_symbols
        self.embed = nn.Embedding(n_symbols + 2, embedding, padding_idx=n_symbols + 1)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)
        self.train_report: TrainingReport | None = None

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Logits for a padded batch `tokens` (batch x time) with true `lengths` (on the CPU)."""
        packed = pack_padded_sequence(self.embed(tokens), lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.head(h[-1]).squeeze(-1)

    @torch.no_grad()
    def predict(self, words: Sequence[Sequence[int]], batch_size: int = 256) -> list[bool]:
        """Accept (True) or reject each word; batched, longest words first to limit padding."""
        was_training = self.training
        self.eval()
        device = next(self.parameters()).device
        order = sorted(range(len(words)), key=lambda i: -len(words[i]))
        out: list[bool] = [False] * len(words)
        try:
            with one_cpu_thread(device):
                for start in range(0, len(order), batch_size):
                    chunk = order[start : start + batch_size]
                    tokens, lengths = encode([words[i] for i in chunk], self.n_symbols)
                    logits = self(tokens.to(device), lengths)
                    for i, accept in zip(chunk, (logits > 0).tolist()):
                        out[i] = bool(accept)
        finally:
            self.train(was_training)
        return out

    def accepts(self, word: Sequence[int]) -> bool:
        """Whether one word is accepted (a `list[int] -> bool` predicate)."""
        return self.predict([word])[0]


def encode(words: Sequence[Sequence[int]], n_symbols: int = N_SYMBOLS) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad a batch of words (each prefixed by the start token): tokens (batch x time) and lengths."""
    seqs = []
    for k, word in enumerate(words):
        bad = [x for x in word if not (isinstance(x, int) and 0 <= x < n_symbols)]
        if bad:
            raise InvalidArgument(f"word {k}: symbol {bad[0]!r} is not an int in 0..{n_symbols - 1}")
        seqs.append(torch.tensor([n_symbols, *word], dtype=torch.long))
    if not seqs:
        raise InvalidArgument("no words given")
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    return pad_sequence(seqs, batch_first=True, padding_value=n_symbols + 1), lengths


def train_lstm_recognizer(
    words: Sequence[Sequence[int]],
    labels: Sequence[bool],
    *,
    epochs: int = 3000,
    seed: int = 0,
    device: str | torch.device | None = None,
    max_seconds: float = 60.0,
    hidden: int = 32,
    lr: float = 0.01,
    patience: int = 50,
    balance: bool = True,
) -> LSTMRecognizer:
    """Fit an `LSTMRecognizer` to labelled words with Adam and binary cross-entropy.

    Full-batch training (the training sets here are a few dozen short words). Stops after
    `epochs`, after `max_seconds` of wall time, or once training accuracy has been 100% for
    `patience` consecutive epochs (the extra epochs widen the margin). `balance` weights
    the positive class by negatives/positives. Reproducible from `seed` on the CPU (the
    global torch RNG is left as it was); `device` defaults to CUDA when available. The
    returned model (in eval mode) carries a `TrainingReport` in `model.train_report`.
    """
    if len(words) != len(labels):
        raise InvalidArgument(f"{len(words)} words but {len(labels)} labels")
    dev = default_device(device)
    tokens, lengths = encode(words)
    tokens = tokens.to(dev)
    targets = torch.tensor([float(bool(y)) for y in labels], device=dev)
    n_pos = int(targets.sum().item())
    pos_weight = None
    if balance and 0 < n_pos < len(labels):
        pos_weight = torch.tensor((len(labels) - n_pos) / n_pos, device=dev)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)

    fork_devices = [dev] if dev.type == "cuda" else []
    with torch.random.fork_rng(devices=fork_devices):
        torch.manual_seed(seed)
        model = LSTMRecognizer(hidden=hidden).to(dev)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    start = time.perf_counter()
    streak, epoch, accuracy, reason = 0, 0, 0.0, "epochs"
    model.train()
    with one_cpu_thread(dev):
        for epoch in range(1, epochs + 1):
            optimizer.zero_grad()
            logits = model(tokens, lengths)
            loss = loss_fn(logits, targets)
            loss.backward()
            optimizer.step()
            accuracy = ((logits.detach() > 0).float() == targets).float().mean().item()
            streak = streak + 1 if accuracy == 1.0 else 0
            if streak >= patience:
                reason = "converged"
                break
            if time.perf_counter() - start > max_seconds:
                reason = "time"
                break
    model.eval()
    accuracy = lstm_accuracy(model, words, labels)
    model.train_report = TrainingReport(epoch, time.perf_counter() - start, accuracy, reason, str(dev))
    log.info("LSTM trained: %s", model.train_report)
    return model


def lstm_accuracy(model: LSTMRecognizer, words: Sequence[Sequence[int]], labels: Sequence[bool]) -> float:
    """Fraction of words whose prediction matches the label (batched inference)."""
    if len(words) != len(labels):
        raise InvalidArgument(f"{len(words)} words but {len(labels)} labels")
    if not words:
        return 0.0
    predictions = model.predict(words)
    return sum(p == bool(y) for p, y in zip(predictions, labels)) / len(words)
