"""Learning curves of a curriculum run (matplotlib, written as PNG beside the records)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence


def draw_learning_curve(figures: Sequence, path: Path) -> None:
    """Solved tasks (train; test with the learned library, guided by the model, and
    the starting library's figure as a dashed line) and library size per iteration."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    iterations = [f.iteration for f in figures]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    left.plot(iterations, [f.solved_train / max(f.total_train, 1) * 100 for f in figures], "o-", label="train tasks")
    if any(f.total_test for f in figures):
        left.plot(iterations, [f.solved_test / max(f.total_test, 1) * 100 for f in figures], "s-",
                  label="test tasks, library")
        base = [f.solved_test_base for f in figures if getattr(f, "solved_test_base", None) is not None]
        if base:
            left.axhline(base[0] / max(figures[0].total_test, 1) * 100, color="tab:gray", linestyle="--",
                         label="test tasks, starting library")
    guided = [(f.iteration, f.solved_test_guided / max(f.total_test, 1) * 100) for f in figures
              if getattr(f, "solved_test_guided", None) is not None]
    if guided:
        left.plot(*zip(*guided), "^-", color="tab:red", label="test tasks, guided")
    left.set_xlabel("iteration")
    left.set_ylabel("solved (%)")
    left.set_ylim(0, 105)
    left.legend(loc="lower right")
    left.set_title("tasks solved")
    right.plot(iterations, [f.library_size for f in figures], "o-", color="tab:green", label="routines",
               linewidth=4, markersize=9, alpha=0.6)
    right.set_xlabel("iteration")
    right.set_ylabel("routines in the library")
    twin = right.twinx()
    twin.plot(iterations, [f.corpus_size for f in figures], "s--", color="tab:purple", label="corpus size")
    twin.set_ylabel("corpus size (AST nodes)")
    # a thick routines line under a thin dashed corpus line: both stay visible where they coincide
    handles = right.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    right.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8)
    right.set_title("library and corpus")
    for ax in (left, right):
        ax.set_xticks(iterations)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
