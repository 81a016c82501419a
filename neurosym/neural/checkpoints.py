"""Recognition model checkpoints: written by `save_model`, read back by `load_model`.

A checkpoint holds the model's production names, its sizes and its weights (on the
CPU, so it loads on any device). Reading never runs code from the file
(`torch.load(weights_only=True)`) and checks every field and every weight's name and
shape, so a damaged or foreign file is one CheckpointError naming it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import torch

from neurosym.errors import NeurosymError
from neurosym.neural.recognition import RecognitionModel
from neurosym.neural.torch_setup import default_device

FORMAT = 2  # 2: the token vocabulary of neurosym.neural.encoding (values of any DSL)


def save_model(model: RecognitionModel, path: str | Path) -> Path:
    """Write a checkpoint (names, sizes and weights; loadable on any device)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"format": FORMAT, "names": model.names, "config": model.config, "state": state}, tmp)
    tmp.replace(path)
    return path


class CheckpointError(NeurosymError, ValueError):
    """A file that is not a recognition model checkpoint written by `save_model`."""


class CheckpointMissingError(NeurosymError, FileNotFoundError):
    """No recognition model checkpoint at the path given."""


def _read_checkpoint(path: Path) -> tuple[list[str], dict[str, int], dict[str, torch.Tensor]]:
    """torch.load with weights_only (no code runs from the file; torch's own message
    would advise weights_only=False, and its warnings are noise here), then the kind and
    range of every field; each failure is one line naming the file."""
    bad = f"{path}: not a recognition model checkpoint of format {FORMAT}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = torch.load(path, map_location="cpu", weights_only=True)
    except IsADirectoryError:
        raise CheckpointError(f"{path}: is a directory, not a recognition model checkpoint") from None
    except Exception:
        raise CheckpointError(f"{bad} (torch.load finds no tensors and plain data in it: damaged, or not "
                              "written by neurosym)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not {"names", "config", "state"} <= set(data):
        raise CheckpointError(bad)
    names, config, state = data["names"], data["config"], data["state"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise CheckpointError(f"{bad} ('names' should be a non-empty list of production names)")
    sizes = {"hidden", "embedding", "context"}  # bounded: a crafted file must not allocate gigabytes
    if not isinstance(config, dict) or set(config) != sizes or not all(
            type(v) is int and 0 < v <= 1 << 14 for v in config.values()):
        raise CheckpointError(f"{bad} ('config' should hold {', '.join(sorted(sizes))}: ints from 1 to 16384)")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{bad} ('state' should map parameter names to tensors)")
    return names, config, state


def load_model(path: str | Path, device: str | torch.device | None = None) -> RecognitionModel:
    """Read a checkpoint written by `save_model` onto `device` (default: cuda if present).
    Every weight's name and shape is checked against the model the checkpoint describes,
    so a damaged or foreign file is a CheckpointError naming it, never a KeyError."""
    path = Path(path)
    if not path.exists():
        raise CheckpointMissingError(f"{path}: no recognition model checkpoint here")
    names, config, state = _read_checkpoint(path)
    model = RecognitionModel(names, **config)
    expected = {k: list(v.shape) for k, v in model.state_dict().items()}
    found = {k: list(v.shape) for k, v in state.items()}
    odd = sorted(set(found) ^ set(expected), key=str)
    wrong = [k for k in expected if found.get(k, expected[k]) != expected[k]]
    if odd or wrong:
        detail = f"unexpected or missing {odd[0]!r}" if odd else f"{wrong[0]!r} has shape {found[wrong[0]]}, " \
                 f"the model needs {expected[wrong[0]]}"
        raise CheckpointError(f"{path}: the weights do not fit the model they describe ({detail})")
    model.load_state_dict(state)
    model.eval()
    return model.to(default_device(device))
