"""Neural routines in and out of the library: a trained `NeuralPart` becomes a
`NeuralRoutine` (factory, JSON config, serialized weights, provenance, validation
accuracy) that the store keeps as routines/<name>.pt beside index.json, and back.

Weights are saved from CPU tensors with `torch.save` and loaded with
`weights_only=True` onto any device, so a routine trained on a GPU loads on a CPU
machine and the other way round.
"""

from __future__ import annotations

import datetime
import io
import json
from typing import Mapping

import torch

from neurosym.library.library import Library, NeuralRoutine
from neurosym.neural.modules import NeuralPart, default_device, make_part


def to_routine(part: NeuralPart, name: str, val_accuracy: float | None = None, doc: str = "",
               produced_by: tuple[str, ...] = (), created: str = "") -> NeuralRoutine:
    """A library entry for `part` (its weights copied now; later training does not change it)."""
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in part.state_dict().items()}, buf)
    return NeuralRoutine(name, part.type, part.factory, json.dumps(part.config, sort_keys=True), buf.getvalue(),
                         None if val_accuracy is None else float(val_accuracy), doc, tuple(produced_by), (),
                         created or datetime.date.today().isoformat())


def from_routine(routine: NeuralRoutine, device: torch.device | str | None = None,
                 trainable: bool = False) -> NeuralPart:
    """Rebuild the module of a library entry on `device` (default: CUDA when present).
    Frozen (no gradients) unless `trainable`, for fine-tuning."""
    device = torch.device(device) if device is not None else default_device()
    part = make_part(routine.type, routine.factory, device=device, **json.loads(routine.config))
    state = torch.load(io.BytesIO(routine.weights), map_location=device, weights_only=True)
    part.load_state_dict(state)
    part.requires_grad_(trainable)
    return part.eval() if not trainable else part


def library_parts(library: Library, device: torch.device | str | None = None,
                  trainable: bool | Mapping[str, bool] = False) -> dict[str, NeuralPart]:
    """Every neural routine of `library` as a module (frozen unless `trainable` says so)."""
    def wants(name: str) -> bool:
        return trainable if isinstance(trainable, bool) else bool(trainable.get(name, False))

    return {n.name: from_routine(n, device, wants(n.name)) for n in library.neural}
