"""Neural routines: typed torch modules that programs use like primitives.

A `NeuralPart` has a declared type of the language (`image -> int`, `image -> bool`,
`vector -> vector`, `list image -> int`, ...) and is built by a named factory from a
JSON-able config, so that the library can store it as (factory, config, weights) and
rebuild it anywhere (see weights.py). Its output head follows the return type:

    int     logits over the declared range `values = [lo, hi]` (a categorical reader)
    bool    one logit (probability of true)
    vector  `out_dim` real numbers

Inputs: `image` is a float tensor of `in_shape` (8x8 by default), `vector` has `in_dim`
entries, and `list image` / `list vector` (GRU factory only) is a batch of equal-length
sequences. Parameters live on `default_device()`: CUDA when present, else CPU.
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch import nn

from neurosym.lang.parser import parse_type
from neurosym.lang.types import BOOL, INT, TCon, Type, format_type, split_arrow
from neurosym.neural import torch_setup

IMAGE = TCon("image")
VECTOR = TCon("vector")


def default_device() -> torch.device:
    """`cuda` when a GPU is present, else `cpu`."""
    return torch_setup.default_device()


@contextmanager
def one_cpu_thread(device: torch.device | str | None = None) -> Iterator[None]:
    """Run torch on one CPU thread while inside (a no-op on a GPU; see torch_setup)."""
    with torch_setup.one_cpu_thread(torch_setup.default_device(device)):
        yield


class NeuralPart(nn.Module):
    """A typed module: `forward` maps a batch of inputs to a batch of raw outputs (logits
    for int and bool, the vector itself for vector)."""

    def __init__(self, type_: Type, factory: str, config: dict[str, Any], net: nn.Module) -> None:
        super().__init__()
        self.type, self.factory, self.config, self.net = type_, factory, dict(config), net
        (arg,), ret = _signature(type_)
        self.arg_type, self.ret_type = arg, ret
        self.lo, self.hi = (config["values"] if ret == INT else (0, 0))

    @property
    def kind(self) -> str:
        """`int`, `bool` or `vector`: what the output head produces."""
        return "int" if self.ret_type == INT else "bool" if self.ret_type == BOOL else "vector"

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.net(x)
        return out.squeeze(-1) if self.kind == "bool" else out

    def read(self, x: Any) -> Any:
        """The discrete reading of one input (a numpy array or tensor, or a tuple of them
        for a list input): the most probable int, a bool, or a tuple of floats."""
        with torch.no_grad():
            out = self.forward(to_batch([x], self.device))[0]
        if self.kind == "int":
            return int(out.argmax()) + self.lo
        if self.kind == "bool":
            return bool(out > 0)
        return tuple(float(v) for v in out)

    def describe(self) -> str:
        return f"{self.factory} : {format_type(self.type)} {json.dumps(self.config, sort_keys=True)}"


def to_batch(items: list[Any], device: torch.device) -> torch.Tensor:
    """Stack inputs (arrays, tensors, or equal-length tuples of them) into one float tensor."""
    if items and isinstance(items[0], (tuple, list)):
        return torch.stack([to_batch(list(seq), device) for seq in items]) if items[0] else \
            torch.zeros(len(items), 0, device=device)
    return torch.as_tensor(np.stack([np.asarray(x, dtype=np.float32) for x in items]), device=device)


def _signature(t: Type) -> tuple[tuple[Type, ...], Type]:
    args, ret = split_arrow(t)
    if len(args) != 1:
        raise ValueError(f"a neural routine takes one argument; {format_type(t)} takes {len(args)}")
    if ret not in (INT, BOOL, VECTOR):
        raise ValueError(f"a neural routine returns int, bool or vector, not {format_type(ret)}")
    return args, ret


def _out_dim(ret: Type, config: dict[str, Any]) -> int:
    if ret == INT:
        lo, hi = config.get("values") or (None, None)
        if lo is None or hi < lo:
            raise ValueError("an int-valued neural routine needs `values=[lo, hi]` (the range it reads)")
        return hi - lo + 1
    return 1 if ret == BOOL else int(config.get("out_dim", 16))


def _in_size(arg: Type, config: dict[str, Any]) -> int:
    if arg == IMAGE:
        return math.prod(config.setdefault("in_shape", [8, 8]))
    if arg == VECTOR:
        return int(config.setdefault("in_dim", 16))
    raise ValueError(f"this factory reads image or vector, not {format_type(arg)}")


def _mlp(arg: Type, ret: Type, config: dict[str, Any]) -> nn.Module:
    hidden = config.setdefault("hidden", [64])
    layers: list[nn.Module] = [nn.Flatten()]
    size = _in_size(arg, config)
    for h in hidden:
        layers += [nn.Linear(size, h), nn.ReLU()]
        size = h
    layers.append(nn.Linear(size, _out_dim(ret, config)))
    return nn.Sequential(*layers)


def _cnn(arg: Type, ret: Type, config: dict[str, Any]) -> nn.Module:
    if arg != IMAGE:
        raise ValueError(f"the cnn factory reads images, not {format_type(arg)}")
    h, w = config.setdefault("in_shape", [8, 8])
    channels = config.setdefault("channels", 16)
    return nn.Sequential(
        _AddChannel(),
        nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(),
        nn.Conv2d(channels, 2 * channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(2 * channels * (h // 2) * (w // 2), 64), nn.ReLU(), nn.Linear(64, _out_dim(ret, config)))


class _AddChannel(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.unsqueeze(1)


class _GRUNet(nn.Module):
    """Encode each item, run a GRU over the sequence, read the last state."""

    def __init__(self, item_size: int, hidden: int, out: int) -> None:
        super().__init__()
        self.encode = nn.Sequential(nn.Linear(item_size, hidden), nn.ReLU())
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, out)
        self.hidden = hidden

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n = x.shape[0], x.shape[1]
        if n == 0:
            return self.head(torch.zeros(b, self.hidden, device=x.device))
        _, last = self.gru(self.encode(x.reshape(b, n, -1)))
        return self.head(last[-1])


def _gru(arg: Type, ret: Type, config: dict[str, Any]) -> nn.Module:
    if not (isinstance(arg, TCon) and arg.name == "list" and arg.args[0] in (IMAGE, VECTOR)):
        raise ValueError(f"the gru factory reads list image or list vector, not {format_type(arg)}")
    return _GRUNet(_in_size(arg.args[0], config), int(config.setdefault("hidden", 64)), _out_dim(ret, config))


FACTORIES: dict[str, Callable[[Type, Type, dict[str, Any]], nn.Module]] = {"mlp": _mlp, "cnn": _cnn, "gru": _gru}


def make_part(type_: str | Type, factory: str = "mlp", seed: int | None = None,
              device: torch.device | str | None = None, **config: Any) -> NeuralPart:
    """A fresh neural routine of `type_` built by `factory` ("mlp", "cnn" or "gru").

    Config keys: `values=[lo, hi]` for int outputs (required), `out_dim` for vector
    outputs, `in_shape` (image, default [8, 8]) or `in_dim` (vector, default 16),
    `hidden` (MLP: list of widths, GRU: one width), `channels` (CNN)."""
    t = parse_type(type_) if isinstance(type_, str) else type_
    if factory not in FACTORIES:
        raise ValueError(f"unknown factory {factory!r}; known: {', '.join(FACTORIES)}")
    (arg,), ret = _signature(t)
    if seed is not None:
        torch.manual_seed(seed)
    config = json.loads(json.dumps(config))  # JSON-able, and ours
    if "values" in config:
        config["values"] = [int(v) for v in config["values"]]
    net = FACTORIES[factory](arg, ret, config)
    return NeuralPart(t, factory, config, net).to(device or default_device())
