"""bench_neural.py runs end to end with tiny settings and prints its figure line."""

import re
import subprocess
import sys

import pytest

from conftest import REPO

pytest.importorskip("sklearn", reason="bench_neural reads scikit-learn's bundled digits (extra `vision`)")


@pytest.mark.slow  # ~15-20 s here, most of it importing torch and scikit-learn in a fresh process
def test_bench_neural_prints_its_line():
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_neural.py"), "--n-train", "40", "--n-test", "20",
         "--n-classify", "200", "--epochs", "2", "--small"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    number = r"\d+\.\d+"
    assert re.fullmatch(
        rf"reader_acc={number} sum_acc_library={number} sum_acc_baseline={number} mae_item_library={number} "
        rf"mae_item_long_library={number} mae_item_baseline={number} mae_item_long_baseline={number} "
        r"device=(cpu|cuda)", last), last
