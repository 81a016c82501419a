"""Recognition model checkpoints: written by `save_model`, read back by `load_model`.

A checkpoint holds the model's production names, its sizes, its weights (on the CPU,
so it loads on any device) and what it knows of the library it was trained for: the
DSL's name and version and each routine's definition. `load_model(path, library=)`
refuses a library whose routines or language differ (a routine of the same name with
another body would be predicted as the old one); weights may differ, since guidance
re-weights the library per task anyway. Reading never runs code from the file
(`torch.load(weights_only=True)`) and checks every field and every weight's name and
shape, so a damaged or foreign file is one CheckpointError naming it.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import torch

from neurosym.errors import NeurosymError
from neurosym.lang.printer import format_expr
from neurosym.library import Library
from neurosym.neural.features import FEATURES
from neurosym.neural.recognition import RecognitionModel
from neurosym.neural.torch_setup import default_device

FORMAT = 3  # 2: the token vocabulary of neurosym.neural.encoding; 3: example features, the library


def library_identity(library: Library) -> dict[str, Any]:
    """What a model must agree on with a library: its language and its routines' bodies."""
    return {"dsl": f"{library.dsl.name} {library.dsl.version}",
            "routines": {r.name: format_expr(r.body) for r in library.routines}}


def save_model(model: RecognitionModel, path: str | Path, library: Library | None = None) -> Path:
    """Write a checkpoint (names, sizes, weights and, when given, the library it was
    trained for; loadable on any device)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    record = library_identity(library) if library is not None else None
    torch.save({"format": FORMAT, "names": model.names, "config": model.config, "state": state,
                "library": record}, tmp)
    tmp.replace(path)
    return path


class LibraryMismatchError(NeurosymError, ValueError):
    """A checkpoint trained for another library than the one it is asked to guide."""


def check_library(path: Path, record: Any, library: Library) -> None:
    """Raise LibraryMismatchError naming the first difference between the library a
    checkpoint was trained for (`record`) and `library`."""
    if record is None:
        raise LibraryMismatchError(f"{path}: the checkpoint does not say which library it was trained for; "
                                   "retrain it (neurosym curriculum run --method neural)")
    mine = library_identity(library)
    if record["dsl"] != mine["dsl"]:
        raise LibraryMismatchError(f"{path}: trained for the language {record['dsl']}, not {mine['dsl']}")
    theirs, ours = record["routines"], mine["routines"]
    for name in sorted(set(theirs) | set(ours)):
        if theirs.get(name) != ours.get(name):
            what = (f"has the routine {name}, which the model never saw" if name not in theirs else
                    f"lacks the routine {name}" if name not in ours else
                    f"defines {name} as {ours[name]}, the model's library as {theirs[name]}")
            raise LibraryMismatchError(f"{path}: trained for another library (this library {what}; "
                                       f"the checkpoint's has {len(theirs)} routines); retrain the model for "
                                       "this library")


class CheckpointError(NeurosymError, ValueError):
    """A file that is not a recognition model checkpoint written by `save_model`."""


class CheckpointMissingError(NeurosymError, FileNotFoundError):
    """No recognition model checkpoint at the path given."""


def _read_checkpoint(path: Path) -> tuple[list[str], dict[str, int], dict[str, torch.Tensor], Any]:
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
    if isinstance(data, dict) and data.get("format") in (1, 2):
        raise CheckpointError(f"{bad}: it is of format {data['format']}, written before the model read the "
                              "examples' features and recorded its library; retrain it")
    if not isinstance(data, dict) or data.get("format") != FORMAT or not {"names", "config", "state",
                                                                          "library"} <= set(data):
        raise CheckpointError(bad)
    names, config, state = data["names"], data["config"], data["state"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise CheckpointError(f"{bad} ('names' should be a non-empty list of production names)")
    sizes = {"hidden", "embedding", "context"}  # bounded: a crafted file must not allocate gigabytes
    if not isinstance(config, dict) or set(config) != sizes | {"features"} or not all(
            type(config[k]) is int and 0 < config[k] <= 1 << 14 for k in sizes) or config["features"] not in (
            0, FEATURES):
        raise CheckpointError(f"{bad} ('config' should hold {', '.join(sorted(sizes))}: ints from 1 to 16384, "
                              f"and features: 0 or {FEATURES})")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{bad} ('state' should map parameter names to tensors)")
    record = data["library"]
    if record is not None and not (isinstance(record, dict) and isinstance(record.get("dsl"), str) and isinstance(
            record.get("routines"), dict) and all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in record["routines"].items())):
        raise CheckpointError(f"{bad} ('library' should name a DSL and map routine names to their bodies)")
    return names, config, state, record


def load_model(path: str | Path, device: str | torch.device | None = None,
               library: Library | None = None) -> RecognitionModel:
    """Read a checkpoint written by `save_model` onto `device` (default: cuda if present).
    Every weight's name and shape is checked against the model the checkpoint describes,
    so a damaged or foreign file is a CheckpointError naming it, never a KeyError. With
    `library`, a checkpoint trained for another library is a LibraryMismatchError."""
    path = Path(path)
    if not path.exists():
        raise CheckpointMissingError(f"{path}: no recognition model checkpoint here")
    names, config, state, record = _read_checkpoint(path)
    model = RecognitionModel(names, **config)
    expected = {k: list(v.shape) for k, v in model.state_dict().items()}
    found = {k: list(v.shape) for k, v in state.items()}
    odd = sorted(set(found) ^ set(expected), key=str)
    wrong = [k for k in expected if found.get(k, expected[k]) != expected[k]]
    if odd or wrong:
        detail = f"unexpected or missing {odd[0]!r}" if odd else f"{wrong[0]!r} has shape {found[wrong[0]]}, " \
                 f"the model needs {expected[wrong[0]]}"
        raise CheckpointError(f"{path}: the weights do not fit the model they describe ({detail})")
    if library is not None:
        check_library(path, record, library)
    model.load_state_dict(state)
    model.eval()
    return model.to(default_device(device))
