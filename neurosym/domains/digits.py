"""Perception tasks on scikit-learn's bundled 8x8 handwritten digits (no download).

`load_digits` ships inside scikit-learn (the optional extra `vision`): 1,797 images of
8x8 pixels with values 0..16, here scaled to 0..1 float32 arrays. The images are split
once, from a seed, into train / validation / test pools; training and validation
examples are built from the first two pools only, so test images were never seen.

Tasks (the HOUDINI-style sequence runs them in this order):

    classify_digit  image -> int        the digit an image shows (labels supervised)
    sum_digits      list image -> int   the sum of the digits in a list (only the sum)
    count_digit_d   list image -> int   how many images in a list show digit d
    max_digit       list image -> int   the largest digit in a (non-empty) list

A `PerceptionTask` holds (arguments, output) examples whose images are the numpy arrays
of the pools themselves (so an image in many lists is one object).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

import numpy as np

from neurosym.errors import NotFound
from neurosym.curriculum.perception import PerceptionConfig, PerceptionStep, PerceptionTask
from neurosym.neural.neural_search import SYMBOLS, HoleSpec

Example = tuple[tuple, Any]


@dataclass(frozen=True)
class DigitPools:
    """Images (8x8 float32 arrays, 0..1) and labels of the three disjoint pools."""

    train: tuple[tuple[np.ndarray, int], ...]
    val: tuple[tuple[np.ndarray, int], ...]
    test: tuple[tuple[np.ndarray, int], ...]


def sklearn_available() -> bool:
    try:
        import sklearn.datasets  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=4)
def load_pools(seed: int = 0, test_fraction: float = 0.3, val_fraction: float = 0.1) -> DigitPools:
    """The digits split once into train / val / test pools (deterministic in `seed`)."""
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("the digits domain needs scikit-learn: pip install 'neurosym[vision]'") from err
    data = load_digits()
    images = (data.images / 16.0).astype(np.float32)
    order = list(range(len(images)))
    random.Random(seed).shuffle(order)
    n_test, n_val = int(len(order) * test_fraction), int(len(order) * val_fraction)
    pick = [(images[i], int(data.target[i])) for i in order]
    return DigitPools(tuple(pick[n_test + n_val:]), tuple(pick[n_test:n_test + n_val]), tuple(pick[:n_test]))


def _lists(pool: Sequence[tuple[np.ndarray, int]], n: int, length: int, rng: random.Random,
           label: Callable[[list[int]], int]) -> tuple[Example, ...]:
    out = []
    for _ in range(n):
        items = [pool[rng.randrange(len(pool))] for _ in range(length)]
        out.append(((tuple(img for img, _ in items),), label([y for _, y in items])))
    return tuple(out)


LIST_TASKS: dict[str, tuple[Callable[[list[int]], int], str]] = {
    "sum_digits": (sum, "the sum of the digits in the list"),
    "max_digit": (max, "the largest digit in the list"),
}


def _label(name: str) -> tuple[Callable[[list[int]], int], str]:
    if name in LIST_TASKS:
        return LIST_TASKS[name]
    if name.startswith("count_digit_") and name[len("count_digit_"):].isdigit():
        d = int(name[len("count_digit_"):])
        return (lambda ys: ys.count(d)), f"how many images show digit {d}"
    raise NotFound(f"unknown digits task {name!r}; known: classify_digit, {', '.join(LIST_TASKS)}, count_digit_<d>")


def classify_task(n_train: int = 500, seed: int = 0, pools: DigitPools | None = None) -> PerceptionTask:
    """image -> int: the label of each image (up to `n_train` training images)."""
    pools = pools or load_pools(seed)
    train = tuple(((img,), y) for img, y in pools.train[:n_train])
    return PerceptionTask("classify_digit", "image -> int", train, tuple(((img,), y) for img, y in pools.val),
                          tuple(((img,), y) for img, y in pools.test), doc="the digit an image shows")


def list_task(name: str, n_train: int = 300, length: int = 4, n_test: int = 300, long_factor: int = 5,
              seed: int = 0, pools: DigitPools | None = None, n_val: int | None = None) -> PerceptionTask:
    """A `list image -> int` task: lists of `length` images, the label supervised only
    through `name`'s function of the list (sum_digits, max_digit, count_digit_<d>)."""
    pools = pools or load_pools(seed)
    fn, doc = _label(name)
    rng = random.Random(f"{name}/{seed}")
    n_val = n_val if n_val is not None else max(50, n_train // 4)
    return PerceptionTask(
        name, "list image -> int",
        _lists(pools.train, n_train, length, rng, fn), _lists(pools.val, n_val, length, rng, fn),
        _lists(pools.test, n_test, length, rng, fn), _lists(pools.test, n_test, length * long_factor, rng, fn), doc)


def digit_tasks(names: Sequence[str] = ("classify_digit", "sum_digits", "count_digit_3", "max_digit"),
                seed: int = 0, n_train: int = 300, length: int = 4, n_classify: int = 500) -> list[PerceptionTask]:
    """The perception curriculum's tasks, in order."""
    pools = load_pools(seed)
    return [classify_task(n_classify, seed, pools) if name == "classify_digit"
            else list_task(name, n_train, length, seed=seed, pools=pools) for name in names]


_DIGIT = HoleSpec("image -> int", "mlp", (("values", [0, 9]), ("hidden", [128])))
_FLAG = HoleSpec("image -> bool", "mlp", (("hidden", [64]),))
#: a symbolic routine the max task may use (the search builds programs, not this helper)
MAX2 = "def max2 : int -> int -> int = \\a b -> if a < b then b else a;"


def default_config(seed: int = 0, epochs: int = 20, small: bool = False) -> PerceptionConfig:
    """classify_digit learns `digit_reader`; sum, count and max search programs over the
    library (the reader frozen) and fresh holes, each over a small grammar of its own."""
    probe, candidates = (1, 12) if small else (2, 60)
    digits = tuple(str(i) for i in range(10))
    return PerceptionConfig((
        PerceptionStep("classify_digit", (_DIGIT,), (), max_size=2, epochs=2 * epochs, save_as=("digit_reader",)),
        PerceptionStep("sum_digits", (_DIGIT,), SYMBOLS, max_size=7, max_candidates=candidates, probe_epochs=probe,
                       epochs=epochs, save_program_as="sum_of_digits"),
        PerceptionStep("count_digit_3", (_FLAG,), ("length", "filter", "==") + digits, max_size=9,
                       max_candidates=candidates, probe_epochs=probe, epochs=epochs, save_as=("is_flagged",),
                       save_program_as="count_threes"),
        PerceptionStep("max_digit", (), ("map", "fold", "length", "filter", "+", "0", "1", "max2"), max_size=7,
                       max_candidates=candidates, probe_epochs=probe, epochs=epochs),
    ), seed, MAX2, {"domain": "digits"})


def run_digit_curriculum(rundir: str, seed: int = 0, n_train: int = 300, length: int = 4, n_classify: int = 500,
                         epochs: int = 20, small: bool = False, names: Sequence[str] | None = None) -> list:
    """The HOUDINI-style sequence over the digits tasks into RUNDIR (see curriculum/perception.py)."""
    from dataclasses import replace

    from neurosym.curriculum.perception import run_sequence

    config = default_config(seed, epochs, small)
    if names is not None:
        config = replace(config, steps=tuple(s for s in config.steps if s.task in names))
    config = replace(config, extra={"domain": "digits", "n_train": n_train, "length": length,
                                    "n_classify": n_classify})
    tasks = digit_tasks(tuple(s.task for s in config.steps), seed, n_train, length, n_classify)
    return run_sequence(tasks, config, rundir)
