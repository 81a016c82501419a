"""Does a neural routine from the library transfer? Summing lists of handwritten digits.

scikit-learn's 8x8 digits, split once into train/val/test image pools. First the
classify task trains `digit_reader : image -> int` (labels supervised) and saves it in
a library. Then the sum task (`list image -> int`, only the sum supervised), each
method trained on the same N lists of length L:

    library     the program the neural-part search finds over the library (the reader frozen)
    tuned       the same program with the reader fine-tuned through the sum
    scratch     `\\xs -> fold (+) 0 (map hole xs)` with a fresh reader learned through the sum
    baseline    an end-to-end GRU over the image list (`list image -> int`, no program)

On lists of test images (never seen in training) of length L and 5L: exact-sum accuracy
and the mean absolute error per item, |predicted - true| / length; the reader's own
per-image accuracy p, and p^L, what a perfect algorithm over that reader scores.
Also wall time per training epoch on the device used.

Run: python benchmarks/bench_neural.py [--n-train 300] [--length 4] [--epochs 20] [--seed 0]
Last line: reader_acc=<p> sum_acc_library=<x> sum_acc_baseline=<x> mae_item_library=<x>
  mae_item_long_library=<x> mae_item_baseline=<x> mae_item_long_baseline=<x> device=<cpu|cuda>
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from dataclasses import replace
from typing import Any, Mapping, Sequence

from neurosym.curriculum.perception import run_step
from neurosym.domains.digits import classify_task, default_config, list_task, load_pools
from neurosym.lang.parser import parse
from neurosym.library import Library
from neurosym.library.store import load_library, save_library
from neurosym.neural.modules import default_device, make_part
from neurosym.neural.train import predictions, train_program
from neurosym.neural.weights import library_parts


def measure(expr: Any, parts: Mapping[str, Any], examples: Sequence, library: Library | None) -> tuple[float, float]:
    """Exact-sum accuracy and mean |predicted - true| / length over the examples."""
    outs = predictions(expr, parts, [ex[0] for ex in examples], library)
    exact = sum(o == y for o, (_, y) in zip(outs, examples)) / len(examples)
    mae = sum(abs((o if o is not None else 0) - y) / len(xs) for o, ((xs,), y) in zip(outs, examples)) / len(examples)
    return exact, mae


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-train", type=int, default=300, help="training lists per method")
    ap.add_argument("--length", type=int, default=4, help="training list length L (test: L and 5L)")
    ap.add_argument("--n-test", type=int, default=300)
    ap.add_argument("--n-classify", type=int, default=500, help="labelled images for the reader")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--small", action="store_true", help="a short search (smoke tests)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    device = default_device()
    pools = load_pools(args.seed)
    steps = {s.task: s for s in default_config(args.seed, args.epochs, args.small).steps}

    # 1. the reader, trained on labels, saved in a library store and loaded back
    classify = classify_task(args.n_classify, args.seed, pools)
    lib, res = run_step(classify, steps["classify_digit"], Library.base(), args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        lib = load_library(save_library(lib, tmp))
    reader = library_parts(lib, device)["digit_reader"]
    p = sum(reader.read(x) == y for (x,), y in classify.test) / len(classify.test)
    print(f"reader: test accuracy p={p:.3f} on {len(classify.test)} unseen images "
          f"({res.seconds_per_epoch * 1000:.1f} ms/epoch)")

    # 2. the sum task, four ways, on the same lists
    task = list_task("sum_digits", args.n_train, args.length, args.n_test, 5, args.seed, pools)
    rows: dict[str, tuple] = {}
    start = time.perf_counter()
    _, found = run_step(task, replace(steps["sum_digits"], epochs=args.epochs), lib, args.seed)
    expr = parse(found.program)
    print(f"library: the search found `{found.program}` ({found.candidates} candidates, "
          f"{time.perf_counter() - start:.1f} s)")
    frozen = library_parts(lib, device)
    rows["library"] = (expr, frozen, lib, found.seconds_per_epoch)
    tuned = library_parts(lib, device, trainable=True)
    rep = train_program(expr, tuned, task.train, lib, epochs=args.epochs, lr=1e-3, seed=args.seed)
    rows["tuned"] = (expr, tuned, lib, rep.seconds_per_epoch)
    scratch_expr = parse(r"\xs -> fold (+) 0 (map hole xs)")
    hole = make_part("image -> int", "mlp", seed=args.seed, values=[0, 9], hidden=[128])
    rep = train_program(scratch_expr, {"hole": hole}, task.train, epochs=args.epochs, lr=3e-3, seed=args.seed)
    rows["scratch"] = (scratch_expr, {"hole": hole}, None, rep.seconds_per_epoch)
    gru = make_part("list image -> int", "gru", seed=args.seed, values=[0, 9 * 5 * args.length], hidden=64)
    rep = train_program(parse("net"), {"net": gru}, task.train, epochs=args.epochs, lr=3e-3, seed=args.seed)
    rows["baseline"] = (parse("net"), {"net": gru}, None, rep.seconds_per_epoch)

    L = args.length
    print(f"\nsum of {L} digits, {args.n_train} training lists, {args.epochs} epochs, device {device}; "
          f"p^{L}={p ** L:.3f}, p^{5 * L}={p ** (5 * L):.3f}")
    print(f"{'method':<10} {'acc L':>7} {'acc 5L':>7} {'mae/item L':>11} {'mae/item 5L':>12} {'ratio':>6} {'ms/epoch':>9}")
    figures = {}
    for name, (e, parts, library, per_epoch) in rows.items():
        acc, mae = measure(e, parts, task.test, library)
        acc_long, mae_long = measure(e, parts, task.test_long, library)
        figures[name] = (acc, mae, acc_long, mae_long)
        ratio = mae_long / mae if mae else float("nan")
        print(f"{name:<10} {acc:>7.3f} {acc_long:>7.3f} {mae:>11.3f} {mae_long:>12.3f} {ratio:>6.2f} "
              f"{per_epoch * 1000:>9.1f}")
    lib_f, base_f = figures["library"], figures["baseline"]
    print(f"reader_acc={p:.3f} sum_acc_library={lib_f[0]:.3f} sum_acc_baseline={base_f[0]:.3f} "
          f"mae_item_library={lib_f[1]:.3f} mae_item_long_library={lib_f[3]:.3f} "
          f"mae_item_baseline={base_f[1]:.3f} mae_item_long_baseline={base_f[3]:.3f} device={device.type}")


if __name__ == "__main__":
    main()
