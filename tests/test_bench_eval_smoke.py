"""The evaluation benchmark runs end to end and ends with its machine-readable line."""

from __future__ import annotations

import os
import re
import subprocess
import sys


from conftest import DREAMCODER_TASKS as LIST_TASKS
from conftest import REPO as ROOT

SCRIPT = ROOT / "benchmarks" / "bench_eval.py"


def test_bench_eval_one_round() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--rounds", "1", "--tasks", str(LIST_TASKS)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"eval_ratio_vs_deap=\d+\.\d+ eval_overhead_vs_python=\d+\.\d+", last), proc.stdout
