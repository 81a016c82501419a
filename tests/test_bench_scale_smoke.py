"""bench_scale.py runs end to end on a few tasks and prints its figure line."""

import re
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_bench_scale_prints_its_line():
    args = [sys.executable, str(REPO / "benchmarks" / "bench_scale.py"), "--tasks", "6", "--candidates", "3000"]
    try:
        import ray  # noqa: F401
    except ImportError:
        args.append("--no-ray")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert "results identical across executors: True" in lines
    assert re.fullmatch(r"speedup_pool=\d+\.\d\d speedup_ray=(\d+\.\d\d|nan)", lines[-1])
